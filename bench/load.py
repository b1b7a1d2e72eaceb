"""Benchmark: many simultaneous sessions against one server (``python -m components.server``) on the national demo register.

Each session is a real websocket client speaking Streamlit's protocol (the BackMsg/ForwardMsg
protobufs the browser sends and receives): it connects, asks for a run of a page and waits for the
server's ``script_finished``, then reruns the page a few times. Two ways of using the sessions:

- **burst**: every session starts at the same moment and reruns as soon as its last run finished (no
  person clicks like that: the worst case, where one process's runs queue behind each other);
- **reading**: each session starts at a random moment within the first pause and waits a random
  2-8 s (``--think``) between its runs, as a person reading the page before the next click.

The sessions are, in turn, the public and signed-in users of the demo register (``--users``: by default
three public sessions to a broker and an admin, who read the register's rows; they sign in through the
demo sign-in, ``KOMPETENSKARTAN_DEMO_LOGIN=1``, before the timed runs start, and each is checked to be
signed in). A run that shows an exception stops the bench.

Prints, with no flags, for **one server and then two** (``--servers 1,2``; two servers on the one register get the
sessions in turn, as a proxy with sticky sessions would, README, production): first the **one-session rerun** of every
page of the navigation for each kind of user (public, broker, admin: one session alone, caches filled, median of
``--page-reruns`` reruns of the unchanged page), then for each mode the p50/p95/max of a run, all and per kind of user,
the wall time of the mode's timed runs (from the moment every session has connected and signed in to the end of the
last run; the time with the connecting and signing in is printed beside it), the servers' **CPU seconds per run** (user
and system time of the server processes over those runs, divided by them: the figure least moved by other work on a
shared machine) and their **peak memory** (resident set). Prints figures; asserts nothing.

    .venv/bin/python bench/load.py [--sessions 50] [--reruns 5] [--scale national | --database URL]
        [--pages oversikt,behovskarta] [--users public,admin@demo.invalid,...] [--modes burst,reading]
        [--think 2,8] [--servers 1,2] [--page-reruns 5]

Targets (issue 35): burst (300 runs) within 6 s and its p95 <= 1 s; reading p50 <= 0.03 s and p95 <= 0.15 s; one session
alone, a rerun <= 0.02 s; memory <= 1.5 GB.

``--smoke``: the Fyrbodal register, two sessions (the public and a broker) of one page, both modes, a short pause
(``SMOKE``): the same code, a real server included, in seconds (``make bench-smoke`` and the tests run it).
"""

from __future__ import annotations

import argparse
import asyncio
import math
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
import registers  # noqa: E402  (bench/registers.py: this script's folder is on the path)

from components.navigation import PAGES  # noqa: E402
from core.common.i18n import t  # noqa: E402
from core.records.audience import pages_for  # noqa: E402
from services.seed import DEMO_USERS  # noqa: E402


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_mb(pid: int) -> float:
    """Resident memory of the process and its children, MB (Linux /proc)."""
    total = 0
    for entry in [pid, *_children(pid)]:
        try:
            with open(f"/proc/{entry}/status") as fh:
                total += next(int(line.split()[1]) for line in fh if line.startswith("VmRSS:"))
        except (FileNotFoundError, StopIteration):
            pass
    return total / 1024


