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
MEMO = 5                # a work row starts with the memo (x, y, f, gx, gy) of the last point

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
_inline = cached_njit("expression", DEPS, inline="always", error_model="numpy")


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


def work_width(sp) -> int:
    """Columns of one work row for the program in ``sp``: the memo and 6 numbers per slot."""
    return MEMO + 6 * (int(sp[2]) + 1)


# ---------------------------------------------------------------- the shared value operations

@_inline
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


@_inline
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


@_inline
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


@_inline
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

def _value_grad(sp, w, row, x, y):
    """(f, ∂f/∂x, ∂f/∂y) of the program in ``sp`` at (x, y), unscaled; the stack lives in
    ``w[row, MEMO:]``, three numbers per slot."""
    n = int(sp[1])
    v = gx = gy = 0.0
    top = MEMO
    for i in range(n):
        op = int(sp[HEAD + i])
        c = sp[HEAD + n + i]
        if op == PUSH_C:
            w[row, top], w[row, top + 1], w[row, top + 2] = v, gx, gy
            top += 3
            v, gx, gy = c, 0.0, 0.0
        elif op == PUSH_X:
            w[row, top], w[row, top + 1], w[row, top + 2] = v, gx, gy
            top += 3
            v, gx, gy = x, 1.0, 0.0
        elif op == PUSH_Y:
            w[row, top], w[row, top + 1], w[row, top + 2] = v, gx, gy
            top += 3
            v, gx, gy = y, 0.0, 1.0
        elif op == ADD_S:
            top -= 3
            v, gx, gy = w[row, top] + v, w[row, top + 1] + gx, w[row, top + 2] + gy
        elif op == SUB_S:
            top -= 3
            v, gx, gy = w[row, top] - v, w[row, top + 1] - gx, w[row, top + 2] - gy
        elif op == MUL_S:
            top -= 3
            a, ax, ay = w[row, top], w[row, top + 1], w[row, top + 2]
            v, gx, gy = a * v, ax * v + a * gx, ay * v + a * gy
        elif op == DIV_S:
            top -= 3
            a, ax, ay = w[row, top], w[row, top + 1], w[row, top + 2]
            q = a / v
            v, gx, gy = q, (ax - q * gx) / v, (ay - q * gy) / v
        elif op == MIN_S or op == MAX_S:
            top -= 3
            a, ax, ay = w[row, top], w[row, top + 1], w[row, top + 2]
            if v != v or a != a:
                v, gx, gy = math.nan, math.nan, math.nan
            elif (op == MIN_S) == (a < v):              # the left operand wins
                v, gx, gy = a, ax, ay
        elif op == ADD_C:
            v += c
        elif op == ADD_X:
            v, gx = v + x, gx + 1.0
        elif op == ADD_Y:
            v, gy = v + y, gy + 1.0
        elif op == SUB_X:
            v, gx = v - x, gx - 1.0
        elif op == SUB_Y:
            v, gy = v - y, gy - 1.0
        elif op == RSUB_C:
            v, gx, gy = c - v, -gx, -gy
        elif op == RSUB_X:
            v, gx, gy = x - v, 1.0 - gx, -gy
        elif op == RSUB_Y:
            v, gx, gy = y - v, -gx, 1.0 - gy
        elif op == MUL_C:
            v, gx, gy = v * c, gx * c, gy * c
        elif op == MUL_X:
            v, gx, gy = v * x, gx * x + v, gy * x
        elif op == MUL_Y:
            v, gx, gy = v * y, gx * y, gy * y + v
        elif op == DIV_C:
            v, gx, gy = v / c, gx / c, gy / c
        elif op == DIV_X:
            q = v / x
            v, gx, gy = q, (gx - q) / x, gy / x
        elif op == DIV_Y:
            q = v / y
            v, gx, gy = q, gx / y, (gy - q) / y
        elif op == RDIV_C or op == RDIV_X or op == RDIV_Y:
            a = c if op == RDIV_C else (x if op == RDIV_X else y)
            q = a / v
            v, gx, gy = q, ((1.0 if op == RDIV_X else 0.0) - q * gx) / v, ((1.0 if op == RDIV_Y else 0.0) - q * gy) / v
        elif op == POWI_C:
            p = _ipow(v, int(c) - 1)
            d = c * p
            v, gx, gy = p * v, d * gx, d * gy
        elif op == NEG:
            v, gx, gy = -v, -gx, -gy
        elif op == FN_SQRT or op == FN_ABS or op == FN_SIGN:
            f, d, _ = _unary_call_free(op - FN0, v)
            v, gx, gy = f, d * gx, d * gy
        elif not CALLS:                                 # noqa: F821 (bound per variant)
            v = gx = gy = math.nan
        elif op == POW_S:                               # a^b = exp(b log a)
            top -= 3
            a, ax, ay = w[row, top], w[row, top + 1], w[row, top + 2]
            f = _pow(a, v)
            la = math.log(a) if a > 0.0 else math.nan
            v, gx, gy = f, f * (gx * la + v * ax / a), f * (gy * la + v * ay / a)
        elif op == POW_C:
            d = c * _pow(v, c - 1.0)
            v, gx, gy = _pow(v, c), d * gx, d * gy
        elif op == RPOW_C:
            f = _pow(c, v)
            d = f * (math.log(c) if c > 0.0 else math.nan)
            v, gx, gy = f, d * gx, d * gy
        else:
            f, d, _ = _unary(op - FN0, v)
            v, gx, gy = f, d * gx, d * gy
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
            if op == PUSH_C:
                v, gx, gy = c, 0.0, 0.0
            elif op == PUSH_X:
                v, gx, gy = x, 1.0, 0.0
            else:
                v, gx, gy = y, 0.0, 1.0
            continue
        # the other operand a: from the stack (left of the top), or the leaf of a leaf form
        a = ax = ay = axx = axy = ayy = 0.0
        if op == ADD_S or op == SUB_S or op == MUL_S or op == DIV_S or op == POW_S or op == MIN_S or op == MAX_S:
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
            # f = a^b = exp(g), g = b log a: f' = f g', f'' = f (g'' + g' g'ᵀ)
            f = _pow(a, v)
            la = math.log(a) if a > 0.0 else math.nan
            ia = 1.0 / a
            g1x, g1y = gx * la + v * ax * ia, gy * la + v * ay * ia
            g2xx = hxx * la + 2.0 * gx * ax * ia + v * (axx * ia - ax * ax * ia * ia)
            g2xy = hxy * la + (gx * ay + gy * ax) * ia + v * (axy * ia - ax * ay * ia * ia)
            g2yy = hyy * la + 2.0 * gy * ay * ia + v * (ayy * ia - ay * ay * ia * ia)
            v, gx, gy = f, f * (gx * la + v * ax / a), f * (gy * la + v * ay / a)
            hxx, hxy, hyy = f * (g2xx + g1x * g1x), f * (g2xy + g1x * g1y), f * (g2yy + g1y * g1y)
        else:
            # a function of the top alone, from its f, f', f'' at the top's value
            if op == POWI_C:
                p = _ipow(v, int(c) - 1)
                f0, f1, f2 = p * v, c * p, c * (c - 1.0) * _ipow(v, int(c) - 2)
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
            else:
                f0, f1, f2 = _unary(op - FN0, v)
            hxx, hxy, hyy = f2 * gx * gx + f1 * hxx, f2 * gx * gy + f1 * hxy, f2 * gy * gy + f1 * hyy
            v, gx, gy = f0, f1 * gx, f1 * gy
    return v, gx, gy, hxx, hxy, hyy


