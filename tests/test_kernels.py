"""How the compiled engine is laid out: one kernel pair per optimizer, named hyperparameters and
state, one source for the surface codes, and cache directories keyed by what each kernel is built
from (so that an edit recompiles only what depends on it)."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import surfaces
from optim_core import OPTIMIZERS, run
from optim_core import engine
from optim_core.rules import RULES
from surfaces import kernels

ROOT = Path(__file__).resolve().parents[1]


# ---------- optimizers: names, not positions ----------

def test_every_catalogue_optimizer_has_a_rule_and_nothing_else_does():
    assert set(RULES) == set(OPTIMIZERS)


@pytest.mark.parametrize("oid", list(OPTIMIZERS))
def test_rule_hyperparameter_fields_are_the_catalogue_names_in_order(oid):
    assert list(RULES[oid].Hyper._fields) == OPTIMIZERS[oid].hyper_names()


@pytest.mark.parametrize("oid", list(OPTIMIZERS))
def test_state_fields_are_named_floats(oid):
    State = RULES[oid].State
    assert len(set(State._fields)) == len(State._fields)
    assert all(f.isidentifier() and not f.startswith("_") for f in State._fields)
    assert all(t is float for t in State.__annotations__.values())


@pytest.mark.parametrize("oid", list(OPTIMIZERS))
def test_each_optimizer_has_its_own_kernels_bound_to_its_own_rule(oid):
    # (that the rule computes the right thing is test_reference's and test_torch_golden's job)
    assert RULES[oid].step.py_func.__name__ == oid
    for kernel in (engine.trajectory_kernel(oid), engine.grid_kernel(oid)):
        env = kernel.py_func.__globals__
        assert env["RULE"] is RULES[oid].step
        assert env["Hyper"] is RULES[oid].Hyper and env["State"] is RULES[oid].State
        assert kernel.__name__.endswith("_" + oid)
    assert engine.trajectory_kernel(oid) is engine.trajectory_kernel(oid)   # bound once


def test_extra_is_named_from_one_column_map():
    res = run("asgd", "valley", (-5.0, -2.0), 20)
    assert set(res.extra) == {"grad", "update", "lr", "eff_lr", "raw_xy"}
    res = run("adam", "valley", (-5.0, -2.0), 20)
    assert set(res.extra) == {"grad", "update", "lr", "eff_lr", "velocity", "second_moment"}
    assert engine.DIAG_COLUMNS.index("eff_lr_x") == engine.DIAG_COLUMNS.index("eff_lr_y") - 1


# ---------- surfaces: one source for the codes, a branch each ----------

FORMULAS = {
    "beale": lambda x, y, p: (1.5 - x + x * y) ** 2 + (2.25 - x + x * y**2) ** 2 + (2.625 - x + x * y**3) ** 2,
    "saddle": lambda x, y, p: x**2 - y**2,
    "valley": lambda x, y, p: 0.1 * x**2 + 2 * y**2,
    "noisy_bowl": None,   # a finite sum: checked against its samples in test_surfaces
    "rosenbrock": lambda x, y, p: (1 - x) ** 2 + 100 * (y - x**2) ** 2,
    "himmelblau": lambda x, y, p: (x**2 + y - 11) ** 2 + (x + y**2 - 7) ** 2,
    "rastrigin": lambda x, y, p: (2 * p["A"] + x**2 - p["A"] * np.cos(2 * np.pi * x) + y**2
                                  - p["A"] * np.cos(2 * np.pi * y)),
    "rotated_valley": lambda x, y, p: 0.1 * ((np.cos(np.radians(p["angle_deg"])) * x + np.sin(np.radians(p["angle_deg"])) * y) ** 2
                                             + p["kappa"] * (-np.sin(np.radians(p["angle_deg"])) * x
                                                             + np.cos(np.radians(p["angle_deg"])) * y) ** 2),
    "goldstein_price": lambda x, y, p: ((1 + (x + y + 1) ** 2 * (19 - 14 * x + 3 * x**2 - 14 * y + 6 * x * y + 3 * y**2))
                                        * (30 + (2 * x - 3 * y) ** 2 * (18 - 32 * x + 12 * x**2 + 48 * y - 36 * x * y
                                                                        + 27 * y**2))),
    "wavy": lambda x, y, p: x * np.cos(p["c"] * x) + y**2,
    "double_well": lambda x, y, p: (x**2 - 1) ** 2 + p["tilt"] * x + y**2,
    "plateau": lambda x, y, p: 1 - np.exp(-(x**2 + y**2) / (2 * p["width"] ** 2)),
    "sparse_features": None,   # a finite sum: checked against its samples in test_surfaces
}


def test_surface_codes_have_one_source():
    # every code but CUSTOM (a typed function: its program is in the packed vector) is a catalogue entry
    assert set(kernels.SURFACE_IDS) - {"custom"} == set(surfaces.SURFACES) == set(FORMULAS)
    assert kernels.SURFACE_IDS[kernels.CUSTOM] == "custom" and surfaces.custom("x").code == kernels.CUSTOM
    for sid, spec in surfaces.SURFACES.items():
        assert spec.code == kernels.SURFACE_IDS.index(sid) == getattr(kernels, sid.upper())


@pytest.mark.parametrize("sid", [s for s in FORMULAS if FORMULAS[s]])
def test_every_surface_code_reaches_its_own_formula(sid):
    s = surfaces.get(sid)
    rng = np.random.default_rng(7)
    x0, x1, y0, y1 = s.domain
    x, y = rng.uniform(x0, x1, 20), rng.uniform(y0, y1, 20)
    np.testing.assert_allclose(s.value(x, y), FORMULAS[sid](x, y, s.params), rtol=1e-12, atol=1e-12)


def test_an_unknown_surface_code_gives_nan_not_another_formula():
    out = np.empty((1, 6))
    kernels.evaluate_many(len(kernels.SURFACE_IDS), np.ones(kernels.HEAD), np.array([0.5]), np.array([0.5]), out)
    assert np.isnan(out).all()


# ---------- compile units: what each is built from ----------

def test_each_kernel_depends_on_its_own_rule_and_the_shared_sources_only():
    assert "optim_core/rules/adam.py" in engine.kernel_sources("adam")
    assert "optim_core/rules/adam.py" in engine.kernel_sources("adamw")
    assert "optim_core/rules/adam.py" not in engine.kernel_sources("newton")
    assert not any("rules/" in f for f in kernels.DEPS)
    for oid in OPTIMIZERS:
        for f in engine.kernel_sources(oid):
            assert (ROOT / f).is_file(), f


def _unit_dirs(checkout: Path) -> dict:
    code = ("import json; from optim_core import engine, OPTIMIZERS; from surfaces import jit_cache, kernels; "
            "d = {o: jit_cache.unit_dir(o, engine.kernel_sources(o)).name for o in OPTIMIZERS}; "
            "d['surfaces'] = jit_cache.unit_dir('surfaces', kernels.DEPS).name; print(json.dumps(d))")
    import json
    out = subprocess.run([sys.executable, "-c", code], cwd=checkout, capture_output=True, text=True, check=True,
                         env={"PATH": "/usr/bin:/bin", "NUMBA_CACHE_DIR": str(checkout / "cache")})
    return json.loads(out.stdout)


def test_editing_adams_rule_recompiles_only_adams_kernels(tmp_path):
    for pkg in ("optim_core", "surfaces"):
        shutil.copytree(ROOT / pkg, tmp_path / pkg, ignore=shutil.ignore_patterns("__pycache__"))
    before = _unit_dirs(tmp_path)
    rule = tmp_path / "optim_core" / "rules" / "adam.py"
    rule.write_text(rule.read_text() + "\n# an edit\n")
    after = _unit_dirs(tmp_path)
    changed = {k for k in before if before[k] != after[k]}
    assert changed == {"adam", "amsgrad", "adamw"}
    kern = tmp_path / "surfaces" / "kernels.py"
    kern.write_text(kern.read_text() + "\n# an edit\n")
    assert {k for k in after if after[k] != _unit_dirs(tmp_path)[k]} == set(after)  # everything uses them




def test_a_built_in_run_compiles_none_of_the_typed_surfaces_interpreter(tmp_path):
    """A fresh start's first map waits only for built-in kernels, and those hold no interpreter: a
    cold process that runs Adam on the valley compiles none of ``surfaces.program``'s passes (they
    are compiled for the typed kernels only)."""
    code = ("from optim_core import run\nfrom surfaces import program\n"
            "run('adam', 'valley', (-5.0, -2.0), 5)\n"
            "passes = [program.value_grad, program.value_grad_call_free, program.value_grad_hess,\n"
            "          program.value_grad_lanes, program.value_lanes, program.value_grad_hess_lanes]\n"
            "print(sum(len(p.signatures) for p in passes))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True,
                         timeout=600, env={"PATH": "/usr/bin:/bin", "NUMBA_CACHE_DIR": str(tmp_path / "cache")})
    assert out.stdout.strip() == "0", out.stdout + out.stderr


def test_typed_and_built_in_surfaces_run_their_own_kernels():
    s = surfaces.custom("x^2 + 3*y^2")
    run("adam", s, (1.0, 1.0), 3)
    run("adam", "valley", (1.0, 1.0), 3)
    typed, built_in = engine.trajectory_kernel("adam", typed=True), engine.trajectory_kernel("adam")
    assert typed is not built_in and typed.__name__ == "typed_trajectory_adam"
    assert engine.grid_kernel("nag", typed=True).py_func.__globals__["GRAD_POINT"] is RULES["nag"].grad_point
    assert engine.grid_kernel("newton", typed=True).py_func.__globals__["HESSIAN"] is True
    assert engine.grid_kernel("adam").py_func.__globals__["HESSIAN"] is False
