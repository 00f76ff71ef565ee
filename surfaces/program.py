"""A typed expression as data: the tree ``surfaces.expression`` built, compiled to a short postfix
program that one compiled interpreter runs in forward mode (every stack slot carries the value
and its derivatives). A new expression is new *data* for the same machine code: nothing is
compiled per expression, so typing one never recompiles the engine and never blocks other users.

The program lives in the surface's packed parameter vector ``sp`` (so it reaches the optimizer
kernels like any surface's parameters): ``sp[1]`` is the number of instructions n, ``sp[2]`` the
stack slots it needs, ``sp[3]`` 1 when it calls the maths library; from ``sp[HEAD]`` come n
opcodes, then their n constant arguments.

Speed comes from doing less per point, not from new code: the top of the stack stays in local
variables (registers), constant subtrees are folded, and an operand that is a leaf (a constant,
x or y) is folded into its operator (``x*y`` is PUSH_X, MUL_Y: two instructions, one stack
write), so typed Beale is 22 instructions. Dispatch (a jump per instruction) is most of the
cost; measured in ``bench/bench_custom.py``.

Two passes share every value operation, so the value of a point is bit for bit the same
whichever pass computed it: ``value_grad`` (f, ∂f/∂x, ∂f/∂y) for first-order optimizers and the
loss, ``value_grad_hess`` (adds ∂²f/∂x², ∂²f/∂x∂y, ∂²f/∂y²) for Newton's methods and grids.
Undefined points (log of a negative, 0/0, overflow) give NaN or inf, never an error.
"""
from __future__ import annotations

import math
import types

import numpy as np

from . import expression as ex
from .jit_cache import cached_njit, njit_unit

HEAD = 10               # = kernels.HEAD: the program starts after the surface header
# A work row starts with a memo of three entries, each led by its point (x, y):
G_AT = 0                # (x, y, f, gx, gy): where the run's next gradient is taken
H_AT = 5                # (x, y, hxx, hxy, hyy): the Hessian there (Newton's methods)
V_AT = 10               # (x, y, f): the run's new point, when its gradient is taken elsewhere (NAG)
MEMO = 13

# Opcodes. A binary operator comes in up to four forms: with the stack (``_S``, both operands
# computed), or with a leaf right operand: a constant (``_C``), x (``_X``) or y (``_Y``); the
# ``R`` forms have the leaf on the left (``RSUB_C``: c - top). a - c is compiled as a + (-c).
(PUSH_C, PUSH_X, PUSH_Y,
 ADD_S, ADD_C, ADD_X, ADD_Y, SUB_S, SUB_X, SUB_Y, RSUB_C, RSUB_X, RSUB_Y,
 MUL_S, MUL_C, MUL_X, MUL_Y, DIV_S, DIV_C, DIV_X, DIV_Y, RDIV_C, RDIV_X, RDIV_Y,
 POW_S, POWI_C, POW_C, RPOW_C, NEG, MIN_S, MAX_S) = range(31)
FN0 = 31                # FN0 + k: the k-th function of UNARY
UNARY = ex.FUNCTIONS + ("sign",)
FN_SQRT, FN_ABS, FN_SIGN = (FN0 + UNARY.index(f) for f in ("sqrt", "abs", "sign"))
# what the call-free variant runs: everything but these (they call the maths library)
_CALLING = {POW_S, POW_C, RPOW_C} | {FN0 + k for k, f in enumerate(UNARY) if f not in ("sqrt", "abs", "sign")}
MAX_INT_POWER = 64      # x^n for whole n with |n| <= this is repeated multiplication

_PUSH = {"C": PUSH_C, "X": PUSH_X, "Y": PUSH_Y}
_WITH_LEAF = {"add": {"C": ADD_C, "X": ADD_X, "Y": ADD_Y}, "sub": {"X": SUB_X, "Y": SUB_Y},
              "mul": {"C": MUL_C, "X": MUL_X, "Y": MUL_Y}, "div": {"C": DIV_C, "X": DIV_X, "Y": DIV_Y}}
_LEAF_FIRST = {"add": _WITH_LEAF["add"], "mul": _WITH_LEAF["mul"],
               "sub": {"C": RSUB_C, "X": RSUB_X, "Y": RSUB_Y}, "div": {"C": RDIV_C, "X": RDIV_X, "Y": RDIV_Y}}
_STACK = {"add": ADD_S, "sub": SUB_S, "mul": MUL_S, "div": DIV_S, "pow": POW_S, "min": MIN_S, "max": MAX_S}

DEPS = ("surfaces/program.py",)
_unit = cached_njit("expression", DEPS, nogil=True, error_model="numpy")   # x / 0 is inf or NaN
_helper = cached_njit("expression", DEPS, error_model="numpy")   # compiled once; LLVM inlines it


# ---------------------------------------------------------------- compiling a tree

def _leaf(t):
    """("C", c), ("X", 0) or ("Y", 0) when ``t`` is a constant or a variable; else None."""
    if t[0] == "var":
        return (t[1].upper(), 0.0)
    c = ex.constant_value(t)
    return None if c is None else ("C", c)


