"""A typed expression as data: its tree (``surfaces.expression``) and its derivatives compiled to
postfix programs (an int64 opcode array and a float64 constant array) that one compiled stack
machine runs. A new expression is new *data* for the same machine code: nothing is compiled per
expression, so typing one never recompiles anything and never blocks other users.

A program for value, gradient and Hessian is six programs laid end to end; ``starts[k]`` is
where program k begins (value, gx, gy, hxx, hxy, hyy), ``starts[6]`` the end.
"""
from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

from . import expression as ex
from .jit_cache import cached_njit

# opcodes
CONST, X, Y, ADD, SUB, MUL, DIV, POW, NEG, MIN, MAX, SEL = range(12)
UNARY = ("sin", "cos", "tan", "exp", "log", "sqrt", "abs", "sign", "tanh", "sinh", "cosh", "arctan")
FN0 = 12                                             # FN0 + k: the k-th function of UNARY
_BINARY = {"add": ADD, "sub": SUB, "mul": MUL, "div": DIV, "pow": POW, "min": MIN, "max": MAX}

DEPS = ("surfaces/program.py",)
_unit = cached_njit("expression", DEPS, nogil=True)


class Program(NamedTuple):
    code: np.ndarray        # int64 opcodes, six programs end to end
    const: np.ndarray       # float64: the constant of each CONST opcode (0 elsewhere)
    starts: np.ndarray      # int64[7]
    stack: int              # the deepest stack any of the six needs


def _emit(t, code: list, const: list) -> int:
    """Append ``t`` in postfix order; returns the stack depth it needs."""
    op = t[0]
    if op == "num":
        code.append(CONST)
        const.append(t[1])
        return 1
    if op == "var":
        code.append(X if t[1] == "x" else Y)
        const.append(0.0)
        return 1
    if op == "neg":
        d = _emit(t[1], code, const)
        code.append(NEG)
        const.append(0.0)
        return d
    if op == "fn":
        d = _emit(t[2], code, const)
        code.append(FN0 + UNARY.index(t[1]))
        const.append(0.0)
        return d
    if op == "sel":
        depth = max(_emit(c, code, const) + i for i, c in enumerate(t[1:]))
        code.append(SEL)
        const.append(0.0)
        return depth
    a = _emit(t[1], code, const)
    b = _emit(t[2], code, const)
    code.append(_BINARY[op])
    const.append(0.0)
    return max(a, b + 1)


def compile_tree(tree) -> Program:
    """The six programs of ``tree``: its value, gradient and Hessian."""
    parts = (tree, *ex.gradient(tree), *ex.hessian(tree))
    code, const, starts, stack = [], [], [0], 1
    for t in parts:
        stack = max(stack, _emit(t, code, const))
        starts.append(len(code))
    return Program(np.asarray(code, np.int64), np.asarray(const, np.float64), np.asarray(starts, np.int64), stack)


@_unit
def run_program(code, const, lo, hi, x, y, stack):
    """The value of the program code[lo:hi] at (x, y); ``stack``: scratch of the needed depth.
    Undefined operations give NaN or inf (as IEEE arithmetic does), never an exception."""
    sp = 0
    for i in range(lo, hi):
        op = code[i]
        if op == CONST:
            stack[sp] = const[i]
            sp += 1
        elif op == X:
            stack[sp] = x
            sp += 1
        elif op == Y:
            stack[sp] = y
            sp += 1
        elif op < NEG:                        # binary: ADD SUB MUL DIV POW
            b = stack[sp - 1]
            a = stack[sp - 2]
            sp -= 1
            if op == ADD:
                r = a + b
            elif op == SUB:
                r = a - b
            elif op == MUL:
                r = a * b
            elif op == DIV:
                if b == 0.0:
                    r = math.nan if a == 0.0 or a != a else math.copysign(math.inf, a) * math.copysign(1.0, b)
                else:
                    r = a / b
            else:
                r = _pow(a, b)
            stack[sp - 1] = r
        elif op == NEG:
            stack[sp - 1] = -stack[sp - 1]
        elif op == MIN or op == MAX:
            b = stack[sp - 1]
            a = stack[sp - 2]
            sp -= 1
            if a != a or b != b:
                stack[sp - 1] = math.nan
            elif op == MIN:
                stack[sp - 1] = a if a < b else b
            else:
                stack[sp - 1] = a if a > b else b
        elif op == SEL:
            q = stack[sp - 1]
            p = stack[sp - 2]
            b = stack[sp - 3]
            a = stack[sp - 4]
            sp -= 3
            stack[sp - 1] = p if a < b else q
        else:
            stack[sp - 1] = _unary(op - FN0, stack[sp - 1])
    return stack[0]


@_unit
def _pow(a, b):
    if a < 0.0 and b != math.floor(b):
        return math.nan
    if a == 0.0 and b < 0.0:
        return math.inf
    if abs(a) > 1.0 and b * math.log(abs(a)) > 709.0:
        return math.inf if (a > 0.0 or b % 2.0 == 0.0) else -math.inf
    return a ** b


