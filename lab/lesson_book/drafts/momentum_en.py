"""Draft texts (English) of the chapter "momentum"; merged into ``text_en`` later."""

TEXTS = {
    "momentum_valley": {
        "title": "Momentum on the valley: less zig-zag, sooner at the bottom",
        "text": "On 0.1x² + 2y² plain GD must keep η below 2/4 = 0.5 because of the steep y direction. Close to "
                "that limit every step throws y to the other wall (the factor 1 − 4η is near −1), while along x "
                "the error shrinks only by 1 − 0.2η per step. Momentum moves by ηv, where the velocity v is a "
                "sum of past gradients weighted 1, μ, μ², … (up to the factor 1/(1 − μ), an average of the "
                "gradients that forgets old ones geometrically). Across the valley the gradients alternate in "
                "sign and largely cancel in that sum; along the floor they agree and pile up, so there the step "
                "tends to η/(1 − μ). With η = 0.15 and μ = 0.7 that is 0.5 along x, with far less swinging "
                "across.",
        "watch": "Both leave (−5, −2). SGD's path bounces from wall to wall across the narrow y direction while it "
                 "inches along x; Momentum swings across only a few times, then runs along the floor and reaches "
                 "the centre first. The inside panel shows Momentum's velocity: its y part dies out, its x part "
                 "builds up.",
        "measured": "f − f* ≤ {tol:g}: SGD (η = {sgd_lr:g}) after {sgd_steps} steps, Momentum (η = {mom_lr:g}, "
                    "μ = {mu:g}, so η/(1 − μ) = {mom_long:.2g} on a steady slope) after {mom_steps}. In the first "
                    "{window} steps y changed sign {sgd_flips} times for SGD and {mom_flips} times for Momentum; "
                    "over the whole run SGD travelled {sgd_dy:.1f} in y, Momentum {mom_dy:.1f} (the start is "
                    "{y0:g} from the floor).",
    },
    "nag_vs_momentum": {
        "title": "Nesterov's look-ahead brakes before the far wall",
        "text": "With μ = 0.9 the heavy ball keeps 90 % of its velocity from one step to the next, so when it "
                "reaches the bottom of the valley it is still fast and runs up the opposite side before the "
                "gradient can turn it round. NAG, in the look-ahead form this run uses, v ← μv + η∇f(θ − μv), "
                "first goes to the point θ − μv where the velocity is about to carry it and reads the gradient "
                "there. Beyond the bottom that point is already uphill, so the correction arrives one step "
                "early and brakes the swing. The gain is largest across the steep y direction, where a single "
                "step covers much of the slope; along the gentle x direction it is smaller.",
        "watch": "The same η and μ for both, from (−5, −2). In the first steps Momentum shoots across the valley "
                 "almost as high on the far side as it started, while NAG's swing is small; later, along x, "
                 "Momentum also runs farther past the centre before it comes back.",
        "measured": "With η = {lr:g} and μ = {mu:g}, {plain} goes past the floor by {plain_oy:.2f} in y (it started "
                    "{y0:g} away) and past the centre by {plain_ox:.2f} in x; {ahead} by {ahead_oy:.2f} in y and "
                    "{ahead_ox:.2f} in x. f − f* ≤ {tol:g}: {plain} after {plain_steps} steps, {ahead} after "
                    "{ahead_steps}.",
    },
    "momentum_carries": {
        "title": "Momentum carries the ball over the hump",
        "text": "The double well (x² − 1)² + 0.3x + y² has a shallow minimum on the right (near x ≈ 0.96, "
                "f ≈ 0.29), a deeper one on the left (near x ≈ −1.04, f ≈ −0.31) and a low ridge near x = 0 "
                "between them. A GD step is η times the gradient where the point is now: once it has rolled into "
                "its starting well every gradient points to that well's bottom, and it stays there. Momentum's "
                "velocity still holds the speed gathered on the steep starting wall; with μ = 0.9 only a tenth "
                "of it is lost per step, enough to climb the ridge and drop into the other well. Nothing makes "
                "that well the better one in general: the same inertia can just as well carry a run out of a "
                "good minimum.",
        "watch": "Both start high on the right-hand wall at (1.6, 1). GD slides into the right well and stops at "
                 "its bottom; Momentum races through that bottom, over the ridge and settles in the left well, "
                 "which is deeper. The inside panel shows its velocity at its largest while it crosses.",
        "measured": "From the start's own well (f = {home_f:.3f} at its bottom), GD (η = {lr:g}) ends at the "
                    "minimum near x = {sgd_x:.2f} (f = {sgd_f:.3f}, {sgd_d:.0e} away) and Momentum (η = {lr:g}, "
                    "μ = {mu:g}) at the one near x = {mom_x:.2f} (f = {mom_f:.3f}, {mom_d:.0e} away), after "
                    "{steps} steps.",
    },
    "momentum_forms": {
        "title": "Three ways to write momentum, and what a schedule does to them",
        "text": "The velocity can be written three ways. classic (torch): v ← μv + g, step ηv. ema: v ← μv + "
                "(1 − μ)g, step ηv; that is the classic sum times (1 − μ), so it gives the same path when its η "
                "is η/(1 − μ), ten times larger at μ = 0.9. lr_inside: v ← μv + ηg, step v; every gradient is "
                "multiplied by the η of its own step before it enters the sum. With a constant η it makes no "
                "difference whether η sits inside the sum or outside, and the three paths are one. Under a "
                "schedule it does: when η halves, classic and ema halve the whole step at once, old velocity "
                "included (so these two stay together), while lr_inside keeps the old gradients at the old η "
                "and coasts on.",
        "watch": "One panel per form on the valley, with η halved every 20 steps. At each halving classic and ema "
                 "slow down together and keep exactly the same path; lr_inside carries on with the velocity it "
                 "built at the larger η and ends closer to the centre.",
        "measured": "μ = {mu:g}: classic at η = {classic_lr:g}, ema at η = {ema_lr:g} (η/(1 − μ) = {rescaled:.3g}), "
                    "lr_inside at η = {inside_lr:g}. At a constant lr the paths are at most {const_ema:.1e} "
                    "(classic–ema) and {const_inside:.1e} (classic–lr_inside) apart. With η multiplied by {gamma:g} "
                    "every {every} steps, classic and ema still differ by at most {sched_ema:.1e}, while lr_inside "
                    "is up to {sched_inside:.2f} away from them within {steps} steps (the start is {scale:.2f} "
                    "from the minimum).",
    },
    "asgd_average": {
        "title": "Averaged SGD: the mean of a noisy path sits still",
        "text": "ASGD runs plain SGD and, from step t₀ on, also keeps an average θ̄ of its iterates; the point "
                "on the map is θ̄. With mini-batches and a constant η the SGD iterate never settles: it keeps "
                "bouncing around the minimum in a cloud whose size grows with η and with the noise of the "
                "batches. Successive iterates err in different directions, so averaging them cancels much of "
                "the scatter and keeps the cloud's centre, which lies near the minimum. Here the average is an "
                "exponential one with α = 0.99, over roughly the last 1/(1 − α) = 100 iterates; α = 0 would "
                "give the plain mean of all iterates since t₀.",
        "watch": "The noisy bowl with mini-batches of 2, SGD and ASGD at the same η. SGD's point keeps jumping "
                 "about near the bottom; ASGD's point, the average, glides in and then sits almost still next to "
                 "the minimum. ASGD's own SGD iterate is the SGD lane itself: same η, same batches.",
        "measured": "Over the last {tail} steps (mini-batches of {batch} of {n} samples, η = {lr:g}, α = {alpha:g}, "
                    "t₀ = {t0}) the SGD iterate is on average {raw_d:.3f} from the minimum (the SGD lane: "
                    "{sgd_d:.3f}; the two paths differ by at most {raw_vs_sgd:.1e}), ASGD's average only "
                    "{avg_d:.3f}.",
    },
}