def _emit(t, out: list) -> int:
    """Append the instructions of ``t`` to ``out`` as (opcode, argument); returns the stack
    slots it needs below the top."""
    leaf = _leaf(t)
    if leaf:
        out.append((_PUSH[leaf[0]], leaf[1]))
        return 1
    op = t[0]
    if op == "neg" or op == "fn":
        d = _emit(t[-1], out)
        out.append((NEG, 0.0) if op == "neg" else (FN0 + UNARY.index(t[1]), 0.0))
        return d
    a, b = t[1], t[2]
    la, lb = _leaf(a), _leaf(b)
    if op == "pow" and lb and lb[0] == "C":
        c = lb[1]
        if c == 0.0:                                     # a^0 = 1 everywhere, as in NumPy
            out.append((PUSH_C, 1.0))
            return 1
        d = _emit(a, out)
        if c == 1.0:
            return d
        whole = c == math.floor(c) and abs(c) <= MAX_INT_POWER
        out.append((POWI_C if whole else POW_C, c))
        return d
    if op == "pow" and la and la[0] == "C":
        d = _emit(b, out)
        out.append((RPOW_C, la[1]))
        return d
    if op == "sub" and lb and lb[0] == "C":
        d = _emit(a, out)
        out.append((ADD_C, -lb[1]))
        return d
    if lb and lb[0] in _WITH_LEAF.get(op, {}):
        d = _emit(a, out)
        out.append((_WITH_LEAF[op][lb[0]], lb[1]))
        return d
    if la and la[0] in _LEAF_FIRST.get(op, {}):
        d = _emit(b, out)
        out.append((_LEAF_FIRST[op][la[0]], la[1]))
        return d
    da = _emit(a, out)
    db = _emit(b, out)
    out.append((_STACK[op], 0.0))
    return max(da, db + 1)


def compile_tree(tree) -> np.ndarray:
    """The program of ``tree`` as a packed vector: [scale 1, n, slots, calls, 0…] up to HEAD, then
    n opcodes, then their n arguments. ``calls`` is 1 when the call-free variant cannot run it."""
    out: list = []
    slots = _emit(tree, out)
    n = len(out)
    packed = np.zeros(HEAD + 2 * n)
    packed[0], packed[1], packed[2] = 1.0, n, slots
    packed[3] = float(any(op in _CALLING for op, _ in out))
    packed[HEAD:HEAD + n] = [op for op, _ in out]
    packed[HEAD + n:] = [c for _, c in out]
    return packed


@cached_njit("expression", DEPS)
def work_width(sp):
    """Columns of one work row for the program in ``sp``: the memo and 6 numbers per slot."""
    return MEMO + 6 * (int(sp[2]) + 1)


# ---------------------------------------------------------------- the shared value operations

@_helper
def _ipow(v, n):
    """v ** n for a whole n by repeated squaring (as a product, like a hand-written v*v*v)."""
    m = abs(n)
    r = 1.0
    b = v
    first = True
    while m > 0:
        if m & 1:
            r = b if first else r * b
            first = False
        m >>= 1
        if m > 0:
            b = b * b
    return 1.0 / r if n < 0 else r


@_helper
def _pow(a, b):
    """a ** b as NumPy gives it: NaN for a negative base and a non-whole exponent, inf for 0 to a
    negative power and on overflow."""
    if a < 0.0 and b != math.floor(b):
        return math.nan
    if a == 0.0 and b < 0.0:
        return math.inf
    if abs(a) > 1.0 and b * math.log(abs(a)) > 709.0:
        return math.inf if (a > 0.0 or b % 2.0 == 0.0) else -math.inf
    return a ** b


@_helper
def _unary_call_free(k, u):
    """f(u), f'(u), f''(u) of sqrt, abs or sign (k their index in UNARY): no library call."""
    if k == FN_SQRT - FN0:
        if u > 0.0:
            r = math.sqrt(u)
            return r, 0.5 / r, -0.25 / (r * u)
        return (0.0 if u == 0.0 else math.nan), math.nan, math.nan
    s = 0.0 if u == 0.0 else math.copysign(1.0, u)
    if k == FN_ABS - FN0:
        return abs(u), s, 0.0
    return s, 0.0, 0.0


@_helper
def _unary(k, u):
    """f(u), f'(u), f''(u) of the k-th function of UNARY (NaN where it is undefined)."""
    if k == FN_SQRT - FN0 or k == FN_ABS - FN0 or k == FN_SIGN - FN0:
        return _unary_call_free(k, u)
    if k == 0:
        s, c = math.sin(u), math.cos(u)
        return s, c, -s
    if k == 1:
        s, c = math.sin(u), math.cos(u)
        return c, -s, -c
    if k == 2:
        t = math.tan(u)
        return t, 1.0 + t * t, 2.0 * t * (1.0 + t * t)
    if k == 3:
        e = math.exp(u) if u < 709.8 else math.inf
        return e, e, e
    if k == 4:
        if u > 0.0:
            return math.log(u), 1.0 / u, -1.0 / (u * u)
        return (-math.inf if u == 0.0 else math.nan), math.nan, math.nan
    if k == 7:
        t = math.tanh(u)
        return t, 1.0 - t * t, -2.0 * t * (1.0 - t * t)
    if k == 8:
        if abs(u) >= 710.0:
            return math.copysign(math.inf, u), math.inf, math.copysign(math.inf, u)
        return math.sinh(u), math.cosh(u), math.sinh(u)
    if k == 9:
        if abs(u) >= 710.0:
            return math.inf, math.copysign(math.inf, u), math.inf
        return math.cosh(u), math.sinh(u), math.cosh(u)
    if k == 10:
        d = 1.0 / (1.0 + u * u)
        return math.atan(u), d, -2.0 * u * d * d
    return math.nan, math.nan, math.nan


# ---------------------------------------------------------------- pass 1: value and gradient
#
# Each pass is written once and compiled twice: with CALLS True (every instruction) and False
# (only those that need no call into the maths library). A call anywhere in the loop makes the
# compiler keep the top of the stack in memory instead of registers, so the call-free variant,
# which serves every polynomial and rational expression, measured 1.4x faster on Beale.