@_unit
def _unary(k, v):
    if k == 0:
        return math.sin(v)
    if k == 1:
        return math.cos(v)
    if k == 2:
        return math.tan(v)
    if k == 3:
        return math.exp(v) if v < 709.0 else math.inf
    if k == 4:
        return math.log(v) if v > 0.0 else (-math.inf if v == 0.0 else math.nan)
    if k == 5:
        return math.sqrt(v) if v >= 0.0 else math.nan
    if k == 6:
        return abs(v)
    if k == 7:
        return 0.0 if v == 0.0 else (math.copysign(1.0, v) if v == v else math.nan)
    if k == 8:
        return math.tanh(v)
    if k == 9:
        return math.sinh(v) if abs(v) < 709.0 else math.copysign(math.inf, v)
    if k == 10:
        return math.cosh(v) if abs(v) < 709.0 else math.inf
    return math.atan(v)


@_unit
def evaluate_grid(code, const, lo, hi, xs, ys, depth):
    """The program code[lo:hi] at every (xs[i], ys[i])."""
    out = np.empty(xs.size)
    stack = np.empty(depth)
    for i in range(xs.size):
        out[i] = run_program(code, const, lo, hi, xs[i], ys[i], stack)
    return out


def evaluate(program: Program, which: int, x, y) -> np.ndarray:
    """Program ``which`` (0 value, 1 gx, 2 gy, 3 hxx, 4 hxy, 5 hyy) at arrays x, y (broadcast)."""
    x, y = np.broadcast_arrays(np.asarray(x, np.float64), np.asarray(y, np.float64))
    flat = evaluate_grid(program.code, program.const, program.starts[which], program.starts[which + 1],
                         np.ascontiguousarray(x).ravel(), np.ascontiguousarray(y).ravel(), program.stack)
    return flat.reshape(x.shape)


# ---------------------------------------------------------------- one forward-mode pass

def compile_value(tree) -> Program:
    """The value program alone (``starts`` = [0, n]): ``run_dual`` derives gradient and Hessian
    from it in the same pass, so derivative trees are never expanded."""
    code, const = [], []
    stack = _emit(tree, code, const)
    return Program(np.asarray(code, np.int64), np.asarray(const, np.float64), np.asarray([0, len(code)], np.int64),
                   stack)


@_unit
def _derivs(k, u):
    """f(u), f'(u), f''(u) of unary function k."""
    if k == 0:
        return math.sin(u), math.cos(u), -math.sin(u)
    if k == 1:
        return math.cos(u), -math.sin(u), -math.cos(u)
    if k == 2:
        t = math.tan(u)
        return t, 1.0 + t * t, 2.0 * t * (1.0 + t * t)
    if k == 3:
        e = math.exp(u) if u < 709.0 else math.inf
        return e, e, e
    if k == 4:
        if u > 0.0:
            return math.log(u), 1.0 / u, -1.0 / (u * u)
        return (-math.inf if u == 0.0 else math.nan), math.nan, math.nan
    if k == 5:
        if u > 0.0:
            r = math.sqrt(u)
            return r, 0.5 / r, -0.25 / (r * u)
        return (0.0 if u == 0.0 else math.nan), math.nan, math.nan
    if k == 6:
        return abs(u), (0.0 if u == 0.0 else math.copysign(1.0, u)), 0.0
    if k == 7:
        return (0.0 if u == 0.0 else math.copysign(1.0, u)), 0.0, 0.0
    if k == 8:
        t = math.tanh(u)
        return t, 1.0 - t * t, -2.0 * t * (1.0 - t * t)
    if k == 9:
        if abs(u) >= 709.0:
            return math.copysign(math.inf, u), math.inf, math.copysign(math.inf, u)
        return math.sinh(u), math.cosh(u), math.sinh(u)
    if k == 10:
        if abs(u) >= 709.0:
            return math.inf, math.copysign(math.inf, u), math.inf
        return math.cosh(u), math.sinh(u), math.cosh(u)
    d = 1.0 / (1.0 + u * u)
    return math.atan(u), d, -2.0 * u * d * d


@_unit
def _chain(s, i, f0, f1, f2):
    """Slot i becomes f(slot i), given f, f', f'' at its value."""
    gx, gy = s[i, 1], s[i, 2]
    s[i, 0] = f0
    s[i, 3] = f2 * gx * gx + f1 * s[i, 3]
    s[i, 4] = f2 * gx * gy + f1 * s[i, 4]
    s[i, 5] = f2 * gy * gy + f1 * s[i, 5]
    s[i, 1] = f1 * gx
    s[i, 2] = f1 * gy


