"""A user's typed function of x and y: a whitelist parser of our own, exact symbolic derivatives
on the tree it builds, and a NumPy evaluator (the first step of the Custom surface, issue 16).

The text is never executed: it is read character by character by a small recursive-descent
parser (no ``eval``, ``exec``, ``compile``, ``ast`` or ``sympify`` of user text). Anything not in
the grammar is refused with an :class:`ExpressionError` naming what is wrong and where.

Grammar (``^`` and ``**`` are the same; powers bind tighter than unary minus, as in maths:
``-x^2`` is ``-(x^2)``; ``2^3^2`` is ``2^(3^2)``)::

    expr   := term (("+" | "-") term)*
    term   := unary (("*" | "/") unary)*
    unary  := ("-" | "+") unary | power
    power  := atom (("^" | "**") unary)?
    atom   := number | "x" | "y" | "pi" | "e" | name "(" expr ("," expr)? ")" | "(" expr ")"

A tree is nested tuples: ``("num", v)``, ``("var", "x")``, ``(op, a, b)`` for op in add, sub,
mul, div, pow; ``("neg", a)``; ``("fn", name, a)`` for the one-argument functions;
``("min", a, b)``, ``("max", a, b)``; and, made only by differentiation, ``("sel", a, b, p, q)``
(p where a < b, else q).
"""
from __future__ import annotations

import math
import re

import numpy as np

MAX_LENGTH = 500            # characters
MAX_DEPTH = 40              # nesting of brackets and operators
MAX_NODES = 300             # nodes of the parsed tree
MAX_LITERAL = 1e12          # largest number literal
MAX_CONST_EXPONENT = 64     # largest constant exponent (9^9^9 is refused)

FUNCTIONS = ("sin", "cos", "tan", "exp", "log", "sqrt", "abs", "tanh", "sinh", "cosh", "arctan")
TWO_ARGUMENTS = ("min", "max")
CONSTANTS = {"pi": math.pi, "e": math.e}
NON_SMOOTH = ("abs", "min", "max")


class ExpressionError(ValueError):
    """A refused expression; ``position`` is the character offset of the problem, or None.

    For a translated message, ``code`` names the kind of problem (``CODES``) and ``detail`` the
    part of it worth showing: a token, a limit or a code point, never more than 20 characters of
    the user's text (letters, digits and operators only)."""

    def __init__(self, message: str, position: int | None = None, code: str = "invalid", detail: str = ""):
        super().__init__(message if position is None else f"{message} (at character {position + 1})")
        self.position = position
        self.code = code
        self.detail = detail


CODES = ("not_text", "too_long", "unexpected_character", "expected", "too_large", "too_deep",
         "exponent_too_large", "number_too_large", "unknown_name", "ends_early", "unexpected", "empty")


_TOKEN = re.compile(r"\s*(?:(?P<num>(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)|(?P<name>[A-Za-z_]+)"
                    r"|(?P<op>\*\*|[-+*/^(),]))")


def _shown(ch: str) -> str:
    """A character as a message may show it: printable ASCII as itself, else its code point."""
    return repr(ch) if 32 < ord(ch) < 127 and ch not in "`\\" else f"U+{ord(ch):04X}"


def tokenize(text: str) -> list[tuple[str, str, int]]:
    """(kind, text, position) per token, kind in num | name | op | end."""
    if not isinstance(text, str):
        raise ExpressionError("the expression must be text", code="not_text")
    if len(text) > MAX_LENGTH:
        raise ExpressionError(f"the expression is {len(text)} characters long; at most {MAX_LENGTH} are allowed",
                              code="too_long", detail=str(MAX_LENGTH))
    out, i = [], 0
    while True:
        while i < len(text) and text[i] in " \t":
            i += 1
        if i == len(text):
            out.append(("end", "", i))
            return out
        m = _TOKEN.match(text, i)
        if not m or m.start(m.lastgroup) != i:
            raise ExpressionError(f"unexpected character {_shown(text[i])}", i, "unexpected_character", _shown(text[i]))
        out.append((m.lastgroup, m.group(m.lastgroup), i))
        i = m.end()


