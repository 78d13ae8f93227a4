"""A private JupyterLab server for the browser tests and the browser benchmark.

One helper, shared by ``tests/browser/conftest.py`` (the ``jupyter_server`` fixture) and
``benchmarks/bench_browser.py``: JupyterLab on 127.0.0.1 and a free port, with a fresh token,
`make lab`'s own options (``tools/lab.py``: no news, no update check), and private config, data,
runtime, settings, workspace and checkpoint folders, so that nothing of the user's JupyterLab
(or of another run) leaks in and nothing is written into the repository.

    server = JupyterLabServer.start(tmp_dir, root_dir, settings={...})
    page.goto(server.notebook_url("notebooks/01_linear.ipynb"))
    ...
    server.stop()   # kernels, then the server, then any kernel left behind (psutil)

jupyter_client starts each kernel in a process session of its own, outside the server's process
group; `stop` finds the ones left behind by their connection file, which lies in this server's
private runtime folder, with psutil.
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import psutil

from tools.lab import lab_options

PRIVATE_DIRS = ("config", "data", "runtime", "workspaces", "settings", "ipython", "checkpoints")
START_TIMEOUT = 60.0  # seconds until /api/status must answer


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def log_tail(path: Path, lines: int = 40) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "<no server log>"


@dataclass
class JupyterLabServer:
    """A running JupyterLab server; `start` makes one."""

    base_url: str
    token: str
    root_dir: Path
    log_path: Path
    runtime_dir: Path
    process: subprocess.Popen = field(repr=False)

    @classmethod
    def start(cls, tmp: Path, root_dir: Path, *, settings: dict | None = None,
              timeout: float = START_TIMEOUT) -> "JupyterLabServer":
        """Start JupyterLab on `root_dir`, its private folders and log in `tmp`, and wait until
        it answers. `settings` maps a plugin id ("@jupyterlab/notebook-extension/tracker") to
        the user settings written for it. Raises RuntimeError, with the log's tail, if it exits
        or does not answer within `timeout` seconds."""
        dirs = {name: tmp / name for name in PRIVATE_DIRS}
        for path in dirs.values():
            path.mkdir(parents=True)
        for plugin, values in (settings or {}).items():
            package, name = plugin.rsplit("/", 1)
            target = dirs["settings"] / package / f"{name}.jupyterlab-settings"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(json.dumps(values, indent=2))
        # No "is the build up to date?" check on every page load: it costs seconds of server
        # CPU per page and concerns source extensions, which this project does not use.
        (dirs["config"] / "labconfig").mkdir()
        (dirs["config"] / "labconfig" / "page_config.json").write_text(
            json.dumps({"buildCheck": False, "buildAvailable": False}))

        token, port = secrets.token_hex(24), free_port()
        command = [
            sys.executable, "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
            # Fail instead of silently moving to another port (we would poll the wrong server).
            "--ServerApp.port_retries=0",
            f"--ServerApp.root_dir={root_dir}",
            # window.jupyterapp, to run JupyterLab commands and read kernel/cell state.
            "--LabApp.expose_app_in_browser=True",
            f"--LabApp.workspaces_dir={dirs['workspaces']}",
            f"--LabApp.user_settings_dir={dirs['settings']}",
            # Keep .ipynb_checkpoints out of the repository.
            f"--FileCheckpoints.root_dir={dirs['checkpoints']}",
            *lab_options(),
        ]
        if os.geteuid() == 0:
            command.append("--allow-root")  # JupyterLab refuses root without it (CI, containers)
        env = dict(
            os.environ,
            JUPYTER_TOKEN=token,  # not on the command line, which `ps` shows (as in `make lab`)
            JUPYTER_CONFIG_DIR=str(dirs["config"]),
            # Labextensions (jupyterlab_widgets) and the kernelspec are still found through
            # sys.prefix/share/jupyter; only the per-user data dir is private.
            JUPYTER_DATA_DIR=str(dirs["data"]),
            JUPYTER_RUNTIME_DIR=str(dirs["runtime"]),
            IPYTHONDIR=str(dirs["ipython"]),
        )
        log_path = tmp / "jupyter-server.log"
        with open(log_path, "wb") as log:
            process = subprocess.Popen(command, cwd=root_dir, env=env, stdin=subprocess.DEVNULL,
                                       stdout=log, stderr=subprocess.STDOUT,
                                       start_new_session=True)  # stopped as a whole group
        server = cls(f"http://127.0.0.1:{port}", token, Path(root_dir), log_path,
                     dirs["runtime"], process)
        try:
            server.wait_until_ready(timeout)
        except BaseException:
            server.stop()
            raise
        return server

    def api(self, method: str, path: str, timeout: float = 10.0):
        """Call the REST API; returns the decoded JSON body (or None)."""
        request = urllib.request.Request(
            f"{self.base_url}{path}", method=method,
            headers={"Authorization": f"token {self.token}"},
            data=b"" if method in ("POST", "PUT", "PATCH") else None)
        with urllib.request.urlopen(request, timeout=timeout) as response:
            body = response.read()
        return json.loads(body) if body else None

    def wait_until_ready(self, timeout: float = START_TIMEOUT) -> None:
        deadline = time.monotonic() + timeout
        last_error: Exception | None = None
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"JupyterLab exited with code {self.process.returncode} before it was "
                    f"ready; log {self.log_path}:\n{log_tail(self.log_path)}")
            try:
                self.api("GET", "/api/status", timeout=2)
                return
            except (urllib.error.URLError, ConnectionError, TimeoutError) as exc:
                last_error = exc
                time.sleep(0.2)
        raise RuntimeError(
            f"JupyterLab did not answer /api/status within {timeout:.0f} s ({last_error!r}); "
            f"log {self.log_path}:\n{log_tail(self.log_path)}")

    def notebook_url(self, path: str) -> str:
        """The JupyterLab page that opens `path` (relative to ``root_dir``), with the token."""
        # `reset` starts from an empty layout instead of restoring a saved workspace.
        query = urllib.parse.urlencode({"token": self.token, "reset": ""})
        return f"{self.base_url}/lab/tree/{urllib.parse.quote(path)}?{query}"

    def shutdown_sessions(self, path: str | None = None) -> None:
        """Shut down the kernels of all sessions (or of the sessions on `path`)."""
        for session in self.api("GET", "/api/sessions"):
            if path is None or session.get("path") == path:
                self._delete(f"/api/sessions/{session['id']}")
        if path is None:
            for kernel in self.api("GET", "/api/kernels"):
                self._delete(f"/api/kernels/{kernel['id']}")

    def _delete(self, path: str) -> None:
        try:
            self.api("DELETE", path, timeout=30)
        except urllib.error.HTTPError as exc:
            if exc.code != 404:  # already gone
                raise

    def stop(self) -> list[int]:
        """Stop the kernels (REST API), then the server (its own shutdown, then SIGTERM and
        SIGKILL to its process group), then any kernel left behind. Returns the pids of the
        kernels that had to be killed."""
        process = self.process
        try:
            if process.poll() is None:
                try:
                    self.shutdown_sessions()
                    self.api("POST", "/api/shutdown", timeout=10)
                except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
                    pass
                try:
                    process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    for sig, grace in ((signal.SIGTERM, 10), (signal.SIGKILL, 10)):
                        try:
                            os.killpg(process.pid, sig)
                        except ProcessLookupError:
                            break
                        try:
                            process.wait(timeout=grace)
                            break
                        except subprocess.TimeoutExpired:
                            continue
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
        return self.kill_leftover_kernels()

    def kill_leftover_kernels(self) -> list[int]:
        """Kill the kernels still running from this server's private runtime folder: a kernel
        belongs to us if its command line names a connection file inside it."""
        marker = f"{self.runtime_dir}{os.sep}"
        leftovers = []
        for proc in psutil.process_iter(["pid", "cmdline"]):
            cmdline = " ".join(proc.info["cmdline"] or ())
            if marker in cmdline and proc.pid != os.getpid():
                leftovers.append(proc)
        for proc in leftovers:
            try:
                proc.kill()
            except psutil.NoSuchProcess:
                pass
        psutil.wait_procs(leftovers, timeout=10)
        return [proc.pid for proc in leftovers]
