"""Draft texts (English) of the chapter "second_order"; merged into ``text_en`` later."""

TEXTS = {
    "newton_quadratic": {
        "title": "Newton solves a quadratic in one step",
        "text": "Newton's method replaces f near θ by its second-order Taylor model and jumps to that model's "
                "stationary point: it solves H d = −g and moves to θ + d. When f is itself quadratic the model "
                "is exact, so a single step lands on the stationary point whatever the condition number; on the "
                "valley 0.1x² + 2y² the curvatures 0.2 and 4 are simply divided out. Beale is not quadratic and "
                "the model only holds locally, but near the minimum (3, 0.5) each step roughly squares the error, "
                "so a handful of steps reach any tolerance. GD has one η for a surface whose curvature changes "
                "by orders of magnitude and needs hundreds of steps.",
        "watch": "Beale from (2.5, 0.5): Newton reaches the minimum at (3, 0.5) in a few long, well-aimed steps, "
                 "while GD creeps along the curved valley and is still short of it at the end. On the valley "
                 "(choose it as the surface) Newton's first step lands on the centre.",
        "measured": "On the valley, Newton's first step leaves {newton_quad:.1e} of the gap f − f* (GD's leaves "
                    "{sgd_quad:.2f}). On Beale, Newton (η = {newton_lr:g}) reaches f − f* ≤ {tol:g} after {newton} "
                    "steps; GD (η = {sgd_lr:g}) is still at f − f* = {sgd_gap:.1e} after all {steps}.",
    },
    "newton_saddle": {
        "title": "Newton is drawn to the saddle; damping and BFGS walk away",
        "text": "On f = x² − y² the Hessian is diag(2, −2) everywhere and the only stationary point is the saddle "
                "at (0, 0). Newton solves H d = −g without asking whether H is positive definite, so from any "
                "start its first step lands exactly on (0, 0), where g = 0, and it stays: it has found a "
                "stationary point, not a minimum. Damping replaces H by H + λI; with λ = 4 that is diag(6, 2), "
                "positive definite, so the step points downhill: x shrinks by λ/(λ + 2) and y grows by "
                "λ/(λ − 2) = 2 per step, out along the direction of negative curvature. Small damping is no cure: "
                "for λ < 1 the y factor is below 1 in size and the run is still pulled in, and at λ = 2 the "
                "matrix is singular. BFGS keeps its inverse-Hessian estimate B positive definite (it skips the "
                "update unless yᵀs > 0), so −Bg always points downhill and the run slides off along y.",
        "watch": "Three panels from (−1.5, 0.1). Newton jumps to the centre of the saddle with its first step and "
                 "sits there for the rest of the run. Damped Newton (λ = 4) closes in on x = 0 while y doubles "
                 "at every step and leaves the map along the y axis; BFGS's first step is a plain gradient step, "
                 "after which it heads off along y as well.",
        "measured": "Newton: {newton_d1:.1e} from the saddle after step 1, {newton_end:.1e} after {steps} steps. "
                    "Damped Newton (λ = {lambda:g}): its first step multiplies y by {factor:.6g} (λ/(λ − 2) = "
                    "{predicted:.6g}), it never comes closer than {damped_closest:.2f} to the saddle and passes "
                    "|y| = {exit:g} at step {damped_exit}. BFGS: never closer than {bfgs_closest:.2f}, past "
                    "|y| = {exit:g} at step {bfgs_exit}.",
    },
}