@_helper
def _times(g, d):
    """g·d, and 0 where g is 0 even if d is not finite: an exponent that does not vary in a
    direction contributes nothing there, though log of its negative base is undefined."""
    return 0.0 if g == 0.0 else g * d


@_helper
def _log_term(a, b, f):
    """∂(a^b)/∂b = a^b ln a, with its limit 0 at a = 0 for b > 0 (there ln a is -inf)."""
    if a == 0.0 and b > 0.0:
        return 0.0
    return f * (math.log(a) if a > 0.0 else math.nan)


@_helper
def _pushed(op, c, x, y):
    """(f, fx, fy) of the leaf a push instruction puts on the stack: a constant, x or y."""
    if op == PUSH_C:
        return c, 0.0, 0.0
    if op == PUSH_X:
        return x, 1.0, 0.0
    return y, 0.0, 1.0


@_helper
def _popping(op):
    """True for the instructions whose left operand comes off the stack."""
    return op == ADD_S or op == SUB_S or op == MUL_S or op == DIV_S or op == POW_S or op == MIN_S or op == MAX_S


@_helper
def _simple(op, c, x, y, a, ax, ay, v, gx, gy):
    """(f, fx, fy) after instruction ``op`` (not a push) on the top (v, gx, gy): the arithmetic
    that needs no library call; (a, ax, ay) is the popped left operand of a stack form."""
    if op == ADD_S:
        return a + v, ax + gx, ay + gy
    if op == SUB_S:
        return a - v, ax - gx, ay - gy
    if op == MUL_S:
        return a * v, ax * v + a * gx, ay * v + a * gy
    if op == DIV_S:
        q = a / v
        return q, (ax - q * gx) / v, (ay - q * gy) / v
    if op == MIN_S or op == MAX_S:
        if v != v or a != a:
            return math.nan, math.nan, math.nan
        if (op == MIN_S) == (a < v):                    # the left operand wins
            return a, ax, ay
        return v, gx, gy
    if op == ADD_C:
        return v + c, gx, gy
    if op == ADD_X:
        return v + x, gx + 1.0, gy
    if op == ADD_Y:
        return v + y, gx, gy + 1.0
    if op == SUB_X:
        return v - x, gx - 1.0, gy
    if op == SUB_Y:
        return v - y, gx, gy - 1.0
    if op == RSUB_C:
        return c - v, -gx, -gy
    if op == RSUB_X:
        return x - v, 1.0 - gx, -gy
    if op == RSUB_Y:
        return y - v, -gx, 1.0 - gy
    if op == MUL_C:
        return v * c, gx * c, gy * c
    if op == MUL_X:
        return v * x, gx * x + v, gy * x
    if op == MUL_Y:
        return v * y, gx * y, gy * y + v
    if op == DIV_C:
        return v / c, gx / c, gy / c
    if op == DIV_X:
        q = v / x
        return q, (gx - q) / x, gy / x
    if op == DIV_Y:
        q = v / y
        return q, gx / y, (gy - q) / y
    if op == RDIV_C or op == RDIV_X or op == RDIV_Y:
        a = c if op == RDIV_C else (x if op == RDIV_X else y)
        q = a / v
        return q, ((1.0 if op == RDIV_X else 0.0) - q * gx) / v, ((1.0 if op == RDIV_Y else 0.0) - q * gy) / v
    if op == POWI_C:
        p = _ipow(v, int(c) - 1)
        d = c * p                  # a product like a hand-written v*v*v; 1/v^n for negative n (inf at 0)
        return (p * v if c > 0.0 else _ipow(v, int(c))), _times(gx, d), _times(gy, d)
    if op == NEG:
        return -v, -gx, -gy
    if op == FN_SQRT or op == FN_ABS or op == FN_SIGN:
        f, d, _ = _unary_call_free(op - FN0, v)
        return f, _times(gx, d), _times(gy, d)
    return math.nan, math.nan, math.nan


@_helper
def _calling(op, c, a, ax, ay, v, gx, gy):
    """(f, fx, fy) after an instruction that calls the maths library."""
    if op == POW_S:                                     # a^b: f_a = b a^(b-1), f_b = a^b ln a
        f = _pow(a, v)
        fa, fb = v * _pow(a, v - 1.0), _log_term(a, v, f)
        return f, fa * ax + _times(gx, fb), fa * ay + _times(gy, fb)
    if op == POW_C:
        d = c * _pow(v, c - 1.0)
        return _pow(v, c), _times(gx, d), _times(gy, d)
    if op == RPOW_C:
        f = _pow(c, v)
        d = f * (math.log(c) if c > 0.0 else math.nan)
        return f, _times(gx, d), _times(gy, d)
    f, d, _ = _unary(op - FN0, v)
    return f, _times(gx, d), _times(gy, d)


def _value_grad(sp, w, row, x, y):
    """(f, ∂f/∂x, ∂f/∂y) of the program in ``sp`` at (x, y), unscaled; the stack lives in
    ``w[row, MEMO:]``, three numbers per slot."""
    n = int(sp[1])
    v = gx = gy = 0.0
    top = MEMO
    for i in range(n):
        op = int(sp[HEAD + i])
        c = sp[HEAD + n + i]
        if op == PUSH_C or op == PUSH_X or op == PUSH_Y:
            w[row, top], w[row, top + 1], w[row, top + 2] = v, gx, gy
            top += 3
            v, gx, gy = _pushed(op, c, x, y)
            continue
        a = ax = ay = 0.0
        if _popping(op):
            top -= 3
            a, ax, ay = w[row, top], w[row, top + 1], w[row, top + 2]
        # the commonest forms first, written out (the block passes' own formulas): a one-point pass
        # is dispatch-bound, and these skip the call into _simple's chain of tests
        if op == ADD_S:
            v, gx, gy = a + v, ax + gx, ay + gy
        elif op == MUL_S:
            v, gx, gy = a * v, ax * v + a * gx, ay * v + a * gy
        elif op == ADD_C:
            v = v + c
        elif op == MUL_C:
            v, gx, gy = v * c, gx * c, gy * c
        elif op == MUL_X:
            v, gx, gy = v * x, gx * x + v, gy * x
        elif op == MUL_Y:
            v, gx, gy = v * y, gx * y, gy * y + v
        elif op < POW_S or op == NEG or op == MIN_S or op == MAX_S or op == FN_SQRT or op == FN_ABS or op == FN_SIGN \
                or op == POWI_C:
            v, gx, gy = _simple(op, c, x, y, a, ax, ay, v, gx, gy)
        elif CALLS:                                     # noqa: F821 (bound per variant)
            v, gx, gy = _calling(op, c, a, ax, ay, v, gx, gy)
        else:
            v = gx = gy = math.nan
    return v, gx, gy


