"""A Streamlit session spoken at the WebSocket protocol (/_stcore/stream), as the browser speaks it:
so that one process can carry more sessions than browsers can on this machine.

The browser opens ``ws://host/_stcore/stream`` with the subprotocols header ``streamlit, <xsrf
token>[, <session id to resume>]`` (the server takes the first entry as the protocol and reads the
others as data: ``starlette_websocket._parse_subprotocols``), then sends a ``rerun_script`` BackMsg
carrying the page's query string; the server answers with ForwardMsgs (new_session, the deltas
of every element, page_info_changed when the script rewrote the URL, script_finished). Each widget
element carries an ``id``; a widget change is another ``rerun_script`` with the current value of
every widget the page drew (``WidgetStates``) and the one changed, plus the hashes of the cacheable
messages already held (the server then sends a reference instead of the message again). A rerun's
latency here is from that send to its ``script_finished``."""
from __future__ import annotations

import asyncio
import http.cookiejar
import time
import urllib.request
from collections import OrderedDict
from urllib.parse import urlsplit

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState

FINISHED_OK = 0          # ForwardMsg.ScriptFinishedStatus.FINISHED_SUCCESSFULLY
HELD_MESSAGES = 64       # cacheable messages a session keeps (the browser keeps more; enough for one page)


def widget_state(kind: str, el) -> WidgetState | None:
    """The value the browser reports for a widget element as the server drew it (its ``set_value``
    value, else its default); None for what reports no value until clicked (buttons, charts)."""
    ws = WidgetState(id=el.id)
    if kind == "slider":
        if el.options:          # a select_slider: its values are the formatted options
            vals = list(el.raw_value) if el.set_value and el.raw_value else [el.options[int(i)] for i in el.default]
            ws.string_array_value.data.extend(vals)
        else:
            ws.double_array_value.data.extend(list(el.value) if el.set_value else list(el.default))
    elif kind in ("number_input", "text_input"):
        field = "value" if el.set_value and el.HasField("value") else "default"
        if not el.HasField(field):
            return None
        setattr(ws, "double_value" if kind == "number_input" else "string_value", getattr(el, field))
    elif kind == "checkbox":
        ws.bool_value = el.value if el.set_value else el.default
    elif kind in ("selectbox", "radio"):
        if el.set_value and el.HasField("raw_value"):
            ws.string_value = el.raw_value
        elif el.options and 0 <= el.default < len(el.options):
            ws.string_value = el.options[el.default]
        else:
            return None
    elif kind == "multiselect":
        ws.string_array_value.data.extend(el.raw_values if el.set_value else [el.options[i] for i in el.default])
    elif kind == "button_group":
        ws.string_array_value.data.extend(el.raw_values if el.set_value else
                                          [el.options[i].content for i in el.default])
    elif kind == "expandable":
        ws.bool_value = bool(el.expanded)
    else:
        return None
    return ws


def rerun_msg(query: str, page_name: str, states, cached_hashes=()) -> BackMsg:
    """The ``rerun_script`` BackMsg of a page load (``states`` empty) or a widget change."""
    bm = BackMsg()
    rs = bm.rerun_script
    rs.query_string = query
    rs.page_name = page_name
    rs.widget_states.widgets.extend(states)
    rs.cached_message_hashes.extend(cached_hashes)
    return bm


def ws_url(base: str) -> str:
    parts = urlsplit(base)
    scheme = "wss" if parts.scheme == "https" else "ws"
    return f"{scheme}://{parts.netloc}{parts.path.rstrip('/')}/_stcore/stream"


