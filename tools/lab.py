"""Start JupyterLab for a learner or a class (``make lab``).

Serves the repository root, so that the notebooks' links to ``activations_helpers.py``
and ``teaching/`` open, and opens ``notebooks/index.ipynb`` first. Once the server
answers, prints one clickable URL that carries the token.

The token travels in the environment (``JUPYTER_TOKEN``, which Jupyter reads), never
on a command line: on a shared machine anyone can read command lines with ``ps``.
Without a ``JUPYTER_TOKEN`` a fresh random one is made; an empty one is refused.

JupyterLab's news feed, its "Would you like to get notified about official Jupyter
news?" popup and its update check are off (``.jupyter/lab/settings/overrides.json5``
and the ``--LabApp`` options below); a learner's own settings still win.

Usage::

    python tools/lab.py [--port 8888]        # what `make lab PORT=8888` runs
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
START_PAGE = "notebooks/index.ipynb"
APP_SETTINGS_DIR = ROOT / ".jupyter" / "lab" / "settings"
READY_TIMEOUT = 120.0  # seconds for the server to answer
# The server's own log prints the start URL with its token masked ("?token=..."), a link
# that does not open; those lines are left out and replaced by our own, full URL.
_MASKED_URL_LINES = ("?token=...", "is running at:", "To access the server, open this file in a browser",
                     "Or copy and paste one of these URLs", "-open.html")


# The server's kernel websocket with TCP_NODELAY (tools/kernel_websocket.py: a slider's picture
# is not held back by Nagle's algorithm). A string: only the server imports that module.
KERNEL_WEBSOCKET_OPTION = ("--ServerApp.kernel_websocket_connection_class="
                           "tools.kernel_websocket.NoDelayConnection")


def lab_options() -> list[str]:
    """JupyterLab options for a class: no news, no update check (tests/browser uses the same)."""
    return [
        f"--LabApp.app_settings_dir={APP_SETTINGS_DIR}",
        "--LabApp.news_url=None",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        KERNEL_WEBSOCKET_OPTION,
    ]


def command(port: int, ip: str) -> list[str]:
    cmd = [
        sys.executable, "-m", "jupyterlab",
        "--no-browser",
        f"--ip={ip}",
        f"--port={port}",
        f"--ServerApp.root_dir={ROOT}",
        f"--LabApp.default_url=/lab/tree/{START_PAGE}",
        *lab_options(),
    ]
    if os.geteuid() == 0:
        cmd.append("--allow-root")  # JupyterLab refuses root without it (containers, CI)
    return cmd


def _server_info(pid: int) -> dict | None:
    """The server's own record of where it listens (the port may differ from the one asked
    for when that one was busy), from its runtime file jpserver-<pid>.json."""
    from jupyter_core.paths import jupyter_runtime_dir

    try:
        return json.loads((Path(jupyter_runtime_dir()) / f"jpserver-{pid}.json").read_text())
    except (OSError, ValueError):
        return None


def _answers(url: str, token: str) -> bool:
    request = urllib.request.Request(f"{url}api/status", headers={"Authorization": f"token {token}"})
    try:
        with urllib.request.urlopen(request, timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return False


def _announce_when_ready(process: subprocess.Popen, token: str, say) -> None:
    deadline = time.monotonic() + READY_TIMEOUT
    while process.poll() is None and time.monotonic() < deadline:
        info = _server_info(process.pid)
        if info and _answers(info["url"], token):
            url = f"{info['url']}lab/tree/{START_PAGE}?token={token}"
            rule = "-" * min(len(url), 100)
            say(f"\n{rule}\nJupyterLab is running. Open this URL in your browser:\n\n    {url}\n\n"
                f"Stop it with Ctrl-C (twice to skip the question).\n{rule}\n")
            return
        time.sleep(0.3)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=8888, help="port to listen on (the next free one if busy)")
    parser.add_argument("--ip", default="127.0.0.1", help="address to listen on (default: this machine only)")
    args = parser.parse_args(argv)

    token = os.environ.get("JUPYTER_TOKEN")
    if token is None:
        token = secrets.token_hex(24)
    elif not token.strip():
        print("make lab: TOKEN must not be empty (an empty token lets anyone in)", file=sys.stderr)
        return 2
    env = dict(os.environ, JUPYTER_TOKEN=token)

    # Only stderr (the log) goes through us; stdout and stdin stay the terminal's, so that
    # JupyterLab's own "Shutdown this Jupyter server (y/[n])?" on Ctrl-C still works.
    process = subprocess.Popen(command(args.port, args.ip), cwd=ROOT, env=env, stderr=subprocess.PIPE,
                               text=True, bufsize=1, errors="replace")
    lock = threading.Lock()

    def say(text: str) -> None:
        with lock:
            sys.stderr.write(text)
            sys.stderr.flush()

    # Ctrl-C reaches JupyterLab directly (same process group); we wait for it to stop.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, lambda signum, frame: process.terminate())
    threading.Thread(target=_announce_when_ready, args=(process, token, say), daemon=True).start()
    for line in process.stderr:
        if not any(marker in line for marker in _MASKED_URL_LINES):
            say(line)
    return process.wait()


if __name__ == "__main__":
    sys.exit(main())