# ---------------------------------------------------------------- pass 2: value, gradient, Hessian

def _value_grad_hess(sp, w, row, x, y):
    """(f, fx, fy, fxx, fxy, fyy) of the program in ``sp`` at (x, y), unscaled; the stack lives in
    ``w[row, MEMO:]``, six numbers per slot. Every value is computed as in ``_value_grad``."""
    n = int(sp[1])
    v = gx = gy = hxx = hxy = hyy = 0.0
    top = MEMO
    for i in range(n):
        op = int(sp[HEAD + i])
        c = sp[HEAD + n + i]
        if op == PUSH_C or op == PUSH_X or op == PUSH_Y:
            w[row, top], w[row, top + 1], w[row, top + 2] = v, gx, gy
            w[row, top + 3], w[row, top + 4], w[row, top + 5] = hxx, hxy, hyy
            top += 6
            hxx = hxy = hyy = 0.0
            v, gx, gy = _pushed(op, c, x, y)
            continue
        # the other operand a: from the stack (left of the top), or the leaf of a leaf form
        a = ax = ay = axx = axy = ayy = 0.0
        if _popping(op):
            top -= 6
            a, ax, ay = w[row, top], w[row, top + 1], w[row, top + 2]
            axx, axy, ayy = w[row, top + 3], w[row, top + 4], w[row, top + 5]
        elif op == ADD_C or op == MUL_C or op == DIV_C or op == RSUB_C or op == RDIV_C:
            a = c
        elif op == ADD_X or op == SUB_X or op == MUL_X or op == DIV_X or op == RSUB_X or op == RDIV_X:
            a, ax = x, 1.0
        elif op == ADD_Y or op == SUB_Y or op == MUL_Y or op == DIV_Y or op == RSUB_Y or op == RDIV_Y:
            a, ay = y, 1.0

        if op == ADD_S:
            v, gx, gy, hxx, hxy, hyy = a + v, ax + gx, ay + gy, axx + hxx, axy + hxy, ayy + hyy
        elif op == ADD_C or op == ADD_X or op == ADD_Y:
            v, gx, gy = v + a, gx + ax, gy + ay
        elif op == SUB_S or op == RSUB_C or op == RSUB_X or op == RSUB_Y:
            v, gx, gy, hxx, hxy, hyy = a - v, ax - gx, ay - gy, axx - hxx, axy - hxy, ayy - hyy
        elif op == SUB_X or op == SUB_Y:
            v, gx, gy = v - a, gx - ax, gy - ay
        elif op == MUL_S or op == MUL_C or op == MUL_X or op == MUL_Y:
            # (a b)'' = a'' b + a' b'ᵀ + b' a'ᵀ + a b''
            hxx, hxy, hyy = (axx * v + 2.0 * ax * gx + a * hxx, axy * v + ax * gy + ay * gx + a * hxy,
                             ayy * v + 2.0 * ay * gy + a * hyy)
            v, gx, gy = (a * v if op == MUL_S else v * a), ax * v + a * gx, ay * v + a * gy
        elif op == DIV_S or op == RDIV_C or op == RDIV_X or op == RDIV_Y:
            # q = a / b, from a = q b: q' = (a' - q b') / b, q'' = (a'' - q' b'ᵀ - b' q'ᵀ - q b'') / b
            q = a / v
            qx, qy = (ax - q * gx) / v, (ay - q * gy) / v
            hxx, hxy, hyy = ((axx - 2.0 * qx * gx - q * hxx) / v, (axy - qx * gy - qy * gx - q * hxy) / v,
                             (ayy - 2.0 * qy * gy - q * hyy) / v)
            v, gx, gy = q, qx, qy
        elif op == DIV_C or op == DIV_X or op == DIV_Y:
            # q = top / a, a a leaf (a'' = 0)
            q = v / a
            qx, qy = (gx - q * ax) / a, (gy - q * ay) / a
            hxx, hxy, hyy = (hxx - 2.0 * qx * ax) / a, (hxy - qx * ay - qy * ax) / a, (hyy - 2.0 * qy * ay) / a
            v, gx, gy = q, qx, qy
        elif op == MIN_S or op == MAX_S:
            if v != v or a != a:
                v = gx = gy = hxx = hxy = hyy = math.nan
            elif (op == MIN_S) == (a < v):
                v, gx, gy, hxx, hxy, hyy = a, ax, ay, axx, axy, ayy
        elif CALLS and op == POW_S:                     # noqa: F821 (bound per variant)
            # f = a^b: f_a = b a^(b-1), f_b = a^b ln a, f_aa = b (b-1) a^(b-2), f_ab = a^(b-1) (1 + b ln a),
            # f_bb = a^b ln² a; f_ij = f_aa a_i a_j + f_ab (a_i b_j + a_j b_i) + f_bb b_i b_j + f_a a_ij + f_b b_ij
            # (the ln a terms only where the exponent varies: a negative base with a whole exponent is fine)
            f = _pow(a, v)
            la = math.log(a) if a > 0.0 else math.nan
            fa, fb = v * _pow(a, v - 1.0), _log_term(a, v, f)
            faa = v * (v - 1.0) * _pow(a, v - 2.0)
            fab = 0.0 if a == 0.0 and v > 1.0 else _pow(a, v - 1.0) * (1.0 + v * la)
            fbb = 0.0 if a == 0.0 and v > 0.0 else f * la * la
            hxx, hxy, hyy = (faa * ax * ax + _times(2.0 * ax * gx, fab) + _times(gx * gx, fbb) + fa * axx + _times(hxx, fb),
                             faa * ax * ay + _times(ax * gy + ay * gx, fab) + _times(gx * gy, fbb) + fa * axy
                             + _times(hxy, fb),
                             faa * ay * ay + _times(2.0 * ay * gy, fab) + _times(gy * gy, fbb) + fa * ayy + _times(hyy, fb))
            v, gx, gy = f, fa * ax + _times(gx, fb), fa * ay + _times(gy, fb)
        else:
            # a function of the top alone, from its f, f', f'' at the top's value
            if op == POWI_C:
                p = _ipow(v, int(c) - 1)
                f0, f1, f2 = (p * v if c > 0.0 else _ipow(v, int(c))), c * p, c * (c - 1.0) * _ipow(v, int(c) - 2)
            elif op == NEG:
                f0, f1, f2 = -v, -1.0, 0.0
            elif op == FN_SQRT or op == FN_ABS or op == FN_SIGN:
                f0, f1, f2 = _unary_call_free(op - FN0, v)
            elif not CALLS:                             # noqa: F821
                f0 = f1 = f2 = math.nan
            elif op == POW_C:
                f0, f1, f2 = _pow(v, c), c * _pow(v, c - 1.0), c * (c - 1.0) * _pow(v, c - 2.0)
            elif op == RPOW_C:
                f0 = _pow(c, v)
                lc = math.log(c) if c > 0.0 else math.nan
                f1 = f0 * lc
                f2 = f1 * lc
                if gx == 0.0 and gy == 0.0:          # the exponent is constant here
                    f1 = f2 = 0.0
            else:
                f0, f1, f2 = _unary(op - FN0, v)
            hxx, hxy, hyy = (_times(gx * gx, f2) + _times(hxx, f1), _times(gx * gy, f2) + _times(hxy, f1),
                             _times(gy * gy, f2) + _times(hyy, f1))
            v, gx, gy = f0, _times(gx, f1), _times(gy, f1)
    return v, gx, gy, hxx, hxy, hyy