def first_get(base: str, timeout: float = 30) -> str:
    """GET the page as a browser does first, for its cookies (a proxy's sticky-session cookie,
    Streamlit's XSRF cookie); returns the Cookie header to send with the WebSocket."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    with opener.open(base, timeout=timeout) as r:
        r.read()
    return "; ".join(f"{c.name}={c.value}" for c in jar)


class RunFailed(Exception):
    pass


class ProtocolSession:
    """One simulated user. ``run`` loads the page, then every ``interval`` seconds moves the slider
    whose widget key ends with ``control`` one option (a random walk, as a student nudging it),
    for ``duration`` seconds after its page is drawn. Each rerun is recorded with ``record(kind, t_start,
    latency_s, session)``; errors go to ``self.errors``."""

    def __init__(self, index: int, base: str, query: str, page_name: str = "", control: str = "w:lr",
                 rng=None, rerun_timeout: float = 60.0):
        self.index, self.base, self.query, self.page_name = index, base.rstrip("/") + "/", query, page_name
        self.control, self.rng, self.rerun_timeout = control, rng, rerun_timeout
        self.widgets: dict[str, WidgetState] = {}
        self.sliders: dict[str, list] = {}         # id -> options of select_sliders drawn
        self.held: OrderedDict[str, ForwardMsg] = OrderedDict()
        self.errors: list[str] = []
        self.reruns = 0
        self.failed = False
        self.ws = None

    # ------------------------------------------------------------------ messages

    def _absorb(self, msg: ForwardMsg) -> None:
        """Learn the widgets a delta draws (resolving a reference to a held message) and the URL
        the script wrote."""
        kind = msg.WhichOneof("type")
        if kind == "ref_hash":
            held = self.held.get(msg.ref_hash)
            if held is None:
                return
            msg = held
            kind = msg.WhichOneof("type")
        elif msg.metadata.cacheable and msg.hash:
            self.held[msg.hash] = msg
            self.held.move_to_end(msg.hash)
            while len(self.held) > HELD_MESSAGES:
                self.held.popitem(last=False)
        if kind == "page_info_changed":
            self.query = msg.page_info_changed.query_string
        elif kind == "delta":
            d = msg.delta
            which = d.WhichOneof("type")
            if which == "new_element":
                ek = d.new_element.WhichOneof("type")
                if ek == "exception":
                    self.errors.append(f"session {self.index}: exception element: "
                                       f"{d.new_element.exception.message[:200]}")
                    return
                el = getattr(d.new_element, ek)
                if getattr(el, "id", ""):
                    st = widget_state(ek, el)
                    if st is not None:
                        self.widgets[el.id] = st
                    if ek == "slider" and el.options:
                        self.sliders[el.id] = list(el.options)
            elif which == "add_block" and d.add_block.WhichOneof("type") == "expandable":
                ex = d.add_block.expandable
                if ex.id:
                    self.widgets[ex.id] = widget_state("expandable", ex)

    async def _rerun(self, states) -> float:
        bm = rerun_msg(self.query, self.page_name, states, list(self.held))
        t0 = time.perf_counter()
        await self.ws.send(bm.SerializeToString())
        while True:
            raw = await asyncio.wait_for(self.ws.recv(), timeout=self.rerun_timeout)
            msg = ForwardMsg()
            msg.ParseFromString(raw)
            self._absorb(msg)
            if msg.WhichOneof("type") == "script_finished":
                if msg.script_finished == FINISHED_OK:
                    return time.perf_counter() - t0
                if msg.script_finished != 2:       # 2: ended early for a newer rerun: wait for that one
                    raise RunFailed(f"script finished with status {msg.script_finished}")

    def control_id(self) -> str | None:
        return next((i for i in self.sliders if i.endswith("-" + self.control)), None)

    def nudge(self, wid: str) -> WidgetState:
        """The control's state moved one option up or down (down at the top, up at the bottom)."""
        opts = self.sliders[wid]
        cur = self.widgets[wid].string_array_value.data[0]
        i = opts.index(cur) if cur in opts else 0
        step = self.rng.choice((-1, 1)) if self.rng else 1
        j = i + step if 0 <= i + step < len(opts) else i - step
        ws = WidgetState(id=wid)
        ws.string_array_value.data.append(opts[j])
        return ws

    # ------------------------------------------------------------------ one user

    async def run(self, interval: float, duration: float, record, start_delay: float = 0.0) -> None:
        from websockets.asyncio.client import connect
        await asyncio.sleep(start_delay)
        try:
            cookie = await asyncio.to_thread(first_get, self.base + ("?" + self.query if self.query else ""))
            headers = {"Cookie": cookie} if cookie else {}
            origin = "{0.scheme}://{0.netloc}".format(urlsplit(self.base))
            async with connect(ws_url(self.base), subprotocols=["streamlit", "PLACEHOLDER_AUTH_TOKEN"],
                               additional_headers=headers, origin=origin, max_size=None, open_timeout=60,
                               ping_interval=20, ping_timeout=60) as ws:
                self.ws = ws
                t = time.monotonic()
                record("load", t, await self._rerun([]), self.index)
                deadline = time.monotonic() + duration      # moves for ``duration`` once the page is drawn
                wid = self.control_id()
                if wid is None:
                    raise RunFailed(f"no slider with key {self.control!r} on the page (query {self.query!r})")
                # the first move a random part of an interval in: the class does not move in step
                next_at = time.monotonic() + (self.rng.random() if self.rng else 0.5) * interval
                while True:
                    await asyncio.sleep(max(0.0, next_at - time.monotonic()))
                    if time.monotonic() >= deadline:
                        break
                    moved = self.nudge(wid)
                    self.widgets[wid] = moved
                    t = time.monotonic()
                    record("rerun", t, await self._rerun(list(self.widgets.values())), self.index)
                    self.reruns += 1
                    next_at = t + interval
        except ImportError:
            raise
        except Exception as e:        # a failed session is a result, not a crash of the harness
            self.failed = True
            self.errors.append(f"session {self.index}: {type(e).__name__}: {str(e)[:300]}")
