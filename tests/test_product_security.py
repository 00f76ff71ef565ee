"""What the product code may not do (issue 17, hostile input): run text as code, unpickle, start a
shell, or hand user text to the browser as raw HTML.

The product code is app.py, app_pages/, ui/, viz/, lab/, optim_core/, surfaces/ and deploy/ (when
present). Each file is parsed, so that a word in a comment or a docstring does not count and
``re.compile`` is not the built-in ``compile``. Every place that sends raw HTML to the page
(``unsafe_allow_html=True``, ``st.html``, ``components.html``) is pinned below with the reason it
is safe; a new one fails here until it is reviewed and added.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PRODUCT = ["app.py", "app_pages", "ui", "viz", "lab", "optim_core", "surfaces", "deploy"]
# the built-ins that run or load text as code
CODE_FROM_TEXT = {"eval", "exec", "compile", "__import__", "breakpoint"}
# module -> functions that deserialise or run what they are given
UNSAFE_CALLS = {"pickle": {"load", "loads"}, "marshal": {"load", "loads"}, "shelve": {"open"},
                "dill": {"load", "loads"}, "os": {"system", "popen", "execv", "execvp", "execl", "spawnl"},
                "importlib": {"import_module"}, "yaml": {"load", "unsafe_load"}, "code": {"interact"}}
UNSAFE_MODULES = {"pickle", "marshal", "shelve", "dill", "cloudpickle", "yaml"}
# the product's subprocesses: the engine's warm-up worker (a fixed argument list, no shell), and the deployment's
SUBPROCESS_SITES = {("lab/warmup.py", "subprocess.Popen"),
                    # nginx -t, the warm-up, the replicas and nginx: fixed argument lists, no shell
                    ("deploy/cluster.py", "subprocess.run"), ("deploy/cluster.py", "subprocess.Popen")}
# (file, call) -> why what it sends is safe
RAW_HTML_SITES = {
    ("ui/style.py", "st.html"): "the page's CSS: the module constants CSS / PRESENT_CSS, no user text",
}


def product_files() -> list[Path]:
    out = []
    for name in PRODUCT:
        p = ROOT / name
        out += [p] if p.is_file() else sorted(p.rglob("*.py")) if p.is_dir() else []
    return out


def _rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def _dotted(node) -> str:
    """``a.b.c`` of a Name/Attribute chain, "" for anything else."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
        return ".".join(reversed(parts))
    return ""


def calls(path: Path):
    """(dotted name, Call node) of every call in ``path``."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Call):
            yield _dotted(node.func), node


def test_the_product_code_is_found():
    files = {_rel(p) for p in product_files()}
    assert {"app.py", "lab/fields.py", "ui/page.py", "optim_core/api.py", "surfaces/expression.py"} <= files
    assert len(files) > 60


def forbidden(path: Path, rel: str) -> list[str]:
    """What ``path`` (shown as ``rel``) does that the product may not."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [a.name for a in node.names if a.name.split(".")[0] in UNSAFE_MODULES]
        elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] in UNSAFE_MODULES:
            found.append(node.module)
        elif isinstance(node, ast.Call):
            name = _dotted(node.func)
            head, _, last = name.rpartition(".")
            if name in CODE_FROM_TEXT or last in UNSAFE_CALLS.get(head, ()):
                found.append(name)
            if head == "subprocess":
                if (rel, name) not in SUBPROCESS_SITES:
                    found.append(f"{name} (not a reviewed subprocess site)")
                for kw in node.keywords:
                    if kw.arg == "shell" and not (isinstance(kw.value, ast.Constant) and kw.value.value is False):
                        found.append(f"{name}(shell=...)")
                if node.args and not isinstance(node.args[0], (ast.List, ast.Tuple)):
                    found.append(f"{name} with a command that is not a fixed list")
    return found


@pytest.mark.parametrize("path", product_files(), ids=_rel)
def test_no_text_is_run_as_code_or_unpickled(path):
    assert forbidden(path, _rel(path)) == []


def _module_constants(tree) -> dict:
    """Module-level names bound once to a string constant."""
    out = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            if isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
                out[node.targets[0].id] = node.value.value
    return out


def _is_constant_text(node, constants: dict) -> bool:
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str)
    if isinstance(node, ast.Name):
        return node.id in constants
    if isinstance(node, ast.IfExp):
        return _is_constant_text(node.body, constants) and _is_constant_text(node.orelse, constants)
    return False


def raw_html_sites(files=None):
    """(file, call, node, module constants) of every call that sends raw HTML to the page."""
    for path in files or product_files():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        constants = _module_constants(tree)
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = _dotted(node.func)
            unsafe = any(kw.arg == "unsafe_allow_html" and not (isinstance(kw.value, ast.Constant)
                                                                and kw.value.value is False) for kw in node.keywords)
            if unsafe or name.endswith(".html") and name.split(".")[0] in ("st", "streamlit", "components"):
                yield _rel(path) if path.is_relative_to(ROOT) else path.name, name, node, constants


def test_every_raw_html_call_site_is_reviewed_and_sends_constant_text():
    sites = list(raw_html_sites())
    assert {(f, name) for f, name, _, _ in sites} == set(RAW_HTML_SITES), "a new raw-HTML site: review it"
    for f, name, node, constants in sites:
        sent = node.args[0] if node.args else next(kw.value for kw in node.keywords if kw.arg in ("body", "html"))
        assert _is_constant_text(sent, constants), f"{f}: {name} sends text that is not a module constant"
        assert all(kw.arg != "unsafe_allow_html" for kw in node.keywords) or _is_constant_text(sent, constants)


def test_no_unsafe_allow_html_anywhere():
    # none today (the CSS goes through st.html); a new one needs a reviewed entry in RAW_HTML_SITES
    used = [(f, name) for f, name, node, _ in raw_html_sites()
            if any(kw.arg == "unsafe_allow_html" for kw in node.keywords)]
    assert used == [], used


def test_the_checks_catch_what_they_look_for(tmp_path):
    # the scanners themselves, on a scratch file with each forbidden form (and two allowed ones)
    bad = tmp_path / "bad.py"
    bad.write_text("import pickle\nimport subprocess, re, streamlit as st\nx = eval('1')\nexec('y = 1')\n"
                   "c = compile('1', 'f', 'eval')\nm = __import__('os')\npickle.loads(b'')\n"
                   "subprocess.run(['ls'], shell=True)\nst.markdown(user_text, unsafe_allow_html=True)\n"
                   "st.html(f'<b>{user_text}</b>')\nre.compile('a')\nst.markdown('**a**')\n")
    found = forbidden(bad, "bad.py")
    for name in ("pickle", "eval", "exec", "compile", "__import__", "pickle.loads", "subprocess.run(shell=...)",
                 "subprocess.run (not a reviewed subprocess site)"):
        assert name in found, name
    assert "re.compile" not in found
    sites = [(name, _is_constant_text(node.args[0], constants)) for _, name, node, constants in raw_html_sites([bad])]
    assert sites == [("st.markdown", False), ("st.html", False)]