@_unit
def _mul(s, i, j):
    """Slot i becomes slot i * slot j (product rule to second order)."""
    a, ax, ay, axx, axy, ayy = s[i, 0], s[i, 1], s[i, 2], s[i, 3], s[i, 4], s[i, 5]
    b, bx, by, bxx, bxy, byy = s[j, 0], s[j, 1], s[j, 2], s[j, 3], s[j, 4], s[j, 5]
    s[i, 0] = a * b
    s[i, 1] = ax * b + a * bx
    s[i, 2] = ay * b + a * by
    s[i, 3] = axx * b + 2.0 * ax * bx + a * bxx
    s[i, 4] = axy * b + ax * by + ay * bx + a * bxy
    s[i, 5] = ayy * b + 2.0 * ay * by + a * byy


@_unit
def run_dual(code, const, lo, hi, x, y, s):
    """Value, gradient and Hessian of the program code[lo:hi] at (x, y) in one pass: every stack
    slot holds (f, fx, fy, fxx, fxy, fyy). Returns the six as a tuple; NaN/inf where undefined."""
    sp = 0
    for i in range(lo, hi):
        op = code[i]
        if op <= Y:
            for c in range(6):
                s[sp, c] = 0.0
            s[sp, 0] = const[i] if op == CONST else (x if op == X else y)
            if op == X:
                s[sp, 1] = 1.0
            elif op == Y:
                s[sp, 2] = 1.0
            sp += 1
        elif op == ADD or op == SUB:
            sign = 1.0 if op == ADD else -1.0
            for c in range(6):
                s[sp - 2, c] += sign * s[sp - 1, c]
            sp -= 1
        elif op == MUL:
            _mul(s, sp - 2, sp - 1)
            sp -= 1
        elif op == DIV:
            b = s[sp - 1, 0]
            if b == 0.0:
                _chain(s, sp - 1, math.inf, math.nan, math.nan)
            else:
                _chain(s, sp - 1, 1.0 / b, -1.0 / (b * b), 2.0 / (b * b * b))
            _mul(s, sp - 2, sp - 1)
            sp -= 1
        elif op == POW:
            e = s[sp - 1, 0]
            constant = s[sp - 1, 1] == 0.0 and s[sp - 1, 2] == 0.0 and s[sp - 1, 3] == 0.0 \
                and s[sp - 1, 4] == 0.0 and s[sp - 1, 5] == 0.0
            a = s[sp - 2, 0]
            if constant:
                if e == 0.0:
                    _chain(s, sp - 2, 1.0, 0.0, 0.0)
                elif e == 1.0:
                    pass
                elif e == 2.0:
                    _chain(s, sp - 2, a * a, 2.0 * a, 2.0)
                else:
                    _chain(s, sp - 2, _pow(a, e), e * _pow(a, e - 1.0), e * (e - 1.0) * _pow(a, e - 2.0))
            else:                                   # a^b = exp(b log a)
                f0, f1, f2 = _derivs(4, a)
                _chain(s, sp - 2, f0, f1, f2)
                _mul(s, sp - 2, sp - 1)
                f0, f1, f2 = _derivs(3, s[sp - 2, 0])
                _chain(s, sp - 2, f0, f1, f2)
            sp -= 1
        elif op == NEG:
            for c in range(6):
                s[sp - 1, c] = -s[sp - 1, c]
        elif op == MIN or op == MAX:
            a, b = s[sp - 2, 0], s[sp - 1, 0]
            if a != a or b != b:
                for c in range(6):
                    s[sp - 2, c] = math.nan
            elif (op == MIN and b < a) or (op == MAX and b > a):
                for c in range(6):
                    s[sp - 2, c] = s[sp - 1, c]
            sp -= 1
        else:
            f0, f1, f2 = _derivs(op - FN0, s[sp - 1, 0])
            _chain(s, sp - 1, f0, f1, f2)
    return s[0, 0], s[0, 1], s[0, 2], s[0, 3], s[0, 4], s[0, 5]


@_unit
def dual_grid(code, const, xs, ys, depth):
    """(n, 6): value, gradient and Hessian at every (xs[i], ys[i])."""
    out = np.empty((xs.size, 6))
    s = np.empty((depth, 6))
    hi = code.size
    for i in range(xs.size):
        out[i, 0], out[i, 1], out[i, 2], out[i, 3], out[i, 4], out[i, 5] = run_dual(code, const, 0, hi, xs[i],
                                                                                    ys[i], s)
    return out


def evaluate_all(program: Program, x, y) -> np.ndarray:
    """(..., 6): value, gx, gy, hxx, hxy, hyy of a ``compile_value`` program at arrays x, y."""
    x, y = np.broadcast_arrays(np.asarray(x, np.float64), np.asarray(y, np.float64))
    out = dual_grid(program.code, program.const, np.ascontiguousarray(x).ravel(), np.ascontiguousarray(y).ravel(),
                    program.stack)
    return out.reshape(x.shape + (6,))
