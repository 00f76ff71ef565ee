"""The load harness's pure parts (no server): percentiles, memory trends, the /proc parsers, the
BackMsg a widget change sends and the widget states read from a page's elements."""
import math
import os
import random

import pytest
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from loadtest import procstat, stats
from loadtest.protocol import ProtocolSession, rerun_msg, widget_state, ws_url
from loadtest.target import is_loopback


def test_percentile_interpolates_like_numpy():
    xs = [5, 1, 4, 2, 3]
    assert stats.percentile(xs, 50) == 3
    assert stats.percentile(xs, 0) == 1 and stats.percentile(xs, 100) == 5
    assert stats.percentile(xs, 95) == pytest.approx(4.8)
    assert stats.percentile([7.0], 95) == 7.0
    assert math.isnan(stats.percentile([], 50))
    with pytest.raises(ValueError):
        stats.percentile(xs, 101)


def test_latency_summary():
    s = stats.latency_summary([0.1] * 19 + [3.0])
    assert s["n"] == 20 and s["p50_s"] == 0.1 and s["max_s"] == 3.0
    assert s["p95_s"] == pytest.approx(0.1 + 0.05 * 2.9)     # position 0.95 × 19 = 18.05
    assert stats.latency_summary([])["p95_s"] is None


def test_memory_growth_per_50_sessions_and_trend():
    samples = [(t, 300 + (t if t < 10 else 10)) for t in range(0, 70)]   # fills up, then flat
    m = stats.memory_summary(samples, sessions=25, settle_s=10)
    assert m["growth_mb"] == 10 and m["growth_mb_per_50_sessions"] == 20
    assert m["trend_mb_per_min_after_settle"] == 0
    leaking = stats.memory_summary([(t, 300 + t / 60) for t in range(0, 120)], sessions=10)
    assert leaking["trend_mb_per_min_after_settle"] == pytest.approx(1.0)


def test_parse_stat_with_a_name_holding_spaces_and_brackets():
    fields = " ".join(str(i) for i in range(3, 53))           # fields 3..52 hold their own number
    st = procstat.parse_stat(f"1234 (we (ird) name) {fields}")
    assert st["state"] == "3" and st["ppid"] == 4 and st["utime"] == 14 and st["stime"] == 15
    assert st["starttime"] == 22


def test_parse_rss_and_this_process():
    assert procstat.parse_rss_kb("Name:\tpython\nVmRSS:\t  123456 kB\nThreads: 3\n") == 123456
    assert procstat.parse_rss_kb("Name:\tzombie\n") == 0
    rss, cpu = procstat.read_proc(os.getpid())
    assert 10 < rss < 24_000 and cpu > 0
    assert procstat.read_proc(2**22 + 7) is None


def test_only_loopback_is_a_target():
    assert is_loopback("http://127.0.0.1:8501/") and is_loopback("http://localhost/")
    assert is_loopback("http://[::1]:80/") and is_loopback("http://127.5.0.1/")
    assert not is_loopback("http://10.0.0.1/") and not is_loopback("http://example.org/")
    assert ws_url("http://127.0.0.1:9/") == "ws://127.0.0.1:9/_stcore/stream"


def _slider_msg():
    m = ForwardMsg()
    s = m.delta.new_element.slider
    s.id = "$$ID-abc-w:lr"
    s.options.extend(["0.01", "0.02", "0.05"])
    s.default.append(0)
    s.set_value = True
    s.raw_value.append("0.02")
    return m


def test_widget_states_read_from_elements():
    sl = _slider_msg().delta.new_element.slider
    assert list(widget_state("slider", sl).string_array_value.data) == ["0.02"]
    m = ForwardMsg()
    box = m.delta.new_element.selectbox
    box.id, box.default = "$$ID-x-w:surface", 1
    box.options.extend(["Beale", "Valley"])
    assert widget_state("selectbox", box).string_value == "Valley"
    num = ForwardMsg().delta.new_element.number_input
    num.id, num.default, num.value, num.set_value = "$$ID-n-w:step", -1, 300, True
    assert widget_state("number_input", num).double_value == 300
    assert widget_state("button", ForwardMsg().delta.new_element.button) is None


def test_the_backmsg_of_a_slider_move():
    sess = ProtocolSession(0, "http://127.0.0.1:9/", "lrmode=shared", rng=random.Random(1))
    sess._absorb(_slider_msg())
    info = ForwardMsg()
    info.page_info_changed.query_string = "lrmode=shared&lr=0.02"
    sess._absorb(info)
    wid = sess.control_id()
    assert wid == "$$ID-abc-w:lr" and sess.query == "lrmode=shared&lr=0.02"
    moved = sess.nudge(wid)
    assert list(moved.string_array_value.data)[0] in ("0.01", "0.05")
    bm = BackMsg()
    bm.ParseFromString(rerun_msg(sess.query, "", [moved], ["h1"]).SerializeToString())
    rs = bm.rerun_script
    assert bm.WhichOneof("type") == "rerun_script" and rs.query_string == "lrmode=shared&lr=0.02"
    assert [w.id for w in rs.widget_states.widgets] == [wid] and list(rs.cached_message_hashes) == ["h1"]


def test_a_move_at_the_end_of_the_options_turns_back():
    sess = ProtocolSession(0, "http://127.0.0.1:9/", "", rng=None)     # no rng: always one up
    m = _slider_msg()
    m.delta.new_element.slider.raw_value[0] = "0.05"
    sess._absorb(m)
    assert list(sess.nudge(sess.control_id()).string_array_value.data) == ["0.02"]


def test_a_reference_resolves_to_the_held_message():
    sess = ProtocolSession(0, "http://127.0.0.1:9/", "")
    m = _slider_msg()
    m.hash, m.metadata.cacheable = "h-slider", True
    sess._absorb(m)
    sess.widgets.clear()
    ref = ForwardMsg()
    ref.ref_hash = "h-slider"
    sess._absorb(ref)
    assert "$$ID-abc-w:lr" in sess.widgets and list(sess.held) == ["h-slider"]