def _variant(template, calls: bool):
    """``template`` with CALLS fixed (a global the compiler folds, so the branches of the other
    variant are not in its machine code), as its own compile unit. (Inlined by Numba where it is
    called it ran a little faster, but the first compile of the engine took 160 s instead of 17 s:
    helpers here are plain compiled functions, which LLVM may still inline.)"""
    name = template.__name__.lstrip("_") + ("" if calls else "_call_free")
    fn = types.FunctionType(template.__code__, dict(template.__globals__, CALLS=calls), name)
    fn.__qualname__, fn.__doc__ = name, template.__doc__
    return njit_unit(fn, "expression", DEPS, nogil=True, error_model="numpy")


value_grad, value_grad_call_free = _variant(_value_grad, True), _variant(_value_grad, False)
value_grad_hess, value_grad_hess_call_free = _variant(_value_grad_hess, True), _variant(_value_grad_hess, False)


@_helper
def hessian_at(sp, w, row, x, y):
    """(f, fx, fy, fxx, fxy, fyy) of the program in ``sp``, by the fastest variant that can run it."""
    if sp[3] == 0.0:
        return value_grad_hess_call_free(sp, w, row, x, y)
    return value_grad_hess(sp, w, row, x, y)


# ---------------------------------------------------------------- a block of runs at once
#
# The grid kernel asks for the new points of a whole block of runs at once: instruction by
# instruction, each over all the lanes, so one dispatch serves 64 runs and the loops of the plain
# arithmetic vectorise. The formulas are the scalar passes' own, so a run's numbers do not depend
# on which pass computed them.

@_helper
def _lanes(xs, mask):
    """(indices of the lanes in ``mask``, their x, their y)."""
    idx = np.empty(xs.shape[0], np.int64)
    m = 0
    for k in range(xs.shape[0]):
        if mask[k]:
            idx[m] = k
            m += 1
    px, py = np.empty(m), np.empty(m)
    for j in range(m):
        px[j], py[j] = xs[idx[j], 0], xs[idx[j], 1]
    return idx[:m], px, py


