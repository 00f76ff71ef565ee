"""Chapter "practical": the lessons' texts in English (draft; merged into text_en by the lead)."""

TEXTS = {
    "sgd_hovers": {
        "title": "Constant-lr SGD hovers; a decaying lr lets it settle",
        "text": (
            "A mini-batch gradient is the true gradient plus zero-mean sampling noise whose variance "
            "falls like 1/B. At the optimum the true gradient is zero but the noise is not: each step "
            "kicks the point by η times the noise while the curvature h only pulls it back by a factor "
            "(1 − ηh), and the two balance in a cloud whose size grows roughly like √η and never shrinks. With "
            "η_t = η₀/(1 + λ(t − 1)) the steps still add up to infinity, so SGD still arrives, but the "
            "kicks fade and the cloud contracts."),
        "watch": (
            "Watch SGD on the noisy bowl: once at the centre it keeps jittering in a cloud, its gradient "
            "arrow turning with every mini-batch. Set the schedule to polynomial decay (λ 0.02, α 1) and "
            "replay: the cloud closes in as the step size in the \"inside the optimizer\" panel falls."),
        "measured": (
            "Mini-batches of {batch}, lr {lr:g}: over the last 100 of {steps} steps the constant-lr path "
            "spreads {constant_end:.3f} around its mean (half-way: {constant_mid:.3f}); the same run with "
            "1/t polynomial decay (lr down to {lr_end:.3g}) spreads {decayed_end:.3f}, {ratio:.1f}× less."),
    },
    "exp_vs_poly": {
        "title": "Exponentially decaying lr stops short; polynomial goes on",
        "text": (
            "Under exponential decay η_t = η₀e^{−λ(t−1)} the step sizes form a geometric series: however "
            "long the run, they sum to less than η₀/(1 − e^{−λ}) ≈ η₀/λ. Along the valley's gentle x "
            "direction (curvature 0.2) that budget can shrink the distance to the minimum only by about "
            "e^{−0.2η₀/λ}, and then the point freezes. The polynomial form η₀(1 + λ(t−1))^{−1/2} starts "
            "from the same η₀, but its sum grows like √t without bound, so the point walks on to the minimum."),
        "watch": (
            "Follow SGD along the valley floor: within about 100 steps the step size in the \"inside the "
            "optimizer\" panel collapses and the point freezes near x ≈ −1.4. Switch the schedule to "
            "polynomial decay (same λ, α 0.5) and it walks on to the centre."),
        "measured": (
            "Same η₀ = {lr0:g} and λ = {decay:g}: with exponential decay SGD stops at x = {exp_x:.2f}, "
            "{exp_gap:.3g} above f* (its lrs sum to {exp_budget:.2f}, the last one is {exp_lr_end:.1e}); "
            "with polynomial decay (α = ½) it reaches f − f* ≤ {tol:g} at step {poly_steps} (lrs sum "
            "{poly_budget:.1f}, still {poly_lr_end:.3f} at the end)."),
    },
    "big_lr_other_minimum": {
        "title": "Too large a learning rate can land in a worse minimum",
        "text": (
            "Along x, f = x·cos x has a row of minima of different sharpness, and GD can only come to rest "
            "in one whose curvature h satisfies ηh < 2. The minimum downhill from the start (x ≈ 3.43, "
            "h ≈ 3.85) tolerates steps up to η ≈ 0.52; at η = 0.9 the point overshoots it further and "
            "further, is thrown out, and settles in the flatter minimum at x ≈ −0.86 (h ≈ 2.08, edge "
            "≈ 0.96), which is far higher in f. A large step does not seek deep minima, only flat ones."),
        "watch": (
            "Two SGD panels from the same start (2, 1): on the left (lr 0.1) the point slides into the "
            "minimum at x ≈ 3.4; on the right (lr 0.9) it bounces across that minimum for a few steps, "
            "then jumps over the ridge and settles at x ≈ −0.9."),
        "measured": (
            "lr {small_lr:g} ends in the start's own minimum at x = {small_x:.2f} (f = {small_f:.2f}; GD "
            "is stable there for lr < {small_edge:.2f}); lr {large_lr:g} ends at x = {large_x:.2f} "
            "(f = {large_f:.2f}; stable for lr < {large_edge:.2f})."),
    },
    "noise_helps": {
        "title": "Gradient noise can carry a run into the deeper well",
        "text": (
            "With tilt t = 0.8 the double well f = (x² − 1)² + tx + y² has a shallow minimum at x ≈ 0.88 "
            "and a deeper one at x ≈ −1.09, with a ridge at x ≈ 0.21 between them. Plain GD started on "
            "the right only goes downhill, so it stops in the shallow well. Adding N(0, σ²) to each "
            "gradient component gives every step a random kick of about ησ: leaving the shallow well "
            "means climbing 0.33, coming back from the deep one 1.9, so runs drift left and mostly stay."),
        "watch": (
            "Look at the faint paths of the 20 seeds: most cross the ridge near x ≈ 0.2 and end up "
            "jittering in the left, deeper well (the seed-0 path crosses after about 160 steps). Set the "
            "noise to 0 and every run stops in the right well."),
        "measured": (
            "From the shallow well (f = {f_shallow:.2f}), with noise σ = {sigma:g}, {noisy} of {k} seeds "
            "end in the deep well (f = {f_deep:.2f}); without noise, {quiet} of {k}."),
    },
    "early_stopping": {
        "title": "Early stopping on a plateau: too little patience quits too soon",
        "text": (
            "Early stopping remembers the lowest loss seen so far and ends training once `patience` steps "
            "in a row have failed to beat it by more than min_delta; in practice the loss it watches is a "
            "validation loss, here it is f itself. The rule sees only the loss, not why it has stopped "
            "falling, so a plateau looks to it just like a minimum. Far from the well of "
            "f = 1 − e^{−r²/2} the slope is only about r·e^{−r²/2}, and plain GD lowers f by roughly η‖g‖² "
            "per step: far less than 0.001 in 20 steps, so the rule fires while SGD is still on the plain. "
            "Adam divides each gradient component by its own RMS and crosses the plain at about η per "
            "coordinate per step however gentle the slope, so when its rule fires it is already in the "
            "well, where stopping costs next to nothing. A larger patience (or a smaller min_delta) lets "
            "SGD off the plain, at the price of more steps spent after a run has really converged."),
        "watch": (
            "SGD (lr 1) creeps along for over a hundred steps, and its ■ appears at step 20, right beside the "
            "start; only around step 160 does it rush into the well, so in the Playground's leaderboard SGD's "
            "\"final − at stop\" is about −1: everything the run achieved came after the stop. Adam's ■ lies in the "
            "well. Set the patience to 200 under \"Steps, noise, seed\" and SGD's ■ moves into the well too."),
        "measured": (
            "Patience {patience}, min Δ {delta:g}: SGD would stop at step {sgd_stop} with loss "
            "{sgd_at_stop:.3f}, but it leaves the plateau at step {sgd_leaves} and ends at {sgd_final:.2g}, "
            "so stopping would have lost {sgd_lost:.3f}; Adam would stop at step {adam_stop} with loss "
            "{adam_at_stop:.2g} (final {adam_final:.2g}), losing {adam_lost:.2g}."),
    },
}
