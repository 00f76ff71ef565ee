"""Exports: the trajectories as CSV, file names, the standalone HTML, the GIF and the PNG.

Short runs (40 steps) keep this fast; the browser check of the HTML is in tests/e2e."""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
import re
import subprocess
import sys
import warnings
from pathlib import Path

import numpy as np
import pytest
from matplotlib.font_manager import FontProperties, findfont
from PIL import Image

import surfaces
from lab.export import BASE_COLUMNS, MAX_FILENAME, export_filename, runs_csv
from optim_core import RunResult, run
from optim_core.catalogue import OPTIMIZERS
from viz import gif
from viz.common import Panel
from viz.gif import (DEFAULT_SIZE, MAX_GIF_FRAMES, MAX_GIF_PIXELS, animation_gif, cjk_family, final_png,
                     font_families, plain_label)
from viz.html_export import standalone_html
from viz.palette import COLOURS
from viz.playground import playground_figure

ROOT = Path(__file__).resolve().parents[1]
STEPS = 40
ZH_TEXT = {"step_counter": "第 {t} / {n} 步", "start": "起点", "minimum": "极小点", "saddle": "鞍点"}


def _labels(runs):
    return {o: f"{o.upper()}<br>η={r.hyper['lr']:g}" + (f"<br>✖ {r.status} @ {r.status_step}" if r.status != "ok"
                                                          else "") for o, r in runs}


@pytest.fixture(scope="module")
def two_panels():
    """Valley: Adam (every diagnostic) and SGD at a learning rate that escapes; Goldstein–Price:
    SGD that diverges at step 1 and ASGD (its per-point raw_xy)."""
    valley = surfaces.get("valley")
    gp = surfaces.get("goldstein_price")
    v_runs = [("adam", run("adam", "valley", (-5, -2), STEPS)),
              ("sgd", run("sgd", "valley", (-5, -2), STEPS, {"lr": 0.6}))]
    g_runs = [("sgd", run("sgd", "goldstein_price", gp.start, STEPS, {"lr": 10.0})),
              ("asgd", run("asgd", "goldstein_price", gp.start, STEPS))]
    assert v_runs[1][1].status == "escaped"
    assert g_runs[0][1].status == "diverged"
    return [Panel("Valley 0.1x² + 2y²", valley, v_runs, _labels(v_runs)),
            Panel("Goldstein–Price", gp, g_runs, _labels(g_runs))]


@pytest.fixture(scope="module")
def classroom_panel():
    s = surfaces.get("valley")
    runs = [(o, run(o, "valley", s.start, STEPS)) for o in ("sgd", "momentum", "adam")]
    return Panel("Valley 0.1x² + 2y²", s, runs, _labels(runs))


# --------------------------------------------------------------------------- CSV

def _read(text):
    return list(csv.DictReader(io.StringIO(text)))


def test_csv_header_is_exact(two_panels):
    header = next(csv.reader(io.StringIO(runs_csv(two_panels))))
    assert header == ["step", "panel", "optimizer", "x", "y", "loss",
                      "grad_x", "grad_y", "update_x", "update_y", "lr", "eff_lr_x", "eff_lr_y",
                      "velocity_x", "velocity_y", "second_moment_x", "second_moment_y", "raw_xy_x", "raw_xy_y"]
    assert tuple(header[:6]) == BASE_COLUMNS


def test_csv_reads_back_the_exact_numbers(two_panels):
    rows = _read(runs_csv(two_panels))
    expected = [(p.title, oid, r) for p in two_panels for oid, r in p.runs]
    assert len(rows) == sum(len(r.xy) for _, _, r in expected)
    i = 0
    for title, oid, r in expected:
        for t in range(len(r.xy)):
            row = rows[i]
            i += 1
            assert (int(row["step"]), row["panel"], row["optimizer"]) == (t, title, oid)
            assert float(row["x"]) == r.xy[t, 0] and float(row["y"]) == r.xy[t, 1]
            assert float(row["loss"]) == r.loss[t]
            if t == 0:                                     # no update before the first step
                assert row["grad_x"] == row["lr"] == row["update_y"] == ""
            else:
                assert float(row["grad_x"]) == r.extra["grad"][t - 1, 0]
                assert float(row["grad_y"]) == r.extra["grad"][t - 1, 1]
                assert float(row["lr"]) == r.extra["lr"][t - 1]
                assert float(row["eff_lr_y"]) == r.extra["eff_lr"][t - 1, 1]
            if "velocity" in r.extra and t:
                assert float(row["velocity_x"]) == r.extra["velocity"][t - 1, 0]
            elif "velocity" not in r.extra:
                assert row["velocity_x"] == row["second_moment_y"] == ""     # a run without the column
            if "raw_xy" in r.extra:                        # one row per point: step 0 included
                assert float(row["raw_xy_x"]) == r.extra["raw_xy"][t, 0]
            else:
                assert row["raw_xy_x"] == ""