@_unit
def value_grad_lanes(sp, w, xs, mask):
    """Pass 1 at the point xs[k] of every lane k in ``mask``, into its memo entry G."""
    idx, px, py = _lanes(xs, mask)
    m = idx.shape[0]
    n = int(sp[1])
    v, gx, gy = np.zeros(m), np.zeros(m), np.zeros(m)
    stack = np.empty((3 * (int(sp[2]) + 1), m))
    top = 0
    for i in range(n):
        op = int(sp[HEAD + i])
        c = sp[HEAD + n + i]
        if op == PUSH_C or op == PUSH_X or op == PUSH_Y:
            for j in range(m):
                stack[top, j], stack[top + 1, j], stack[top + 2, j] = v[j], gx[j], gy[j]
                v[j], gx[j], gy[j] = _pushed(op, c, px[j], py[j])
            top += 3
            continue
        if _popping(op):
            top -= 3
        if op == ADD_S:                                 # the commonest forms as plain loops
            for j in range(m):
                v[j], gx[j], gy[j] = stack[top, j] + v[j], stack[top + 1, j] + gx[j], stack[top + 2, j] + gy[j]
        elif op == MUL_S:
            for j in range(m):
                a = stack[top, j]
                v[j], gx[j], gy[j] = a * v[j], stack[top + 1, j] * v[j] + a * gx[j], stack[top + 2, j] * v[j] + a * gy[j]
        elif op == ADD_C:
            for j in range(m):
                v[j] = v[j] + c
        elif op == SUB_X:
            for j in range(m):
                v[j], gx[j] = v[j] - px[j], gx[j] - 1.0
        elif op == SUB_Y:
            for j in range(m):
                v[j], gy[j] = v[j] - py[j], gy[j] - 1.0
        elif op == MUL_C:
            for j in range(m):
                v[j], gx[j], gy[j] = v[j] * c, gx[j] * c, gy[j] * c
        elif op == MUL_X:
            for j in range(m):
                v[j], gx[j], gy[j] = v[j] * px[j], gx[j] * px[j] + v[j], gy[j] * px[j]
        elif op == MUL_Y:
            for j in range(m):
                v[j], gx[j], gy[j] = v[j] * py[j], gx[j] * py[j], gy[j] * py[j] + v[j]
        elif op == POWI_C and c == 2.0:
            for j in range(m):
                d = 2.0 * v[j]
                v[j], gx[j], gy[j] = v[j] * v[j], _times(gx[j], d), _times(gy[j], d)
        elif op == POWI_C and c == 3.0:
            for j in range(m):
                p = v[j] * v[j]                          # _ipow(v, 2), as the scalar pass
                d = 3.0 * p
                v[j], gx[j], gy[j] = p * v[j], _times(gx[j], d), _times(gy[j], d)
        elif op < POW_S or op == NEG or op == MIN_S or op == MAX_S or op == FN_SQRT or op == FN_ABS \
                or op == FN_SIGN or op == POWI_C:
            for j in range(m):
                a, ax, ay = (stack[top, j], stack[top + 1, j], stack[top + 2, j]) if _popping(op) else (0.0, 0.0, 0.0)
                v[j], gx[j], gy[j] = _simple(op, c, px[j], py[j], a, ax, ay, v[j], gx[j], gy[j])
        else:
            for j in range(m):
                a, ax, ay = (stack[top, j], stack[top + 1, j], stack[top + 2, j]) if _popping(op) else (0.0, 0.0, 0.0)
                v[j], gx[j], gy[j] = _calling(op, c, a, ax, ay, v[j], gx[j], gy[j])
    for j in range(m):
        k = idx[j]
        w[k, G_AT], w[k, G_AT + 1], w[k, G_AT + 2], w[k, G_AT + 3], w[k, G_AT + 4] = px[j], py[j], v[j], gx[j], gy[j]


@_unit
def value_lanes(sp, w, xs, mask):
    """The value alone at xs[k] of every lane k in ``mask``, into its memo entry V: the new points
    of runs whose next gradient is taken elsewhere (a third of pass 1's arithmetic)."""
    idx, px, py = _lanes(xs, mask)
    m = idx.shape[0]
    n = int(sp[1])
    v = np.zeros(m)
    stack = np.empty((int(sp[2]) + 1, m))
    top = 0
    for i in range(n):
        op = int(sp[HEAD + i])
        c = sp[HEAD + n + i]
        if op == PUSH_C or op == PUSH_X or op == PUSH_Y:
            for j in range(m):
                stack[top, j] = v[j]
                v[j] = c if op == PUSH_C else (px[j] if op == PUSH_X else py[j])
            top += 1
            continue
        if _popping(op):
            top -= 1
        if op == ADD_S:
            for j in range(m):
                v[j] = stack[top, j] + v[j]
        elif op == MUL_S:
            for j in range(m):
                v[j] = stack[top, j] * v[j]
        elif op == ADD_C:
            for j in range(m):
                v[j] = v[j] + c
        elif op == SUB_X:
            for j in range(m):
                v[j] = v[j] - px[j]
        elif op == MUL_X:
            for j in range(m):
                v[j] = v[j] * px[j]
        elif op == MUL_Y:
            for j in range(m):
                v[j] = v[j] * py[j]
        elif op == POWI_C and c == 2.0:
            for j in range(m):
                v[j] = v[j] * v[j]
        elif op == POWI_C and c == 3.0:
            for j in range(m):
                v[j] = (v[j] * v[j]) * v[j]
        elif op < POW_S or op == NEG or op == MIN_S or op == MAX_S or op == FN_SQRT or op == FN_ABS \
                or op == FN_SIGN or op == POWI_C:
            for j in range(m):
                a = stack[top, j] if _popping(op) else 0.0
                v[j] = _simple(op, c, px[j], py[j], a, 0.0, 0.0, v[j], 0.0, 0.0)[0]
        else:
            for j in range(m):
                a = stack[top, j] if _popping(op) else 0.0
                v[j] = _calling(op, c, a, 0.0, 0.0, v[j], 0.0, 0.0)[0]
    for j in range(m):
        k = idx[j]
        w[k, V_AT], w[k, V_AT + 1], w[k, V_AT + 2] = px[j], py[j], v[j]


