"""Draft texts (English) of the chapter "adaptive"; merged into ``text_en`` later."""

TEXTS = {
    "rprop_scale_free": {
        "title": "Rprop never looks at the size of the gradient",
        "text": "Rprop keeps one step size Δ per coordinate and moves by Δ·sign(g). Δ grows by η⁺ while g keeps "
                "its sign and shrinks by η⁻ when the sign flips, so the magnitude of g enters nowhere. On 100·f "
                "every gradient is 100 times larger with the same sign, and the path is the same to the last "
                "bit. SGD steps by η·g: an η that suits f is 100 times too long on 100·f. The run uses torch's "
                "Rprop: after a sign flip that coordinate skips one move; the previous move is not undone.",
        "watch": "Rprop and SGD on the valley; the inside panel shows Rprop's two step sizes. Set the surface's "
                 "scale to 100 in the sidebar: Rprop's path does not move by a pixel, SGD is thrown off the map at "
                 "its first step.",
        "measured": "On f and on {factor:.0f}·f, {sign}'s two paths differ by at most {sign_gap:.1e} over "
                    "{sign_common} steps (ratio of the first steps' lengths {sign_ratio:.3g}); {plain}'s first step is "
                    "{plain_ratio:.3g}× longer on {factor:.0f}·f and its two paths are {plain_gap:.3g} apart "
                    "within {plain_common} step(s).",
    },
    "rprop_minibatch": {
        "title": "Rprop and mini-batches: random signs freeze it",
        "text": "Rprop reads a sign flip of g as a step over the minimum and halves that coordinate's step size "
                "(η⁻ = 0.5). With mini-batches the sign of a small gradient changes at random from batch to "
                "batch, and everywhere the true gradient is smaller than the sampling noise the step sizes are "
                "halved again and again, down to step_min: Rprop stops wherever it happens to be. SGD's steps are "
                "noisy as well but proportional to the gradient, so its cloud of points stays centred on the "
                "minimum. With the full batch every flip is a real overshoot and Rprop homes in.",
        "watch": "The noisy bowl with mini-batches of 2: Rprop's path stops dead short of the minimum (the inside "
                 "panel shows its step sizes collapsing), while SGD keeps jittering around the minimum. Set the "
                 "mini-batch size to 0 (the full batch) in the sidebar and Rprop goes all the way.",
        "measured": "With mini-batches of {batch} (of {n} samples) Rprop stops {mini_d:.3f} from the minimum: its "
                    "last {tail} points spread only {mini_spread:.1e} and its larger step size is down to "
                    "{mini_step:.1e} (step_min = {step_min:g}). With the full batch it ends {full_d:.1e} away. The "
                    "mean of SGD's last {tail} points lies {sgd_centre_d:.3f} from the minimum.",
    },
    "adagrad_stalls": {
        "title": "AdaGrad's step size can only go down",
        "text": "AdaGrad divides η by √G + ε, where G adds up every squared gradient so far (ε outside the root, "
                "as in torch). Each step adds g² ≥ 0 to G, so the effective step size η/(√G + ε) can never rise: "
                "the steep start fills G, and later, on gentle ground, the steps stay short. RMSProp keeps a "
                "moving average of g² instead (α = 0.99): old squares fade within about 1/(1−α) = 100 steps and "
                "the step size grows back as the gradients get smaller.",
        "watch": "AdaGrad and RMSProp leave (−5, −2) with the same η. The inside panel (AdaGrad) shows its "
                 "effective step sizes only falling; AdaGrad is left crawling along the valley's flat x direction "
                 "while RMSProp reaches the centre.",
        "measured": "AdaGrad's effective step size in x fell from {ada_eff_first:.3g} to {ada_eff_last:.3g} and "
                    "rose at {rises} of the {steps} steps (x or y); AdaGrad ends {ada_d:.2f} from the minimum "
                    "(start {start_d:.2f}). RMSProp reaches f − f* < {tol:g} in {rms_steps} steps and ends "
                    "{rms_d:.1e} away, its effective step size in x having risen to {rms_eff_last:.3g}.",
    },
    "adagrad_sparse": {
        "title": "AdaGrad gives a rare feature the longer step",
        "text": "Every sample of this least-squares problem has the dense feature a (the coefficient of x); only 5 % "
                "have the rare feature b (the coefficient of y), and a mini-batch without one of them has a gradient "
                "of exactly zero in y. AdaGrad's sum of squares G therefore grows at every step in x but only now "
                "and then in y, and its effective step η/(√G + ε) stays several times longer along the rare "
                "coordinate (as in torch: ε outside the root, G starting from 0). SGD has one η for both, and the "
                "curvature along the rare direction is only about the rare share times the dense one: with an η "
                "that settles x in a few dozen steps, the error in y shrinks by only about 1 − ηλ_min per step. "
                "A larger η lengthens x's steps too and is capped by the steep direction (below 2/λ_max); "
                "dividing per coordinate is what sparse data such as words or clicks calls for.",
        "watch": "From (−2, −2) both runs reach x ≈ 1.5 early. SGD then creeps up along y and is still far below the "
                 "minimum at the end, while AdaGrad climbs to it within about a hundred steps. In the inside panel "
                 "(AdaGrad) the y step size only drops at the batches that hold a rare sample and stays about five "
                 "times above the x one.",
        "measured": "{hits} of the {steps} mini-batches of {batch} (from {n} samples, a share {share:g} of them with "
                    "the rare feature) gave a non-zero gradient in y. AdaGrad's G ended at {g_x:.3g} in x and "
                    "{g_y:.3g} in y, so with η = {ada_lr:g} its effective step size ended at {eff_y:.3g} in y and "
                    "{eff_x:.3g} in x: {ratio:.1f} times longer along the rare coordinate. After {steps} steps "
                    "AdaGrad is {ada_dy:.3f} from the minimum along y and SGD (η = {sgd_lr:g}) {sgd_dy:.2f} (the "
                    "start was {start_dy:.2f} away); along x they are {ada_dx:.3f} and {sgd_dx:.3f}. The Hessian's "
                    "eigenvalues are {lam_min:.3f} and {lam_max:.2f}, so SGD's time constant along the flat one, "
                    "1/(ηλ_min), is about {tau:.0f} steps.",
    },
    "rmsprop_canyon": {
        "title": "RMSProp evens out the canyon's two scales",
        "text": "On the valley 0.1x² + 2y² one learning rate has to serve curvatures 0.2 and 4. For SGD the "
                "steep y caps η below 2/4 = 0.5, and then the error in x only shrinks by the factor 1 − 0.2η ≥ 0.9 "
                "per step. RMSProp divides each coordinate's gradient by the root of that coordinate's own running "
                "mean of g², so both take steps of about η whatever their curvature. torch's RMSProp has no bias "
                "correction: v₁ = (1−α)g₁², so its first step is η/√(1−α) = 10η in each coordinate.",
        "watch": "From (−5, −2): SGD, at an η close to its best, bounces across the steep y direction and creeps "
                 "along x; RMSProp lands almost on the valley floor with its first step and walks straight to the "
                 "centre. The inside panel shows RMSProp's effective step size far larger in x than in y.",
        "measured": "f − f* < {tol:g}: RMSProp (η = {rms_lr:g}) after {rms} steps, SGD (η = {sgd_lr:g}) after "
                    "{sgd}; the best of {n_grid} SGD learning rates up to {lr_max:g} (η = {best_lr:.2g}) needs "
                    "{best}.",
    },
    "rmsprop_noise": {
        "title": "RMSProp's weak spot: mini-batch noise",
        "text": "Close to the minimum the full gradient is nearly zero and a mini-batch gradient is mostly "
                "sampling noise. RMSProp divides that noise by its own running RMS, so every step keeps a length "
                "of about η in a random direction: the steps do not shrink as the run arrives. Adam divides in "
                "the same way but first averages the gradients over about 1/(1−β₁) = 10 steps, and much of the "
                "noise cancels in that average. Adam's β₂ is set to 0.99, RMSProp's α, so the two differ only in "
                "that first moment (and Adam's bias correction).",
        "watch": "The noisy bowl with mini-batches of 20, both from (−2, 2.5) with the same η. Look at the "
                 "bottom: RMSProp keeps rattling in a wide cloud, Adam stays in a tighter one. The inside panel "
                 "shows RMSProp's second moment settling at the noise level instead of falling to zero.",
        "measured": "Over the last {tail} steps (mini-batches of {batch} out of {n} samples, η = {lr:g}), "
                    "RMSProp's points spread {rms_spread:.3g} around their mean and Adam's {adam_spread:.3g}, "
                    "{ratio:.2f} times less (β₁ = {beta1:g}, β₂ = {beta2:g}). Mean distance to the minimum: "
                    "RMSProp {rms_d:.3g}, Adam {adam_d:.3g}.",
    },
    "adadelta_units": {
        "title": "AdaDelta: no learning rate, and a slow start",
        "text": "AdaDelta's step is Δ_t = √(u_{t−1} + ε)/√(v_t + ε)·g_t, where v is a running mean of squared "
                "gradients (the denominator) and u a running mean of squared past steps Δ² (the numerator). g/√v "
                "has no units and √u has the units of θ, so the step needs no η (lr stays 1, torch's default) and "
                "100·f gives practically the same path. The price is the start: u₀ = 0, so the first step is "
                "√(ε/(1−ρ)) per coordinate (about 0.003 for torch's ε = 1e-6, ρ = 0.9) whatever the gradient, and "
                "u can only grow from these small steps.",
        "watch": "Himmelblau from (0, 0): AdaDelta sets off with tiny steps and speeds up as its average of past "
                 "steps fills; the inside panel shows its effective step size √(u + ε)/√(v + ε) climbing. Set "
                 "the scale to 100 in the sidebar: the path stays put.",
        "measured": "First step: {first_x:.3g} in x, {first_y:.3g} in y; √(ε/(1−ρ)) = {predicted:.3g} (ε = {eps:g}, "
                    "ρ = {rho:g}, lr = {lr:g}). The largest step before it first comes within {near_d:g} of a "
                    "minimum (step {near}) is {top_len:.3g}, at step {top_step}: {ramp:.1f} times the first "
                    "({first_len:.3g}). On {factor:.0f}·f the path differs by at most {scale_gap:.1e}.",
    },
    "beale_race": {
        "title": "The race on Beale: who overshoots the minimum",
        "text": "At (0.7, 1.4) Beale's gradient is about (20, 46). Momentum and NAG add it into their velocity, "
                "run down into the curved valley, along it and past the minimum at (3, 0.5), and have to climb "
                "back. NAG (the look-ahead form v = μv + η∇f(θ − μv)) evaluates the gradient where the velocity is "
                "taking it, feels the far wall earlier and brakes sooner. AdaGrad, RMSProp and Adam divide each "
                "coordinate by its own gradient scale, so their steps stay about η long however steep the slope: "
                "they slide into the valley and follow it without running past the end.",
        "watch": "Watch the valley's far end near (3, 0.5): Momentum swings far past it and comes back slowly, "
                 "NAG overshoots less and turns back quickly; AdaGrad, RMSProp and Adam arrive along the valley "
                 "floor and stop.",
        "measured": "After first coming within {near:g} of the minimum, Momentum goes back out to {momentum_out:.2f} "
                    "and NAG to {nag_out:.2f}, while AdaGrad, RMSProp and Adam stay within {adaptive_out:.3f}. "
                    "f − f* < {tol:g}: NAG at step {nag_steps}, Momentum at step {momentum_steps} (AdaGrad "
                    "{adagrad_steps}, RMSProp {rmsprop_steps}, Adam {adam_steps}).",
    },
    "saddle_escape": {
        "title": "Leaving a saddle: normalised steps do not wait",
        "text": "On f = x² − y² the way down is along y, where the gradient −2y is tiny near the ridge y = 0. SGD "
                "multiplies y by 1 + 2η per step, so it needs about ln(1/|y₀|)/(2η) steps to get away; Momentum and "
                "NAG speed up the same exponential growth but still first roll into the saddle point and wait "
                "there. AdaGrad, RMSProp and Adam divide g_y by its own size, so their y steps are at least about "
                "η long however small y is: they turn downhill at once, long before the centre, and how close "
                "to the ridge they start hardly matters.",
        "watch": "The start (−1.5, 0.001) lies just off the ridge. SGD, Momentum and NAG run along x into the "
                 "centre and sit there before falling away along y; AdaGrad, RMSProp and Adam bend downhill "
                 "early, far from the centre.",
        "measured": "Steps until |y| > {exit:g}: AdaGrad {adagrad}, RMSProp {rmsprop}, Adam {adam}, none closer "
                    "than {adaptive_closest:.2f} to the saddle point; Momentum {momentum} and NAG {nag}, after "
                    "passing within {momentum_closest:.3f} and {nag_closest:.3f} of it; SGD is at |y| = "
                    "{sgd_y:.3f} after {steps} steps. Starting {closer:.0f} times closer to the ridge delays "
                    "Momentum by {momentum_delay} steps and the adaptive ones by at most {adaptive_delay}.",
    },
    "plateau": {
        "title": "Crossing a plateau: size of the gradient or its direction",
        "text": "Far from the well of f = 1 − exp(−r²/2w²) the slope is about 1e-4, so GD's step η·g is about "
                "1e-6: it practically stands still. RMSProp and Adam divide g by its own RMS and cross the flat "
                "part at about η per step (torch's RMSProp, without bias correction, even faster at first). "
                "AdaGrad divides by the root of the sum of all squared gradients; on flat ground with a steady g "
                "that sum grows like t·g², so its step falls like η/√t. AdaGrad never forgets a step, while "
                "RMSProp's average looks back only about 1/(1−α) = 100 steps.",
        "watch": "From (3.5, 3): SGD's dot never moves, RMSProp and Adam glide into the well, AdaGrad keeps "
                 "slowing down on the way; the inside panel shows its effective step size falling all the time.",
        "measured": "In {steps} steps SGD moved {sgd_moved:.1e}; RMSProp is inside the well (r < w = {w:g}) at step "
                    "{rmsprop_in}, Adam at step {adam_in}. AdaGrad's step at step {at} is {ada_shrink:.2f} times its "
                    "first (1/√{at} = {sqrt_law:.2f}) and it ends {ada_r:.2f} from the centre.",
    },
    "rotated_valley": {
        "title": "Per-coordinate scaling needs the valley on the axes",
        "text": "Adam, RMSProp and AdaGrad rescale every coordinate on its own: a diagonal preconditioner. When "
                "the valley's axes are x and y that is just the right correction; turned by 45°, each coordinate "
                "mixes the steep and the gentle direction, both get about the same scale and the correction is "
                "gone. Momentum is blind to the axes: from the same place relative to the valley it needs the "
                "same number of steps at every angle. The measure turns the start together with the valley "
                "(κ = 20).",
        "watch": "At 45°: Adam's first steps can only point along a diagonal, here straight across the valley, and "
                 "it curves back slowly; Momentum crosses once and slides down the middle. Set the angle to 0 in "
                 "the sidebar and Adam wins.",
        "measured": "Steps to f − f* < {tol:g}, Momentum/Adam: 0°: {momentum_0}/{adam_0} = {ratio_0:.2f}; 15°: "
                    "{momentum_15}/{adam_15} = {ratio_15:.2f}; 30°: {momentum_30}/{adam_30} = {ratio_30:.2f}; 45°: "
                    "{momentum_45}/{adam_45} = {ratio_45:.2f} (κ = {kappa:g}, the start turned with the valley).",
    },
}