def test_csv_includes_stopped_runs_to_their_last_step(two_panels):
    rows = _read(runs_csv(two_panels))
    diverged = [r for r in rows if r["panel"] == "Goldstein–Price" and r["optimizer"] == "sgd"]
    res = two_panels[1].runs[0][1]
    assert [int(r["step"]) for r in diverged] == list(range(res.status_step + 1))
    assert float(diverged[-1]["loss"]) == res.loss[-1]       # 1e54: written exactly, not as inf


def test_csv_non_finite_values_parse_back():
    xy = np.array([[0.1, -0.2], [np.inf, np.nan], [-np.inf, 1e308]])
    res = RunResult("sgd", "valley", {"lr": 1.0}, xy, np.array([1.0, np.nan, np.inf]), "diverged", 2, "",
                    {"grad": np.array([[np.nan, -np.inf], [1 / 3, 2.0]]), "lr": np.array([0.1, np.inf])})
    rows = _read(runs_csv([Panel("P", surfaces.get("valley"), [("sgd", res)], {})]))
    assert [r["x"] for r in rows] == ["0.1", "inf", "-inf"]
    assert [r["y"] for r in rows] == ["-0.2", "nan", "1e+308"]
    assert [r["loss"] for r in rows] == ["1.0", "nan", "inf"]
    assert [r["grad_y"] for r in rows] == ["", "-inf", "2.0"]
    assert float(rows[2]["grad_x"]) == 1 / 3
    assert math.isnan(float(rows[1]["grad_x"])) and float(rows[2]["lr"]) == math.inf


def test_csv_of_no_runs_is_just_the_header():
    assert runs_csv([Panel("P", surfaces.get("valley"), [], {})]).strip() == ",".join(BASE_COLUMNS)


# --------------------------------------------------------------------------- file names

def test_filename_says_what_is_in_the_file():
    name = export_filename("compare", ["valley", "rotated_valley"], ["adam", "sgd"], dt.date(2026, 11, 23), "gif")
    assert name == "descent-lab_compare_valley-vs-rotated_valley_adam-sgd_2026-11-23.gif"
    assert export_filename("playground", "valley", ["adam"], dt.datetime(2026, 1, 2, 23, 59), ".csv") == \
        "descent-lab_playground_valley_adam_2026-01-02.csv"


@pytest.mark.parametrize("surfaces_, optimizers", [
    (["../../etc/passwd", "a b"], ["<script>", "x;rm -rf /"]),
    (["valley\x00", "C:\\Windows"], ["ädam", "s/g/d"]),
])
def test_filename_is_safe_for_any_input(surfaces_, optimizers):
    name = export_filename("playground", surfaces_, optimizers, dt.date(2026, 1, 2), "png")
    assert re.fullmatch(r"[A-Za-z0-9_.-]+", name), name
    assert ".." not in name and name.endswith("_2026-01-02.png")


def test_filename_is_capped_by_shortening_the_lists():
    all_surfaces = list(surfaces.SURFACES)
    name = export_filename("compare", all_surfaces[:6], list(OPTIMIZERS), dt.date(2026, 11, 23), "html")
    assert len(name) <= MAX_FILENAME, (len(name), name)
    assert re.fullmatch(r"[A-Za-z0-9_.-]+", name)
    assert f"-and-{len(OPTIMIZERS) - 1}-more" in name or "-more_" in name
    assert name.startswith("descent-lab_compare_" + all_surfaces[0]) and name.endswith("_2026-11-23.html")
    name = export_filename("playground", ["valley"], list(OPTIMIZERS), dt.date(2026, 11, 23), "gif")
    assert len(name) <= MAX_FILENAME and "valley_sgd-momentum" in name and re.search(r"-and-\d+-more_", name)


def test_filename_refusals():
    with pytest.raises(ValueError, match="playground, compare"):
        export_filename("movie", ["valley"], [], dt.date(2026, 1, 2), "gif")
    with pytest.raises(ValueError, match="extension"):
        export_filename("compare", ["valley"], [], dt.date(2026, 1, 2), "")
    with pytest.raises(ValueError, match="datetime.date"):
        export_filename("compare", ["valley"], [], "2026-01-02", "gif")


# --------------------------------------------------------------------------- standalone HTML

