"""Turning lanes and rows into the words and tables the page shows (current language)."""
from __future__ import annotations

import math

from lab.compare import PanelRun
from lab.config import Note, fmt
from lab.race import Lane, Row
from optim_core.catalogue import OPTIMIZERS

from .i18n import opt_name, surface_name, t


def fmt_num(v, digits=3) -> str:
    if v is None or not isinstance(v, (int, float)) or not math.isfinite(v):
        return "—"
    return f"{v:.{digits}g}"


def legend_labels(lanes: list[Lane], status: bool = True) -> dict:
    """optimizer id -> legend text: name, the η it used, and (``status``) its status when it did
    not finish. Compare's shared legend leaves the status out: it differs between panels, whose
    maps (✖) and table say it."""
    out = {}
    for lane in lanes:
        if not status:
            out[lane.optimizer] = t("legend_ok", name=opt_name(lane.optimizer), lr=fmt_num(lane.lr))
            continue
        name, lr = opt_name(lane.optimizer), fmt_num(lane.lr)
        r = lane.result
        if r is None:
            out[lane.optimizer] = t("legend_bad", name=name, lr=lr, status=t("status_error"), step=0)
        elif r.status != "ok":
            out[lane.optimizer] = t("legend_bad", name=name, lr=lr, status=t("status_" + r.status), step=r.status_step)
        else:
            out[lane.optimizer] = t("legend_ok", name=name, lr=lr)
    return out


def caption(cfg, lanes: list[Lane]) -> list[str]:
    lines = [t("caption", surface=surface_name(cfg.surface), n=len(lanes), steps=cfg.steps,
               x=fmt_num(cfg.start[0], 4), y=fmt_num(cfg.start[1], 4))]
    bad = [ln for ln in lanes if ln.ok and ln.result.status != "ok"]
    for ln in bad:
        lines.append(t("caption_bad", name=opt_name(ln.optimizer), status=t("status_" + ln.result.status),
                       step=ln.result.status_step, reason=ln.result.reason))
    if not bad and lanes:
        lines.append(t("caption_all_ok"))
    if cfg.underflow > 0:       # these are not plain float64 runs, and nothing on the map would tell
        lines.append(t("caption_underflow", u=fmt_num(cfg.underflow)))
    if cfg.early_stop:
        lines.append(t("es_caption", patience=cfg.patience, delta=fmt(cfg.min_delta)))
    return lines


MAX_NOTE_LINES = 12      # a link with thousands of junk keys must not draw thousands of lines


def note_lines(notes: list[Note]) -> list[str]:
    """One line per URL note: the (sanitised) parameter name and the problem, never the value;
    the same line once, and at most MAX_NOTE_LINES of them, then how many more there were."""
    lines = list(dict.fromkeys(f"`{n.key}`: {problem_text(n)}" for n in notes))
    if len(lines) > MAX_NOTE_LINES:
        return lines[:MAX_NOTE_LINES] + [t("notes_more", n=len(lines) - MAX_NOTE_LINES)]
    return lines


def problem_text(n: Note) -> str:
    """A note's problem in words (its detail is safe text: a token, a limit, a position)."""
    return t("note_" + n.problem, detail=n.detail) + (" " + t("at_character", n=n.at) if n.at else "")


def lane_note_lines(lanes: list[Lane]) -> list[str]:
    return [f"{opt_name(ln.optimizer)}: {t('lane_' + n)}" for ln in lanes for n in ln.notes]


def leaderboard_table(rows: list[Row], early_stop: bool = False) -> list[dict]:
    """The leaderboard's rows as {column: cell}; ``early_stop``: with the three columns of early
    stopping (the step it would stop at, the loss there, final − at stop, signed)."""
    out = []
    for i, r in enumerate(rows, start=1):
        status = t("status_" + r.status)
        if r.status in ("diverged", "escaped"):
            status = f"✖ {status} @ {r.status_step}"
        row = {
            t("col_rank"): i,
            t("col_optimizer"): opt_name(r.optimizer),
            t("col_lr"): fmt_num(r.lr),
            t("col_final_loss"): fmt_num(r.final_loss, 4),
            t("col_gap"): fmt_num(r.gap, 3),
            t("col_distance"): fmt_num(r.distance, 3),
            t("col_steps_to_tol"): str(r.steps_to_tol) if r.steps_to_tol >= 0 else t("never"),
        }
        if early_stop:
            row[t("col_es_step")] = str(r.stop_step) if r.stop_step >= 0 else t("es_never")
            row[t("col_es_loss")] = fmt_num(r.stop_loss, 4)
            change = r.after_stop
            row[t("col_es_change")] = f"{change:+.3g}" if math.isfinite(change) else "—"
        row[t("col_status")] = status
        out.append(row)
    return out


