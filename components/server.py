"""Serving the app: ``python -m components.server [streamlit options]`` is ``streamlit run app.py`` with a warm start.

A freshly started Streamlit server does its first work for its first visitor: that visitor waited for the imports,
the register's opening, the boundaries, the reference tables and the public release (10-25 s), and, because the
project has a ``pages/`` folder, was shown Streamlit's old file-name navigation (``app | about | access …``) until
app.py's own navigation replaced it (Streamlit decides that mode from the folder's existence, before app.py runs).

Here the server is started as ``streamlit run`` would start it, with three differences:

- the old pages-folder mode is switched off before the server starts (``PagesManager.uses_pages_directory``; app.py
  always declares its pages with ``st.navigation``, which switches it off at its first call anyway);
- as soon as the server answers, one headless session (a websocket client speaking Streamlit's protocol, as the
  browser does) opens every public page in turn, so every process-wide cache holds what any visitor needs. Then the
  server prints ``READY`` (the line tests and deployments wait for) with the time it took.

- every connection to the server sends at once (TCP_NODELAY, ``tcp_nodelay``): without it a run's messages after the
  first waited for the client's delayed acknowledgement, ~40 ms a rerun on Linux (issue 35).

The visitors that come during the warm-up are served as before (they share the caches being filled).
"""

from __future__ import annotations

import asyncio
import asyncio.base_events
import socket
import sys
import threading
import time
import urllib.request
from pathlib import Path

import websockets
from streamlit import config
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.runtime import Runtime
from streamlit.runtime.pages_manager import PagesManager
from streamlit.web import cli as streamlit_cli
from websockets.typing import Subprotocol

APP = str(Path(__file__).resolve().parents[1] / "app.py")
READY = "READY"  # the first word of the line printed when the warm-up is done
PATIENCE = 600.0  # seconds the warm-up waits for the server to answer, and for one page's run


async def visit(stream_url: str) -> tuple[list[str], list[str]]:
    """Open the bare address, then every page the server's navigation offers a visitor who is not signed in, once
    each in one session, as a browser asks for them. The pages run, and the problems seen (an exception shown, a
    page not found): none when every page ran clean."""
    queue, seen, problems = [""], {""}, []
    async with websockets.connect(stream_url, subprotocols=[Subprotocol("streamlit")], max_size=None,
                                  open_timeout=PATIENCE) as ws:
        while queue:
            page = queue.pop(0)
            msg = BackMsg()
            msg.rerun_script.query_string = ""
            msg.rerun_script.page_name = page
            await ws.send(msg.SerializeToString())
            while True:
                forward = ForwardMsg()
                forward.ParseFromString(await asyncio.wait_for(ws.recv(), PATIENCE))
                kind = forward.WhichOneof("type")
                if kind == "script_finished":
                    break
                if kind == "navigation":
                    offered = [p.url_pathname for p in forward.navigation.app_pages if not p.is_default]
                    queue += [p for p in offered if p not in seen]
                    seen.update(offered)
                elif kind == "page_not_found":
                    problems.append(f"{page}: not found")
                elif kind == "delta" and forward.delta.WhichOneof("type") == "new_element":
                    element = forward.delta.new_element
                    if element.WhichOneof("type") == "exception":
                        problems.append(f"{page or '/'}: {element.exception.type}: {element.exception.message}")
    return ["/", *sorted(seen - {""})], problems


def _base_url() -> str:
    host = config.get_option("server.address") or "127.0.0.1"
    host = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    path = (config.get_option("server.baseUrlPath") or "").strip("/")
    return f"http://{host}:{config.get_option('server.port')}" + (f"/{path}" if path else "")


def _wait_for_server(deadline: float) -> str:
    """The server's address once its health check answers (its options read once the runtime exists, and the port
    anew each time: Streamlit may move on to the next free one)."""
    while time.monotonic() < deadline:
        if not Runtime.exists():
            time.sleep(0.2)
            continue
        url = _base_url()
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as resp:
                if resp.status == 200:
                    return url
        except OSError:
            pass
        time.sleep(0.2)
    raise TimeoutError(f"the server did not answer within {PATIENCE:.0f} s")


def warm_up() -> None:
    """Wait for the server, open every public page once, print the READY line (or why the warm-up failed: the
    server keeps running, and its first visitor does the work instead)."""
    start = time.monotonic()
    try:
        url = _wait_for_server(start + PATIENCE)
        pages, problems = asyncio.run(visit(url.replace("http://", "ws://", 1) + "/_stcore/stream"))
    except Exception as exc:  # noqa: BLE001 - any failure only leaves the server cold, and is said
        print(f"Kompetenskartan: the warm-up failed ({type(exc).__name__}: {exc}); the first visitor waits instead",
              flush=True)
        return
    for problem in problems:
        print(f"Kompetenskartan: warm-up: {problem}", flush=True)
    print(f"{READY}: Kompetenskartan warmed {len(pages)} public pages ({', '.join(pages)}) in "
          f"{time.monotonic() - start:.1f} s, at {url}", flush=True)


def _set_nodelay(sock: socket.socket) -> None:
    if sock.family in (socket.AF_INET, socket.AF_INET6) and sock.type == socket.SOCK_STREAM:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


def tcp_nodelay() -> None:
    """Switch Nagle's algorithm off on every TCP connection the server accepts, as asyncio means to.

    asyncio sets TCP_NODELAY on a connection only where the socket says its protocol is TCP (``sock.proto ==
    IPPROTO_TCP``, asyncio/base_events.py ``_set_nodelay``, called by selector_events.py for every transport), and
    Streamlit's server binds its listening socket as ``socket.socket(family=family)`` (proto 0,
    streamlit/web/server/starlette/starlette_server.py ``_bind_socket``), so every connection it accepts has proto 0 and
    keeps Nagle on. A run's messages are written one by one (new_session, status, deltas, script_finished): the first
    leaves at once, the rest wait until the client acknowledges it, and a client that has just sent the rerun delays
    that acknowledgement (Linux: 40 ms at least). Measured with one ``st.write`` and this project's config: a rerun
    asked for as soon as the last finished took 44-48 ms, 6 ms with this (strace: the 381-byte new_session received at
    once, the other 155 bytes 41-47 ms later). Same check as asyncio's, without the proto test."""
    asyncio.base_events._set_nodelay = _set_nodelay  # type: ignore[attr-defined]  # noqa: SLF001


def main(argv: list[str] | None = None) -> None:
    tcp_nodelay()  # before the server accepts its first connection
    PagesManager.uses_pages_directory = False  # app.py declares its pages (st.navigation); no file-name navigation
    threading.Thread(target=warm_up, name="kompetenskartan-warm-up", daemon=True).start()
    streamlit_cli.main(["run", APP, *(sys.argv[1:] if argv is None else argv)], prog_name="streamlit")


if __name__ == "__main__":
    main()