def test_standalone_html_embeds_plotly_and_frames_and_does_not_autoplay(classroom_panel):
    p = classroom_panel
    fig = playground_figure(p.surface, p.runs, p.labels)
    page = standalone_html(fig, 'Valley <race> & "co"')
    assert "<title>Valley &lt;race&gt; &amp; &quot;co&quot;</title>" in page
    assert not re.search(r"<script[^>]*\bsrc=", page), "plotly.js must be inline, not fetched"
    assert "plotly.js v" in page and len(page) > 3_000_000           # the bundle itself
    frames = json.loads(re.search(r"Plotly\.addFrames\('[^']+', (\[.*?\])\);\s*\}\)", page, re.DOTALL).group(1))
    assert [f["name"] for f in frames] == [f["name"] for f in fig["frames"]]
    # auto_play=True would add ".then(function(){ Plotly.animate(id, null); })" after addFrames
    assert "Plotly.animate" not in page
    assert '"displaylogo": false' in page
    assert "▶ Play" in page


# --------------------------------------------------------------------------- GIF and PNG

def test_gif_has_the_requested_frames_size_and_timing(two_panels):
    calls = []
    data = animation_gif(two_panels, frames=12, size=(320, 240), fps=10, progress=lambda i, n: calls.append((i, n)))
    im = Image.open(io.BytesIO(data))
    assert im.format == "GIF" and im.size == (320, 240)
    assert im.n_frames == 12                         # the final hold is a longer duration, not extra frames
    assert calls == [(i, 12) for i in range(1, 13)]
    assert im.info["loop"] == 0
    durations = []
    for k in range(im.n_frames):
        im.seek(k)
        durations.append(im.info["duration"])
    assert durations[:-1] == [100] * 11 and durations[-1] == 100 + gif.HOLD_LAST_MS


def test_gif_frames_add_up_to_the_final_picture(two_panels):
    """Frames after the first carry only changed pixels (the rest transparent): decoded, the last
    frame must be the final PNG up to the palette's rounding."""
    size = (400, 300)
    im = Image.open(io.BytesIO(animation_gif(two_panels, frames=8, size=size)))
    im.seek(im.n_frames - 1)
    last = np.asarray(im.convert("RGB"), dtype=int)
    im.seek(0)
    first = np.asarray(im.convert("RGB"), dtype=int)
    final = np.asarray(Image.open(io.BytesIO(final_png(two_panels, size=size))).convert("RGB"), dtype=int)
    assert np.abs(last - final).mean() < 4
    assert np.abs(first - final).mean() > np.abs(last - final).mean() + 0.2     # the paths grew


def test_gif_keeps_the_palette_colours(classroom_panel):
    """The optimizers' colours come through the GIF palette exactly (a median cut by pixel count
    would let the grey background take the palette)."""
    im = Image.open(io.BytesIO(animation_gif([classroom_panel], frames=3, size=(400, 300))))
    im.seek(im.n_frames - 1)
    px = {tuple(v) for v in np.asarray(im.convert("RGB")).reshape(-1, 3)}
    for oid, _ in classroom_panel.runs:
        h = COLOURS[oid]
        assert tuple(int(h[i:i + 2], 16) for i in (1, 3, 5)) in px, oid
    assert (255, 215, 0) in px                       # the gold star


def test_gif_of_short_runs_has_one_frame_per_step(classroom_panel):
    s = surfaces.get("valley")
    runs = [("adam", run("adam", "valley", s.start, 5))]
    im = Image.open(io.BytesIO(animation_gif([Panel("V", s, runs, {})], frames=20, size=(240, 200))))
    assert im.n_frames == 6                          # steps 0..5: there is nothing between them to show


def test_png_has_the_requested_size(two_panels):
    for size in ((300, 200), DEFAULT_SIZE, MAX_GIF_PIXELS):
        im = Image.open(io.BytesIO(final_png(two_panels, size=size)))
        assert im.format == "PNG" and im.size == size and im.mode == "RGB"


@pytest.mark.parametrize("n", [1, 2, 3, 5, 6])
def test_every_panel_count_renders(classroom_panel, n):
    im = Image.open(io.BytesIO(final_png([classroom_panel] * n, size=(600, 450))))
    assert im.size == (600, 450)


@pytest.mark.parametrize("kwargs, allowed", [
    ({"frames": 1}, "[2, 100]"), ({"frames": MAX_GIF_FRAMES + 1}, "[2, 100]"), ({"frames": 2.5}, "[2, 100]"),
    ({"frames": True}, "[2, 100]"),
    ({"size": (199, 600)}, "width in [200, 1200] and height in [200, 900]"),
    ({"size": (1201, 600)}, "width in [200, 1200]"), ({"size": (800, 901)}, "height in [200, 900]"),
    ({"size": (800,)}, "[200, 1200]"), ({"size": "800x600"}, "[200, 1200]"),
    ({"fps": 0}, "[1, 30]"), ({"fps": 31}, "[1, 30]"),
])
def test_gif_refusals_name_the_value_and_the_range(classroom_panel, kwargs, allowed):
    with pytest.raises(ValueError) as e:
        animation_gif([classroom_panel], **kwargs)
    msg = str(e.value)
    assert allowed in msg and repr(next(iter(kwargs.values()))) in msg