_MD_SPECIAL = str.maketrans({c: "\\" + c for c in "\\|*_`[]<>#"})


def markdown_table(rows: list[dict]) -> str:
    """Rows as a Markdown table (every cell escaped). Drawn as plain HTML by the browser: unlike
    ``st.dataframe`` it loads no data-grid JavaScript (≈1.3 MB), which the first page load pays for."""
    if not rows:
        return ""
    cols = list(rows[0])

    def cell(v):
        return str(v).translate(_MD_SPECIAL)
    lines = ["| " + " | ".join(cell(c) for c in cols) + " |", "|" + "---|" * len(cols)]
    lines += ["| " + " | ".join(cell(r[c]) for c in cols) + " |" for r in rows]
    return "\n".join(lines)


def rule_of(oid: str, hyper: dict) -> str:
    """The LaTeX rule of ``oid`` for the variant chosen in ``hyper``."""
    spec = OPTIMIZERS[oid]
    for h in spec.hyper:
        if h.is_choice and hyper.get(h.name) in spec.variant_rules:
            return spec.variant_rules[hyper[h.name]]
    return spec.rule


def _status_text(lane: Lane) -> str:
    r = lane.result
    if r is None:
        return "✖ " + t("status_error")
    if r.status != "ok":
        return f"✖ {t('status_' + r.status)} @ {r.status_step}"
    return ""


# the usual letters of the hyperparameters a panel title names: titles side by side must stay short
SYMBOLS = {"lr": "η", "eps": "ε", "momentum": "μ", "beta1": "β₁", "beta2": "β₂", "weight_decay": "λ",
           "alpha": "α", "rho": "ρ"}


def _differs_text(name: str, v) -> str:
    if name == "batch":          # a panel's own mini-batch size (Compare's BGD / mini-batch / SGD)
        return t("cmp_full_batch") if v == 0 else t("cmp_batch_of", b=v)
    if isinstance(v, str):       # a variant: its value says it ("outside", "notes", "ema")
        return v
    return f"{SYMBOLS.get(name, name)}={fmt(v)}"


def panel_title(panel: PanelRun) -> str:
    """What sets a panel apart: its surface, or its optimizer and the settings that differ; for a
    one-optimizer panel also the η it used (when the title does not already say it) and its
    status when it did not finish."""
    d = panel.differs
    if "surface" in d:
        return surface_name(d["surface"])
    parts = [opt_name(d["optimizer"])] + [_differs_text(k, v) for k, v in d.items() if k != "optimizer"]
    if len(panel.lanes) == 1:
        lane = panel.lanes[0]
        if "lr" not in d:
            parts.append(f"η={fmt_num(lane.lr)}")
        status = _status_text(lane)
        if status:
            parts.append(status)
    return " · ".join(parts)


def compare_table(titles: list[str], rows_per_panel: list[list[Row]]) -> list[dict]:
    """One row per (panel, optimizer): final loss, steps to the tolerance, status."""
    out = []
    for i, (title, rows) in enumerate(zip(titles, rows_per_panel), start=1):
        for r in rows:
            status = t("status_" + r.status)
            if r.status in ("diverged", "escaped"):
                status = f"✖ {status} @ {r.status_step}"
            out.append({
                t("col_panel"): f"{i}. {title}",
                t("col_optimizer"): opt_name(r.optimizer),
                t("col_lr"): fmt_num(r.lr),
                t("col_final_loss"): fmt_num(r.final_loss, 4),
                t("col_gap"): fmt_num(r.gap, 3),
                t("col_steps_to_tol"): str(r.steps_to_tol) if r.steps_to_tol >= 0 else t("never"),
                t("col_status"): status,
            })
    return out