class _Parser:
    def __init__(self, text: str):
        self.tokens = tokenize(text)
        self.i = 0
        self.depth = 0
        self.nodes = 0

    def peek(self):
        return self.tokens[self.i]

    def take(self):
        tok = self.tokens[self.i]
        self.i += 1
        return tok

    def expect(self, op: str):
        kind, txt, pos = self.take()
        if txt != op or kind != "op":
            raise ExpressionError(f"expected {op!r} but found {txt!r}" if txt else f"expected {op!r} at the end", pos,
                                  "expected", op)

    def node(self, *parts):
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise ExpressionError(f"the expression is too large: more than {MAX_NODES} parts", self.peek()[2],
                                  "too_large", str(MAX_NODES))
        return parts

    def enter(self):
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise ExpressionError(f"the expression is nested too deeply: more than {MAX_DEPTH} levels", self.peek()[2],
                                  "too_deep", str(MAX_DEPTH))

    def left_assoc(self, operand, ops: dict):
        """operand (op operand)* for the operators ``ops`` (symbol -> node), grouped to the left."""
        a = operand()
        while self.peek()[0] == "op" and self.peek()[1] in ops:
            a = self.node(ops[self.take()[1]], a, operand())
        return a

    def nested(self, parse_part):
        """parse_part() one level deeper (the depth limit counts levels)."""
        self.enter()
        try:
            return parse_part()
        finally:
            self.depth -= 1

    def expr(self):
        return self.nested(lambda: self.left_assoc(self.term, {"+": "add", "-": "sub"}))

    def term(self):
        return self.left_assoc(self.unary, {"*": "mul", "/": "div"})

    def unary(self):
        kind, txt, _ = self.peek()
        if kind == "op" and txt in ("-", "+"):
            self.take()
            a = self.nested(self.unary)
            return self.node("neg", a) if txt == "-" else a
        return self.power()

    def power(self):
        base = self.atom()
        kind, txt, pos = self.peek()
        if kind == "op" and txt in ("^", "**"):
            self.take()
            exponent = self.nested(self.unary)
            c = constant_value(exponent)
            if c is not None and not abs(c) <= MAX_CONST_EXPONENT:
                raise ExpressionError(f"the exponent is too large: at most {MAX_CONST_EXPONENT} in size", pos,
                                      "exponent_too_large", str(MAX_CONST_EXPONENT))
            return self.node("pow", base, exponent)
        return base

    def atom(self):
        kind, txt, pos = self.take()
        if kind == "num":
            v = float(txt)
            if not math.isfinite(v) or abs(v) > MAX_LITERAL:
                raise ExpressionError(f"the number {txt[:20]} is too large: at most {MAX_LITERAL:g}", pos,
                                      "number_too_large", f"{MAX_LITERAL:g}")
            return self.node("num", v)
        if kind == "name":
            if txt in ("x", "y"):
                return self.node("var", txt)
            if txt in CONSTANTS:
                return self.node("num", CONSTANTS[txt])
            if txt in FUNCTIONS or txt in TWO_ARGUMENTS:
                self.expect("(")
                self.enter()
                a = self.expr()
                if txt in TWO_ARGUMENTS:
                    self.expect(",")
                    b = self.expr()
                    self.expect(")")
                    self.depth -= 1
                    return self.node(txt, a, b)
                self.expect(")")
                self.depth -= 1
                return self.node("fn", txt, a)
            raise ExpressionError(f"unknown name {txt[:20]!r}: allowed are x, y, pi, e and the functions "
                                  f"{', '.join(FUNCTIONS + TWO_ARGUMENTS)}", pos, "unknown_name", txt[:20])
        if kind == "op" and txt == "(":
            a = self.expr()
            self.expect(")")
            return a
        if kind == "end":
            raise ExpressionError("the expression ends too early", pos, "ends_early")
        raise ExpressionError(f"unexpected {txt[:20]!r}", pos, "unexpected", txt[:20])


def parse(text: str) -> tuple:
    """The tree of ``text``, or ExpressionError."""
    p = _Parser(text)
    if p.peek()[0] == "end":
        raise ExpressionError("the expression is empty", 0, "empty")
    tree = p.expr()
    kind, txt, pos = p.peek()
    if kind != "end":
        raise ExpressionError(f"unexpected {txt[:20]!r}", pos, "unexpected", txt[:20])
    return tree


# ---------------------------------------------------------------- building and simplifying

def constant_value(t) -> float | None:
    """The value of a tree without variables, or None."""
    if t[0] == "num":
        return t[1]
    if t[0] == "var":
        return None
    with np.errstate(all="ignore"):
        v = evaluate(t, np.float64(0.0), np.float64(0.0)) if not _has_var(t) else None
    return None if v is None else float(v)


def _has_var(t) -> bool:
    if t[0] == "var":
        return True
    return any(_has_var(c) for c in t[1:] if isinstance(c, tuple))