def _children(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as fh:
            return [int(c) for c in fh.read().split()]
    except FileNotFoundError:
        return []


PUBLIC = "public"
# The default mix: mostly the public, a broker and the admin of the demo register (who read its rows)
USERS = (PUBLIC, PUBLIC, PUBLIC, "maklare.sotenas@demo.invalid", "admin@demo.invalid")
# --smoke: the options it sets (the rest keep their defaults)
SMOKE = {"scale": "fyrbodal", "sessions": 2, "reruns": 1, "pages": "oversikt", "users": "public,maklare.sotenas@demo.invalid",
         "think": "0.1,0.2", "servers": "1", "page_reruns": 1, "every_page": False}
KINDS = {user.email: str(user.role.value) for user in DEMO_USERS}  # a demo user's e-mail -> their kind (role)


def kind(who: str) -> str:
    """public, broker, admin or viewer: what the figures are given per."""
    return KINDS.get(who, who)


def cpu_seconds(pids: list[int]) -> float:
    """User and system CPU seconds of the processes and their children so far (Linux /proc)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for pid in pids:
        for entry in [pid, *_children(pid)]:
            try:
                with open(f"/proc/{entry}/stat") as fh:
                    fields = fh.read().rpartition(")")[2].split()
                total += (int(fields[11]) + int(fields[12])) / ticks
            except (FileNotFoundError, IndexError):
                pass
    return total
DEMO_USER_KEY = "-demo_user.sv"  # the demo sign-in's select box in Swedish (components.auth, key state.DEMO_USER + language)
SIGNED_IN = t("sv", "auth.signed_in", who="{who}", role="").partition("{who}")[0].strip()  # the sidebar's "Inloggad som"


async def run_once(ws, page: str, widgets: dict[str, str] | None = None,
                   cache: dict[str, ForwardMsg] | None = None) -> tuple[float, str | None, list[str]]:
    """One run of ``page`` with these select-box values (widget id -> value), as the browser asks for it.

    ``cache``: the session's messages the server marked cacheable, by hash. As the browser does, the run asks with
    their hashes, and the server sends a reference instead of a message the browser has already (a signed-in Översikt
    sent its 146 KB table on every run to this client, never to a browser). Returns the time to the server's
    ``script_finished``, the id of the demo sign-in's select box (None where the page has none) and the page's markdown
    texts. A run that shows an exception is an error, not a figure."""
    cache = {} if cache is None else cache
    msg = BackMsg()
    msg.rerun_script.query_string = ""
    msg.rerun_script.page_name = "" if page == "oversikt" else page  # the default page is the bare address
    msg.rerun_script.cached_message_hashes.extend(cache)
    for widget_id, value in (widgets or {}).items():
        state = msg.rerun_script.widget_states.widgets.add()
        state.id, state.string_value = widget_id, value
    demo_box, texts = None, []
    start = time.perf_counter()
    await ws.send(msg.SerializeToString())
    while True:
        forward = ForwardMsg()
        forward.ParseFromString(await ws.recv())
        kind = forward.WhichOneof("type")
        if kind == "ref_hash":
            if forward.ref_hash not in cache:
                raise RuntimeError(f"{page}: the server referred to a message this session never had")
            forward = cache[forward.ref_hash]
            kind = forward.WhichOneof("type")
        elif forward.metadata.cacheable:
            cache[forward.hash] = forward
        if kind == "script_finished":
            return time.perf_counter() - start, demo_box, texts
        if kind == "page_not_found":
            raise RuntimeError(f"page not found: {page}")
        if kind == "delta" and forward.delta.WhichOneof("type") == "new_element":
            element = forward.delta.new_element
            if element.WhichOneof("type") == "exception":
                raise RuntimeError(f"{page} raised {element.exception.type}: {element.exception.message}")
            if element.WhichOneof("type") == "selectbox" and element.selectbox.id.endswith(DEMO_USER_KEY):
                demo_box = element.selectbox.id
            if element.WhichOneof("type") == "markdown":
                texts.append(element.markdown.body)


async def sign_in(ws, page: str, email: str, cache: dict[str, ForwardMsg] | None = None) -> dict[str, str]:
    """Choose ``email`` in the demo sign-in (the server runs with KOMPETENSKARTAN_DEMO_LOGIN=1)."""
    _, box, _ = await run_once(ws, page, cache=cache)
    if box is None:
        raise RuntimeError("no demo sign-in on the page: is KOMPETENSKARTAN_DEMO_LOGIN=1 set for the server?")
    widgets = {box: email}
    _, _, texts = await run_once(ws, page, widgets, cache)
    if not any(text.startswith(SIGNED_IN) for text in texts):
        raise RuntimeError(f"the demo sign-in as {email} did not take: the sidebar does not say '{SIGNED_IN} ...'")
    return widgets


async def session(url: str, page: str, reruns: int, times: list[tuple[str, float]], start: asyncio.Barrier, pauses: list[float],
                  who: str = PUBLIC, began: list[tuple[float, float]] | None = None,
                  mark: Callable[[], float] | None = None) -> None:
    """``pauses``: before the first run and between runs (all 0 for a burst); ``who``: public or a demo user's e-mail
    (signed in before any session starts its timed runs, so the sign-in is not timed); ``began``: gets the moment the
    timed runs began and what ``mark()`` said then."""
    began = [] if began is None else began
    async with websockets.connect(f"{url}/_stcore/stream", subprotocols=["streamlit"], max_size=None,
                                  open_timeout=120) as ws:
        # signed in on the default page, which every visitor may open (a broker's or admin's own pages refuse the public)
        cache: dict[str, ForwardMsg] = {}  # what this session's browser would keep (run_once)
        widgets = None if who == PUBLIC else await sign_in(ws, "oversikt", who, cache)
        await start.wait()
        if not began:  # the first session past the barrier: the timed runs begin (the servers' CPU is read then too)
            began.append((time.perf_counter(), mark() if mark else 0.0))
        for pause in pauses[: reruns + 1]:
            await asyncio.sleep(pause)
            times.append((who, (await run_once(ws, page, widgets, cache))[0]))


async def drive(urls: list[str], sessions: int, reruns: int, pages: list[str], think: tuple[float, float] = (0.0, 0.0),
                seed: int = 14, users: list[str] = (PUBLIC,), began: list[tuple[float, float]] | None = None,
                mark: Callable[[], float] | None = None) -> list[tuple[str, float]]:
    """Session i runs page i mod len(pages) on server i mod len(urls) as user i mod len(users); (user, seconds) a run.
    ``began``: gets the moment the sessions began their timed runs (all connected and signed in), and ``mark()`` then."""
    began = [] if began is None else began
    times: list[tuple[str, float]] = []
    start = asyncio.Barrier(sessions)  # no timed run anywhere before every session is connected and signed in
    rng = random.Random(seed)
    pauses = [[rng.uniform(0, think[1]) if think[1] else 0.0, *(rng.uniform(*think) for _ in range(reruns))]
              for _ in range(sessions)]
    await asyncio.gather(*(session(urls[i % len(urls)], pages[i % len(pages)], reruns, times, start, pauses[i],
                                   users[i % len(users)], began, mark) for i in range(sessions)))
    return times


def figures(seconds: list[float]) -> str:
    """p50, p95 (nearest rank: of 2 runs the slower, never below the median) and the slowest run."""
    seconds = sorted(seconds)
    p95 = seconds[math.ceil(0.95 * len(seconds)) - 1]
    return f"p50 {statistics.median(seconds):.2f} s, p95 {p95:.2f} s, max {seconds[-1]:.2f} s"


def measure(pids: list[int], ws_urls: list[str], args: argparse.Namespace, label: str, think: tuple[float, float]) -> None:
    peak = [sum(rss_mb(p) for p in pids)]
    stop = threading.Event()

    def sample() -> None:
        while not stop.is_set():
            peak.append(sum(rss_mb(p) for p in pids))
            time.sleep(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    began: list[tuple[float, float]] = []
    t0 = time.perf_counter()
    times = asyncio.run(drive(ws_urls, args.sessions, args.reruns, args.pages.split(","), think, users=args.users.split(","),
                              began=began, mark=lambda: cpu_seconds(pids)))
    end, cpu = time.perf_counter(), cpu_seconds(pids)
    stop.set()
    sampler.join()
    wall, cpu = end - began[0][0], cpu - began[0][1]  # the timed runs only: from the moment all had connected and signed in
    print(f"{label}, {len(pids)} server(s): {args.sessions} simultaneous sessions x {args.reruns + 1} runs of {args.pages} "
          f"({len(times)} runs in {wall:.1f} s, {end - t0:.1f} s with connecting and signing in): {figures([s for _, s in times])}; "
          f"servers' CPU {1000 * cpu / len(times):.0f} ms a run; servers' peak {max(peak):.0f} MB")
    kinds = sorted({kind(who) for who, _ in times})
    if len(kinds) > 1:
        for which in kinds:
            print(f"    {which}: {figures([s for w, s in times if kind(w) == which])}")


def page_reruns(ws_url: str, args: argparse.Namespace) -> None:
    """One session alone on each page it may open (``--every-page``: every page of the navigation; else ``--pages``),
    for each kind of user: the median of ``--page-reruns`` reruns of the unchanged page after a first run."""
    for who in dict.fromkeys(args.users.split(",")):
        user = next((u for u in DEMO_USERS if u.email == who), None)
        allowed = pages_for(user, "ready") if args.every_page else args.pages.split(",")
        shown = []
        for page in [p for p in PAGES if p in allowed]:
            runs = [s for _, s in asyncio.run(drive([ws_url], 1, args.page_reruns, [page], users=[who]))]
            shown.append(f"{page} {1000 * statistics.median(runs[1:]):.0f}")
        print(f"  one session alone, rerun median (ms), {kind(who)}: " + ", ".join(shown))


def serve(db: str, count: int) -> tuple[list[subprocess.Popen], list[str]]:
    """The app's own server (``python -m components.server``, as ``make run`` and the image start it: TCP_NODELAY on
    its connections, a plain ``streamlit run`` added ~40 ms to a rerun), each ready once it printed READY."""
    env = os.environ | {"DATABASE_URL": db, "KOMPETENSKARTAN_DEMO_LOGIN": "1"}
    ports = [free_port() for _ in range(count)]
    servers = [subprocess.Popen([sys.executable, "-m", "components.server", "--server.port", str(port),
                                 "--server.address", "127.0.0.1", "--server.headless", "true"],
                                cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
               for port in ports]
    for server in servers:
        ready(server)
    return servers, [f"ws://127.0.0.1:{port}" for port in ports]


def drain(server: subprocess.Popen) -> None:
    for _ in server.stdout:
        pass


def ready(server: subprocess.Popen) -> None:
    """Wait for the server's READY line (its warm-up opened every public page once); its later output is drained."""
    said = []
    for line in server.stdout:
        said.append(line)
        if line.startswith("READY"):
            threading.Thread(target=drain, args=(server,), daemon=True).start()
            return
        if "warm-up failed" in line:
            break
    server.terminate()
    sys.exit(f"the server did not get ready: {''.join(said[-20:]).strip()}")


