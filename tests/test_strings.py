"""Both string catalogues carry every key, non-empty, with the same placeholders; every key the
code asks for exists."""
from __future__ import annotations

import re
import string
from pathlib import Path

from ui import strings_en, strings_zh
from ui.i18n import ENGINE_EN

EN, ZH = strings_en.STRINGS, strings_zh.STRINGS
ROOT = Path(__file__).resolve().parents[1]


def placeholders(s: str) -> set:
    return {f for _, f, _, _ in string.Formatter().parse(s) if f}


def test_same_keys_in_both_languages():
    # English names, summaries and helps of the catalogues come from the engine (ENGINE_EN)
    assert set(ZH) == set(EN) | set(ENGINE_EN), (set(ZH) ^ (set(EN) | set(ENGINE_EN)))


def test_every_catalogue_entry_is_translated():
    from optim_core.catalogue import OPTIMIZERS
    import surfaces
    for oid, spec in OPTIMIZERS.items():
        assert {f"opt.{oid}.name", f"opt.{oid}.summary"} <= set(ZH), oid
        assert {f"hyper.{oid}.{h.name}.help" for h in spec.hyper} <= set(ZH), oid
    for sid, spec in surfaces.SURFACES.items():
        assert {f"surface.{sid}.name", f"surface.{sid}.summary"} <= set(ZH), sid
        assert {f"surface.{sid}.{p.name}.help" for p in spec.all_params} <= set(ZH), sid


def test_the_engine_carries_no_translations():
    # one home for UI language: a new language touches ui/ only
    han = re.compile(r"[\u4e00-\u9fff]")
    for path in list((ROOT / "optim_core").rglob("*.py")) + list((ROOT / "surfaces").glob("*.py")):
        assert not han.search(path.read_text(encoding="utf-8")), path


def test_no_empty_strings_and_same_placeholders():
    english = {**ENGINE_EN, **EN}
    for k in english:
        assert isinstance(english[k], str) and isinstance(ZH[k], str)
        if k != "fig_step_suffix":
            assert english[k].strip() and ZH[k].strip(), k
        assert placeholders(english[k]) == placeholders(ZH[k]), k


def test_chinese_catalogue_is_chinese():
    han = re.compile(r"[\u4e00-\u9fff]")
    translated = [k for k in ZH if han.search(ZH[k])]
    assert len(translated) > 0.7 * len(ZH)


def test_every_literal_key_used_in_code_exists():
    used = set()
    for path in list((ROOT / "ui").glob("*.py")) + list((ROOT / "app_pages").glob("*.py")) + [ROOT / "app.py"]:
        used |= set(re.findall(r"\bt\(\s*[\"']([a-z0-9_]+)[\"']\s*[,)]", path.read_text(encoding="utf-8")))
    missing = used - set(EN)
    assert not missing, missing


def test_dynamic_key_families_exist():
    from lab.config import ARROWS, LR_MODES
    from optim_core.schedules import KINDS, PARAMS
    needed = {f"arrow_{a}" for a in ARROWS} | {f"lr_{m}" for m in LR_MODES} | {f"sched_{k}" for k in KINDS}
    needed |= {f"sched_{p}" for k in KINDS for p in PARAMS[k]} | {"sched_warmup"}
    needed |= {f"status_{s}" for s in ("ok", "diverged", "escaped", "error")}
    needed |= {f"note_{p}" for p in ("unknown_key", "unknown_value", "not_number", "out_of_range", "too_long")}
    needed |= {f"lane_{n}" for n in ("lr_clipped", "no_schedule")}
    assert not needed - set(EN), needed - set(EN)


def test_figure_words_live_only_in_the_catalogues():
    """Every word a figure builder draws is a fig_* key of the catalogues; viz keeps no copy."""
    import re
    from viz.common import figure_words
    fig_keys = {k[4:] for k in EN if k.startswith("fig_")}
    used = set()
    for path in (ROOT / "viz").glob("*.py"):
        src = path.read_text()
        assert "DEFAULT_TEXT" not in src and not re.search(r"[\u4e00-\u9fff]", src), path.name
        used |= set(re.findall(r"""\bT\[["'](\w+)["']\]""", src))
    assert used and used <= fig_keys, used - fig_keys
    assert figure_words()["start"] == EN["fig_start"]
    assert figure_words({"start": "起点"})["start"] == "起点"