def num(v):
    return ("num", float(v))


def add(a, b):
    if a == ("num", 0.0):
        return b
    if b == ("num", 0.0):
        return a
    if a[0] == b[0] == "num":
        return num(a[1] + b[1])
    return ("add", a, b)


def sub(a, b):
    if b == ("num", 0.0):
        return a
    if a == ("num", 0.0):
        return neg(b)
    if a[0] == b[0] == "num":
        return num(a[1] - b[1])
    return ("sub", a, b)


def mul(a, b):
    if a == ("num", 0.0) or b == ("num", 0.0):
        return num(0.0)
    if a == ("num", 1.0):
        return b
    if b == ("num", 1.0):
        return a
    if a[0] == b[0] == "num":
        return num(a[1] * b[1])
    if b[0] == "num":              # the constant first: "3 cos(3x)", as one writes it
        a, b = b, a
    if a[0] == "neg" or b[0] == "neg":      # a·(−b) = −(a·b), shown without a bracketed minus
        return neg(mul(a[1] if a[0] == "neg" else a, b[1] if b[0] == "neg" else b)) if not (
            a[0] == "neg" and b[0] == "neg") else mul(a[1], b[1])
    if a[0] == "num" and b[0] == "mul" and b[1][0] == "num":   # 3·(2·u) = 6 u
        return mul(num(a[1] * b[1][1]), b[2])
    return ("mul", a, b)


def div(a, b):
    if a == ("num", 0.0):
        return num(0.0)
    if b == ("num", 1.0):
        return a
    return ("div", a, b)


def neg(a):
    if a[0] == "num":
        return num(-a[1])
    if a[0] == "neg":
        return a[1]
    return ("neg", a)


def fn(name, a):
    return ("fn", name, a)


def power(a, b):
    if b == ("num", 1.0):
        return a
    if b == ("num", 0.0):
        return num(1.0)
    return ("pow", a, b)


# ---------------------------------------------------------------- derivatives

def derivative(t, v: str):
    """d t / d v, a tree (simplified where it is free to)."""
    op = t[0]
    if op == "num":
        return num(0.0)
    if op == "var":
        return num(1.0 if t[1] == v else 0.0)
    if op in ("add", "sub"):
        return (add if op == "add" else sub)(derivative(t[1], v), derivative(t[2], v))
    if op == "neg":
        return neg(derivative(t[1], v))
    if op == "mul":
        a, b = t[1], t[2]
        return add(mul(derivative(a, v), b), mul(a, derivative(b, v)))
    if op == "div":
        a, b = t[1], t[2]
        return div(sub(mul(derivative(a, v), b), mul(a, derivative(b, v))), power(b, num(2.0)))
    if op == "pow":
        a, b = t[1], t[2]
        da, db = derivative(a, v), derivative(b, v)
        if db == ("num", 0.0):                       # a^c: c a^(c-1) a'
            return mul(mul(b, power(a, sub(b, num(1.0)))), da)
        # a^b = exp(b log a): a^b (b' log a + b a'/a)
        return mul(t, add(mul(db, fn("log", a)), div(mul(b, da), a)))
    if op == "fn":
        name, a = t[1], t[2]
        da = derivative(a, v)
        if da == ("num", 0.0):
            return num(0.0)
        outer = {
            "sin": lambda: fn("cos", a),
            "cos": lambda: neg(fn("sin", a)),
            "tan": lambda: add(num(1.0), power(fn("tan", a), num(2.0))),
            "exp": lambda: fn("exp", a),
            "log": lambda: div(num(1.0), a),
            "sqrt": lambda: div(num(0.5), fn("sqrt", a)),
            "abs": lambda: fn("sign", a),
            "sign": lambda: num(0.0),
            "tanh": lambda: sub(num(1.0), power(fn("tanh", a), num(2.0))),
            "sinh": lambda: fn("cosh", a),
            "cosh": lambda: fn("sinh", a),
            "arctan": lambda: div(num(1.0), add(num(1.0), power(a, num(2.0)))),
        }[name]()
        return mul(outer, da)
    if op in ("min", "max"):
        a, b = t[1], t[2]
        da, db = derivative(a, v), derivative(b, v)
        # min: a' where a < b, else b'; max: b' where a < b, else a'
        return ("sel", a, b, da, db) if op == "min" else ("sel", a, b, db, da)
    if op == "sel":
        return ("sel", t[1], t[2], derivative(t[3], v), derivative(t[4], v))
    raise ValueError(f"unknown node {op!r}")


