"""What the browser tests share: a free port, polling the server, the app's own "run finished" signal."""

from __future__ import annotations

import contextlib
import os
import queue
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "artifacts"
# Chromium's headless shell (Debian's chromium-headless-shell; what Playwright itself runs headless) where it is
# installed: the same Blink and V8 as the browser without its windowing and GPU layers, about 15 % less CPU for the
# browser tests (test_browser: 101 s against 118 s of the machine's CPU, issue 31's note); else the browser
CHROMIUM = (os.environ.get("CHROMIUM_PATH") or shutil.which("chromium-headless-shell") or shutil.which("chromium")
            or shutil.which("chromium-browser"))
LOCAL_HOSTS = {"localhost", "127.0.0.1", "[::1]", "::1"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(url: str, proc: subprocess.Popen, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited with {proc.returncode}: {proc.stdout.read()}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as resp:
                if resp.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError(f"{url} did not answer within {seconds} s")


def settled(page, timeout: float = 120_000) -> None:
    """Wait for the app's own signal that the script has finished its run (no network-idle guess)."""
    page.wait_for_function(
        """() => { const app = document.querySelector('[data-testid=stApp]');
                   return app && app.getAttribute('data-test-script-state') === 'notRunning'; }""",
        timeout=timeout,
    )


def options_of(page, box, timeout: float = 60_000) -> set[str]:
    """The options a select box offers: opened, read once its list is drawn (a click returns before it is), closed."""
    box.click()
    page.get_by_role("listbox").get_by_role("option").first.wait_for(timeout=timeout)
    texts = set(page.get_by_role("listbox").get_by_role("option").all_inner_texts())
    page.keyboard.press("Escape")
    page.get_by_role("listbox").wait_for(state="detached", timeout=timeout)
    return texts


def choose(page, label: str, option: str, attempts: int = 3) -> None:
    """Open the select box ``label`` once the app's run is over, and click ``option``; the list closes when the choice is
    taken. A list that closes before the option is drawn (a run that redraws the sidebar under a busy machine: seen in
    CI), or stays open after the click (the click lost while the list scrolled the option into view: 2 in 15 tries
    with two busy processes beside it, the page then sent nothing), is opened again, and then the option's text is
    typed first, as a person would search a long list: the list shows only that option, with nothing to scroll (a click
    lost three times in a row in a long list, the needs map's industry filter, with two busy processes beside it)."""
    box = page.get_by_test_id("stSelectbox").filter(has_text=label)
    for attempt in range(attempts):
        settled(page)
        box.click()
        if attempt:
            page.keyboard.type(option)
        try:
            choice = page.get_by_role("option", name=option)
            choice.click(timeout=20_000)
            choice.wait_for(state="hidden", timeout=5_000)
            return
        except Exception as error:  # playwright's TimeoutError, without importing playwright here
            if "Timeout" not in type(error).__name__ or attempt == attempts - 1:
                raise
            page.keyboard.press("Escape")


@contextlib.contextmanager
def serving(env: dict[str, str], *extra: str, port: int | None = None, warm: bool = False):
    """``streamlit run app.py`` on ``port`` (default: a free one) with ``env``, polled until it answers; stopped after.

    ``warm``: the app's own server instead (``python -m components.server``, as ``make run`` and the image start it),
    yielded once it has printed its READY line (every public page opened once: the caches filled)."""
    port = port or free_port()
    command = ["-m", "components.server"] if warm else ["-m", "streamlit", "run", "app.py"]
    proc = subprocess.Popen(
        [sys.executable, *command, "--server.port", str(port), "--server.address", "127.0.0.1", *extra],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        if warm:
            problems = [line for line in wait_for_ready(proc) if "warm-up" in line]
            assert not problems, f"the warm-up saw problems: {problems}"
        else:
            wait_until_up(url, proc)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def wait_for_ready(proc: subprocess.Popen, seconds: float = 300) -> list[str]:
    """The server's output up to its READY line (components.server); the rest of its output is drained in the
    background so the server never blocks on a full pipe."""
    lines: queue.Queue[str | None] = queue.Queue()

    def drain() -> None:
        for line in proc.stdout:
            lines.put(line)
        lines.put(None)

    threading.Thread(target=drain, daemon=True).start()
    said: list[str] = []
    deadline = time.monotonic() + seconds
    while (left := deadline - time.monotonic()) > 0:
        try:
            line = lines.get(timeout=left)
        except queue.Empty:
            break
        if line is None:
            raise RuntimeError(f"the server exited with {proc.wait()}: {''.join(said)}")
        said.append(line)
        if line.startswith("READY"):
            return said
    raise TimeoutError(f"no READY line within {seconds} s: {''.join(said)}")


@contextlib.contextmanager
def oidc_serving(provider: str, url: str, folder: Path):
    """The app on the register at ``url`` with sign-in through the local provider (``[auth]`` in a secrets file in
    ``folder``), no demo sign-in; yields the app's address."""
    import secrets

    port = free_port()
    config = folder / "secrets.toml"
    config.write_text(
        "[auth]\n"
        f'redirect_uri = "http://127.0.0.1:{port}/oauth2callback"\n'
        f'cookie_secret = "{secrets.token_hex(16)}"\n'
        'client_id = "kompetenskartan-test"\n'
        'client_secret = "test-secret"\n'
        f'server_metadata_url = "{provider}/.well-known/openid-configuration"\n', encoding="utf-8")
    env = os.environ | {"DATABASE_URL": url, "AUTHLIB_INSECURE_TRANSPORT": "1"}
    env.pop("KOMPETENSKARTAN_DEMO_LOGIN", None)
    with serving(env, "--secrets.files", str(config), port=port) as app:  # the port the redirect URI names
        yield app


def sign_in(page, email: str) -> None:
    """Through the local provider's form (its subject is the e-mail), then wait for the app's signed-in run."""
    page.get_by_role("button", name="Logga in").click()
    page.locator("input[name=sub]").wait_for(timeout=60_000)
    page.locator("input[name=sub]").fill(email)
    page.get_by_role("button", name="Authorize").click()
    page.get_by_text("Inloggad som").wait_for(timeout=90_000)
    settled(page)


def outside_requests(page) -> list[str]:
    """Every request ``page`` makes from now on to a host that is not this machine (filled as it makes them)."""
    from urllib.parse import urlparse

    seen: list[str] = []

    def record(request):
        parsed = urlparse(request.url)
        if parsed.scheme in ("http", "https", "ws", "wss") and parsed.hostname not in LOCAL_HOSTS:
            seen.append(request.url)

    page.on("request", record)
    return seen
