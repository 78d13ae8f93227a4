"""Run classroom/jupyterhub_config.py as a local dry run, and drive it: `make hub`, the benchmark, the tests.

Everything here listens on 127.0.0.1 and talks to 127.0.0.1 only.

:class:`Hub`
    JupyterHub started from ``jupyterhub_config.py`` with ``CLASSROOM_DRY_RUN=1`` (any password for
    the allowed names, every server as this system user, homes under the hub's state directory),
    free ports, a private state directory and an API token for the driver. ``stop()`` ends the hub,
    which stops the learners' servers and the proxy, then kills anything it started that is left
    (psutil), and says whether the stop was clean.
:func:`source_repository`
    A bare git repository holding this clone's HEAD as branch ``main``: the "published" repository a
    pull link points at (there is no network here, so a ``file://`` URL).
:func:`pull_link`
    The nbgitpuller link a teacher hands out.
"""

from __future__ import annotations

import http.cookiejar
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import psutil

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
CONFIG = HERE / "jupyterhub_config.py"
BIN = Path(sys.executable).parent
TARGET = "activations"  # the folder nbgitpuller clones into, in each learner's home
NOTEBOOK = "notebooks/01_linear.ipynb"
MiB = 1024 * 1024


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _git(*args: str, cwd: Path | None = None) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True).stdout.strip()


def source_repository(dest: Path, branch: str = "main") -> str:
    """Publish this clone's HEAD (committed work only) as `branch` of a bare repository at `dest`.

    Returns its ``file://`` URL, which nbgitpuller clones from and pulls from.
    """
    dest = Path(dest).resolve()
    _git("init", "--quiet", "--bare", str(dest))
    _git("config", "receive.shallowUpdate", "true", cwd=dest)  # CI's clone may be shallow
    _git("push", "--quiet", str(dest), f"HEAD:refs/heads/{branch}", cwd=ROOT)
    _git("symbolic-ref", "HEAD", f"refs/heads/{branch}", cwd=dest)
    return dest.as_uri()


def pull_link(hub_url: str, repo_url: str, branch: str = "main", notebook: str = NOTEBOOK,
              target: str = TARGET) -> str:
    """The nbgitpuller link: sign in, start the server, clone or merge `repo_url`, open `notebook`."""
    query = urllib.parse.urlencode({
        "repo": repo_url,
        "branch": branch,
        "targetpath": target,
        "urlpath": f"lab/tree/{target}/{notebook}",
    })
    return f"{hub_url.rstrip('/')}/hub/user-redirect/git-pull?{query}"


class HubError(RuntimeError):
    pass


