"""A Streamlit session driven over its websocket, as a browser tab drives it, without a browser.

Fifty browser tabs would measure the 2-core machine's Chromium, not the server; fifty of these
cost almost nothing, so the load and memory figures are the server's own. Each session sends
what the frontend sends (a rerun with the query string and the widget states) and times a
rerun from the request to Streamlit's "script finished" message.

Like the frontend, a session holds a value for each widget the server draws: the server's value
when it first draws the widget or when the script sets it (``set_value``), the session's own
once it changes one. Every rerun sends them all, each in the field Streamlit 1.67 reads for its
type (``WidgetStates.proto``: a checkbox's ``bool_value``, a select box's or a radio's
``string_value`` holding the formatted option, a select slider's or a date input's
``string_array_value``, a number input's ``double_value``). The page's last render is kept
(element by position), so a measure can check that a click changed what the server drew.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from dataclasses import dataclass, field

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.Element_pb2 import Element
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.Slider_pb2 import Slider
from streamlit.proto.WidgetStates_pb2 import WidgetState, WidgetStates

# One click waiting longer than this counts as a lost session.
TIMEOUT_S = 60.0

# A widget's value as the frontend holds it: a checkbox's bool, a number, a formatted option
# (None: nothing chosen), or a date input's or select slider's list of formatted values.
Value = bool | float | str | tuple[str, ...] | None
# The element types whose values a session holds and sends.
HELD = ("checkbox", "selectbox", "radio", "slider", "date_input", "number_input")


@dataclass
class Widget:
    """A widget the server drew: its id, element type, label, options and current value."""

    id: str
    kind: str
    label: str
    options: tuple[str, ...]
    value: Value
    # A date input's first and last day (ISO), which the server holds a value to.
    limits: tuple[str, str] = ("", "")


def widget_key(widget_id: str) -> str:
    """The key the script gave a widget (``layer:bri``), from its id (``$$ID-<hash>-<key>``)."""
    parts = widget_id.split("-", 2)
    return parts[2] if len(parts) == 3 and parts[0] == "$$ID" else widget_id


def drawn_widget(element: Element) -> tuple[Widget, bool] | None:
    """The widget ``element`` draws with the value the server gives it, and whether the script
    set that value (so the frontend takes it over its own); None for other elements."""
    kind = element.WhichOneof("type")
    if kind not in HELD:
        return None
    proto = getattr(element, str(kind))
    options = tuple(getattr(proto, "options", ()))
    value: Value
    if kind == "checkbox":
        value = proto.value if proto.set_value else proto.default
    elif kind in ("selectbox", "radio"):
        if proto.set_value:
            value = proto.raw_value if proto.HasField("raw_value") else None
        else:
            value = options[proto.default] if proto.HasField("default") else None
    elif kind == "slider":
        if proto.type != Slider.Type.SELECT_SLIDER:
            return None  # the page has no numeric slider
        value = tuple(proto.raw_value) if proto.set_value else tuple(
            options[int(i)] for i in proto.default
        )  # fmt: skip
    elif kind == "date_input":
        value = tuple(proto.value if proto.set_value else proto.default)
        limits = (proto.min, proto.max)
        return Widget(proto.id, "date_input", proto.label, (), value, limits), proto.set_value
    else:  # number_input
        value = proto.value if proto.set_value else proto.default
    return Widget(proto.id, str(kind), proto.label, options, value), bool(proto.set_value)


def widget_state(widget: Widget) -> WidgetState | None:
    """What the frontend sends for ``widget`` (None for a select box with nothing chosen)."""
    state = WidgetState(id=widget.id)
    value = widget.value
    if widget.kind == "checkbox":
        state.bool_value = bool(value)
    elif widget.kind in ("selectbox", "radio"):
        if value is None:
            return None
        state.string_value = str(value)
    elif widget.kind in ("slider", "date_input"):
        assert isinstance(value, tuple), widget
        state.string_array_value.data.extend(value)
    else:
        assert isinstance(value, float), widget
        state.double_value = value
    return state


@dataclass
class Session:
    """One connected session: its widgets (by key), what it last rendered, and its traffic."""

    connection: websockets.ClientConnection
    page_hash: str = ""
    widgets: dict[str, Widget] = field(default_factory=dict)
    # The last run's elements, by their position on the page (Streamlit's delta path).
    rendered: dict[tuple[int, ...], Element] = field(default_factory=dict)
    bytes_received: int = 0
    # Bytes received per kind of page element ("checkbox", "vega_lite_chart", ...).
    element_bytes: Counter[str] = field(default_factory=Counter)
    # Like the frontend, report the large messages already held, so the server sends a
    # reference instead of sending them again.
    cached: dict[str, ForwardMsg] = field(default_factory=dict)

    @classmethod
    async def open(cls, base_url: str, query: str = "") -> Session:
        """Connect and run the page once, as a tab opening ``base_url?query`` does."""
        ws_url = base_url.replace("http://", "ws://", 1) + "_stcore/stream"
        origin = base_url.rstrip("/").split("/", 3)
        connection = await websockets.connect(
            ws_url,
            subprotocols=[websockets.Subprotocol("streamlit")],
            origin=websockets.Origin(f"{origin[0]}//{origin[2]}"),
            max_size=None,
        )
        session = cls(connection)
        await session.rerun(query)
        return session

    @property
    def checkboxes(self) -> dict[str, tuple[str, bool]]:
        """The checkboxes, label → (widget id, ticked)."""
        return {w.label: (w.id, bool(w.value)) for w in self.widgets.values()
                if w.kind == "checkbox"}  # fmt: skip

    async def rerun(self, query: str = "") -> float:
        """Send one rerun with the current widget states; seconds until the script finished."""
        states = WidgetStates()
        for widget in self.widgets.values():
            state = widget_state(widget)
            if state is not None:
                states.widgets.append(state)
        message = BackMsg()
        message.rerun_script.query_string = query
        message.rerun_script.page_script_hash = self.page_hash
        message.rerun_script.widget_states.CopyFrom(states)
        message.rerun_script.cached_message_hashes.extend(sorted(self.cached))
        started = time.perf_counter()
        await self.connection.send(message.SerializeToString())
        await self._until_finished()
        return time.perf_counter() - started

    async def toggle(self, label: str) -> float:
        """Tick or untick the checkbox labelled ``label``; seconds until the rerun finished."""
        widget = next(w for w in self.widgets.values() if w.kind == "checkbox" and w.label == label)
        return await self.set(widget_key(widget.id), not widget.value)

    async def set(self, key: str, value: Value) -> float:
        """Give the widget whose key is ``key`` a new value, as a reader's input does; seconds
        until the rerun finished."""
        self.widgets[key].value = value
        return await self.rerun()

    def map_args(self) -> str:
        """The arguments the map component was last drawn with (its JSON, the view included)."""
        found = [e.component_instance.json_args for e in self.rendered.values()
                 if e.WhichOneof("type") == "component_instance"]  # fmt: skip
        return found[0] if found else ""

    def texts(self) -> str:
        """Every markdown, heading and caption the page last drew, one a line."""
        return "\n".join(
            e.markdown.body if e.WhichOneof("type") == "markdown" else e.heading.body
            for e in self.rendered.values()
            if e.WhichOneof("type") in ("markdown", "heading")
        )

    def _take(self, element: Element) -> None:
        drawn = drawn_widget(element)
        if drawn is None:
            return
        widget, set_by_script = drawn
        key = widget_key(widget.id)
        held = self.widgets.get(key)
        if held is not None and not set_by_script:
            widget.value = held.value  # the reader's value, as the frontend keeps it
        self.widgets[key] = widget

    async def _until_finished(self) -> None:
        self.rendered = {}
        async with asyncio.timeout(TIMEOUT_S):
            while True:
                raw = await self.connection.recv()
                self.bytes_received += len(raw)
                message = ForwardMsg()
                message.ParseFromString(raw if isinstance(raw, bytes) else raw.encode())
                # Where the element goes: a reference carries the place it is drawn this time.
                path = tuple(message.metadata.delta_path)
                if message.WhichOneof("type") == "ref_hash":  # a message this session holds
                    message = self.cached[message.ref_hash]
                elif message.metadata.cacheable:
                    self.cached[message.hash] = message
                kind = message.WhichOneof("type")
                if kind == "new_session":
                    self.page_hash = message.new_session.page_script_hash
                elif kind == "delta" and message.delta.WhichOneof("type") == "new_element":
                    element = message.delta.new_element
                    self.element_bytes[str(element.WhichOneof("type"))] += len(raw)
                    self.rendered[path] = element
                    self._take(element)
                elif kind == "script_finished":
                    return

    async def clear_cache(self) -> None:
        """Ask the server to clear Streamlit's caches, as any client may."""
        message = BackMsg()
        message.clear_cache = True
        await self.connection.send(message.SerializeToString())

    async def close(self) -> None:
        await self.connection.close()
