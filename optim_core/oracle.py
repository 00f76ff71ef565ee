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
from surfaces.jit_cache import cached_njit

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_S30, _S27, _S31, _S11 = np.uint64(30), np.uint64(27), np.uint64(31), np.uint64(11)
_TWO_M53 = 2.0 ** -53

NOISE_STREAM = 1
SHUFFLE_STREAM = 2

_unit = cached_njit("oracle", ("optim_core/oracle.py",), nogil=True)


@njit(inline="always")
def _mix(z):
    z = (z ^ (z >> _S30)) * _M1
    z = (z ^ (z >> _S27)) * _M2
    return z ^ (z >> _S31)


@njit(inline="always")
def uniform(seed, stream, counter):
    """A uniform number in (0, 1), a pure function of its three integer arguments."""
    z = _mix(np.uint64(seed) * _GOLDEN + _mix(np.uint64(stream) * _GOLDEN + _mix(np.uint64(counter))))
    return (np.float64(z >> _S11) + 0.5) * _TWO_M53


@njit(inline="always")
def normal_pair(seed, t):
    """Two independent N(0, 1) draws for step t (Box-Muller)."""
    u1 = uniform(seed, NOISE_STREAM, 2 * t)
    u2 = uniform(seed, NOISE_STREAM, 2 * t + 1)
    r = math.sqrt(-2.0 * math.log(u1))
    return r * math.cos(2.0 * math.pi * u2), r * math.sin(2.0 * math.pi * u2)


@_unit
def shuffle_epoch(seed, epoch, perm):
    """Fill ``perm`` with the permutation of epoch ``epoch`` (Fisher-Yates from the identity)."""
    n = perm.shape[0]
    for i in range(n):
        perm[i] = i
    for i in range(n - 1, 0, -1):
        j = int(uniform(seed, SHUFFLE_STREAM, epoch * n + i) * (i + 1))
        perm[i], perm[j] = perm[j], perm[i]


@_unit
def noise(seed, t, sigma):
    """The gradient noise of step t: σ·(two independent N(0, 1) draws), (0, 0) when σ = 0."""
    if sigma > 0.0:
        z0, z1 = normal_pair(seed, t)
        return sigma * z0, sigma * z1
    return 0.0, 0.0


# The oracle of one run at one step is a tuple (surface code, surface header h, packed surface
# params, the work rows of a block of runs (a typed surface's stack and memo), the sample orders
# of that block (runs, N), this run's row in both, batch start, batch end, noise x, noise y); the
# batch is orders[row, start:end], an empty batch meaning the full loss.
# (The row is sliced only when there is a batch: a slice costs reference counting.) The rules see it only through these three
# functions, inlined into their kernels.

@njit(inline="always")
def grad(orc, x, y):
    """The gradient this run sees at (x, y): its batch gradient plus its noise."""
    sid, h, sp, work, orders, row, lo, hi, nx, ny = orc
    if hi > lo:
        gx, gy = surf.batch_grad(sid, h, sp, orders[row], lo, hi, x, y)
    else:
        gx, gy = surf.grad_at(sid, h, sp, work, row, x, y)
    return gx + nx, gy + ny


@njit(inline="always")
def loss(orc, x, y):
    """The loss this run may evaluate (line searches): its current batch's loss, without noise."""
    sid, h, sp, work, orders, row, lo, hi, _, _ = orc
    if hi > lo:
        return surf.batch_value(sid, h, sp, orders[row], lo, hi, x, y)
    return surf.value_at(sid, h, sp, work, row, x, y)


@njit(inline="always")
def hess(orc, x, y):
    """The exact Hessian (hxx, hxy, hyy) of the full loss at (x, y)."""
    sid, h, sp, work, _, row, _, _, _, _ = orc
    return surf.hess_at(sid, h, sp, work, row, x, y)
