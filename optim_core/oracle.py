"""The gradient oracle: exact, mini-batch or noisy gradients, with common random numbers.

Random numbers come from a counter-based generator (a SplitMix64 hash of seed, stream and
counter), not from a stateful RNG. So the noise at step t and the batch order of epoch e are
functions of (seed, t) and (seed, e) alone: they do not depend on the optimizer (common random
numbers), nor on which thread runs the trajectory, and ``run_many`` reproduces ``run`` bit for bit.
"""
import math

import numpy as np
from numba import njit

from surfaces import kernels as surf

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_S30, _S27, _S31, _S11 = np.uint64(30), np.uint64(27), np.uint64(31), np.uint64(11)
_TWO_M53 = 2.0 ** -53

NOISE_STREAM = 1
SHUFFLE_STREAM = 2


@njit(cache=True, nogil=True)
def _mix(z):
    z = (z ^ (z >> _S30)) * _M1
    z = (z ^ (z >> _S27)) * _M2
    return z ^ (z >> _S31)


@njit(cache=True, nogil=True)
def uniform(seed, stream, counter):
    """A uniform number in (0, 1), a pure function of its three integer arguments."""
    z = _mix(np.uint64(seed) * _GOLDEN + _mix(np.uint64(stream) * _GOLDEN + _mix(np.uint64(counter))))
    return (np.float64(z >> _S11) + 0.5) * _TWO_M53


@njit(cache=True, nogil=True)
def normal_pair(seed, t):
    """Two independent N(0, 1) draws for step t (Box-Muller)."""
    u1 = uniform(seed, NOISE_STREAM, 2 * t)
    u2 = uniform(seed, NOISE_STREAM, 2 * t + 1)
    r = math.sqrt(-2.0 * math.log(u1))
    return r * math.cos(2.0 * math.pi * u2), r * math.sin(2.0 * math.pi * u2)


@njit(cache=True, nogil=True)
def shuffle_epoch(seed, epoch, perm):
    """Fill ``perm`` with the permutation of epoch ``epoch`` (Fisher-Yates from the identity)."""
    n = perm.shape[0]
    for i in range(n):
        perm[i] = i
    for i in range(n - 1, 0, -1):
        j = int(uniform(seed, SHUFFLE_STREAM, epoch * n + i) * (i + 1))
        perm[i], perm[j] = perm[j], perm[i]


# Inlined (like the rules and the engine's step) so that no array crosses a compiled call
# inside the step loop: each crossing costs atomic reference counting (see surfaces.kernels).
@njit(cache=True, nogil=True, inline="always")
def grad_at(orc, pts, g):
    """g[k] = the gradient lane k sees at pts[k]: its batch gradient plus its noise.

    ``orc`` = (surface code, surface header h, packed surface params, sample orders (lanes, N),
    batch start, batch end, noise (lanes, 2)); lane k's batch is order[k, start:end], an empty
    batch meaning the full loss. ``pts`` may be ``g`` itself.
    """
    sid, h, sp, order, lo, hi, noise = orc
    if hi > lo:
        for k in range(pts.shape[0]):
            gx, gy = surf.batch_grad(sid, h, sp, order[k], lo, hi, pts[k, 0], pts[k, 1])
            g[k, 0] = gx
            g[k, 1] = gy
    elif pts.shape[0] == 1:   # one run: no array crosses a compiled call (see surfaces.kernels)
        g[0, 0], g[0, 1] = surf.grad(sid, h, pts[0, 0], pts[0, 1])
    else:                     # a block of runs: one call, one tight loop over the lanes
        surf.grad_lanes(sid, h, pts, g)
    for k in range(pts.shape[0]):
        g[k, 0] += noise[k, 0]
        g[k, 1] += noise[k, 1]


@njit(cache=True, nogil=True, inline="always")
def loss_at(orc, k, x, y):
    """The loss lane k may evaluate (line searches): its current batch's loss, without noise."""
    sid, h, sp, order, lo, hi, noise = orc
    if hi > lo:
        return surf.batch_value(sid, h, sp, order[k], lo, hi, x, y)
    return surf.value(sid, h, x, y)
