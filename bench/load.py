"""Benchmark: many simultaneous sessions against one ``streamlit run`` server on the national demo register.

Each session is a real websocket client speaking Streamlit's protocol (the BackMsg/ForwardMsg
protobufs the browser sends and receives): it connects, asks for a run of a page and waits for the
server's ``script_finished``, then reruns the page a few times. Two ways of using the sessions:

- **burst**: every session starts at the same moment and reruns as soon as its last run finished (no
  person clicks like that: the worst case, where one process's runs queue behind each other);
- **reading**: each session starts at a random moment within the first pause and waits a random
  2-8 s (``--think``) between its runs, as a person reading the page before the next click.

Prints the p50/p95/max time of a run and the servers' peak memory (resident set of the server processes)
for each. ``--servers 2`` runs two servers on the one register and gives each session to one of them in
turn, as a proxy with sticky sessions would (README, production). Prints figures; asserts nothing.

    .venv/bin/python bench/load.py [--sessions 50] [--reruns 5] [--scale national] [--pages oversikt,behovskarta] [--think 2,8] [--servers 1]

Targets (issue 14): p95 ≤ 1 s, memory ≤ 3 GB.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

ROOT = Path(__file__).resolve().parents[1]


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


async def run_once(ws, page: str) -> float:
    msg = BackMsg()
    msg.rerun_script.query_string = ""
    msg.rerun_script.page_name = "" if page == "oversikt" else page  # the default page is the bare address
    start = time.perf_counter()
    await ws.send(msg.SerializeToString())
    while True:
        forward = ForwardMsg()
        forward.ParseFromString(await ws.recv())
        kind = forward.WhichOneof("type")
        if kind == "script_finished":
            return time.perf_counter() - start
        if kind == "page_not_found":
            raise RuntimeError(f"page not found: {page}")


async def session(url: str, page: str, reruns: int, times: list[float], gate: asyncio.Event, pauses: list[float]) -> None:
    """``pauses``: before the first run and between runs (all 0 for a burst)."""
    async with websockets.connect(f"{url}/_stcore/stream", subprotocols=["streamlit"], max_size=None,
                                  open_timeout=120) as ws:
        await gate.wait()  # every session is connected before the first run anywhere
        for pause in pauses[: reruns + 1]:
            await asyncio.sleep(pause)
            times.append(await run_once(ws, page))


async def drive(urls: list[str], sessions: int, reruns: int, pages: list[str], think: tuple[float, float] = (0.0, 0.0),
                seed: int = 14) -> list[float]:
    """Session i runs page i mod len(pages) on server i mod len(urls)."""
    times: list[float] = []
    gate = asyncio.Event()
    rng = random.Random(seed)
    pauses = [[rng.uniform(0, think[1]) if think[1] else 0.0, *(rng.uniform(*think) for _ in range(reruns))]
              for _ in range(sessions)]
    tasks = [asyncio.create_task(session(urls[i % len(urls)], pages[i % len(pages)], reruns, times, gate, pauses[i]))
             for i in range(sessions)]
    await asyncio.sleep(1.0)  # let the connections open (no run happens before the gate opens)
    gate.set()
    await asyncio.gather(*tasks)
    return times


def measure(pids: list[int], ws_urls: list[str], args: argparse.Namespace, label: str, think: tuple[float, float]) -> None:
    peak = [sum(rss_mb(p) for p in pids)]
    stop = threading.Event()

    def sample() -> None:
        while not stop.is_set():
            peak.append(sum(rss_mb(p) for p in pids))
            time.sleep(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    t0 = time.perf_counter()
    times = asyncio.run(drive(ws_urls, args.sessions, args.reruns, args.pages.split(","), think))
    wall = time.perf_counter() - t0
    stop.set()
    sampler.join()
    times.sort()
    p95 = times[int(0.95 * (len(times) - 1))]
    print(f"{label}, {len(pids)} server(s): {args.sessions} simultaneous sessions x {args.reruns + 1} runs of {args.pages} "
          f"({len(times)} runs in {wall:.1f} s): p50 {statistics.median(times):.2f} s, p95 {p95:.2f} s, max {times[-1]:.2f} s; "
          f"servers' peak {max(peak):.0f} MB (targets: p95 <= 1 s, <= 3,000 MB)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sessions", type=int, default=50)
    parser.add_argument("--reruns", type=int, default=5)
    parser.add_argument("--scale", default="national")
    parser.add_argument("--pages", default="oversikt,behovskarta")
    parser.add_argument("--think", default="2,8", help="seconds a reading session waits between runs: low,high")
    parser.add_argument("--servers", type=int, default=1, help="app servers on the one register (sessions shared in turn)")
    args = parser.parse_args()
    think = tuple(float(x) for x in args.think.split(","))
    with tempfile.TemporaryDirectory() as tmp:
        db = f"sqlite:///{Path(tmp) / 'load.sqlite'}"
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "cli.py", "demo", "--scale", args.scale, "--database", db], cwd=ROOT, check=True,
                       capture_output=True)
        print(f"{args.scale} demo register built in {time.perf_counter() - t0:.1f} s")
        env = os.environ | {"DATABASE_URL": db}
        ports = [free_port() for _ in range(args.servers)]
        servers = [subprocess.Popen([sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
                                     "--server.address", "127.0.0.1", "--server.headless", "true"],
                                    cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) for port in ports]
        urls = [f"http://127.0.0.1:{port}" for port in ports]
        try:
            for url in urls:
                for _ in range(300):
                    try:
                        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2):
                            break
                    except OSError:
                        time.sleep(0.3)
            ws_urls = [url.replace("http", "ws") for url in urls]
            pids = [server.pid for server in servers]
            for ws_url, pid in zip(ws_urls, pids):
                for page in args.pages.split(","):
                    warm = asyncio.run(drive([ws_url], 1, 1, [page]))
                    print(f"warm-up of {page} (one session, caches filled): first run {warm[0]:.2f} s, rerun {warm[1]:.2f} s; "
                          f"server {rss_mb(pid):.0f} MB")
            for label, pause in (("burst (no pause)", (0.0, 0.0)), (f"reading ({think[0]:g}-{think[1]:g} s between runs)", think)):
                measure(pids, ws_urls, args, label, pause)
        finally:
            for server in servers:
                server.terminate()
                server.wait(timeout=30)


if __name__ == "__main__":
    main()