def _variant(template, calls: bool):
    """``template`` with CALLS fixed (a global the compiler folds, so the branches of the other
    variant are not in its machine code), inlined where it is called: a call between compiled
    functions passes every array as seven arguments, which measured 20 ns per point."""
    name = template.__name__.lstrip("_") + ("" if calls else "_call_free")
    fn = types.FunctionType(template.__code__, dict(template.__globals__, CALLS=calls), name)
    fn.__qualname__, fn.__doc__ = name, template.__doc__
    return njit_unit(fn, "expression", DEPS, inline="always", error_model="numpy")


value_grad, value_grad_call_free = _variant(_value_grad, True), _variant(_value_grad, False)
value_grad_hess, value_grad_hess_call_free = _variant(_value_grad_hess, True), _variant(_value_grad_hess, False)


@_inline
def gradient_at(sp, w, row, x, y):
    """(f, fx, fy) of the program in ``sp``, by the fastest variant that can run it."""
    if sp[3] == 0.0:
        return value_grad_call_free(sp, w, row, x, y)
    return value_grad(sp, w, row, x, y)


@_inline
def hessian_at(sp, w, row, x, y):
    """(f, fx, fy, fxx, fxy, fyy) of the program in ``sp``, by the fastest variant that can run it."""
    if sp[3] == 0.0:
        return value_grad_hess_call_free(sp, w, row, x, y)
    return value_grad_hess(sp, w, row, x, y)


@_unit
def evaluate_grid(sp, xs, ys, out):
    """out[i] = (f, fx, fy, fxx, fxy, fyy) at (xs[i], ys[i]), unscaled."""
    w = np.empty((1, MEMO + 6 * (int(sp[2]) + 1)))
    for i in range(xs.shape[0]):
        out[i, 0], out[i, 1], out[i, 2], out[i, 3], out[i, 4], out[i, 5] = hessian_at(sp, w, 0, xs[i], ys[i])


def evaluate(packed: np.ndarray, x, y) -> np.ndarray:
    """(..., 6): the six quantities of the program in ``packed`` at arrays x, y, unscaled."""
    x, y = np.broadcast_arrays(np.asarray(x, np.float64), np.asarray(y, np.float64))
    out = np.empty((x.size, 6))
    evaluate_grid(packed, np.ascontiguousarray(x).ravel(), np.ascontiguousarray(y).ravel(), out)
    return out.reshape(x.shape + (6,))
