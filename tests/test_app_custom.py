"""The typed surface (issue 16) through AppTest: the Custom entry renders, a refused function
shows its message next to its box, a bad link falls back with a note, the URL round-trips."""
from __future__ import annotations

import pytest

from lab.config import decode, encode
from tests.test_app_playground import all_text, app, map_spec, show  # noqa: F401  (fixture below)
from tests.test_app_playground import compiled_engine  # noqa: F401

HIMMELBLAU = "(x^2 + y - 11)^2 + (x + y^2 - 7)^2"


def test_the_custom_surface_renders_with_its_formula_and_grammar():
    at = app({"surface": "custom", "expr": HIMMELBLAU, "domain": "-5,5,-5,5", "opt": "adam,sgd"})
    assert not at.exception
    spec = map_spec(at)
    assert spec["layout"]["images"][0]["source"].startswith("data:image/png")
    assert at.session_state["w:expr"] == HIMMELBLAU
    assert "arctan" in all_text(at) and "Nothing else is read" in all_text(at)   # the grammar by the box
    assert "Update rules" in all_text(at)                             # where the derivatives are
    assert not at.get("error")


def test_gradient_hessian_and_stationary_points_are_shown():
    at = app({"surface": "custom", "expr": HIMMELBLAU, "domain": "-5,5,-5,5", "opt": "adam"})
    at = show(at, "x:below_map", "Update rules")
    assert not at.exception
    latex = "\n".join(str(e.value) for e in at.get("latex"))
    assert "11" in latex and "7" in latex                             # the function itself
    assert r"\nabla f" in latex and r"H=\begin{pmatrix}" in latex
    text = all_text(at)
    assert text.count("minimum at") == 4 and text.count("saddle at") == 4 and text.count("maximum at") == 1


@pytest.mark.parametrize("typed,shown", [("x +", "ends too early"), ("__import__(1)", "unknown name `__import__`"),
                                         ("9^9^9", "exponent is too large")])
def test_a_refused_function_shows_its_message_next_to_the_box(typed, shown):
    at = app({"surface": "custom", "opt": "adam"})
    at.text_input(key="w:expr").set_value(typed).run()
    assert not at.exception
    errors = [str(e.value) for e in at.get("error")]
    assert any(shown in e and "at character" in e for e in errors), errors
    assert map_spec(at)                                               # the map still draws


def test_a_refused_function_in_a_link_falls_back_to_the_default_surface_with_a_note():
    at = app({"surface": "custom", "expr": "x + <script>alert(1)</script>", "opt": "adam"})
    assert not at.exception
    assert at.session_state["w:surface"] == "valley"
    warning = "\n".join(str(w.value) for w in at.get("warning"))
    assert "`expr`" in warning and "not allowed" in warning and "<script>" not in warning
    assert "default surface" in warning


def test_a_bad_box_in_a_link_falls_back_too():
    cfg, notes = decode({"surface": "custom", "expr": "x^2 + y^2", "domain": "3,1,0,1"})
    assert cfg.surface == "valley" and [n.problem for n in notes] == ["domain", "custom_fallback"]


def test_the_url_round_trips_the_custom_scene():
    cfg, notes = decode({"surface": "custom", "expr": HIMMELBLAU, "domain": "-5,5,-4,4", "x0": "1", "y0": "-2"})
    assert notes == [] and cfg.surface == "custom" and cfg.expr == HIMMELBLAU and cfg.domain == (-5.0, 5.0, -4.0, 4.0)
    q = encode(cfg)
    assert q["expr"] == HIMMELBLAU and q["domain"] == "-5,5,-4,4" and q["x0"] == "1"
    again, _ = decode(q)
    assert again == cfg and again.surface_object().minima == cfg.surface_object().minima
    at = app(q | {"opt": "adam"})
    assert not at.exception and at.session_state["w:domain"] == "-5, 5, -4, 4"


def test_a_long_function_fits_in_the_link():
    text = " + ".join(f"{k}*x^2" for k in range(1, 30))                 # ~250 characters: more than other values may have
    cfg, notes = decode({"surface": "custom", "expr": text})
    assert notes == [] and cfg.expr == text


def test_compare_runs_on_the_typed_surface():
    from tests.test_app_compare import compare, spec_of
    at = compare({"surface": "custom", "expr": HIMMELBLAU, "domain": "-5,5,-5,5", "opt": "adam,sgd",
                  "cmp.mode": "multiples"})
    assert not at.exception
    spec = spec_of(at)
    assert len(spec["layout"]["images"]) == 2                         # one map per optimizer
    assert at.session_state["w:expr"] == HIMMELBLAU