def test_png_refusals(classroom_panel):
    with pytest.raises(ValueError, match=re.escape("[200, 900]")):
        final_png([classroom_panel], size=(800, 100))
    with pytest.raises(ValueError, match="1 to 6"):
        final_png([], size=(800, 600))
    with pytest.raises(ValueError, match="1 to 6"):
        final_png([classroom_panel] * 7)
    with pytest.raises(ValueError, match="Panel"):
        final_png([("title", None, [], {})])


def test_legend_labels_are_one_line():
    assert plain_label("Adam<br>η=0.01<br/>✖ diverged @ 3") == "Adam · η=0.01 · ✖ diverged @ 3"
    assert plain_label("<b>SGD</b>  <BR> η=0.1") == "SGD · η=0.1"
    # one optimizer on two panels that disagree on the status: the shared legend keeps what they share
    assert gif._shared_label("sgd", ["SGD<br>η=0.6<br>✖ escaped @ 9", "SGD<br>η=0.6"]) == "SGD · η=0.6"


def test_every_optimizer_has_its_own_head_shape():
    assert set(gif.MARKERS) == set(OPTIMIZERS)
    assert len({str(m) for m in gif.MARKERS.values()}) == len(gif.MARKERS)
    assert gif.END_MARKER not in gif.MARKERS.values()


def test_zh_renders_with_a_cjk_font(two_panels):
    family = cjk_family()
    if family is None:
        pytest.skip("no CJK font installed (Debian: apt-get install fonts-noto-cjk); the fallback warning is "
                    "tested in test_zh_without_cjk_font_warns")
    families = font_families("zh")
    assert "CJK" in families[0] or families[0] in gif.CJK_FAMILIES
    assert "CJK" in findfont(FontProperties(family=families), fallback_to_default=False)
    zh_panels = [p._replace(title=t) for p, t in zip(two_panels, ("狭长山谷", "Goldstein–Price 函数"))]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        data = animation_gif(zh_panels, text=ZH_TEXT, lang="zh", frames=3, size=(400, 300))
        final_png(zh_panels, text=ZH_TEXT, lang="zh", size=(400, 300))
    missing = [str(w.message) for w in caught if "missing from font" in str(w.message)]
    assert not missing, missing[:3]
    assert Image.open(io.BytesIO(data)).n_frames == 3
    # English keeps DejaVu Sans first, with the CJK font behind it for any Chinese in a title
    assert font_families("en") == [gif.LATIN_FAMILY, family]


def test_zh_without_cjk_font_warns(monkeypatch):
    monkeypatch.setattr(gif, "cjk_family", lambda: None)
    with pytest.warns(RuntimeWarning, match="fonts-noto-cjk"):
        assert font_families("zh") == [gif.LATIN_FAMILY]
    with pytest.warns(RuntimeWarning, match="empty boxes"):
        font_families("en", ["旋转山谷"])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert font_families("en", ["Rotated valley"]) == [gif.LATIN_FAMILY]


def test_renders_from_several_threads_at_once(classroom_panel):
    """Streamlit serves each session from its own thread: concurrent exports must not mix up."""
    from concurrent.futures import ThreadPoolExecutor
    alone = final_png([classroom_panel], size=(300, 240))
    with ThreadPoolExecutor(3) as pool:
        outs = list(pool.map(lambda _: final_png([classroom_panel], size=(300, 240)), range(3)))
        gifs = list(pool.map(lambda _: animation_gif([classroom_panel], frames=4, size=(300, 240)), range(2)))
    assert all(o == alone for o in outs)
    assert gifs[0] == gifs[1]


def test_exports_import_neither_streamlit_nor_pyplot():
    code = ("import sys; import lab.export, viz.gif, viz.html_export; "
            "bad = [m for m in ('streamlit', 'matplotlib.pyplot', 'torch') if m in sys.modules]; "
            "assert not bad, bad; import matplotlib; print(matplotlib.get_backend())")
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr


# --------------------------------------------------------------------------- the benchmark still runs

def test_export_benchmark_runs_and_writes_json(tmp_path):
    out = tmp_path / "export.json"
    proc = subprocess.run([sys.executable, "bench/bench_export.py", "--quick", "--out", str(out)],
                          cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    data = json.loads(out.read_text())
    assert data["quick"] is True
    names = {r["export"] for r in data["results"]}
    assert {"CSV", "HTML", "GIF en", "GIF zh", "PNG"} <= names
    assert all(r["bytes"] > 0 and r["ms"] > 0 for r in data["results"])
    assert "export" in proc.stdout and "bytes" in proc.stdout
