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