@_helper
def _simple_hess(op, c, x, y, a, ax, ay, axx, axy, ayy, v, gx, gy, hxx, hxy, hyy):
    """Pass 2's step for an instruction of the call-free variant (not a push): ``_value_grad_hess``'s
    own formulas, for one lane of ``value_grad_hess_lanes``; (a, ...) is the popped operand."""
    if op == ADD_C or op == MUL_C or op == DIV_C or op == RSUB_C or op == RDIV_C:
        a = c
    elif op == ADD_X or op == SUB_X or op == MUL_X or op == DIV_X or op == RSUB_X or op == RDIV_X:
        a, ax = x, 1.0
    elif op == ADD_Y or op == SUB_Y or op == MUL_Y or op == DIV_Y or op == RSUB_Y or op == RDIV_Y:
        a, ay = y, 1.0
    if op == ADD_S:
        return a + v, ax + gx, ay + gy, axx + hxx, axy + hxy, ayy + hyy
    if op == ADD_C or op == ADD_X or op == ADD_Y:
        return v + a, gx + ax, gy + ay, hxx, hxy, hyy
    if op == SUB_S or op == RSUB_C or op == RSUB_X or op == RSUB_Y:
        return a - v, ax - gx, ay - gy, axx - hxx, axy - hxy, ayy - hyy
    if op == SUB_X or op == SUB_Y:
        return v - a, gx - ax, gy - ay, hxx, hxy, hyy
    if op == MUL_S or op == MUL_C or op == MUL_X or op == MUL_Y:
        return ((a * v if op == MUL_S else v * a), ax * v + a * gx, ay * v + a * gy,
                axx * v + 2.0 * ax * gx + a * hxx, axy * v + ax * gy + ay * gx + a * hxy,
                ayy * v + 2.0 * ay * gy + a * hyy)
    if op == DIV_S or op == RDIV_C or op == RDIV_X or op == RDIV_Y:
        q = a / v
        qx, qy = (ax - q * gx) / v, (ay - q * gy) / v
        return (q, qx, qy, (axx - 2.0 * qx * gx - q * hxx) / v, (axy - qx * gy - qy * gx - q * hxy) / v,
                (ayy - 2.0 * qy * gy - q * hyy) / v)
    if op == DIV_C or op == DIV_X or op == DIV_Y:
        q = v / a
        qx, qy = (gx - q * ax) / a, (gy - q * ay) / a
        return q, qx, qy, (hxx - 2.0 * qx * ax) / a, (hxy - qx * ay - qy * ax) / a, (hyy - 2.0 * qy * ay) / a
    if op == MIN_S or op == MAX_S:
        if v != v or a != a:
            return math.nan, math.nan, math.nan, math.nan, math.nan, math.nan
        if (op == MIN_S) == (a < v):
            return a, ax, ay, axx, axy, ayy
        return v, gx, gy, hxx, hxy, hyy
    if op == POWI_C:
        p = _ipow(v, int(c) - 1)
        f0, f1, f2 = (p * v if c > 0.0 else _ipow(v, int(c))), c * p, c * (c - 1.0) * _ipow(v, int(c) - 2)
    elif op == NEG:
        f0, f1, f2 = -v, -1.0, 0.0
    elif op == FN_SQRT or op == FN_ABS or op == FN_SIGN:
        f0, f1, f2 = _unary_call_free(op - FN0, v)
    else:
        f0 = f1 = f2 = math.nan
    return (f0, _times(gx, f1), _times(gy, f1), _times(gx * gx, f2) + _times(hxx, f1),
            _times(gx * gy, f2) + _times(hxy, f1), _times(gy * gy, f2) + _times(hyy, f1))


