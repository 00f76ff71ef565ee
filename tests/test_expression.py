"""surfaces.expression: the whitelist parser refuses everything outside its grammar (and never
executes anything), its exact derivatives match finite differences, and built-in surfaces typed
as expressions give the built-in values, gradients and Hessians."""
from __future__ import annotations

import builtins
import time

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import surfaces
from surfaces.expression import (MAX_LENGTH, ExpressionError, evaluate, gradient, hessian, is_smooth, latex,
                                 parse)

SMOOTH = [
    "(1.5 - x + x*y)^2 + (2.25 - x + x*y^2)^2",
    "x^2 - y^2",
    "sin(3*x)*cos(2*y) + 0.1*(x^2 + y^2)",
    "log(1 + exp(x)) + y^2",
    "tanh(x*y) + sinh(x)/cosh(y) + arctan(x - y)",
    "sqrt(1 + x^2 + y^2) + exp(-x^2) * tan(y/4)",
    "x^y + 2**-x / (1 + y^2)",
    "-x^2 + pi*y - e",
]


@pytest.mark.parametrize("text,expected", [
    ("2^3^2", 512.0), ("-2^2", -4.0), ("(-2)^2", 4.0), ("2**-1", 0.5), ("1e-3*1000", 1.0), (".5+1.", 1.5),
    ("8/4/2", 1.0), ("10-3-2", 5.0), ("min(3, 4) + max(3, 4)", 7.0), ("abs(-2.5)", 2.5), ("+3", 3.0),
])
def test_precedence_and_associativity(text, expected):
    assert float(evaluate(parse(text), 0.0, 0.0)) == pytest.approx(expected)


@pytest.mark.parametrize("text", SMOOTH)
def test_gradient_and_hessian_match_finite_differences(text):
    t = parse(text)
    gx, gy = gradient(t)
    hxx, hxy, hyy = hessian(t)
    rng = np.random.default_rng(0)
    x, y = rng.uniform(0.2, 1.5, 20), rng.uniform(0.2, 1.5, 20)
    h = 1e-6

    def f(a, b):
        return evaluate(t, a, b)
    assert np.allclose(evaluate(gx, x, y), (f(x + h, y) - f(x - h, y)) / (2 * h), rtol=1e-6, atol=1e-6)
    assert np.allclose(evaluate(gy, x, y), (f(x, y + h) - f(x, y - h)) / (2 * h), rtol=1e-6, atol=1e-6)
    h = 1e-4

    def fx(a, b):
        return evaluate(gx, a, b)

    def fy(a, b):
        return evaluate(gy, a, b)
    assert np.allclose(evaluate(hxx, x, y), (fx(x + h, y) - fx(x - h, y)) / (2 * h), rtol=1e-5, atol=1e-5)
    assert np.allclose(evaluate(hxy, x, y), (fx(x, y + h) - fx(x, y - h)) / (2 * h), rtol=1e-5, atol=1e-5)
    assert np.allclose(evaluate(hyy, x, y), (fy(x, y + h) - fy(x, y - h)) / (2 * h), rtol=1e-5, atol=1e-5)
    assert is_smooth(t) and latex(t)


@pytest.mark.parametrize("sid,text", [
    ("beale", "(1.5 - x + x*y)^2 + (2.25 - x + x*y^2)^2 + (2.625 - x + x*y^3)^2"),
    ("saddle", "x^2 - y^2"),
    ("valley", "0.1*x^2 + 2*y^2"),
])
def test_built_in_surfaces_typed_give_the_built_in_derivatives(sid, text):
    s, t = surfaces.get(sid), parse(text)
    rng = np.random.default_rng(1)
    for x, y in rng.uniform(-2, 2, (25, 2)):
        assert float(evaluate(t, x, y)) == pytest.approx(float(s.value(x, y)), rel=1e-12, abs=1e-12)
        g = [float(evaluate(d, x, y)) for d in gradient(t)]
        assert np.allclose(g, s.grad(x, y), rtol=1e-12, atol=1e-12)
        hxx, hxy, hyy = (float(evaluate(d, x, y)) for d in hessian(t))
        assert np.allclose([[hxx, hxy], [hxy, hyy]], s.hess(x, y), rtol=1e-12, atol=1e-12)


