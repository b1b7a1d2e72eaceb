"""The app's own server sends at once: TCP_NODELAY on every connection it accepts (issue 35).

Streamlit binds its listening socket without naming TCP (proto 0), and asyncio sets TCP_NODELAY only on a socket that
does, so a plain ``streamlit run`` kept Nagle's algorithm on: a run's messages after the first waited for the client's
delayed acknowledgement, ~40 ms a rerun. ``components.server.tcp_nodelay`` (called by its ``main``) sets it anyway.
"""

from __future__ import annotations

import asyncio
import asyncio.base_events
import socket

import pytest

from components import server


def accepted_nodelay() -> int:
    """TCP_NODELAY of a connection accepted by an asyncio server on a listening socket bound as Streamlit binds it."""
    listening = socket.socket(family=socket.AF_INET)  # as streamlit's starlette_server._bind_socket: proto 0
    listening.bind(("127.0.0.1", 0))
    listening.listen(1)
    listening.setblocking(False)
    seen: list[int] = []

    async def main() -> None:
        def connected(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            seen.append(writer.get_extra_info("socket").getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
            writer.close()

        async with await asyncio.start_server(connected, sock=listening):
            _, writer = await asyncio.open_connection(*listening.getsockname())
            while not seen:
                await asyncio.sleep(0.01)
            writer.close()

    asyncio.run(asyncio.wait_for(main(), 10))
    return seen[0]


def test_a_connection_to_the_apps_server_sends_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(asyncio.base_events, "_set_nodelay", asyncio.base_events._set_nodelay)  # restored after
    # asyncio alone: Nagle stays on (the ~40 ms); were this 1, asyncio would set it itself and tcp_nodelay could go
    assert accepted_nodelay() == 0
    server.tcp_nodelay()
    assert accepted_nodelay() != 0

