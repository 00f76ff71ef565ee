"""Draft texts (English) of the chapter "first_order"; merged into ``text_en`` later."""

TEXTS = {
    "batch_noise": {   'measured': 'lr {lr:g}, N = {n}: over the last 100 steps the mean distance to the minimum is '
                    '{d_full:.1e} with the full batch, {d_mini:.3f} with batches of {b_mini} and {d_one:.3f} '
                    'with single samples. At the start a batch gradient spreads {sd1:.3f} for 1 sample and '
                    '{sd100:.3f} for 100: {sd_ratio:.1f}× less for 100× the samples.',
        'text': 'Every sample of the noisy bowl has its own quadratic loss, and the surface is their mean. '
                'With the full batch (BGD), each step averages all N sample gradients, so it follows the '
                'true gradient and settles exactly at the minimum. A mini-batch of B samples gives an unbiased '
                'estimate of that gradient whose standard deviation shrinks like 1/√B: a hundred times the '
                'samples make it only ten times less noisy, at a hundred times the cost per step. While the '
                'step size stays fixed the noise never dies out, so the iterate hovers around the minimum, the '
                'wider the smaller the batch.',
        'title': 'Full batch, mini-batch, one sample: the noise sets how close you get',
        'watch': 'Three panels, the same data and the same lr 0.1: the full-batch path slides straight into the '
                 'centre, batches of 32 end in a small jittering cloud, single samples in a wide one.'},
    "one_lr_canyon": {
        "title": "One learning rate for a canyon: stable across it, stuck along it",
        "text": "On a quadratic, one GD step multiplies the error along each eigen-direction of the Hessian by "
                "1 − ηλ. Here f = 0.1(x² + 1000y²): λ = 0.2 along x and L = 200 along y. The y error shrinks only "
                "while |1 − 200η| < 1, that is for η < 2/L = 0.01; at η = 0.0105 the factor is −1.1, so y flips "
                "sign and grows by a tenth every step. Just under the edge, at η = 0.0095, y settles within a few "
                "dozen steps (factor −0.9), but x gets the factor 1 − 0.2η ≈ 0.998 and after 100 steps has covered "
                "less than a fifth of its way. The steepest direction caps the learning rate and the flattest one "
                "pays for it: the ratio L/λ = 1000, the condition number, is what makes the canyon hard.",
        "watch": "Two GD panels from (−5, −2), η 5 % below and 5 % above 2/L. Left: the point zig-zags across the "
                 "canyon, the zig-zag dies out, and then it hardly creeps along x. Right: every swing is wider than "
                 "the one before until the point leaves the map and the run is stopped.",
        "measured": "L = {l_max:g} and the smallest curvature is {l_min:g}, so 2/L = {edge:g}. With η = {small_lr:g} "
                    "the factors per step are {small_fy:.2f} in y and {small_fx:.4f} in x: after {steps} steps |y| "
                    "is down to {small_y:.1e} of its start, while x has covered only {small_progress:.0%} of its way "
                    "to 0. With η = {large_lr:g} the factor in y is {large_fy:.2f}: |y| grew {large_growth:.0f}-fold "
                    "and the run was stopped after {large_steps} steps ({large_status}).",
    },
    "lr_too_large": {
        "title": "Past 2/L gradient descent diverges; a decaying schedule rescues it",
        "text": "The valley 0.1x² + 2y² has the Hessian diag(0.2, 4) everywhere, so its largest eigenvalue is L = 4 "
                "and GD is stable only for η < 2/L = 0.5: along y each step multiplies the error by 1 − 4η, which is "
                "−1.2 at η = 0.55. A decaying schedule lets the run start at such an η₀ all the same: once η_t is "
                "below 0.5 the y error shrinks again, and as long as the η_t still add up to enough (here at least "
                "25) the slow x direction gets there too. Step, exponential and polynomial decay all do it, and so "
                "does a linear warm-up followed by decay. Warm-up alone does not: a quadratic's curvature never "
                "changes, so when η is back at 0.55 the growth resumes, only later. Warm-up earns its keep in "
                "networks, whose curvature changes during training; a fixed quadratic cannot show that.",
        "watch": "SGD at η₀ = 0.55 with exponential decay from (−5, −1): the first swings across y get wider, then "
                 "the shrinking lr calms them and the point walks in along x. The inside panel shows the step size "
                 "falling below 0.5 at step 6. Set the schedule to constant in the sidebar: the point is off the "
                 "map within 20 steps.",
        "measured": "η₀ = {lr0:g} against 2/L = 2/{l_max:g} = {edge:g}. Constant lr: stopped after {constant_made} "
                    "steps with f − f* = {constant_gap:.3g}. After {steps} steps (tolerance {tol:g}), f − f* is "
                    "{step_gap:.1e} with step decay, {exponential_gap:.1e} with exponential decay, "
                    "{polynomial_gap:.1e} with polynomial decay and {warmup_decay_gap:.1e} with {warmup} warm-up "
                    "steps before it. Warm-up alone: below the tolerance at step {warmup_only_hit}, yet stopped "
                    "after {warmup_only_made} steps with f − f* = {warmup_only_gap:.3g}.",
    },
    "critical_points": {
        "title": "Minimum, saddle or maximum: the signs of the Hessian's eigenvalues",
        "text": "At a critical point p the gradient is zero, so nearby f(p + d) ≈ f(p) + ½ dᵀHd and the Hessian "
                "alone gives the shape. Along an eigenvector with λ > 0 the function curves up, along one with "
                "λ < 0 it curves down. Both eigenvalues positive: a minimum; both negative: a maximum; one of each: "
                "a saddle, the bottom of a valley one way and the top of a ridge the other; a zero eigenvalue leaves "
                "the second-order test undecided. Himmelblau's function has all three kinds: four minima, four "
                "saddles between them and one maximum near (−0.27, −0.92). GD stays at a saddle only if it runs "
                "exactly along the curve that flows into it: along the λ < 0 direction the offset is multiplied by "
                "1 − ηλ > 1 every step, so even a tiny one grows, slowly at first because the gradient is so small.",
        "watch": "Click anywhere on the map, or type a point, to read the Hessian there: its two eigen-directions, "
                 "blue where f curves up and red where it curves down. Try the stars (minima), the crosses (saddles) "
                 "and the hump near (−0.27, −0.92). Open the scene in the Playground: GD from (0.048, −3.75) slides "
                 "down to the saddle near (−0.13, −1.95), slows down there, then turns off to the bottom-left minimum.",
        "measured": "Newton's method on ∇f = 0 from a grid of starts finds {found} critical points on the map "
                    "(|∇f| ≤ {grad_max:.1e}); their Hessians read {minima} minima ({listed_minima} of the {listed} "
                    "listed minima among them), {saddles} saddles and {maxima} maximum. The maximum "
                    "({maximum_x:.4f}, {maximum_y:.4f}) has λ = {maximum_l1:.1f} and {maximum_l2:.1f}; the saddle "
                    "({saddle_x:.3f}, {saddle_y:.3f}) has λ = {saddle_l1:.1f} and {saddle_l2:.1f}. GD (η = {lr:g}) "
                    "comes within {gd_d:.2f} of that saddle at step {gd_at}, spends {gd_near} steps within {near:g} "
                    "of it and ends in the minimum ({end_x:.2f}, {end_y:.2f}).",
    },
    "convexity": {
        "title": "Convex or not: one minimum for every start, or one per basin",
        "text": "A smooth function is convex exactly when its Hessian is positive semi-definite everywhere: nowhere "
                "does it curve down in any direction. Then every critical point is a global minimum. The valley's "
                "Hessian is diag(0.2, 4) at every point, so GD with η < 2/L reaches its one minimum from any start. "
                "Himmelblau's Hessian has a negative eigenvalue on a large part of the map (shaded): ridges and a "
                "hump split it into four basins, and the basin GD starts in decides which minimum it ends in. "
                "Convexity is about the whole region: around a minimum with a positive definite Hessian every smooth "
                "function is convex, and it can still be far from convex as a whole.",
        "watch": "The two maps below shade where the Hessian has a negative eigenvalue. In the animation GD starts at "
                 "(0, 0), beside Himmelblau's hump, and rolls into the minimum at (3, 2); the valley has no shade at "
                 "all, and GD with the same η creeps along its floor towards the centre.",
        "measured": "Himmelblau: the Hessian is positive semi-definite on {p1_share:.0%} of the map; GD (η = {lr:g}, "
                    "{steps} steps) from {starts} starts on a grid: {p1_reached} end within {p1_radius:.2f} of a "
                    "minimum, in {p1_minima} different minima. Valley: positive semi-definite on {p2_share:.0%}; "
                    "{p2_reached} of the {starts} runs end within {p2_radius:.2f} of a minimum, {p2_minima} minimum "
                    "in all.",
    },
}
