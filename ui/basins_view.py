"""The Basins page's words: its panels' titles and the table of where the starts ended."""
from __future__ import annotations

from lab.config import fmt

from .i18n import opt_name, t
from .present import fmt_num


def basins_table(maps, titles, minima) -> list[dict]:
    """Per map and end point (each minimum, other, diverged, escaped): the share of starts and
    the mean step they settled at; end points no start reached are left out."""
    from lab.basins import DIVERGED, ESCAPED, OTHER
    from viz.basins import letter
    names = {OTHER: t("fig_basin_other"), DIVERGED: t("fig_sweep_diverged"), ESCAPED: t("fig_sweep_escaped")}
    out = []
    for m, title in zip(maps, titles):
        for label, share in m.shares(len(minima)).items():
            if share == 0:
                continue
            if label >= 0:
                x, y = minima[label]
                what = f"{t('fig_basin_minimum')} {letter(label)} ({fmt_num(x, 3)}, {fmt_num(y, 3)})"
            else:
                what = names[label]
            out.append({t("col_panel"): title, t("bas_col_label"): what, t("bas_col_share"): f"{share:.1%}",
                        t("bas_col_settled"): fmt_num(m.mean_settled(label), 4)})
    return out


def setting_titles(settings) -> list[str]:
    """Titles of panels that each run one (optimizer id, hyper): the optimizer, its η, and what
    differs from another panel of the same optimizer (GD η=0.01 vs GD η=0.1 momentum=…)."""
    out = []
    for i, (oid, hp) in enumerate(settings):
        same = [h for j, (o, h) in enumerate(settings) if j != i and o == oid]
        differs = [k for k, v in hp.items() if k != "lr" and any(h.get(k) != v for h in same)]
        out.append(" · ".join([opt_name(oid), f"η={fmt_num(hp['lr'])}"] + [f"{k}={fmt(hp[k])}" for k in differs]))
    return out
