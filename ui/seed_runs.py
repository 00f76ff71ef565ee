"""The Playground's runs over seeds: whether they apply to this scene, and what the page says
about them (the computing is ``lab.seeds``'s, the drawing ``viz.charts``')."""
from __future__ import annotations

from lab import seeds

from . import cache
from .fastfig import PrebuiltFigure
from .i18n import t


def bands(frame, cfg, surface, runs) -> list:
    """The seed bands to draw, or [] (with a note saying why when they were asked for)."""
    if not cfg.over_seeds or not runs:
        return []
    if not seeds.stochastic(cfg, surface):
        frame.notes.info(t("seeds_deterministic"))
        return []
    if seeds.too_many(cfg):
        frame.notes.info(t("seeds_too_many", n=cfg.n_seeds, steps=cfg.steps, limit=f"{seeds.band_limit(cfg):,}"))
        return []
    out = cache.seed_bands(cfg)
    frame.notes.caption(t("seeds_caption", n=cfg.n_seeds, first=cfg.seed, last=cfg.seed + cfg.n_seeds - 1))
    return out


def band_chart(container, cfg, bands, labels, surface, text) -> None:
    """The loss tab's mean loss over the seeds with its 10–90 % band (nothing without bands)."""
    if bands:
        container.markdown(t("seeds_band_title", n=cfg.n_seeds))
        container.plotly_chart(PrebuiltFigure(cache.band_chart(cfg, bands, labels, surface, text)),
                               config={"displaylogo": False})
