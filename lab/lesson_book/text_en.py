"""The lessons' texts in English, by lesson id: ``title``; ``text``, the explanation (from the
mathematics, in this product's own words); ``watch``, what to look at in the scene; ``measured``,
the template of the measured sentence, filled from the lesson's ``measure`` numbers."""

TEXTS = {
    "batch_noise": {
        "title": "Full batch, mini-batch, one sample: the noise sets how close you get",
        "text": (
            "Every sample of the noisy bowl has its own quadratic loss, and the surface is "
            "their mean. With the full batch (BGD), each step averages all N sample "
            "gradients, so it follows the true gradient and settles exactly at the minimum. A "
            "mini-batch of B samples gives an unbiased estimate of that gradient whose "
            "standard deviation shrinks like 1/√B: a hundred times the samples make it only "
            "ten times less noisy, at a hundred times the cost per step. While the step size "
            "stays fixed the noise never dies out, so the iterate hovers around the minimum, "
            "the wider the smaller the batch."),
        "watch": (
            "Three panels, the same data and the same lr 0.1: the full-batch path slides "
            "straight into the centre, batches of 32 end in a small jittering cloud, single "
            "samples in a wide one."),
        "measured": (
            "lr {lr:g}, N = {n}: over the last 100 steps the mean distance to the minimum is "
            "{d_full:.1e} with the full batch, {d_mini:.3f} with batches of {b_mini} and "
            "{d_one:.3f} with single samples. At the start a batch gradient spreads {sd1:.3f} "
            "for 1 sample and {sd100:.3f} for 100: {sd_ratio:.1f}× less for 100× the samples."),
    },
    "one_lr_canyon": {
        "title": "One learning rate for a canyon: stable across it, stuck along it",
        "text": (
            "On a quadratic, one GD step multiplies the error along each eigen-direction of "
            "the Hessian by 1 − ηλ. Here f = 0.1(x² + 1000y²): λ = 0.2 along x and L = 200 "
            "along y. The y error shrinks only while |1 − 200η| < 1, that is for η < 2/L = "
            "0.01; at η = 0.0105 the factor is −1.1, so y flips sign and grows by a tenth "
            "every step. Just under the edge, at η = 0.0095, y settles within a few dozen "
            "steps (factor −0.9), but x gets the factor 1 − 0.2η ≈ 0.998 and after 100 steps "
            "has covered less than a fifth of its way. The steepest direction caps the "
            "learning rate and the flattest one pays for it: the ratio L/λ = 1000, the "
            "condition number, is what makes the canyon hard."),
        "watch": (
            "Two GD panels from (−5, −2), η 5 % below and 5 % above 2/L. Left: the point "
            "zig-zags across the canyon, the zig-zag dies out, and then it hardly creeps "
            "along x. Right: every swing is wider than the one before until the point leaves "
            "the map and the run is stopped."),
        "measured": (
            "L = {l_max:g} and the smallest curvature is {l_min:g}, so 2/L = {edge:g}. With η "
            "= {small_lr:g} the factors per step are {small_fy:.2f} in y and {small_fx:.4f} "
            "in x: after {steps} steps |y| is down to {small_y:.1e} of its start, while x has "
            "covered only {small_progress:.0%} of its way to 0. With η = {large_lr:g} the "
            "factor in y is {large_fy:.2f}: |y| grew {large_growth:.0f}-fold and the run was "
            "stopped after {large_steps} steps ({large_status})."),
    },
    "lr_too_large": {
        "title": "Past 2/L gradient descent diverges; a decaying schedule rescues it",
        "text": (
            "The valley 0.1x² + 2y² has the Hessian diag(0.2, 4) everywhere, so its largest "
            "eigenvalue is L = 4 and GD is stable only for η < 2/L = 0.5: along y each step "
            "multiplies the error by 1 − 4η, which is −1.2 at η = 0.55. A decaying schedule "
            "lets the run start at such an η₀ all the same: once η_t is below 0.5 the y error "
            "shrinks again, and as long as the η_t still add up to enough (here at least 25) "
            "the slow x direction gets there too. Step, exponential and polynomial decay all "
            "do it, and so does a linear warm-up followed by decay. Warm-up alone does not: a "
            "quadratic's curvature never changes, so when η is back at 0.55 the growth "
            "resumes, only later. Warm-up earns its keep in networks, whose curvature changes "
            "during training; a fixed quadratic cannot show that."),
        "watch": (
            "SGD at η₀ = 0.55 with exponential decay from (−5, −1): the first swings across y "
            "get wider, then the shrinking lr calms them and the point walks in along x. The "
            "inside panel shows the step size falling below 0.5 at step 6. Set the schedule "
            "to constant in the sidebar: the point is off the map within 20 steps."),
        "measured": (
            "η₀ = {lr0:g} against 2/L = 2/{l_max:g} = {edge:g}. Constant lr: stopped after "
            "{constant_made} steps with f − f* = {constant_gap:.3g}. After {steps} steps "
            "(tolerance {tol:g}), f − f* is {step_gap:.1e} with step decay, "
            "{exponential_gap:.1e} with exponential decay, {polynomial_gap:.1e} with "
            "polynomial decay and {warmup_decay_gap:.1e} with {warmup} warm-up steps before "
            "it. Warm-up alone: below the tolerance at step {warmup_only_hit}, yet stopped "
            "after {warmup_only_made} steps with f − f* = {warmup_only_gap:.3g}."),
    },
    "critical_points": {
        "title": "Minimum, saddle or maximum: the signs of the Hessian's eigenvalues",
        "text": (
            "At a critical point p the gradient is zero, so nearby f(p + d) ≈ f(p) + ½ dᵀHd "
            "and the Hessian alone gives the shape. Along an eigenvector with λ > 0 the "
            "function curves up, along one with λ < 0 it curves down. Both eigenvalues "
            "positive: a minimum; both negative: a maximum; one of each: a saddle, the bottom "
            "of a valley one way and the top of a ridge the other; a zero eigenvalue leaves "
            "the second-order test undecided. Himmelblau's function has all three kinds: four "
            "minima, four saddles between them and one maximum near (−0.27, −0.92). GD stays "
            "at a saddle only if it runs exactly along the curve that flows into it: along "
            "the λ < 0 direction the offset is multiplied by 1 − ηλ > 1 every step, so even a "
            "tiny one grows, slowly at first because the gradient is so small."),
        "watch": (
            "Click anywhere on the map, or type a point, to read the Hessian there: its two "
            "eigen-directions, blue where f curves up and red where it curves down. Try the "
            "stars (minima), the crosses (saddles) and the hump near (−0.27, −0.92). In the "
            "scene below, GD from (0.048, −3.75) slides down to the saddle near "
            "(−0.13, −1.95), slows down there, then turns off to the bottom-left minimum."),
        "measured": (
            "Newton's method on ∇f = 0 from a grid of starts finds {found} critical points on "
            "the map (|∇f| ≤ {grad_max:.1e}); their Hessians read {minima} minima "
            "({listed_minima} of the {listed} listed minima among them), {saddles} saddles "
            "and {maxima} maximum. The maximum ({maximum_x:.4f}, {maximum_y:.4f}) has λ = "
            "{maximum_l1:.1f} and {maximum_l2:.1f}; the saddle ({saddle_x:.3f}, "
            "{saddle_y:.3f}) has λ = {saddle_l1:.1f} and {saddle_l2:.1f}. GD (η = {lr:g}) "
            "comes within {gd_d:.2f} of that saddle at step {gd_at}, spends {gd_near} steps "
            "within {near:g} of it and ends in the minimum ({end_x:.2f}, {end_y:.2f})."),
    },
    "convexity": {
        "title": "Convex or not: one minimum for every start, or one per basin",
        "text": (
            "A smooth function is convex exactly when its Hessian is positive semi-definite "
            "everywhere: nowhere does it curve down in any direction. Then every critical "
            "point is a global minimum. The valley's Hessian is diag(0.2, 4) at every point, "
            "so GD with η < 2/L reaches its one minimum from any start. Himmelblau's Hessian "
            "has a negative eigenvalue on a large part of the map (shaded): ridges and a hump "
            "split it into four basins, and the basin GD starts in decides which minimum it "
            "ends in. Convexity is about the whole region: around a minimum with a positive "
            "definite Hessian every smooth function is convex, and it can still be far from "
            "convex as a whole."),
        "watch": (
            "The two maps below shade where the Hessian has a negative eigenvalue. In the "
            "animation GD starts at (0, 0), beside Himmelblau's hump, and rolls into the "
            "minimum at (3, 2); the valley has no shade at all, and GD with the same η creeps "
            "along its floor towards the centre."),
        "measured": (
            "Himmelblau: the Hessian is positive semi-definite on {p1_share:.0%} of the map; "
            "GD (η = {lr:g}, {steps} steps) from {starts} starts on a grid: {p1_reached} end "
            "within {p1_radius:.2f} of a minimum, in {p1_minima} different minima. Valley: "
            "positive semi-definite on {p2_share:.0%}; {p2_reached} of the {starts} runs end "
            "within {p2_radius:.2f} of a minimum, {p2_minima} minimum in all."),
    },
    "momentum_valley": {
        "title": "Momentum on the valley: less zig-zag, sooner at the bottom",
        "text": (
            "On 0.1x² + 2y² plain GD must keep η below 2/4 = 0.5 because of the steep y "
            "direction. Close to that limit every step throws y to the other wall (the factor "
            "1 − 4η is near −1), while along x the error shrinks only by 1 − 0.2η per step. "
            "Momentum moves by ηv, where the velocity v is a sum of past gradients weighted "
            "1, μ, μ², … (up to the factor 1/(1 − μ), an average of the gradients that "
            "forgets old ones geometrically). Across the valley the gradients alternate in "
            "sign and largely cancel in that sum; along the floor they agree and pile up, so "
            "there the step tends to η/(1 − μ). With η = 0.15 and μ = 0.7 that is 0.5 along "
            "x, with far less swinging across."),
        "watch": (
            "Both leave (−5, −2). SGD's path bounces from wall to wall across the narrow y "
            "direction while it inches along x; Momentum swings across only a few times, then "
            "runs along the floor and reaches the centre first. The inside panel shows "
            "Momentum's velocity: its y part dies out, its x part builds up."),
        "measured": (
            "f − f* ≤ {tol:g}: SGD (η = {sgd_lr:g}) after {sgd_steps} steps, Momentum (η = "
            "{mom_lr:g}, μ = {mu:g}, so η/(1 − μ) = {mom_long:.2g} on a steady slope) after "
            "{mom_steps}. In the first {window} steps y changed sign {sgd_flips} times for "
            "SGD and {mom_flips} times for Momentum; over the whole run SGD travelled "
            "{sgd_dy:.1f} in y, Momentum {mom_dy:.1f} (the start is {y0:g} from the floor)."),
    },
    "nag_vs_momentum": {
        "title": "Nesterov's look-ahead brakes before the far wall",
        "text": (
            "With μ = 0.9 the heavy ball keeps 90 % of its velocity from one step to the "
            "next, so when it reaches the bottom of the valley it is still fast and runs up "
            "the opposite side before the gradient can turn it round. NAG, in the look-ahead "
            "form this run uses, v ← μv + η∇f(θ − μv), first goes to the point θ − μv where "
            "the velocity is about to carry it and reads the gradient there. Beyond the "
            "bottom that point is already uphill, so the correction arrives one step early "
            "and brakes the swing. The gain is largest across the steep y direction, where a "
            "single step covers much of the slope; along the gentle x direction it is "
            "smaller."),
        "watch": (
            "The same η and μ for both, from (−5, −2). In the first steps Momentum shoots "
            "across the valley almost as high on the far side as it started, while NAG's "
            "swing is small; later, along x, Momentum also runs farther past the centre "
            "before it comes back. The arrow at NAG's head points to its look-ahead point, "
            "where it takes its next gradient."),
        "measured": (
            "With η = {lr:g} and μ = {mu:g}, {plain} goes past the floor by {plain_oy:.2f} in "
            "y (it started {y0:g} away) and past the centre by {plain_ox:.2f} in x; {ahead} "
            "by {ahead_oy:.2f} in y and {ahead_ox:.2f} in x. f − f* ≤ {tol:g}: {plain} after "
            "{plain_steps} steps, {ahead} after {ahead_steps}."),
    },
    "momentum_carries": {
        "title": "Momentum carries the ball over the hump",
        "text": (
            "The double well (x² − 1)² + 0.3x + y² has a shallow minimum on the right (near x "
            "≈ 0.96, f ≈ 0.29), a deeper one on the left (near x ≈ −1.04, f ≈ −0.31) and a "
            "low ridge near x = 0 between them. A GD step is η times the gradient where the "
            "point is now: once it has rolled into its starting well every gradient points to "
            "that well's bottom, and it stays there. Momentum's velocity still holds the "
            "speed gathered on the steep starting wall; with μ = 0.9 only a tenth of it is "
            "lost per step, enough to climb the ridge and drop into the other well. Nothing "
            "makes that well the better one in general: the same inertia can just as well "
            "carry a run out of a good minimum."),
        "watch": (
            "Both start high on the right-hand wall at (1.6, 1). GD slides into the right "
            "well and stops at its bottom; Momentum races through that bottom, over the ridge "
            "and settles in the left well, which is deeper. The inside panel shows its "
            "velocity at its largest while it crosses."),
        "measured": (
            "From the start's own well (f = {home_f:.3f} at its bottom), GD (η = {lr:g}) ends "
            "at the minimum near x = {sgd_x:.2f} (f = {sgd_f:.3f}, {sgd_d:.0e} away) and "
            "Momentum (η = {lr:g}, μ = {mu:g}) at the one near x = {mom_x:.2f} (f = "
            "{mom_f:.3f}, {mom_d:.0e} away), after {steps} steps."),
    },
    "momentum_forms": {
        "title": "Three ways to write momentum, and what a schedule does to them",
        "text": (
            "The velocity can be written three ways. classic (torch): v ← μv + g, step ηv. "
            "ema: v ← μv + (1 − μ)g, step ηv; that is the classic sum times (1 − μ), so it "
            "gives the same path when its η is η/(1 − μ), ten times larger at μ = 0.9. "
            "lr_inside: v ← μv + ηg, step v; every gradient is multiplied by the η of its own "
            "step before it enters the sum. With a constant η it makes no difference whether "
            "η sits inside the sum or outside, and the three paths are one. Under a schedule "
            "it does: when η halves, classic and ema halve the whole step at once, old "
            "velocity included (so these two stay together), while lr_inside keeps the old "
            "gradients at the old η and coasts on."),
        "watch": (
            "One panel per form on the valley, with η halved every 20 steps. At each halving "
            "classic and ema slow down together and keep exactly the same path; lr_inside "
            "carries on with the velocity it built at the larger η and ends closer to the "
            "centre."),
        "measured": (
            "μ = {mu:g}: classic at η = {classic_lr:g}, ema at η = {ema_lr:g} (η/(1 − μ) = "
            "{rescaled:.3g}), lr_inside at η = {inside_lr:g}. At a constant lr the paths are "
            "at most {const_ema:.1e} (classic–ema) and {const_inside:.1e} (classic–lr_inside) "
            "apart. With η multiplied by {gamma:g} every {every} steps, classic and ema still "
            "differ by at most {sched_ema:.1e}, while lr_inside is up to {sched_inside:.2f} "
            "away from them within {steps} steps (the start is {scale:.2f} from the minimum)."),
    },
    "asgd_average": {
        "title": "Averaged SGD: the mean of a noisy path sits still",
        "text": (
            "ASGD runs plain SGD and, from step t₀ on, also keeps an average θ̄ of its "
            "iterates; the point on the map is θ̄. With mini-batches and a constant η the SGD "
            "iterate never settles: it keeps bouncing around the minimum in a cloud whose "
            "size grows with η and with the noise of the batches. Successive iterates err in "
            "different directions, so averaging them cancels much of the scatter and keeps "
            "the cloud's centre, which lies near the minimum. Here the average is an "
            "exponential one with α = 0.99, over roughly the last 1/(1 − α) = 100 iterates; α "
            "= 0 would give the plain mean of all iterates since t₀."),
        "watch": (
            "The noisy bowl with mini-batches of 2, SGD and ASGD at the same η. SGD's point "
            "keeps jumping about near the bottom; ASGD's point, the average, glides in and "
            "then sits almost still next to the minimum. ASGD's own SGD iterate is the SGD "
            "lane itself: same η, same batches."),
        "measured": (
            "Over the last {tail} steps (mini-batches of {batch} of {n} samples, η = {lr:g}, "
            "α = {alpha:g}, t₀ = {t0}) the SGD iterate is on average {raw_d:.3f} from the "
            "minimum (the SGD lane: {sgd_d:.3f}; the two paths differ by at most "
            "{raw_vs_sgd:.1e}), ASGD's average only {avg_d:.3f}."),
    },
    "rprop_scale_free": {
        "title": "Rprop never looks at the size of the gradient",
        "text": (
            "Rprop keeps one step size Δ per coordinate and moves by Δ·sign(g). Δ grows by η⁺ "
            "while g keeps its sign and shrinks by η⁻ when the sign flips, so the magnitude "
            "of g enters nowhere. On 100·f every gradient is 100 times larger with the same "
            "sign, and the path is the same to the last bit. SGD steps by η·g: an η that "
            "suits f is 100 times too long on 100·f. The run uses torch's Rprop: after a sign "
            "flip that coordinate skips one move; the previous move is not undone."),
        "watch": (
            "Rprop and SGD on the valley; the inside panel shows Rprop's two step sizes. Set "
            "the surface's scale to 100 in the sidebar: Rprop's path does not move by a "
            "pixel, SGD is thrown off the map at its first step."),
        "measured": (
            "On f and on {factor:.0f}·f, {sign}'s two paths differ by at most {sign_gap:.1e} "
            "over {sign_common} steps (ratio of the first steps' lengths {sign_ratio:.3g}); "
            "{plain}'s first step is {plain_ratio:.3g}× longer on {factor:.0f}·f and its two "
            "paths are {plain_gap:.3g} apart within {plain_common} step(s)."),
    },
    "rprop_minibatch": {
        "title": "Rprop and mini-batches: random signs freeze it",
        "text": (
            "Rprop reads a sign flip of g as a step over the minimum and halves that "
            "coordinate's step size (η⁻ = 0.5). With mini-batches the sign of a small "
            "gradient changes at random from batch to batch, and everywhere the true gradient "
            "is smaller than the sampling noise the step sizes are halved again and again, "
            "down to step_min: Rprop stops wherever it happens to be. SGD's steps are noisy "
            "as well but proportional to the gradient, so its cloud of points stays centred "
            "on the minimum. With the full batch every flip is a real overshoot and Rprop "
            "homes in."),
        "watch": (
            "The noisy bowl with mini-batches of 2: Rprop's path stops dead short of the "
            "minimum (the inside panel shows its step sizes collapsing), while SGD keeps "
            "jittering around the minimum. Set the mini-batch size to 0 (the full batch) in "
            "the sidebar and Rprop goes all the way."),
        "measured": (
            "With mini-batches of {batch} (of {n} samples) Rprop stops {mini_d:.3f} from the "
            "minimum: its last {tail} points spread only {mini_spread:.1e} and its larger "
            "step size is down to {mini_step:.1e} (step_min = {step_min:g}). With the full "
            "batch it ends {full_d:.1e} away. The mean of SGD's last {tail} points lies "
            "{sgd_centre_d:.3f} from the minimum."),
    },
    "adagrad_stalls": {
        "title": "AdaGrad's step size can only go down",
        "text": (
            "AdaGrad divides η by √G + ε, where G adds up every squared gradient so far (ε "
            "outside the root, as in torch). Each step adds g² ≥ 0 to G, so the effective "
            "step size η/(√G + ε) can never rise: the steep start fills G, and later, on "
            "gentle ground, the steps stay short. RMSProp keeps a moving average of g² "
            "instead (α = 0.99): old squares fade within about 1/(1−α) = 100 steps and the "
            "step size grows back as the gradients get smaller."),
        "watch": (
            "AdaGrad and RMSProp leave (−5, −2) with the same η. The inside panel (AdaGrad) "
            "shows its effective step sizes only falling; AdaGrad is left crawling along the "
            "valley's flat x direction while RMSProp reaches the centre."),
        "measured": (
            "AdaGrad's effective step size in x fell from {ada_eff_first:.3g} to "
            "{ada_eff_last:.3g} and rose at {rises} of the {steps} steps (x or y); AdaGrad "
            "ends {ada_d:.2f} from the minimum (start {start_d:.2f}). RMSProp reaches f − f* "
            "< {tol:g} in {rms_steps} steps and ends {rms_d:.1e} away, its effective step "
            "size in x having risen to {rms_eff_last:.3g}."),
    },
    "adagrad_sparse": {
        "title": "AdaGrad gives a rare feature the longer step",
        "text": (
            "Every sample of this least-squares problem has the dense feature a (the "
            "coefficient of x); only 5 % have the rare feature b (the coefficient of y), and "
            "a mini-batch without one of them has a gradient of exactly zero in y. AdaGrad's "
            "sum of squares G therefore grows at every step in x but only now and then in y, "
            "and its effective step η/(√G + ε) stays several times longer along the rare "
            "coordinate (as in torch: ε outside the root, G starting from 0). SGD has one η "
            "for both, and the curvature along the rare direction is only about the rare "
            "share times the dense one: with an η that settles x in a few dozen steps, the "
            "error in y shrinks by only about 1 − ηλ_min per step. A larger η lengthens x's "
            "steps too and is capped by the steep direction (below 2/λ_max); dividing per "
            "coordinate is what sparse data such as words or clicks calls for."),
        "watch": (
            "From (−2, −2) both runs reach x ≈ 1.5 early. SGD then creeps up along y and is "
            "still far below the minimum at the end, while AdaGrad climbs to it within about "
            "a hundred steps. In the inside panel (AdaGrad) the y step size only drops at the "
            "batches that hold a rare sample and stays about five times above the x one."),
        "measured": (
            "{hits} of the {steps} mini-batches of {batch} (from {n} samples, a share "
            "{share:g} of them with the rare feature) gave a non-zero gradient in y. "
            "AdaGrad's G ended at {g_x:.3g} in x and {g_y:.3g} in y, so with η = {ada_lr:g} "
            "its effective step size ended at {eff_y:.3g} in y and {eff_x:.3g} in x: "
            "{ratio:.1f} times longer along the rare coordinate. After {steps} steps AdaGrad "
            "is {ada_dy:.3f} from the minimum along y and SGD (η = {sgd_lr:g}) {sgd_dy:.2f} "
            "(the start was {start_dy:.2f} away); along x they are {ada_dx:.3f} and "
            "{sgd_dx:.3f}. The Hessian's eigenvalues are {lam_min:.3f} and {lam_max:.2f}, so "
            "SGD's time constant along the flat one, 1/(ηλ_min), is about {tau:.0f} steps."),
    },
    "rmsprop_canyon": {
        "title": "RMSProp evens out the canyon's two scales",
        "text": (
            "On the valley 0.1x² + 2y² one learning rate has to serve curvatures 0.2 and 4. "
            "For SGD the steep y caps η below 2/4 = 0.5, and then the error in x only shrinks "
            "by the factor 1 − 0.2η ≥ 0.9 per step. RMSProp divides each coordinate's "
            "gradient by the root of that coordinate's own running mean of g², so both take "
            "steps of about η whatever their curvature. torch's RMSProp has no bias "
            "correction: v₁ = (1−α)g₁², so its first step is η/√(1−α) = 10η in each "
            "coordinate."),
        "watch": (
            "From (−5, −2): SGD, at an η close to its best, bounces across the steep y "
            "direction and creeps along x; RMSProp lands almost on the valley floor with its "
            "first step and walks straight to the centre. The inside panel shows RMSProp's "
            "effective step size far larger in x than in y."),
        "measured": (
            "f − f* < {tol:g}: RMSProp (η = {rms_lr:g}) after {rms} steps, SGD (η = "
            "{sgd_lr:g}) after {sgd}; the best of {n_grid} SGD learning rates up to "
            "{lr_max:g} (η = {best_lr:.2g}) needs {best}."),
    },
    "rmsprop_noise": {
        "title": "RMSProp's weak spot: mini-batch noise",
        "text": (
            "Close to the minimum the full gradient is nearly zero and a mini-batch gradient "
            "is mostly sampling noise. RMSProp divides that noise by its own running RMS, so "
            "every step keeps a length of about η in a random direction: the steps do not "
            "shrink as the run arrives. Adam divides in the same way but first averages the "
            "gradients over about 1/(1−β₁) = 10 steps, and much of the noise cancels in that "
            "average. Adam's β₂ is set to 0.99, RMSProp's α, so the two differ only in that "
            "first moment (and Adam's bias correction)."),
        "watch": (
            "The noisy bowl with mini-batches of 20, both from (−2, 2.5) with the same η. "
            "Look at the bottom: RMSProp keeps rattling in a wide cloud, Adam stays in a "
            "tighter one. The inside panel shows RMSProp's second moment settling at the "
            "noise level instead of falling to zero."),
        "measured": (
            "Over the last {tail} steps (mini-batches of {batch} out of {n} samples, η = "
            "{lr:g}), RMSProp's points spread {rms_spread:.3g} around their mean and Adam's "
            "{adam_spread:.3g}, {ratio:.2f} times less (β₁ = {beta1:g}, β₂ = {beta2:g}). Mean "
            "distance to the minimum: RMSProp {rms_d:.3g}, Adam {adam_d:.3g}."),
    },
    "adadelta_units": {
        "title": "AdaDelta: no learning rate, and a slow start",
        "text": (
            "AdaDelta's step is Δ_t = √(u_{t−1} + ε)/√(v_t + ε)·g_t, where v is a running "
            "mean of squared gradients (the denominator) and u a running mean of squared past "
            "steps Δ² (the numerator). g/√v has no units and √u has the units of θ, so the "
            "step needs no η (lr stays 1, torch's default) and 100·f gives practically the "
            "same path. The price is the start: u₀ = 0, so the first step is √(ε/(1−ρ)) per "
            "coordinate (about 0.003 for torch's ε = 1e-6, ρ = 0.9) whatever the gradient, "
            "and u can only grow from these small steps."),
        "watch": (
            "Himmelblau from (0, 0): AdaDelta sets off with tiny steps and speeds up as its "
            "average of past steps fills; the inside panel shows its effective step size √(u "
            "+ ε)/√(v + ε) climbing. Set the scale to 100 in the sidebar: the path stays put."),
        "measured": (
            "First step: {first_x:.3g} in x, {first_y:.3g} in y; √(ε/(1−ρ)) = {predicted:.3g} "
            "(ε = {eps:g}, ρ = {rho:g}, lr = {lr:g}). The largest step before it first comes "
            "within {near_d:g} of a minimum (step {near}) is {top_len:.3g}, at step "
            "{top_step}: {ramp:.1f} times the first ({first_len:.3g}). On {factor:.0f}·f the "
            "path differs by at most {scale_gap:.1e}."),
    },
    "beale_race": {
        "title": "The race on Beale: who overshoots the minimum",
        "text": (
            "At (0.7, 1.4) Beale's gradient is about (20, 46). Momentum and NAG add it into "
            "their velocity, run down into the curved valley, along it and past the minimum "
            "at (3, 0.5), and have to climb back. NAG (the look-ahead form v = μv + η∇f(θ − "
            "μv)) evaluates the gradient where the velocity is taking it, feels the far wall "
            "earlier and brakes sooner. AdaGrad, RMSProp and Adam divide each coordinate by "
            "its own gradient scale, so their steps stay about η long however steep the "
            "slope: they slide into the valley and follow it without running past the end."),
        "watch": (
            "Watch the valley's far end near (3, 0.5): Momentum swings far past it and comes "
            "back slowly, NAG overshoots less and turns back quickly; AdaGrad, RMSProp and "
            "Adam arrive along the valley floor and stop."),
        "measured": (
            "After first coming within {near:g} of the minimum, Momentum goes back out to "
            "{momentum_out:.2f} and NAG to {nag_out:.2f}, while AdaGrad, RMSProp and Adam "
            "stay within {adaptive_out:.3f}. f − f* < {tol:g}: NAG at step {nag_steps}, "
            "Momentum at step {momentum_steps} (AdaGrad {adagrad_steps}, RMSProp "
            "{rmsprop_steps}, Adam {adam_steps})."),
    },
    "saddle_escape": {
        "title": "Leaving a saddle: normalised steps do not wait",
        "text": (
            "On f = x² − y² the way down is along y, where the gradient −2y is tiny near the "
            "ridge y = 0. SGD multiplies y by 1 + 2η per step, so it needs about "
            "ln(1/|y₀|)/(2η) steps to get away; Momentum and NAG speed up the same "
            "exponential growth but still first roll into the saddle point and wait there. "
            "AdaGrad, RMSProp and Adam divide g_y by its own size, so their y steps are at "
            "least about η long however small y is: they turn downhill at once, long before "
            "the centre, and how close to the ridge they start hardly matters."),
        "watch": (
            "The start (−1.5, 0.001) lies just off the ridge. SGD, Momentum and NAG run along "
            "x into the centre and sit there before falling away along y; AdaGrad, RMSProp "
            "and Adam bend downhill early, far from the centre."),
        "measured": (
            "Steps until |y| > {exit:g}: AdaGrad {adagrad}, RMSProp {rmsprop}, Adam {adam}, "
            "none closer than {adaptive_closest:.2f} to the saddle point; Momentum {momentum} "
            "and NAG {nag}, after passing within {momentum_closest:.3f} and {nag_closest:.3f} "
            "of it; SGD is at |y| = {sgd_y:.3f} after {steps} steps. Starting {closer:.0f} "
            "times closer to the ridge delays Momentum by {momentum_delay} steps and the "
            "adaptive ones by at most {adaptive_delay}."),
    },
    "plateau": {
        "title": "Crossing a plateau: size of the gradient or its direction",
        "text": (
            "Far from the well of f = 1 − exp(−r²/2w²) the slope is about 1e-4, so GD's step "
            "η·g is about 1e-6: it practically stands still. RMSProp and Adam divide g by its "
            "own RMS and cross the flat part at about η per step (torch's RMSProp, without "
            "bias correction, even faster at first). AdaGrad divides by the root of the sum "
            "of all squared gradients; on flat ground with a steady g that sum grows like "
            "t·g², so its step falls like η/√t. AdaGrad never forgets a step, while RMSProp's "
            "average looks back only about 1/(1−α) = 100 steps."),
        "watch": (
            "From (3.5, 3): SGD's dot never moves, RMSProp and Adam glide into the well, "
            "AdaGrad keeps slowing down on the way; the inside panel shows its effective step "
            "size falling all the time."),
        "measured": (
            "In {steps} steps SGD moved {sgd_moved:.1e}; RMSProp is inside the well (r < w = "
            "{w:g}) at step {rmsprop_in}, Adam at step {adam_in}. AdaGrad's step at step {at} "
            "is {ada_shrink:.2f} times its first (1/√{at} = {sqrt_law:.2f}) and it ends "
            "{ada_r:.2f} from the centre."),
    },
    "rotated_valley": {
        "title": "Per-coordinate scaling needs the valley on the axes",
        "text": (
            "Adam, RMSProp and AdaGrad rescale every coordinate on its own: a diagonal "
            "preconditioner. When the valley's axes are x and y that is just the right "
            "correction; turned by 45°, each coordinate mixes the steep and the gentle "
            "direction, both get about the same scale and the correction is gone. Momentum is "
            "blind to the axes: from the same place relative to the valley it needs the same "
            "number of steps at every angle. The measure turns the start together with the "
            "valley (κ = 20)."),
        "watch": (
            "At 45°: Adam's first steps can only point along a diagonal, here straight across "
            "the valley, and it curves back slowly; Momentum crosses once and slides down the "
            "middle. Set the angle to 0 in the sidebar and Adam wins."),
        "measured": (
            "Steps to f − f* < {tol:g}, Momentum/Adam: 0°: {momentum_0}/{adam_0} = "
            "{ratio_0:.2f}; 15°: {momentum_15}/{adam_15} = {ratio_15:.2f}; 30°: "
            "{momentum_30}/{adam_30} = {ratio_30:.2f}; 45°: {momentum_45}/{adam_45} = "
            "{ratio_45:.2f} (κ = {kappa:g}, the start turned with the valley)."),
    },
    "ema_toolbox": {
        "title": "The moving average inside Adam, and its slow start",
        "text": (
            "Adam's first moment is an exponentially decaying average (EMA), m_t = β₁m_{t−1} "
            "+ (1−β₁)g_t, started from m₀ = 0. Unrolled, it gives g_{t−k} the weight "
            "(1−β₁)β₁ᵏ; over the first t steps these weights add up to 1 − β₁ᵗ, not 1, so a "
            "steady gradient g yields m_t = (1 − β₁ᵗ)g. Dividing by 1 − β₁ᵗ gives back g from "
            "the first step on. The weights shrink by a factor e in about 1/(1−β₁) steps, the "
            "average's effective window: 10 steps at β₁ = 0.9, 1000 at 0.999."),
        "watch": (
            "The chart: move β and watch the raw average (lower curve) creep up towards the "
            "constant signal while the corrected one sits on it from step 1. On the map Adam "
            "hardly moves (lr 1e-4), so its gradient stays constant; the inside panel shows "
            "its velocity m rising like 1 − 0.9ᵗ."),
        "measured": (
            "At step {t}, Adam's raw first moment is {raw_ratio:.4f} × g (1 − β₁ᵗ = "
            "{deficit:.4f}); divided by 1 − β₁ᵗ it is {corrected_ratio:.4f} × g (g itself "
            "changed by {g_change:.1e} since step 1). Window 1/(1 − β₁) = {window:.0f} steps. "
            "The chart's EMA of the engine's gradients matches the engine's m at every step "
            "(largest relative difference {series_error:.1g})."),
    },
    "adam_both": {
        "title": "Adam = RMSProp's scaling + momentum's smoothing",
        "text": (
            "Adam keeps two averages. Dividing by √v̂, the RMSProp part, makes each "
            "coordinate's step about η whatever the size of its gradient, so the valley's "
            "gentle x direction is not starved as it is under momentum, whose step is η·m. "
            "Averaging the gradients in m, the momentum part, cancels much of the mini-batch "
            "noise before it moves the point; RMSProp steps on every raw g/√v and cannot. "
            "Momentum here is the EMA form v = μv + (1−μ)g, so all three take steps on the "
            "same scale."),
        "watch": (
            "On the noisy bowl (mini-batches of 10) look at the end of each path: RMSProp "
            "keeps rattling around the bottom, Adam and Momentum sit in a tight knot. The "
            "valley half is measured with the same settings; switch the surface to the valley "
            "to watch Momentum crawl along x."),
        "measured": (
            "Noisy bowl, mini-batch {batch}: spread of the last 200 points — RMSProp "
            "{rmsprop_spread:.3f}, Adam {adam_spread:.3f}, Momentum {momentum_spread:.3f}. "
            "Valley, lr {lr:g}: f − f* < {tol:g} after Adam {adam_steps}, RMSProp "
            "{rmsprop_steps}, Momentum {momentum_steps} steps."),
    },
    "adam_bias_correction": {
        "title": "Bias correction: without it Adam's first steps are too big",
        "text": (
            "m and v both start at 0, so early on m_t ≈ (1 − β₁ᵗ)ḡ and v_t ≈ (1 − β₂ᵗ)ḡ². m "
            "alone is too small, but the step divides it by √v, which is shrunk far more "
            "because β₂ is closer to 1: uncorrected, the step is inflated by (1 − β₁ᵗ)/√(1 − "
            "β₂ᵗ), 0.1/√0.001 ≈ 3.16 at t = 1 and over 6 around t = 10, fading only over "
            "thousands of steps. Dividing m by 1 − β₁ᵗ and v by 1 − β₂ᵗ makes the first step "
            "exactly η. Only with β₂ = β₁ would uncorrected steps start small. torch.optim "
            "always corrects; the switch is this app's."),
        "watch": (
            "Two Adam panels on the valley, lr 0.1: with the correction the first steps are "
            "0.1 long in each coordinate and the path runs straight down; without it the "
            "first step is already three times as long, and within ten steps the point has "
            "shot across the valley floor."),
        "measured": (
            "First step along x, in units of η: corrected {first_1:.4f}, uncorrected "
            "{first_2:.4f} (the formula η(1−β₁)|g|/(√(1−β₂)|g| + ε) gives {predicted:.4f}). "
            "Largest of the first 30 steps: corrected {largest_1:.3f} η, uncorrected "
            "{largest_2:.2f} η, at step {largest_at_2}."),
    },
    "betas_memory": {
        "title": "β₁ remembers about 10 steps, β₂ about 1000",
        "text": (
            "Each β sets how far back its average looks: the newest gradient gets the weight "
            "1 − β, so the memory spans about 1/(1 − β) steps. The first moment has to follow "
            "the direction as it turns, hence a short memory, β₁ = 0.9 (10 steps), which "
            "still averages away most of the mini-batch noise; at β₁ = 0.5 (2 steps) much "
            "more of it passes. The second moment sets every step's size and should be "
            "steady: at β₂ = 0.999 (1000 steps) v̂ moves by a fraction of a percent per step, "
            "at β₂ = 0.9 by far more, and the step size jitters with it."),
        "watch": (
            "Four Adam panels on the noisy bowl: the defaults, a short β₁, a short β₂, both "
            "short. The shorter either memory, the wider the cloud of points at the bottom."),
        "measured": (
            "β₁ = {b1_1:g} (window {w1_1:.0f}): m lets {m_1:.0%} of the gradient noise "
            "through; β₁ = {b1_2:g} (window {w1_2:.0f}): {m_2:.0%}. β₂ = {b2_1:g} (window "
            "{w2_1:.0f}): v̂ changes by {v_1:.2%} per step; β₂ = {b2_3:g} (window "
            "{w2_3:.0f}): by {v_3:.1%}. Spread at the bottom, panels 1–4: {s_1:.3f}, "
            "{s_2:.3f}, {s_3:.3f}, {s_4:.3f}."),
    },
    "eps_underflow": {
        "title": "ε in float16: once g² underflows, ε's place sets the step",
        "text": (
            "float16's smallest normal number is about 6.1·10⁻⁵, and below it precision runs "
            "out fast (under 6·10⁻⁸ nothing is left at all). Treat everything under the "
            "smallest normal as 0, and a gradient of 0.004 survives while its square, "
            "1.6·10⁻⁵, does not. This app only simulates that: the engine still computes in "
            "float64 and sets every g² below the sidebar's underflow threshold to 0 before it "
            "enters the accumulator. AdaGrad's sum G then stays 0, and ε is all that is left "
            "of the denominator. With ε outside the root, as torch.optim writes it (η/(√G + "
            "ε), the default here), the step is η·g/ε; with ε inside, as the course notes "
            "write it (η/√(G + ε)), it is η·g/√ε, 1/√ε = 10,000 times smaller at ε = 10⁻⁸, "
            "yet still far longer than the step of about η that full precision takes. A "
            "larger ε caps the flushed step at η·g/ε, a few η at ε = 10⁻³: the reason to set "
            "ε larger when training in float16."),
        "watch": (
            "Three AdaGrad panels on the valley, starting right beside the minimum, underflow "
            "at 6.1·10⁻⁵: with ε = 10⁻⁸ outside the root the first step throws the point off "
            "the map (✖, escaped at step 1); with ε inside it jumps about 2 in each "
            "coordinate, towards the lower left, and crawls back; with ε = 10⁻³ it hops 0.2 "
            "and settles at the minimum. Set the underflow to 0 in the sidebar and all three "
            "take the ordinary first step of about η."),
        "measured": (
            "Underflow {u:.2g}; at the start g² = {g2:.1e}, below it. First step in units of "
            "η — ε = {eps:g} outside the root: {first_1:.3g}; inside: {first_2:.3g}; ratio "
            "{ratio:.0f} (1/√ε = {predicted:.0f}); ε = {large_eps:g} outside: {first_3:.3g}. "
            "Without underflow the same three: {plain_1:.3f}, {plain_2:.3f}, {plain_3:.3f} "
            "(ratio {plain_ratio:.4f})."),
    },
    "amsgrad_max": {
        "title": "AMSGrad: a step size that cannot grow back",
        "text": (
            "Near the minimum the gradients shrink, Adam's v forgets the large ones (β₂ = 0.9 "
            "here, a 10-step memory) and its step size η/(√v̂ + ε) grows until the steps are "
            "too long for the curvature: Adam stalls, rattling across the valley floor. "
            "AMSGrad divides by the largest v seen so far, so its step size cannot grow, and "
            "it keeps converging. As in torch.optim, the maximum is taken of the raw v, still "
            "divided by 1 − β₂ᵗ, so in the first steps AMSGrad's step size rises a little "
            "with that correction; after it has faded, it is flat."),
        "watch": (
            "The inside panel (Adam): its effective step size climbs by orders of magnitude "
            "while the point jitters near (0, 0); switch the panel to AMSGrad and the curve "
            "goes flat. The two loss curves part after about 150 steps."),
        "measured": (
            "Effective step size along x — Adam: {adam_first:.3g} at step 1, {adam_at_t0:.3g} "
            "at step {adam_t0}, {adam_last:.3g} at step {steps} (up to ×{adam_rise:.0f} after "
            "step {adam_t0}); AMSGrad: {amsgrad_first:.3g}, {amsgrad_at_t0:.4g}, "
            "{amsgrad_last:.4g} (at most ×{amsgrad_rise:.4f}). Final f − f*: Adam "
            "{adam_gap:.1e}, AMSGrad {amsgrad_gap:.1e}."),
    },
    "radam_warmup": {
        "title": "RAdam's built-in warm-up",
        "text": (
            "In the first steps v̂ rests on a handful of squared gradients and is very "
            "uncertain, yet Adam already takes full steps η·m̂/√v̂. RAdam rates v̂ by ρ_t = "
            "ρ∞ − 2tβ₂ᵗ/(1 − β₂ᵗ), about t at first. While ρ_t ≤ 5 (torch's threshold, used "
            "here; the paper uses 4) it steps with momentum alone, η·m̂; afterwards it scales "
            "Adam's step by r_t, which starts near 0.03 and climbs towards 1 over thousands "
            "of steps. Those momentum-only steps are small only because this surface's "
            "gradients are (scale 0.01): they grow with |g|."),
        "watch": (
            "Adam (lr 0.5) leaps across the valley and overshoots its floor by far; RAdam "
            "creeps for its first steps, then speeds up smoothly. In the inside panel (RAdam) "
            "the effective step size reads the bare lr for 5 steps (the multiplier of m̂), "
            "then switches to the rectified η·r_t/√v̂ and grows from there."),
        "measured": (
            "Threshold {threshold:g}: by the formula ρ_t ≤ {threshold:g} for t ≤ {n_formula} "
            "(ρ = {rho_last:.3f} at t = {n_formula}, {rho_first:.3f} at t = "
            "{first_rectified}); the engine's effective step size is the bare lr for "
            "{n_engine} steps. r at the first rectified step: {r_first:.3f}. Mean step length "
            "over the first {k} steps: Adam {adam_first:.3f}, RAdam {radam_first:.3f}."),
    },
    "adamw_vs_l2": {
        "title": "Same λ, different resting points: Adam + L2 vs AdamW",
        "text": (
            "Adam + L2 adds λθ to the gradient and comes to rest where ∇f + λθ = 0, the "
            "minimum of f + λ‖θ‖²/2. Inside Adam that term is divided by √v̂ like the rest of "
            "the gradient, so a coordinate with large gradients is decayed less than AdamW "
            "decays it. AdamW shrinks θ by ηλθ beside the normalised step, which moves a "
            "coordinate by about η at most: it rests where m̂/(√v̂ + ε) = −λθ, so no "
            "coordinate stays beyond |θᵢ| = 1/λ however hard the loss pulls. β₂ = 0.9 so that "
            "both settle within the animation."),
        "watch": (
            "Two panels on Beale with λ = 1: Adam + L2 stops short of the minimum at (3, "
            "0.5), AdamW stops much further back, pinned on the line x = 1/λ = 1 although the "
            "loss still slopes towards the minimum."),
        "measured": (
            "Adam + L2 rests at ({adam_x:.3f}, {adam_y:.3f}), where |∇f + λθ| = "
            "{adam_residual:.1e}; AdamW at ({adamw_x:.3f}, {adamw_y:.3f}), where λ·max|θᵢ| = "
            "{adamw_box:.3f} while |∇f| is still {adamw_grad:.2f}. Distance between them: "
            "{distance:.3f}."),
    },
    "adamw_schedule": {
        "title": "AdamW's weight decay follows the lr schedule",
        "text": (
            "AdamW multiplies the weights by 1 − η_t λ at every step, with the scheduled η_t "
            "(torch.optim.AdamW uses the current lr the same way). On this flat stretch of "
            "the plateau the gradient is many orders of magnitude below ε, so Adam's own step "
            "is nil and the decay alone moves the point, straight towards the origin. When "
            "the step schedule cuts η by γ = 0.1 at step 101, the decay per step drops by the "
            "same factor: lowering the lr also weakens the regularisation."),
        "watch": (
            "The point slides along a straight line towards the well at the origin: quickly "
            "for 100 steps, then at a tenth of the pace (the dots of the path bunch up)."),
        "measured": (
            "Before the drop (lr {lr_before:g}) θ_x shrinks by a factor {before:.5f} per step "
            "(1 − ηλ = {expected_before:.5f}); after it (lr {lr_after:g}) by {after:.5f} "
            "({expected_after:.5f}). The decay per step fell ×{rate_ratio:.3f}, the lr "
            "×{lr_ratio:.3f}; the largest gradient on the way was {grad:.1e}."),
    },
    "nadam_lookahead": {
        "title": "Nadam: momentum that brakes a step earlier",
        "text": (
            "Adam's numerator m̂_t gives the fresh gradient the weight 1 − β₁ = 0.1. Nadam, "
            "in the course notes' form used here, applies the momentum once more before "
            "stepping, β₁m̂_t + (1 − β₁)g_t/(1 − β₁ᵗ): Nesterov's look-ahead, in which the "
            "fresh gradient weighs 1 − β₁² = 0.19. When the path overshoots Beale's curved "
            "valley and the gradient turns, Nadam reacts about twice as fast, climbs back "
            "less and arrives sooner. RMSProp with momentum (lr 0.03: its buffer multiplies "
            "the step by about 10) has no look-ahead and swings widest."),
        "watch": (
            "Follow the three paths on Beale from (1, 1.5) into the curved valley towards (3, "
            "0.5): RMSProp with momentum swings far past the valley floor, Adam overshoots a "
            "little, Nadam turns in tightest. The loss curves show the climbs."),
        "measured": (
            "Nadam ({variant} variant) climbs back up {nadam_climb:.2f} in loss in all and "
            "reaches f − f* < {tol:g} in {nadam_steps} steps; Adam climbs {adam_climb:.2f}, "
            "{adam_steps} steps; RMSProp with momentum {rmsprop_climb:.1f}, {rmsprop_steps} "
            "steps. First step: Nadam {nadam_first:.2f}, Adam {adam_first:.2f} (at t = 1 the "
            "notes' form steps 1 + β₁ times as far)."),
    },
    "newton_quadratic": {
        "title": "Newton solves a quadratic in one step",
        "text": (
            "Newton's method replaces f near θ by its second-order Taylor model and jumps to "
            "that model's stationary point: it solves H d = −g and moves to θ + d. When f is "
            "itself quadratic the model is exact, so a single step lands on the stationary "
            "point whatever the condition number; on the valley 0.1x² + 2y² the curvatures "
            "0.2 and 4 are simply divided out. Beale is not quadratic and the model only "
            "holds locally, but near the minimum (3, 0.5) each step roughly squares the "
            "error, so a handful of steps reach any tolerance. GD has one η for a surface "
            "whose curvature changes by orders of magnitude and needs hundreds of steps."),
        "watch": (
            "Beale from (2.5, 0.5): Newton reaches the minimum at (3, 0.5) in a few long, "
            "well-aimed steps, while GD creeps along the curved valley and is still short of "
            "it at the end. On the valley (choose it as the surface) Newton's first step "
            "lands on the centre."),
        "measured": (
            "On the valley, Newton's first step leaves {newton_quad:.1e} of the gap f − f* "
            "(GD's leaves {sgd_quad:.2f}). On Beale, Newton (η = {newton_lr:g}) reaches f − "
            "f* ≤ {tol:g} after {newton} steps; GD (η = {sgd_lr:g}) is still at f − f* = "
            "{sgd_gap:.1e} after all {steps}."),
    },
    "newton_saddle": {
        "title": "Newton is drawn to the saddle; damping and BFGS walk away",
        "text": (
            "On f = x² − y² the Hessian is diag(2, −2) everywhere and the only stationary "
            "point is the saddle at (0, 0). Newton solves H d = −g without asking whether H "
            "is positive definite, so from any start its first step lands exactly on (0, 0), "
            "where g = 0, and it stays: it has found a stationary point, not a minimum. "
            "Damping replaces H by H + λI; with λ = 4 that is diag(6, 2), positive definite, "
            "so the step points downhill: x shrinks by λ/(λ + 2) and y grows by λ/(λ − 2) = 2 "
            "per step, out along the direction of negative curvature. Small damping is no "
            "cure: for λ < 1 the y factor is below 1 in size and the run is still pulled in, "
            "and at λ = 2 the matrix is singular. BFGS keeps its inverse-Hessian estimate B "
            "positive definite (it skips the update unless yᵀs > 0), so −Bg always points "
            "downhill and the run slides off along y."),
        "watch": (
            "Three panels from (−1.5, 0.1). Newton jumps to the centre of the saddle with its "
            "first step and sits there for the rest of the run. Damped Newton (λ = 4) closes "
            "in on x = 0 while y doubles at every step and leaves the map along the y axis; "
            "BFGS's first step is a plain gradient step, after which it heads off along y as "
            "well."),
        "measured": (
            "Newton: {newton_d1:.1e} from the saddle after step 1, {newton_end:.1e} after "
            "{steps} steps. Damped Newton (λ = {lambda:g}): its first step multiplies y by "
            "{factor:.6g} (λ/(λ − 2) = {predicted:.6g}), it never comes closer than "
            "{damped_closest:.2f} to the saddle and passes |y| = {exit:g} at step "
            "{damped_exit}. BFGS: never closer than {bfgs_closest:.2f}, past |y| = {exit:g} "
            "at step {bfgs_exit}."),
    },
    "sgd_hovers": {
        "title": "Constant-lr SGD hovers; a decaying lr lets it settle",
        "text": (
            "A mini-batch gradient is the true gradient plus zero-mean sampling noise whose "
            "variance falls like 1/B. At the optimum the true gradient is zero but the noise "
            "is not: each step kicks the point by η times the noise while the curvature h "
            "only pulls it back by a factor (1 − ηh), and the two balance in a cloud whose "
            "size grows roughly like √η and never shrinks. With η_t = η₀/(1 + λ(t − 1)) the "
            "steps still add up to infinity, so SGD still arrives, but the kicks fade and the "
            "cloud contracts."),
        "watch": (
            "Watch SGD on the noisy bowl: once at the centre it keeps jittering in a cloud, "
            "its gradient arrow turning with every mini-batch. Set the schedule to polynomial "
            "decay (λ 0.02, α 1) and replay: the cloud closes in as the step size in the "
            "\"inside the optimizer\" panel falls."),
        "measured": (
            "Mini-batches of {batch}, lr {lr:g}: over the last 100 of {steps} steps the "
            "constant-lr path spreads {constant_end:.3f} around its mean (half-way: "
            "{constant_mid:.3f}); the same run with 1/t polynomial decay (lr down to "
            "{lr_end:.3g}) spreads {decayed_end:.3f}, {ratio:.1f}× less."),
    },
    "exp_vs_poly": {
        "title": "Exponentially decaying lr stops short; polynomial goes on",
        "text": (
            "Under exponential decay η_t = η₀e^{−λ(t−1)} the step sizes form a geometric "
            "series: however long the run, they sum to less than η₀/(1 − e^{−λ}) ≈ η₀/λ. "
            "Along the valley's gentle x direction (curvature 0.2) that budget can shrink the "
            "distance to the minimum only by about e^{−0.2η₀/λ}, and then the point freezes. "
            "The polynomial form η₀(1 + λ(t−1))^{−1/2} starts from the same η₀, but its sum "
            "grows like √t without bound, so the point walks on to the minimum."),
        "watch": (
            "Follow SGD along the valley floor: within about 100 steps the step size in the "
            "\"inside the optimizer\" panel collapses and the point freezes near x ≈ −1.4. "
            "Switch the schedule to polynomial decay (same λ, α 0.5) and it walks on to the "
            "centre."),
        "measured": (
            "Same η₀ = {lr0:g} and λ = {decay:g}: with exponential decay SGD stops at x = "
            "{exp_x:.2f}, {exp_gap:.3g} above f* (its lrs sum to {exp_budget:.2f}, the last "
            "one is {exp_lr_end:.1e}); with polynomial decay (α = ½) it reaches f − f* ≤ "
            "{tol:g} at step {poly_steps} (lrs sum {poly_budget:.1f}, still {poly_lr_end:.3f} "
            "at the end)."),
    },
    "big_lr_other_minimum": {
        "title": "Too large a learning rate can land in a worse minimum",
        "text": (
            "Along x, f = x·cos x has a row of minima of different sharpness, and GD can only "
            "come to rest in one whose curvature h satisfies ηh < 2. The minimum downhill "
            "from the start (x ≈ 3.43, h ≈ 3.85) tolerates steps up to η ≈ 0.52; at η = 0.9 "
            "the point overshoots it further and further, is thrown out, and settles in the "
            "flatter minimum at x ≈ −0.86 (h ≈ 2.08, edge ≈ 0.96), which is far higher in f. "
            "A large step does not seek deep minima, only flat ones."),
        "watch": (
            "Two SGD panels from the same start (2, 1): on the left (lr 0.1) the point slides "
            "into the minimum at x ≈ 3.4; on the right (lr 0.9) it bounces across that "
            "minimum for a few steps, then jumps over the ridge and settles at x ≈ −0.9."),
        "measured": (
            "lr {small_lr:g} ends in the start's own minimum at x = {small_x:.2f} (f = "
            "{small_f:.2f}; GD is stable there for lr < {small_edge:.2f}); lr {large_lr:g} "
            "ends at x = {large_x:.2f} (f = {large_f:.2f}; stable for lr < {large_edge:.2f})."),
    },
    "noise_helps": {
        "title": "Gradient noise can carry a run into the deeper well",
        "text": (
            "With tilt t = 0.8 the double well f = (x² − 1)² + tx + y² has a shallow minimum "
            "at x ≈ 0.88 and a deeper one at x ≈ −1.09, with a ridge at x ≈ 0.21 between "
            "them. Plain GD started on the right only goes downhill, so it stops in the "
            "shallow well. Adding N(0, σ²) to each gradient component gives every step a "
            "random kick of about ησ: leaving the shallow well means climbing 0.33, coming "
            "back from the deep one 1.9, so runs drift left and mostly stay."),
        "watch": (
            "Look at the faint paths of the 20 seeds: most cross the ridge near x ≈ 0.2 and "
            "end up jittering in the left, deeper well (the seed-0 path crosses after about "
            "160 steps). Set the noise to 0 and every run stops in the right well."),
        "measured": (
            "From the shallow well (f = {f_shallow:.2f}), with noise σ = {sigma:g}, {noisy} "
            "of {k} seeds end in the deep well (f = {f_deep:.2f}); without noise, {quiet} of "
            "{k}."),
    },
    "early_stopping": {
        "title": "Early stopping on a plateau: too little patience quits too soon",
        "text": (
            "Early stopping remembers the lowest loss seen so far and ends training once "
            "`patience` steps in a row have failed to beat it by more than min_delta; in "
            "practice the loss it watches is a validation loss, here it is f itself. The rule "
            "sees only the loss, not why it has stopped falling, so a plateau looks to it "
            "just like a minimum. Far from the well of f = 1 − e^{−r²/2} the slope is only "
            "about r·e^{−r²/2}, and plain GD lowers f by roughly η‖g‖² per step: far less "
            "than 0.001 in 20 steps, so the rule fires while SGD is still on the plain. Adam "
            "divides each gradient component by its own RMS and crosses the plain at about η "
            "per coordinate per step however gentle the slope, so when its rule fires it is "
            "already in the well, where stopping costs next to nothing. A larger patience (or "
            "a smaller min_delta) lets SGD off the plain, at the price of more steps spent "
            "after a run has really converged."),
        "watch": (
            "SGD (lr 1) creeps along for over a hundred steps, and its ■ appears at step 20, "
            "right beside the start; only around step 160 does it rush into the well, so in "
            "the Playground's leaderboard SGD's \"final − at stop\" is about −1: everything the "
            "run achieved came after the stop. Adam's ■ lies in the well. Set the patience to "
            "200 under \"Steps, noise, seed\" and SGD's ■ moves into the well too."),
        "measured": (
            "Patience {patience}, min Δ {delta:g}: SGD would stop at step {sgd_stop} with "
            "loss {sgd_at_stop:.3f}, but it leaves the plateau at step {sgd_leaves} and ends "
            "at {sgd_final:.2g}, so stopping would have lost {sgd_lost:.3f}; Adam would stop "
            "at step {adam_stop} with loss {adam_at_stop:.2g} (final {adam_final:.2g}), "
            "losing {adam_lost:.2g}."),
    },
}
