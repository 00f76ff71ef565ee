"""What a class takes home from a race: the trajectories as CSV, and file names that say what is in them.

Pure functions (no Streamlit): the page hands them the panels it drew and offers the result as a
download. The CSV is for reading the numbers back exactly — into a spreadsheet, NumPy or pandas —
so every float is written round-trip exact and non-finite values in the spelling ``float()``
accepts.
"""
from __future__ import annotations

import csv
import datetime as _dt
import io
import re

import numpy as np

BASE_COLUMNS = ("step", "panel", "optimizer", "x", "y", "loss")
KINDS = ("playground", "compare")
APP_SLUG = "descent-lab"
MAX_FILENAME = 120

_UNSAFE = re.compile(r"[^A-Za-z0-9_]+")


def _num(v) -> str:
    """A float as text that ``float()`` turns back into the very same float.

    ``repr`` is the shortest round-trip form; it spells non-finite values ``nan``/``inf``/``-inf``,
    which ``float()`` parses (Python's own ``csv`` and pandas read them as floats too)."""
    return repr(float(v))


def _extra_columns(key: str, arr: np.ndarray) -> list[str]:
    """The CSV columns of one ``RunResult.extra`` array: ``key`` for a value per step,
    ``key_x``/``key_y`` for a 2-vector per step (other widths: ``key_0``, ``key_1``, …)."""
    if arr.ndim == 1:
        return [key]
    width = int(np.prod(arr.shape[1:]))
    if width == 2:
        return [f"{key}_x", f"{key}_y"]
    return [f"{key}_{i}" for i in range(width)]


def _extra_table(result) -> dict:
    """column -> (values as Python floats, offset): row ``t`` of the CSV reads ``values[t - offset]``.

    Most extra arrays have one row per step (``k`` rows for steps 1..k, offset 1: step 0 has no
    update yet); an array with one row per point (``k + 1`` rows, e.g. ASGD's ``raw_xy``) starts
    at step 0 (offset 0)."""
    k = len(result.xy) - 1
    out = {}
    for key, value in result.extra.items():
        arr = np.asarray(value, dtype=np.float64)
        if arr.ndim == 0 or len(arr) == 0:
            continue
        offset = 0 if len(arr) == k + 1 else 1
        flat = arr.reshape(len(arr), -1) if arr.ndim > 1 else arr[:, None]
        for j, col in enumerate(_extra_columns(key, arr)):
            out[col] = (flat[:, j].tolist(), offset)
    return out


def runs_csv(panels) -> str:
    """Every trajectory of ``panels`` (a list of ``viz.common.Panel``) as CSV text.

    One row per (panel, optimizer, step t = 0..k): ``step, panel, optimizer, x, y, loss``, then the
    diagnostics of ``RunResult.extra`` (the union over all runs, in the order first seen; a run
    without a column leaves it empty, and so does step 0 for per-step diagnostics). ``panel`` is the
    panel's title, so a Compare export says which surface each row belongs to.
    """
    tables = []
    extra_cols: dict[str, None] = {}           # an ordered set
    for panel in panels:
        for oid, result in panel.runs:
            table = _extra_table(result)
            for col in table:
                extra_cols.setdefault(col)
            tables.append((panel.title, oid, result, table))
    header = list(BASE_COLUMNS) + list(extra_cols)
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(header)
    for title, oid, result, table in tables:
        xy = np.asarray(result.xy, dtype=np.float64).tolist()
        loss = np.asarray(result.loss, dtype=np.float64).tolist()
        cols = [table.get(c) for c in extra_cols]
        for t, ((x, y), f) in enumerate(zip(xy, loss)):
            row = [t, title, oid, _num(x), _num(y), _num(f)]
            for col in cols:
                if col is None:
                    row.append("")
                    continue
                values, offset = col
                i = t - offset
                row.append(_num(values[i]) if 0 <= i < len(values) else "")
            w.writerow(row)
    return buf.getvalue()


def _slug(s: str) -> str:
    """``s`` with every run of unsafe characters as one ``_`` (ids are already safe: this only
    guards against odd input)."""
    return _UNSAFE.sub("_", str(s)).strip("_")


def _unique(items) -> list[str]:
    out = []
    for s in map(_slug, items):
        if s and s not in out:
            out.append(s)
    return out


def _shortened(ids: list[str], keep: int, sep: str = "-") -> str:
    """The first ``keep`` ids, then ``and-N-more`` for the rest."""
    rest = len(ids) - keep
    return sep.join(ids[:keep]) + (f"-and-{rest}-more" if rest > 0 else "")


def export_filename(kind: str, surface_ids, optimizer_ids, when: _dt.date, ext: str) -> str:
    """A safe file name saying what is in the file, e.g.
    ``descent-lab_compare_valley-vs-rotated_valley_adam-sgd_2026-11-23.gif``.

    Only ``[A-Za-z0-9_.-]``; at most ``MAX_FILENAME`` characters: a long optimizer list (then a long
    surface list) is cut to its first ids and ``-and-N-more``, so a student's Downloads folder still
    tells the files apart by surface and date.
    """
    if kind not in KINDS:
        raise ValueError(f"kind={kind!r} is not allowed; choose one of: {', '.join(KINDS)}")
    if not isinstance(when, _dt.date):
        raise ValueError(f"when={when!r} must be a datetime.date")
    ext_s = _slug(str(ext).lstrip("."))
    if not ext_s or not ext_s.isalnum():
        raise ValueError(f"ext={ext!r} must be a file extension such as 'gif', 'png', 'csv' or 'html'")
    surf = _unique([surface_ids] if isinstance(surface_ids, str) else surface_ids)
    opts = _unique([optimizer_ids] if isinstance(optimizer_ids, str) else optimizer_ids)
    date = when.strftime("%Y-%m-%d")

    def name(s_keep: int, o_keep: int) -> str:
        parts = [APP_SLUG, kind, _shortened(surf, s_keep, "-vs-"), _shortened(opts, o_keep), date]
        return "_".join(p for p in parts if p) + "." + ext_s

    s_keep, o_keep = len(surf), len(opts)
    while len(name(s_keep, o_keep)) > MAX_FILENAME and o_keep > 1:
        o_keep -= 1
    while len(name(s_keep, o_keep)) > MAX_FILENAME and s_keep > 1:
        s_keep -= 1
    out = name(s_keep, o_keep)
    if len(out) > MAX_FILENAME:            # a single absurdly long id: cut it, keep date and extension
        tail = "_" + date + "." + ext_s
        out = out[:MAX_FILENAME - len(tail)].rstrip("_-.") + tail
    return out