class Hub:
    """JupyterHub from classroom/jupyterhub_config.py as a local dry run (see the module docstring)."""

    def __init__(self, state_dir: Path, learners, teachers=("teacher",), *, port: int | None = None,
                 cull_timeout: int | None = None, activity_interval: int | None = None,
                 start_timeout: float = 120.0):
        self.state_dir = Path(state_dir).resolve()
        self.state_dir.mkdir(parents=True, exist_ok=True)
        self.learners = list(learners)
        self.teachers = list(teachers)
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.token = secrets.token_hex(24)
        self.log_path = self.state_dir / "jupyterhub.log"
        self.start_timeout = start_timeout
        self.env = dict(
            os.environ,
            CLASSROOM_DRY_RUN="1",
            CLASSROOM_STATE_DIR=str(self.state_dir),
            CLASSROOM_BIND_URL=f"{self.url}/",
            CLASSROOM_PROXY_API_URL=f"http://127.0.0.1:{free_port()}",
            CLASSROOM_LEARNERS=",".join(self.learners),
            CLASSROOM_TEACHERS=",".join(self.teachers),
            CLASSROOM_DRIVER_TOKEN=self.token,
        )
        if cull_timeout is not None:
            self.env["CLASSROOM_CULL_TIMEOUT"] = str(cull_timeout)
        if activity_interval is not None:
            self.env["CLASSROOM_ACTIVITY_INTERVAL"] = str(activity_interval)
        self.command = [str(BIN / "jupyterhub"), "-f", str(CONFIG), f"--JupyterHub.hub_port={free_port()}"]
        self.process: subprocess.Popen | None = None
        self._seen: dict[int, psutil.Process] = {}  # every process of ours seen so far, for clean-up

    # ---------------------------------------------------------------------------------------------
    def start(self) -> "Hub":
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(self.command, cwd=self.state_dir, env=self.env,
                                            stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                                            start_new_session=True, preexec_fn=_default_signals)
        deadline = time.monotonic() + self.start_timeout
        while True:
            if self.process.poll() is not None:
                raise HubError(f"JupyterHub exited with code {self.process.returncode} before it answered; "
                               f"log {self.log_path}:\n{self.log_tail()}")
            try:
                self.api("GET", "/")
                break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                if time.monotonic() > deadline:
                    self.stop()
                    raise HubError(f"JupyterHub did not answer within {self.start_timeout:.0f} s; "
                                   f"log {self.log_path}:\n{self.log_tail()}")
                time.sleep(0.25)
        self.processes()
        return self

    def __enter__(self) -> "Hub":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "<no log>"

    # ---------------------------------------------------------------------------------------------
    def request(self, method: str, path: str, body=None, timeout: float = 30.0, raw: bool = False):
        """A request to the hub's public URL (the proxy) with the driver's token; the JSON body."""
        data = None if body is None else (body if isinstance(body, bytes) else json.dumps(body).encode())
        if data is None and method in ("POST", "PUT", "PATCH"):
            data = b""
        req = urllib.request.Request(f"{self.url}{path}", method=method, data=data,
                                     headers={"Authorization": f"token {self.token}"})
        with urllib.request.urlopen(req, timeout=timeout) as response:
            content = response.read()
        if raw:
            return content
        return json.loads(content) if content else None

    def api(self, method: str, path: str, body=None, timeout: float = 30.0):
        """The hub's REST API (``/hub/api`` + path)."""
        return self.request(method, f"/hub/api{path}", body, timeout)

    def user_api(self, name: str, method: str, path: str, body=None, timeout: float = 30.0):
        """A learner's own server's REST API (``/user/<name>/api`` + path), through the proxy."""
        return self.request(method, f"/user/{name}/api{path}", body, timeout)

    def server_state(self, name: str) -> dict:
        user = self.api("GET", f"/users/{name}")
        return {"ready": bool(user.get("server")) and not user.get("pending"), "pending": user.get("pending"),
                "server": user.get("server")}

    def start_server(self, name: str, timeout: float = 180.0) -> None:
        """Start `name`'s server through the REST API (as the hub's spawn page does) and wait for it."""
        if not self.server_state(name)["ready"]:
            try:
                self.api("POST", f"/users/{name}/server")
            except urllib.error.HTTPError as exc:
                exc.close()
                if exc.code != 400:  # 400: already running or pending
                    raise
        self.wait_for_server(name, running=True, timeout=timeout)

    def wait_for_server(self, name: str, running: bool, timeout: float = 180.0) -> None:
        deadline = time.monotonic() + timeout
        while self.server_state(name)["ready"] != running:
            if time.monotonic() > deadline:
                raise HubError(f"{name}'s server did not {'start' if running else 'stop'} within {timeout:.0f} s; "
                               f"log {self.log_path}:\n{self.log_tail()}")
            time.sleep(0.5)

    def sign_in(self, name: str, password: str = "any password") -> tuple[int, str]:
        """Sign in through the login form as a browser does; (HTTP status, where it went or its error)."""
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), _NoRedirect())
        with opener.open(f"{self.url}/hub/login", timeout=30) as response:
            page = response.read().decode()
        xsrf = re.search(r'name="_xsrf" value="([^"]+)"', page).group(1)
        form = urllib.parse.urlencode({"username": name, "password": password, "_xsrf": xsrf}).encode()
        try:
            with opener.open(f"{self.url}/hub/login", data=form, timeout=60) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as exc:
            with exc:  # (an HTTPError holds the open response)
                if exc.code in (301, 302, 303):
                    return exc.code, exc.headers.get("Location", "")
                body = exc.read().decode(errors="replace")
            message = re.search(r'<p class="login_error">\s*(.*?)\s*</p>', body, re.S)
            return exc.code, message.group(1) if message else body[-500:]

    def pull(self, name: str, repo_url: str, branch: str = "main", target: str = TARGET) -> str:
        """Run nbgitpuller for `name` as the link's page does (its event stream); the log it streamed."""
        query = urllib.parse.urlencode({"repo": repo_url, "branch": branch, "targetpath": target})
        stream = self.request("GET", f"/user/{name}/git-pull/api?{query}", timeout=120, raw=True).decode()
        events = [json.loads(line[len("data:"):]) for line in stream.splitlines() if line.startswith("data:")]
        if not events or events[-1].get("phase") != "finished":
            raise HubError(f"nbgitpuller did not finish for {name}: {events[-3:]}")
        return "".join(e.get("output", "") for e in events)

    def execute(self, name: str, kernel_id: str, code: str, timeout: float = 60.0) -> dict:
        """Run `code` in one of `name`'s kernels over its websocket, as JupyterLab does.

        Returns ``{"status": "ok" | "error", "stdout": ..., "ename": ...}`` from the kernel's replies.
        """
        import websocket  # websocket-client, a dependency of jupyter_server

        conn = websocket.create_connection(
            f"ws://127.0.0.1:{self.port}/user/{name}/api/kernels/{kernel_id}/channels",
            header=[f"Authorization: token {self.token}"], timeout=timeout)
        session = uuid.uuid4().hex

        def send(msg_type: str, content: dict) -> str:
            msg_id = uuid.uuid4().hex
            conn.send(json.dumps({
                "header": {"msg_id": msg_id, "msg_type": msg_type, "username": name, "session": session,
                           "date": "", "version": "5.3"},
                "parent_header": {}, "metadata": {}, "channel": "shell", "buffers": [], "content": content,
            }))
            return msg_id

        def receive(wait: float) -> dict | None:
            conn.settimeout(wait)
            try:
                return json.loads(conn.recv())
            except websocket.WebSocketTimeoutException:
                return None

        result = {"status": None, "stdout": "", "ename": None}
        deadline = time.monotonic() + timeout
        try:
            # A new connection's output channel (iopub) misses what is published before it has joined:
            # ask for kernel_info until its status message arrives there, as JupyterLab does.
            asked, joined = set(), False
            while not joined:
                if time.monotonic() > deadline:
                    raise HubError(f"{name}'s kernel never answered on its output channel")
                asked.add(send("kernel_info_request", {}))
                while (msg := receive(1.0)) is not None:
                    if msg.get("channel") == "iopub" and msg.get("parent_header", {}).get("msg_id") in asked:
                        joined = True
                        break
            msg_id = send("execute_request", {"code": code, "silent": False, "store_history": False,
                                              "user_expressions": {}, "allow_stdin": False, "stop_on_error": True})
            idle = False  # the kernel's "idle" on iopub comes after every output of this request
            while result["status"] is None or not idle:
                msg = receive(max(0.1, deadline - time.monotonic()))
                if msg is None:
                    raise HubError(f"no reply from {name}'s kernel within {timeout:.0f} s")
                if msg.get("parent_header", {}).get("msg_id") != msg_id:
                    continue
                kind, content = msg["header"]["msg_type"], msg["content"]
                if kind == "stream" and content.get("name") == "stdout":
                    result["stdout"] += content["text"]
                elif kind == "execute_reply":
                    result["status"], result["ename"] = content["status"], content.get("ename")
                elif kind == "status" and content.get("execution_state") == "idle":
                    idle = True
        finally:
            conn.close()
        return result

    def kernel_process(self, kernel_id: str) -> psutil.Process | None:
        """The kernel process whose connection file names `kernel_id`."""
        for proc in self.processes():
            if any(f"kernel-{kernel_id}.json" in part for part in _cmdline(proc)):
                return proc
        return None

    def home(self, name: str) -> Path:
        return self.state_dir / "home" / name

    # ---------------------------------------------------------------------------------------------
    def processes(self) -> list[psutil.Process]:
        """The hub and everything it started that is still running (proxy, culler, servers, kernels)."""
        if self.process is None:
            return []
        try:
            hub = psutil.Process(self.process.pid)
            alive = [hub, *hub.children(recursive=True)]
        except psutil.NoSuchProcess:
            alive = []
        for proc in alive:
            self._seen.setdefault(proc.pid, proc)
        # Kernels whose server died are re-parented away from the hub: keep following them.
        return [p for p in alive if _running(p)] + [p for p in self._seen.values() if p not in alive and _running(p)]

    def memory(self) -> dict:
        """Proportional set size (PSS, MiB) of the hub's own processes and of each learner's server + kernels."""
        result = {"hub": 0.0, "learners": {}}
        for proc in self.processes():
            try:
                pss = proc.memory_full_info().pss / MiB
                user = proc.environ().get("JUPYTERHUB_USER")
            except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
                continue
            if user and "JUPYTERHUB_SERVICE_NAME" not in proc.environ():
                result["learners"][user] = result["learners"].get(user, 0.0) + pss
            else:
                result["hub"] += pss
        return result

    def stop(self, timeout: float = 60.0) -> dict:
        """Stop the hub (SIGTERM: it stops every server, the culler and the proxy), then kill any leftover.

        Returns ``{"exit_code": ..., "seconds": ..., "leftovers": [...]}``: a clean stop has exit code 0
        and no leftovers.
        """
        report = {"exit_code": None, "seconds": 0.0, "leftovers": []}
        if self.process is None:
            return report
        self.processes()  # the last look at what is running
        started = time.monotonic()
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        report["exit_code"] = self.process.returncode
        report["seconds"] = time.monotonic() - started
        time.sleep(0.5)  # children that were told to stop a moment ago
        leftovers = [p for p in self._seen.values() if p.pid != self.process.pid and _running(p)]
        for proc in leftovers:
            report["leftovers"].append(" ".join(_cmdline(proc))[:200])
            try:
                proc.kill()
            except psutil.NoSuchProcess:
                pass
        psutil.wait_procs(leftovers, timeout=10)
        return report


def _default_signals() -> None:
    """In the hub's process: Ctrl-C's signal as usual, even when started from a background job
    (which ignores SIGINT, and so would the hub, its culler and servers, each then waiting out its
    stop timeout)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _running(proc: psutil.Process) -> bool:
    try:
        return proc.is_running() and proc.status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def _cmdline(proc: psutil.Process) -> list[str]:
    try:
        return proc.cmdline()
    except (psutil.NoSuchProcess, psutil.AccessDenied):
        return [str(proc.pid)]


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None