def test_non_smooth_and_undefined_points():
    assert not is_smooth(parse("abs(x) + 10*y^2")) and not is_smooth(parse("max(x, y)"))
    t = parse("log(x) + sqrt(y) + 1/x")
    v = evaluate(t, np.array([-1.0, 0.0, 1.0]), np.array([1.0, 1.0, -1.0]))
    assert np.isnan(v[0]) and not np.isfinite(v[1]) and np.isnan(v[2])
    dmin = gradient(parse("min(x, 2*y)"))
    assert float(evaluate(dmin[0], 0.0, 1.0)) == 1.0 and float(evaluate(dmin[1], 5.0, 1.0)) == 2.0


@pytest.mark.parametrize("text,position,words", [
    ("9^9^9", 1, "exponent"), ("x^100", 1, "exponent"), ("__import__('os')", 11, "unexpected"),
    ("x.real", 1, "unexpected"), ("lambda: 1", 6, "unexpected"), ("[x for x in y]", 0, "unexpected"),
    ("foo(x)", 0, "unknown name"), ("open(x)", 0, "unknown name"), ("x +", 3, "ends too early"),
    ("(" * 50 + "x" + ")" * 50, None, "nested too deeply"), ("ｘ^2", 0, "U+FF58"), ("x\x00", 1, "U+0000"),
    ("x − y", 2, "U+2212"), ("1e999", 0, "too large"), ("x" * (MAX_LENGTH + 1), None, "characters long"),
    ("", 0, "empty"), ("x y", 2, "unexpected"), ("sin x", 4, "expected '('"), ("min(x)", 5, "expected ','"),
    ("x+" * 200 + "x", None, "too large"),
])
def test_refusals_say_what_and_where(text, position, words):
    with pytest.raises(ExpressionError) as err:
        parse(text)
    assert words in str(err.value)
    if position is not None:
        assert err.value.position == position
    assert isinstance(err.value, ValueError)


ALPHABET = "xy0123456789.eE+-*/^(),_ \tpisnctaqrbmhlodu" + "ｘ−×\x00'\"[]{}:;=<>!@#$%&|~`\\" + "_import_os"


@settings(max_examples=600, deadline=None)
@given(st.one_of(st.text(alphabet=ALPHABET, max_size=120), st.text(max_size=60),
                 st.sampled_from(["__import__('sentinel')", "().__class__.__bases__[0]", "exec('1')",
                                  "globals()", "x if y else 1", "(lambda: x)()", "x.__class__", "9**9**9**9",
                                  "1" * 400, "(" * 1000, "x" * 10_000, "sin(" * 100 + "x" + ")" * 100])))
def test_fuzz_every_text_is_parsed_or_refused_and_nothing_runs(text):
    sentinel_before = hasattr(builtins, "sentinel_ran")
    start = time.perf_counter()
    try:
        t = parse(text)
    except ExpressionError:
        t = None
    assert time.perf_counter() - start < 0.5
    if t is not None:
        with np.errstate(all="ignore"):
            evaluate(t, 0.5, 0.5)
            gradient(t)
    assert hasattr(builtins, "sentinel_ran") == sentinel_before is False


# ---------------------------------------------------------------- the compiled stack machine

from surfaces import program as pm  # noqa: E402


def test_the_stack_machine_gives_nan_or_inf_never_an_error():
    prog = pm.compile_tree(parse("log(x) + sqrt(y) + 1/x + exp(1000*x) + x^0.5"))
    v = pm.evaluate(prog, np.array([-1.0, 0.0, 2.0]), np.array([1.0, 1.0, -1.0]))[:, 0]
    assert np.isnan(v[0]) and not np.isfinite(v[1]) and not np.isfinite(v[2])
    assert np.isnan(pm.evaluate(pm.compile_tree(parse("(-8)^(1/3)")), 0.0, 0.0)[0])    # as NumPy: no real root
    assert pm.evaluate(pm.compile_tree(parse("8^(1/3)")), 0.0, 0.0)[0] == pytest.approx(2.0)