def run_servers(db: str, count: int, args: argparse.Namespace, modes: dict) -> None:
    servers, ws_urls = serve(db, count)
    try:
        pids = [server.pid for server in servers]
        for ws_url, pid in zip(ws_urls, pids):
            for who in dict.fromkeys(args.users.split(",")):
                for page in args.pages.split(","):
                    warm = [s for _, s in asyncio.run(drive([ws_url], 1, 1, [page], users=[who]))]
                    print(f"warm-up of {page} as {who} (one session, caches filled): first run {warm[0]:.2f} s, "
                          f"rerun {warm[1]:.2f} s; server {rss_mb(pid):.0f} MB")
        if count == 1:
            page_reruns(ws_urls[0], args)
        for mode in args.modes.split(","):
            measure(pids, ws_urls, args, *modes[mode])
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sessions", type=int, default=50)
    parser.add_argument("--reruns", type=int, default=5)
    parser.add_argument("--scale", default="national")
    parser.add_argument("--database", help="an existing register to load instead of building the demo one (its URL)")
    parser.add_argument("--pages", default="oversikt,behovskarta")
    parser.add_argument("--users", default=",".join(USERS),
                        help="who the sessions are, in turn: public or a demo user's e-mail (demo sign-in)")
    parser.add_argument("--modes", default="burst,reading", help="burst, reading or both")
    parser.add_argument("--think", default="2,8", help="seconds a reading session waits between runs: low,high")
    parser.add_argument("--servers", default="1,2", help="app servers on the one register (sessions shared in turn), one "
                        "figure set for each count given")
    parser.add_argument("--page-reruns", type=int, default=5, help="reruns of each page by one session alone")
    parser.add_argument("--pages-only", dest="every_page", action="store_false",
                        help="the one-session reruns of --pages only (default: every page of the navigation)")
    parser.add_argument("--smoke", action="store_true", help="two sessions of one page on the Fyrbodal register: seconds")
    args = parser.parse_args()
    if args.smoke:
        vars(args).update(SMOKE)
    think = tuple(float(x) for x in args.think.split(","))
    modes = {"burst": ("burst (no pause)", (0.0, 0.0)), "reading": (f"reading ({think[0]:g}-{think[1]:g} s between runs)", think)}
    with tempfile.TemporaryDirectory() as tmp:
        db = args.database or f"sqlite:///{Path(tmp) / 'load.sqlite'}"
        if not args.database and registers.ready(args.scale):  # a smoke run in the tests: a copy of their demo register
            registers.demo(db, args.scale)
            print(f"{args.scale} demo register copied from the test run's ({registers.READY})")
        elif not args.database:
            t0 = time.perf_counter()
            built = subprocess.run([sys.executable, "-m", "cli", "demo", "--scale", args.scale, "--database", db], cwd=ROOT,
                                   capture_output=True, text=True)
            if built.returncode != 0:
                sys.exit(f"kompetenskartan demo exited with {built.returncode}: {built.stderr.strip()[-2000:]}")
            print(f"{args.scale} demo register built in {time.perf_counter() - t0:.1f} s")
        for count in (int(n) for n in str(args.servers).split(",")):
            run_servers(db, count, args, modes)

if __name__ == "__main__":
    main()
