"""Draft texts (English) of the chapter "adam_family"; merged into ``text_en`` later."""

TEXTS = {
    "ema_toolbox": {
        "title": "The moving average inside Adam, and its slow start",
        "text": "Adam's first moment is an exponentially decaying average (EMA), m_t = β₁m_{t−1} + (1−β₁)g_t, started "
                "from m₀ = 0. Unrolled, it gives g_{t−k} the weight (1−β₁)β₁ᵏ; over the first t steps these "
                "weights add up to 1 − β₁ᵗ, not 1, so a steady gradient g yields m_t = (1 − β₁ᵗ)g. Dividing "
                "by 1 − β₁ᵗ gives back g from the first step on. The weights shrink by a factor e in about "
                "1/(1−β₁) steps, the average's effective window: 10 steps at β₁ = 0.9, 1000 at 0.999.",
        "watch": "The chart: move β and watch the raw average (lower curve) creep up towards the constant "
                 "signal while the corrected one sits on it from step 1. On the map Adam hardly moves (lr "
                 "1e-4), so its gradient stays constant; the inside panel shows its velocity m rising like "
                 "1 − 0.9ᵗ.",
        "measured": "At step {t}, Adam's raw first moment is {raw_ratio:.4f} × g (1 − β₁ᵗ = {deficit:.4f}); "
                    "divided by 1 − β₁ᵗ it is {corrected_ratio:.4f} × g (g itself changed by {g_change:.1e} "
                    "since step 1). Window 1/(1 − β₁) = {window:.0f} steps. The chart's EMA of the engine's "
                    "gradients matches the engine's m at every step (largest relative difference "
                    "{series_error:.1g}).",
    },
    "adam_both": {
        "title": "Adam = RMSProp's scaling + momentum's smoothing",
        "text": "Adam keeps two averages. Dividing by √v̂, the RMSProp part, makes each coordinate's step "
                "about η whatever the size of its gradient, so the valley's gentle x direction is not "
                "starved as it is under momentum, whose step is η·m. Averaging the gradients in m, the "
                "momentum part, cancels much of the mini-batch noise before it moves the point; RMSProp steps "
                "on every raw g/√v and cannot. Momentum here is the EMA form v = μv + (1−μ)g, so all three "
                "take steps on the same scale.",
        "watch": "On the noisy bowl (mini-batches of 10) look at the end of each path: RMSProp keeps rattling "
                 "around the bottom, Adam and Momentum sit in a tight knot. The valley half is measured with "
                 "the same settings; switch the surface to the valley to watch Momentum crawl along x.",
        "measured": "Noisy bowl, mini-batch {batch}: spread of the last 200 points — RMSProp "
                    "{rmsprop_spread:.3f}, Adam {adam_spread:.3f}, Momentum {momentum_spread:.3f}. Valley, lr "
                    "{lr:g}: f − f* < {tol:g} after Adam {adam_steps}, RMSProp {rmsprop_steps}, Momentum "
                    "{momentum_steps} steps.",
    },
    "adam_bias_correction": {
        "title": "Bias correction: without it Adam's first steps are too big",
        "text": "m and v both start at 0, so early on m_t ≈ (1 − β₁ᵗ)ḡ and v_t ≈ (1 − β₂ᵗ)ḡ². m alone is too "
                "small, but the step divides it by √v, which is shrunk far more because β₂ is closer to 1: "
                "uncorrected, the step is inflated by (1 − β₁ᵗ)/√(1 − β₂ᵗ), 0.1/√0.001 ≈ 3.16 at t = 1 and "
                "over 6 around t = 10, fading only over thousands of steps. Dividing m by 1 − β₁ᵗ and v by "
                "1 − β₂ᵗ makes the first step exactly η. Only with β₂ = β₁ would uncorrected steps start "
                "small. torch.optim always corrects; the switch is this app's.",
        "watch": "Two Adam panels on the valley, lr 0.1: with the correction the first steps are 0.1 long in "
                 "each coordinate and the path runs straight down; without it the first step is already "
                 "three times as long, and within ten steps the point has shot across the valley floor.",
        "measured": "First step along x, in units of η: corrected {first_1:.4f}, uncorrected {first_2:.4f} (the "
                    "formula η(1−β₁)|g|/(√(1−β₂)|g| + ε) gives {predicted:.4f}). Largest of the first 30 "
                    "steps: corrected {largest_1:.3f} η, uncorrected {largest_2:.2f} η, at step "
                    "{largest_at_2}.",
    },
    "betas_memory": {
        "title": "β₁ remembers about 10 steps, β₂ about 1000",
        "text": "Each β sets how far back its average looks: the newest gradient gets the weight 1 − β, so the "
                "memory spans about 1/(1 − β) steps. The first moment has to follow the direction as it "
                "turns, hence a short memory, β₁ = 0.9 (10 steps), which still averages away most of the "
                "mini-batch noise; at β₁ = 0.5 (2 steps) much more of it passes. The second moment sets "
                "every step's size and should be steady: at β₂ = 0.999 (1000 steps) v̂ moves by a fraction "
                "of a percent per step, at β₂ = 0.9 by far more, and the step size jitters with it.",
        "watch": "Four Adam panels on the noisy bowl: the defaults, a short β₁, a short β₂, both short. The "
                 "shorter either memory, the wider the cloud of points at the bottom.",
        "measured": "β₁ = {b1_1:g} (window {w1_1:.0f}): m lets {m_1:.0%} of the gradient noise through; β₁ = "
                    "{b1_2:g} (window {w1_2:.0f}): {m_2:.0%}. β₂ = {b2_1:g} (window {w2_1:.0f}): v̂ changes by "
                    "{v_1:.2%} per step; β₂ = {b2_3:g} (window {w2_3:.0f}): by {v_3:.1%}. Spread at the "
                    "bottom, panels 1–4: {s_1:.3f}, {s_2:.3f}, {s_3:.3f}, {s_4:.3f}.",
    },
    "amsgrad_max": {
        "title": "AMSGrad: a step size that cannot grow back",
        "text": "Near the minimum the gradients shrink, Adam's v forgets the large ones (β₂ = 0.9 here, a "
                "10-step memory) and its step size η/(√v̂ + ε) grows until the steps are too long for the "
                "curvature: Adam stalls, rattling across the valley floor. AMSGrad divides by the largest v "
                "seen so far, so its step size cannot grow, and it keeps converging. As in torch.optim, the "
                "maximum is taken of the raw v, still divided by 1 − β₂ᵗ, so in the first steps AMSGrad's "
                "step size rises a little with that correction; after it has faded, it is flat.",
        "watch": "The inside panel (Adam): its effective step size climbs by orders of magnitude while the "
                 "point jitters near (0, 0); switch the panel to AMSGrad and the curve goes flat. The two loss "
                 "curves part after about 150 steps.",
        "measured": "Effective step size along x — Adam: {adam_first:.3g} at step 1, {adam_at_t0:.3g} at step "
                    "{adam_t0}, {adam_last:.3g} at step {steps} (up to ×{adam_rise:.0f} after step "
                    "{adam_t0}); AMSGrad: {amsgrad_first:.3g}, {amsgrad_at_t0:.4g}, {amsgrad_last:.4g} (at "
                    "most ×{amsgrad_rise:.4f}). Final f − f*: Adam {adam_gap:.1e}, AMSGrad {amsgrad_gap:.1e}.",
    },
    "radam_warmup": {
        "title": "RAdam's built-in warm-up",
        "text": "In the first steps v̂ rests on a handful of squared gradients and is very uncertain, yet Adam "
                "already takes full steps η·m̂/√v̂. RAdam rates v̂ by ρ_t = ρ∞ − 2tβ₂ᵗ/(1 − β₂ᵗ), about t "
                "at first. While ρ_t ≤ 5 (torch's threshold, used here; the paper uses 4) it steps with "
                "momentum alone, η·m̂; afterwards it scales Adam's step by r_t, which starts near 0.03 and "
                "climbs towards 1 over thousands of steps. Those momentum-only steps are small only because "
                "this surface's gradients are (scale 0.01): they grow with |g|.",
        "watch": "Adam (lr 0.5) leaps across the valley and overshoots its floor by far; RAdam creeps for its "
                 "first steps, then speeds up smoothly. In the inside panel (RAdam) the effective step size "
                 "reads the bare lr for 5 steps (the multiplier of m̂), then switches to the rectified η·r_t/√v̂ and grows from there.",
        "measured": "Threshold {threshold:g}: by the formula ρ_t ≤ {threshold:g} for t ≤ {n_formula} (ρ = "
                    "{rho_last:.3f} at t = {n_formula}, {rho_first:.3f} at t = {first_rectified}); the "
                    "engine's effective step size is the bare lr for {n_engine} steps. r at the first rectified "
                    "step: {r_first:.3f}. Mean step length over the first {k} steps: Adam {adam_first:.3f}, "
                    "RAdam {radam_first:.3f}.",
    },
    "adamw_vs_l2": {
        "title": "Same λ, different resting points: Adam + L2 vs AdamW",
        "text": "Adam + L2 adds λθ to the gradient and comes to rest where ∇f + λθ = 0, the minimum of f + "
                "λ‖θ‖²/2. Inside Adam that term is divided by √v̂ like the rest of the gradient, so a "
                "coordinate with large gradients is decayed less than AdamW decays it. AdamW shrinks θ by "
                "ηλθ beside the normalised step, which moves a coordinate by about η at most: it rests where "
                "m̂/(√v̂ + ε) = −λθ, so no coordinate stays beyond |θᵢ| = 1/λ however hard the loss pulls. "
                "β₂ = 0.9 so that both settle within the animation.",
        "watch": "Two panels on Beale with λ = 1: Adam + L2 stops short of the minimum at (3, 0.5), AdamW stops "
                 "much further back, pinned on the line x = 1/λ = 1 although the loss still slopes towards "
                 "the minimum.",
        "measured": "Adam + L2 rests at ({adam_x:.3f}, {adam_y:.3f}), where |∇f + λθ| = {adam_residual:.1e}; "
                    "AdamW at ({adamw_x:.3f}, {adamw_y:.3f}), where λ·max|θᵢ| = {adamw_box:.3f} while |∇f| "
                    "is still {adamw_grad:.2f}. Distance between them: {distance:.3f}.",
    },
    "adamw_schedule": {
        "title": "AdamW's weight decay follows the lr schedule",
        "text": "AdamW multiplies the weights by 1 − η_t λ at every step, with the scheduled η_t (torch.optim."
                "AdamW uses the current lr the same way). On this flat stretch of the plateau the gradient is "
                "many orders of magnitude below ε, so Adam's own step is nil and the decay alone moves the "
                "point, straight towards the origin. When the step schedule cuts η by γ = 0.1 at step 101, "
                "the decay per step drops by the same factor: lowering the lr also weakens the "
                "regularisation.",
        "watch": "The point slides along a straight line towards the well at the origin: quickly for 100 "
                 "steps, then at a tenth of the pace (the dots of the path bunch up).",
        "measured": "Before the drop (lr {lr_before:g}) θ_x shrinks by a factor {before:.5f} per step (1 − ηλ "
                    "= {expected_before:.5f}); after it (lr {lr_after:g}) by {after:.5f} ({expected_after:.5f})"
                    ". The decay per step fell ×{rate_ratio:.3f}, the lr ×{lr_ratio:.3f}; the largest gradient "
                    "on the way was {grad:.1e}.",
    },
    "nadam_lookahead": {
        "title": "Nadam: momentum that brakes a step earlier",
        "text": "Adam's numerator m̂_t gives the fresh gradient the weight 1 − β₁ = 0.1. Nadam, in the course "
                "notes' form used here, applies the momentum once more before stepping, β₁m̂_t + (1 − β₁)g_t/"
                "(1 − β₁ᵗ): Nesterov's look-ahead, in which the fresh gradient weighs 1 − β₁² = 0.19. When the "
                "path overshoots Beale's curved valley and the gradient turns, Nadam reacts about twice as "
                "fast, climbs back less and arrives sooner. RMSProp with momentum (lr 0.03: its buffer "
                "multiplies the step by about 10) has no look-ahead and swings widest.",
        "watch": "Follow the three paths on Beale from (1, 1.5) into the curved valley towards (3, 0.5): "
                 "RMSProp with momentum swings far past the valley floor, Adam overshoots a little, Nadam turns "
                 "in tightest. The loss curves show the climbs.",
        "measured": "Nadam ({variant} variant) climbs back up {nadam_climb:.2f} in loss in all and reaches f − "
                    "f* < {tol:g} in {nadam_steps} steps; Adam climbs {adam_climb:.2f}, {adam_steps} steps; "
                    "RMSProp with momentum {rmsprop_climb:.1f}, {rmsprop_steps} steps. First step: Nadam "
                    "{nadam_first:.2f}, Adam {adam_first:.2f} (at t = 1 the notes' form steps 1 + β₁ times as far).",
    },
    "eps_underflow": {
        "title": "ε in float16: once g² underflows, ε's place sets the step",
        "text": "float16's smallest normal number is about 6.1·10⁻⁵, and below it precision runs out fast (under "
                "6·10⁻⁸ nothing is left at all). Treat everything under the smallest normal as 0, and a gradient of "
                "0.004 survives while its square, 1.6·10⁻⁵, does not. This app only simulates that: the engine still "
                "computes in float64 and sets every g² below the sidebar's underflow threshold to 0 before it enters "
                "the accumulator. AdaGrad's sum G then stays 0, and ε is all that is left of the denominator. With "
                "ε outside the root, as torch.optim writes it "
                "(η/(√G + ε), the default here), the step is η·g/ε; with ε inside, as the course notes write it "
                "(η/√(G + ε)), it is η·g/√ε, 1/√ε = 10,000 times smaller at ε = 10⁻⁸, yet still far longer than "
                "the step of about η that full precision takes. A larger ε caps the flushed step at η·g/ε, a few η "
                "at ε = 10⁻³: the reason to set ε larger when training in float16.",
        "watch": "Three AdaGrad panels on the valley, starting right beside the minimum, underflow at 6.1·10⁻⁵: "
                 "with ε = 10⁻⁸ outside the root the first step throws the point off the map (✖, escaped at step "
                 "1); with ε inside it jumps about 2 in each coordinate, towards the lower left, and crawls back; "
                 "with ε = 10⁻³ it hops 0.2 and settles at the minimum. Set the underflow to 0 in the sidebar and "
                 "all three take the ordinary first step of about η.",
        "measured": "Underflow {u:.2g}; at the start g² = {g2:.1e}, below it. First step in units of η — ε = {eps:g} "
                    "outside the root: {first_1:.3g}; inside: {first_2:.3g}; ratio {ratio:.0f} (1/√ε = "
                    "{predicted:.0f}); ε = {large_eps:g} outside: {first_3:.3g}. Without underflow the same three: "
                    "{plain_1:.3f}, {plain_2:.3f}, {plain_3:.3f} (ratio {plain_ratio:.4f}).",
    },
}