@pytest.mark.parametrize("text", SMOOTH + ["abs(x) + 10*y^2", "min(x, y^2) - max(x*y, 1)", "x^3 / (y - 1)"])
def test_one_forward_pass_matches_the_symbolic_derivatives(text):
    t = parse(text)
    trees = (t, *gradient(t), *hessian(t))
    rng = np.random.default_rng(3)
    x, y = rng.uniform(-1.5, 1.5, 40), rng.uniform(-1.5, 1.5, 40)
    got = pm.evaluate(pm.compile_tree(t), x, y)
    for k, tree in enumerate(trees):
        with np.errstate(all="ignore"):
            want = evaluate(tree, x, y)
        same = np.isclose(got[:, k], want, rtol=1e-9, atol=1e-9) | (~np.isfinite(got[:, k]) & ~np.isfinite(want))
        assert same.all(), (text, k, got[~same, k], want[~same])


LEAF_FORMS = ["x - 2", "2 - x", "y - x", "x - y", "x / 3", "3 / x", "x / y", "y / x", "(x*y) / x", "x / (x*y)",
              "2^x", "x^2.5", "x^-2", "x^0", "x^1", "(x+y)^(x*y)", "min(x, y)", "max(x*y, x)", "-x*y", "x*3 + y",
              "abs(x - y) + sqrt(x*x + 1) + sin(x)*exp(y)"]


@pytest.mark.parametrize("text", LEAF_FORMS)
def test_every_instruction_form_matches_the_symbolic_derivatives(text):
    """Each operator in each operand form (stack, constant, x, y; leaf first or last)."""
    t = parse(text)
    trees = (t, *gradient(t), *hessian(t))
    rng = np.random.default_rng(5)
    x, y = rng.uniform(0.3, 1.7, 30), rng.uniform(0.3, 1.7, 30)
    got = pm.evaluate(pm.compile_tree(t), x, y)
    for k, tree in enumerate(trees):
        want = evaluate(tree, x, y)
        np.testing.assert_allclose(got[:, k], np.broadcast_to(want, x.shape), rtol=1e-10, atol=1e-12,
                                   err_msg=f"{text}: column {k}")


def test_the_call_free_variant_serves_polynomials_and_the_other_the_rest():
    assert pm.compile_tree(parse("(1 - x)^2 + 100*(y - x^2)^2 + sqrt(abs(x)) / y"))[3] == 0.0
    assert pm.compile_tree(parse("sin(x) + y"))[3] == 1.0
    assert pm.compile_tree(parse("x^2.5"))[3] == 1.0          # a non-whole power calls the library


def test_constant_subtrees_are_folded_and_leaves_join_their_operator():
    prog = pm.compile_tree(parse("x*y + 2*pi"))               # PUSH_X, MUL_Y, ADD_C(2 pi)
    n = int(prog[1])
    assert n == 3 and list(prog[pm.HEAD:pm.HEAD + n]) == [pm.PUSH_X, pm.MUL_Y, pm.ADD_C]
    assert prog[pm.HEAD + n + 2] == pytest.approx(2 * np.pi)


def test_both_passes_give_the_same_value_bit_for_bit():
    """The loss a run records and the loss of a grid agree exactly (both passes share every value operation)."""
    from surfaces import kernels
    for text in ["(1.5 - x + x*y)^2 + (2.25 - x + x*y^2)^2", "x / (1 + y^2) - 3 / x", "sin(x)^2 + log(1 + exp(y))"]:
        prog = pm.compile_tree(parse(text))
        x, y = np.linspace(0.2, 2.0, 50), np.linspace(-1.0, 1.5, 50)
        six = pm.evaluate(prog, x, y)
        w = np.full((1, kernels.work_width(kernels.CUSTOM, prog)), np.nan)
        fg = np.array([kernels.custom_value_grad(kernels.header(prog), prog, w, 0, a, b) for a, b in zip(x, y)])
        vals, three = fg[:, 0], fg[:, 1:3]
        assert np.array_equal(vals, six[:, 0]) and np.array_equal(three, six[:, 1:3])