def gradient(t):
    return derivative(t, "x"), derivative(t, "y")


def hessian(t):
    gx, gy = gradient(t)
    return derivative(gx, "x"), derivative(gx, "y"), derivative(gy, "y")


# ---------------------------------------------------------------- evaluation (NumPy)

_UNARY = {"sin": np.sin, "cos": np.cos, "tan": np.tan, "exp": np.exp, "log": np.log, "sqrt": np.sqrt,
          "abs": np.abs, "sign": np.sign, "tanh": np.tanh, "sinh": np.sinh, "cosh": np.cosh, "arctan": np.arctan}


def evaluate(t, x, y):
    """The tree's value at (x, y) (arrays broadcast); NaN/inf where it is undefined."""
    op = t[0]
    if op == "num":
        return np.float64(t[1]) + 0.0 * np.asarray(x, dtype=np.float64)
    if op == "var":
        return np.asarray(x if t[1] == "x" else y, dtype=np.float64)
    with np.errstate(all="ignore"):
        if op == "neg":
            return -evaluate(t[1], x, y)
        if op == "fn":
            return _UNARY[t[1]](evaluate(t[2], x, y))
        if op == "sel":
            a, b = evaluate(t[1], x, y), evaluate(t[2], x, y)
            return np.where(a < b, evaluate(t[3], x, y), evaluate(t[4], x, y))
        a, b = evaluate(t[1], x, y), evaluate(t[2], x, y)
        if op == "add":
            return a + b
        if op == "sub":
            return a - b
        if op == "mul":
            return a * b
        if op == "div":
            return a / b
        if op == "pow":
            return np.power(a, b)
        if op == "min":
            return np.minimum(a, b)
        if op == "max":
            return np.maximum(a, b)
    raise ValueError(f"unknown node {op!r}")


def is_smooth(t) -> bool:
    """False where the expression uses abs, min or max (its gradient jumps)."""
    if t[0] in ("min", "max") or (t[0] == "fn" and t[1] in NON_SMOOTH):
        return False
    return all(is_smooth(c) for c in t[1:] if isinstance(c, tuple))


# ---------------------------------------------------------------- LaTeX

_PREC = {"add": 1, "sub": 1, "mul": 2, "div": 2, "neg": 3, "pow": 4}


def latex(t, parent: int = 0) -> str:
    """The tree as LaTeX (for display next to the box)."""
    op = t[0]
    if op == "num":
        v = t[1]
        if v == math.pi:
            return r"\pi"
        if v == math.e:
            return "e"
        text = f"{v:.6g}"
        if "e" in text:
            mantissa, exponent = text.split("e")
            return rf"{mantissa} \cdot 10^{{{int(exponent)}}}"
        return text
    if op == "var":
        return t[1]
    if op == "fn":
        name = {"arctan": r"\arctan", "abs": None, "sign": r"\operatorname{sign}", "sqrt": None}.get(t[1], "\\" + t[1])
        inner = latex(t[2])
        if t[1] == "abs":
            return rf"\left|{inner}\right|"
        if t[1] == "sqrt":
            return rf"\sqrt{{{inner}}}"
        return rf"{name}\left({inner}\right)"
    if op in ("min", "max"):
        return rf"\{op}\left({latex(t[1])}, {latex(t[2])}\right)"
    if op == "sel":
        return (rf"\begin{{cases}}{latex(t[3])} & {latex(t[1])} < {latex(t[2])}\\ "
                rf"{latex(t[4])} & \text{{otherwise}}\end{{cases}}")
    p = _PREC[op]
    if op == "div":
        s = rf"\frac{{{latex(t[1])}}}{{{latex(t[2])}}}"
    elif op == "neg":
        s = "-" + latex(t[1], _PREC["mul"])       # −(a·b) is −a·b; only sums need brackets
    elif op == "pow":
        s = rf"{{{latex(t[1], p + 1)}}}^{{{latex(t[2])}}}"
    elif op == "mul" and t[1][0] == "num" and t[2][0] in ("var", "fn", "pow") and t[1][1] >= 0:
        s = latex(t[1], p) + " " + latex(t[2], p)                # 3x, 2 sin(y): juxtaposed
    else:
        sym = {"add": " + ", "sub": " - ", "mul": r" \cdot "}[op]
        right = _PREC["neg"] + 1 if op == "mul" and t[2][0] == "neg" else p + (op == "sub")   # a·(−b), not a·−b
        s = latex(t[1], p) + sym + latex(t[2], right)
    return rf"\left({s}\right)" if p < parent else s
