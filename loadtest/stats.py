"""Pure summaries of the measurements: percentiles, latency summaries, memory trends."""
from __future__ import annotations

import math


def percentile(xs, q: float) -> float:
    """The q-th percentile (0..100) of ``xs`` by linear interpolation between order statistics
    (numpy's default); NaN for no data."""
    vals = sorted(float(x) for x in xs)
    if not vals:
        return math.nan
    if not 0 <= q <= 100:
        raise ValueError(f"q={q!r} must be in [0, 100]")
    pos = (len(vals) - 1) * q / 100
    lo = math.floor(pos)
    hi = min(lo + 1, len(vals) - 1)
    return vals[lo] + (vals[hi] - vals[lo]) * (pos - lo)


def latency_summary(xs) -> dict:
    xs = list(xs)
    if not xs:
        return {"n": 0, "p50_s": None, "p95_s": None, "max_s": None, "mean_s": None}
    return {"n": len(xs), "p50_s": round(percentile(xs, 50), 4), "p95_s": round(percentile(xs, 95), 4),
            "max_s": round(max(xs), 4), "mean_s": round(sum(xs) / len(xs), 4)}


def slope(ts, ys) -> float:
    """Least-squares slope dy/dt; NaN with fewer than two distinct times."""
    n = len(ts)
    if n < 2:
        return math.nan
    mt, my = sum(ts) / n, sum(ys) / n
    var = sum((t - mt) ** 2 for t in ts)
    if var == 0:
        return math.nan
    return sum((t - mt) * (y - my) for t, y in zip(ts, ys)) / var


def memory_summary(samples, sessions: int, settle_s: float = 0.0) -> dict:
    """``samples``: (t_s, rss_mb) of the server. Growth = the last minus the first sample (before
    any session connected: the caller takes one then); per 50 sessions scales it; the trend is the
    slope over samples after ``settle_s`` (every session connected), in MB per minute: flat means
    no leak while the class goes on."""
    if not samples:
        return {}
    t0, first = samples[0]
    last = samples[-1][1]
    late = [(t, m) for t, m in samples if t - t0 >= settle_s]
    trend = slope([t for t, _ in late], [m for _, m in late]) * 60 if len(late) >= 2 else math.nan
    return {"rss_start_mb": round(first, 1), "rss_end_mb": round(last, 1),
            "rss_peak_mb": round(max(m for _, m in samples), 1), "growth_mb": round(last - first, 1),
            "growth_mb_per_50_sessions": round((last - first) * 50 / max(sessions, 1), 1),
            "trend_mb_per_min_after_settle": None if math.isnan(trend) else round(trend, 2)}