@pytest.mark.parametrize("text,x,y,want", [
    ("x^(-1)", 0.0, 0.0, (np.inf, None, None)),                   # a whole negative power at 0: inf, as NumPy
    ("(-2)^x + y", 1.0, 3.0, (1.0, np.nan, 1.0)),                 # ∂/∂y is 1 though ∂/∂x is undefined
    ("x^y", -2.0, -2.0, (0.25, 0.25, np.nan)),                    # a negative base with a whole exponent
    ("(x - y)^y + (y - 2)^2", 2.0, 2.0, (0.0, 0.0, 0.0)),         # 0^b for b > 1: the limit, not 0·ln 0
    ("sqrt(x) + y", -1.0, 3.0, (np.nan, np.nan, 1.0)),
])
def test_derivatives_where_part_of_the_rule_is_undefined(text, x, y, want):
    got = pm.evaluate(pm.compile_tree(parse(text)), x, y)
    for k, w in enumerate(want):
        if w is not None:
            assert (np.isnan(got[k]) if np.isnan(w) else got[k] == w), (text, k, got)


LANES_PROGRAMS = LEAF_FORMS + SMOOTH + ["abs(x) + 10*y^2", "(x + y)^3 - 3*x*y^3 + x^4", "-(x - 1)^2 / (y + 2)",
                                        "min(x, y^2) - max(x*y, 1)", "1/x + log(x)", "sqrt(x) - y^-3"]


@pytest.mark.parametrize("text", LANES_PROGRAMS)
def test_the_block_passes_agree_bit_for_bit_with_the_one_point_passes(text):
    """A grid computes a block of runs at once (value and gradient; the value alone; value, gradient
    and Hessian): the numbers must be the one-point passes' own, undefined points included, and only
    the lanes asked for are written."""
    from surfaces import kernels
    prog = pm.compile_tree(parse(text))
    rng = np.random.default_rng(11)
    xs = np.column_stack([rng.uniform(-2.0, 2.0, 64), rng.uniform(-2.0, 2.0, 64)])
    xs[:4] = [[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [-1.0, -1.0]]       # zeros and negatives: NaN, inf
    mask = rng.uniform(size=64) < 0.8
    width = kernels.work_width(kernels.CUSTOM, prog)
    with np.errstate(all="ignore"):
        want = np.array([pm.hessian_at(prog, np.full((1, width), np.nan), 0, a, b) for a, b in xs])
    one = np.full((1, width), np.nan)
    want_vg = np.array([pm.value_grad(prog, one, 0, a, b) for a, b in xs])
    G, H, V = pm.G_AT, pm.H_AT, pm.V_AT

    w = np.full((64, width), np.nan)
    pm.value_grad_lanes(prog, w, xs, mask)
    assert np.array_equal(w[mask, G:G + 5], np.column_stack([xs[mask], want_vg[mask]]), equal_nan=True)
    assert np.isnan(w[~mask, :pm.MEMO]).all()

    w = np.full((64, width), np.nan)
    pm.value_lanes(prog, w, xs, mask)
    assert np.array_equal(w[mask, V:V + 3], np.column_stack([xs[mask], want_vg[mask, 0]]), equal_nan=True)
    assert np.isnan(w[~mask, :pm.MEMO]).all() and np.isnan(w[:, G:G + 5]).all()

    w = np.full((64, width), np.nan)
    pm.value_grad_hess_lanes(prog, w, xs, mask)
    assert np.array_equal(w[mask, G:G + 5], np.column_stack([xs[mask], want[mask, :3]]), equal_nan=True)
    assert np.array_equal(w[mask, H:H + 5], np.column_stack([xs[mask], want[mask, 3:]]), equal_nan=True)
    assert np.isnan(w[~mask, :pm.MEMO]).all()