@_unit
def value_grad_hess_lanes(sp, w, xs, mask):
    """Pass 2 at xs[k] of every lane k in ``mask``, into its memo entries G and H (Newton's
    methods in a grid). A program that calls the maths library runs the scalar pass per lane."""
    idx, px, py = _lanes(xs, mask)
    m = idx.shape[0]
    if sp[3] != 0.0:
        for j in range(m):
            k = idx[j]
            f, fx, fy, fxx, fxy, fyy = value_grad_hess(sp, w, k, px[j], py[j])
            w[k, G_AT], w[k, G_AT + 1], w[k, G_AT + 2], w[k, G_AT + 3], w[k, G_AT + 4] = px[j], py[j], f, fx, fy
            w[k, H_AT], w[k, H_AT + 1], w[k, H_AT + 2], w[k, H_AT + 3], w[k, H_AT + 4] = px[j], py[j], fxx, fxy, fyy
        return
    n = int(sp[1])
    v, gx, gy = np.zeros(m), np.zeros(m), np.zeros(m)
    hxx, hxy, hyy = np.zeros(m), np.zeros(m), np.zeros(m)
    stack = np.empty((6 * (int(sp[2]) + 1), m))
    top = 0
    for i in range(n):
        op = int(sp[HEAD + i])
        c = sp[HEAD + n + i]
        if op == PUSH_C or op == PUSH_X or op == PUSH_Y:
            for j in range(m):
                stack[top, j], stack[top + 1, j], stack[top + 2, j] = v[j], gx[j], gy[j]
                stack[top + 3, j], stack[top + 4, j], stack[top + 5, j] = hxx[j], hxy[j], hyy[j]
                hxx[j] = hxy[j] = hyy[j] = 0.0
                v[j], gx[j], gy[j] = _pushed(op, c, px[j], py[j])
            top += 6
            continue
        if _popping(op):
            top -= 6
        if op == ADD_S:
            for j in range(m):
                v[j], gx[j], gy[j] = stack[top, j] + v[j], stack[top + 1, j] + gx[j], stack[top + 2, j] + gy[j]
                hxx[j], hxy[j], hyy[j] = stack[top + 3, j] + hxx[j], stack[top + 4, j] + hxy[j], stack[top + 5, j] + hyy[j]
        elif op == MUL_X or op == MUL_Y:
            for j in range(m):
                a, ax, ay = (px[j], 1.0, 0.0) if op == MUL_X else (py[j], 0.0, 1.0)
                hxx[j], hxy[j], hyy[j] = (0.0 * v[j] + 2.0 * ax * gx[j] + a * hxx[j],
                                          0.0 * v[j] + ax * gy[j] + ay * gx[j] + a * hxy[j],
                                          0.0 * v[j] + 2.0 * ay * gy[j] + a * hyy[j])
                v[j], gx[j], gy[j] = v[j] * a, ax * v[j] + a * gx[j], ay * v[j] + a * gy[j]
        elif op == ADD_C:
            for j in range(m):
                v[j], gx[j], gy[j] = v[j] + c, gx[j] + 0.0, gy[j] + 0.0
        elif op == SUB_X:
            for j in range(m):
                v[j], gx[j], gy[j] = v[j] - px[j], gx[j] - 1.0, gy[j] - 0.0
        elif op == SUB_Y:
            for j in range(m):
                v[j], gx[j], gy[j] = v[j] - py[j], gx[j] - 0.0, gy[j] - 1.0
        elif op == MUL_C:
            for j in range(m):
                hxx[j], hxy[j], hyy[j] = (0.0 * v[j] + 2.0 * 0.0 * gx[j] + c * hxx[j],
                                          0.0 * v[j] + 0.0 * gy[j] + 0.0 * gx[j] + c * hxy[j],
                                          0.0 * v[j] + 2.0 * 0.0 * gy[j] + c * hyy[j])
                v[j], gx[j], gy[j] = v[j] * c, 0.0 * v[j] + c * gx[j], 0.0 * v[j] + c * gy[j]
        elif op == POWI_C and (c == 2.0 or c == 3.0):
            # _ipow(v, 1 or 2) and _ipow(v, 0 or 1) as products, _times as selects: no calls in the
            # loop, so it vectorises (the numbers are the general case's)
            for j in range(m):
                p = v[j] if c == 2.0 else v[j] * v[j]
                f0, f1, f2 = p * v[j], c * p, c * (c - 1.0) * (1.0 if c == 2.0 else v[j])
                gx2, gxy, gy2 = gx[j] * gx[j], gx[j] * gy[j], gy[j] * gy[j]
                hxx[j], hxy[j], hyy[j] = ((0.0 if gx2 == 0.0 else gx2 * f2) + (0.0 if hxx[j] == 0.0 else hxx[j] * f1),
                                          (0.0 if gxy == 0.0 else gxy * f2) + (0.0 if hxy[j] == 0.0 else hxy[j] * f1),
                                          (0.0 if gy2 == 0.0 else gy2 * f2) + (0.0 if hyy[j] == 0.0 else hyy[j] * f1))
                gx[j], gy[j] = (0.0 if gx[j] == 0.0 else gx[j] * f1), (0.0 if gy[j] == 0.0 else gy[j] * f1)
                v[j] = f0
        elif op == POWI_C:
            n1 = int(c)
            for j in range(m):
                p = _ipow(v[j], n1 - 1)
                f0, f1, f2 = (p * v[j] if c > 0.0 else _ipow(v[j], n1)), c * p, c * (c - 1.0) * _ipow(v[j], n1 - 2)
                hxx[j], hxy[j], hyy[j] = (_times(gx[j] * gx[j], f2) + _times(hxx[j], f1),
                                          _times(gx[j] * gy[j], f2) + _times(hxy[j], f1),
                                          _times(gy[j] * gy[j], f2) + _times(hyy[j], f1))
                v[j], gx[j], gy[j] = f0, _times(gx[j], f1), _times(gy[j], f1)
        else:
            popped = _popping(op)
            for j in range(m):
                a = ax = ay = axx = axy = ayy = 0.0
                if popped:
                    a, ax, ay = stack[top, j], stack[top + 1, j], stack[top + 2, j]
                    axx, axy, ayy = stack[top + 3, j], stack[top + 4, j], stack[top + 5, j]
                v[j], gx[j], gy[j], hxx[j], hxy[j], hyy[j] = _simple_hess(
                    op, c, px[j], py[j], a, ax, ay, axx, axy, ayy, v[j], gx[j], gy[j], hxx[j], hxy[j], hyy[j])
    for j in range(m):
        k = idx[j]
        w[k, G_AT], w[k, G_AT + 1], w[k, G_AT + 2], w[k, G_AT + 3], w[k, G_AT + 4] = px[j], py[j], v[j], gx[j], gy[j]
        w[k, H_AT], w[k, H_AT + 1], w[k, H_AT + 2], w[k, H_AT + 3], w[k, H_AT + 4] = px[j], py[j], hxx[j], hxy[j], hyy[j]


@_unit
def evaluate_grid(sp, xs, ys, out):
    """out[i] = (f, fx, fy, fxx, fxy, fyy) at (xs[i], ys[i]), unscaled."""
    w = np.empty((1, work_width(sp)))
    for i in range(xs.shape[0]):
        out[i, 0], out[i, 1], out[i, 2], out[i, 3], out[i, 4], out[i, 5] = hessian_at(sp, w, 0, xs[i], ys[i])


def evaluate(packed: np.ndarray, x, y) -> np.ndarray:
    """(..., 6): the six quantities of the program in ``packed`` at arrays x, y, unscaled."""
    x, y = np.broadcast_arrays(np.asarray(x, np.float64), np.asarray(y, np.float64))
    out = np.empty((x.size, 6))
    evaluate_grid(packed, np.ascontiguousarray(x).ravel(), np.ascontiguousarray(y).ravel(), out)
    return out.reshape(x.shape + (6,))
