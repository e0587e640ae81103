"""A Streamlit session driven over its websocket, as a browser tab drives it, without a browser.

Fifty browser tabs would measure the 2-core machine's Chromium, not the server; fifty of these
cost almost nothing, so the load and memory figures are the server's own. Each session sends
what the frontend sends (a rerun with the query string and the widget states) and times a
rerun from the request to Streamlit's "script finished" message.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from dataclasses import dataclass, field

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetStates

# One click waiting longer than this counts as a lost session.
TIMEOUT_S = 60.0


@dataclass
class Session:
    """One connected session: its checkboxes (label → widget id and value) and traffic."""

    connection: websockets.ClientConnection
    page_hash: str = ""
    checkboxes: dict[str, tuple[str, bool]] = field(default_factory=dict)
    bytes_received: int = 0
    # Bytes received per kind of page element ("checkbox", "vega_lite_chart", ...).
    element_bytes: Counter[str] = field(default_factory=Counter)
    # Like the frontend, report the large messages already held, so the server sends a
    # reference instead of sending them again.
    cached: set[str] = field(default_factory=set)

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

    async def rerun(self, query: str = "") -> float:
        """Send one rerun with the current widget states; seconds until the script finished."""
        states = WidgetStates()
        for widget_id, value in self.checkboxes.values():
            state = states.widgets.add()
            state.id = widget_id
            state.bool_value = value
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
        widget_id, value = self.checkboxes[label]
        self.checkboxes[label] = (widget_id, not value)
        return await self.rerun()

    async def _until_finished(self) -> None:
        async with asyncio.timeout(TIMEOUT_S):
            while True:
                raw = await self.connection.recv()
                self.bytes_received += len(raw)
                message = ForwardMsg()
                message.ParseFromString(raw if isinstance(raw, bytes) else raw.encode())
                if message.metadata.cacheable:
                    self.cached.add(message.hash)
                kind = message.WhichOneof("type")
                if kind == "new_session":
                    self.page_hash = message.new_session.page_script_hash
                elif kind == "delta" and message.delta.WhichOneof("type") == "new_element":
                    element = message.delta.new_element
                    self.element_bytes[str(element.WhichOneof("type"))] += len(raw)
                    if element.WhichOneof("type") == "checkbox":
                        box = element.checkbox
                        value = box.value if box.set_value else box.default
                        current = self.checkboxes.get(box.label)
                        self.checkboxes[box.label] = (box.id, current[1] if current else value)
                elif kind == "script_finished":
                    return

    async def clear_cache(self) -> None:
        """Ask the server to clear Streamlit's caches, as any client may."""
        message = BackMsg()
        message.clear_cache = True
        await self.connection.send(message.SerializeToString())

    async def close(self) -> None:
        await self.connection.close()
