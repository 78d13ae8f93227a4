"""Fixtures for the real-browser notebook tests (``make test-browser``).

One JupyterLab server (private config/data/runtime/settings/workspace dirs,
log in a file) and one headless system Chromium are shared by the whole
session; every notebook gets its own page.  On failure a screenshot and a copy
of the server log go to ``test-artifacts/browser/``.

Environment variables:

``BROWSER_NOTEBOOK_DIR``
    Directory whose ``*.ipynb`` files are tested (default: ``<repo>/notebooks``).
    Handy for trying the suite on scratch notebooks.
``REQUIRE_BROWSER=1`` or ``CI=true``
    A missing Chromium (or Playwright) is a test failure instead of a skip.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
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

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
ARTIFACT_DIR = REPO_ROOT / "test-artifacts" / "browser"

CHROMIUM_INSTALL_HINT = "apt-get install chromium"
# The network is closed and we may run as root: no sandbox, no GPU, and none of
# Chromium's background traffic (QUIC, component updates, sync, ...).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

SERVER_START_TIMEOUT = 60.0  # seconds until /api/status must answer

# JupyterLab user settings written into the session's private settings dir.
LAB_SETTINGS = {
    # Never write the notebooks under test: the stored outputs are what nbval checks.
    "@jupyterlab/docmanager-extension/plugin": {"autosave": False},
    # No "official Jupyter news?" toast over the notebook and no outbound request.
    "@jupyterlab/apputils-extension/notification": {"fetchNews": "false", "checkForUpdates": False},
    # Attach every cell to the DOM, so selectors see all cells and outputs
    # (the default "contentVisibility"/"full" modes may skip off-screen cells).
    "@jupyterlab/notebook-extension/tracker": {"windowingMode": "none"},
}

# Console errors that are demonstrably harmless and are therefore not test failures.
HARMLESS_CONSOLE_ERRORS = [
    # @jupyterlab/debugger-extension asks a kernel for its debug state whenever the
    # kernel changes; our own "restart kernel" can cancel that request in flight,
    # and the extension logs the cancellation.  Nothing is broken by it (seen in
    # about one run in four, right after notebook:restart-run-all).
    re.compile(r"^Could not restore the debugger state: Canceled future for debug_request message before replies were done"),
]

_artifacts_key = pytest.StashKey[list]()
_server_log_key = pytest.StashKey[Path]()


# --------------------------------------------------------------------------- #
# pytest hooks
# --------------------------------------------------------------------------- #
def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "browser: drives the notebooks in JupyterLab with a real (headless Chromium) browser"
    )
    config.stash[_artifacts_key] = []


def notebook_dir() -> Path:
    """The directory whose notebooks are tested."""
    override = os.environ.get("BROWSER_NOTEBOOK_DIR")
    return Path(override).resolve() if override else REPO_ROOT / "notebooks"


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    # One test per notebook that exists at collection time (top level of the dir only).
    if "notebook" in metafunc.fixturenames:
        names = sorted(p.name for p in notebook_dir().glob("*.ipynb") if not p.name.startswith("."))
        metafunc.parametrize("notebook", names)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    report = yield
    setattr(item, f"rep_{report.when}", report)  # item.rep_setup / rep_call / rep_teardown
    if report.failed and report.when in ("setup", "call") and item.get_closest_marker("browser"):
        # Collected here, while the page is still open, so that the paths land in
        # the failure's own report section (fixture teardown would be too late).
        lines = _save_failure_artifacts(item)
        if lines:
            report.sections.append(("browser test artifacts", "\n".join(lines)))
    return report


def pytest_terminal_summary(terminalreporter, exitstatus, config: pytest.Config) -> None:
    artifacts = config.stash.get(_artifacts_key, [])
    if artifacts:
        terminalreporter.section("browser test artifacts")
        for line in artifacts:
            terminalreporter.write_line(line)


def _save_failure_artifacts(item: pytest.Item) -> list[str]:
    ARTIFACT_DIR.mkdir(parents=True, exist_ok=True)
    stem = re.sub(r"[^A-Za-z0-9_.-]+", "_", item.name).strip("_")
    lines = []
    lab = item.funcargs.get("lab") if hasattr(item, "funcargs") else None
    if lab is not None:
        shot = ARTIFACT_DIR / f"{stem}.png"
        try:
            lab.page.screenshot(path=str(shot), full_page=True, timeout=15_000)
            lines.append(f"screenshot: {shot}")
        except Exception as exc:  # a crashed/closed page must not hide the real failure
            lines.append(f"screenshot failed: {exc!r}")
    log = item.config.stash.get(_server_log_key, None)
    if log is not None and log.exists():
        log_copy = ARTIFACT_DIR / f"{stem}-jupyter-server.log"
        shutil.copyfile(log, log_copy)
        lines.append(f"server log: {log_copy}")
    item.config.stash[_artifacts_key].extend(f"{item.nodeid}: {line}" for line in lines)
    return lines


# --------------------------------------------------------------------------- #
# Browser
# --------------------------------------------------------------------------- #
def _browser_required() -> bool:
    return os.environ.get("CI", "").lower() == "true" or os.environ.get("REQUIRE_BROWSER") == "1"


def _browser_unavailable() -> str | None:
    """Why the browser tests cannot run here, or None if they can."""
    if shutil.which("chromium") is None:
        return f"Chromium not found on PATH; install it with `{CHROMIUM_INSTALL_HINT}`"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the Playwright Python package is missing; install it with `pip install -e '.[test]'`"
    return None


@pytest.fixture(scope="session")
def chromium_executable() -> str | None:
    """The system Chromium.  Without one the browser tests are skipped -- or, when a
    browser is required (CI=true or REQUIRE_BROWSER=1), this returns None and
    `pytest_pyfunc_call` below fails each test (a failure, not a setup error)."""
    problem = _browser_unavailable()
    if problem is None:
        return shutil.which("chromium")
    if not _browser_required():
        pytest.skip(problem)
    return None


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem: pytest.Function):
    if pyfuncitem.get_closest_marker("browser") and _browser_required():
        problem = _browser_unavailable()
        if problem is not None:
            pytest.fail(f"{problem} (a browser is required because CI=true or REQUIRE_BROWSER=1)", pytrace=False)
    return None


@pytest.fixture(scope="session")
def browser(chromium_executable: str):
    from playwright.sync_api import sync_playwright

    # The system Chromium: `playwright install` cannot download browsers here.
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=chromium_executable, args=CHROMIUM_ARGS, headless=True)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture(scope="session")
def browser_context(browser):
    """One context for the session: its HTTP cache spares every page re-fetching JupyterLab's bundles."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        yield context
    finally:
        context.close()


# --------------------------------------------------------------------------- #
# JupyterLab server
# --------------------------------------------------------------------------- #
@dataclass
class JupyterServer:
    base_url: str
    token: str
    root_dir: Path
    log_path: Path
    runtime_dir: Path
    process: subprocess.Popen = field(repr=False)

    def api(self, method: str, path: str, timeout: float = 10.0):
        """Call the REST API; returns the decoded JSON body (or None)."""
        request = urllib.request.Request(
            f"{self.base_url}{path}",
            method=method,
            headers={"Authorization": f"token {self.token}"},
            data=b"" if method in ("POST", "PUT", "PATCH") else None,
        )
        with urllib.request.urlopen(request, timeout=timeout) as response:
            body = response.read()
        return json.loads(body) if body else None

    def notebook_url(self, notebook: str) -> str:
        # `reset` starts from an empty layout instead of restoring a saved workspace
        # (belt and braces: the workspaces dir is private to the session anyway).
        query = urllib.parse.urlencode({"token": self.token, "reset": ""})
        return f"{self.base_url}/lab/tree/{urllib.parse.quote(notebook)}?{query}"

    def shutdown_sessions(self, path: str | None = None) -> None:
        """Shut down the kernels of all sessions (or of the sessions on `path`)."""
        for session in self.api("GET", "/api/sessions"):
            if path is None or session.get("path") == path:
                try:
                    self.api("DELETE", f"/api/sessions/{session['id']}", timeout=30)
                except urllib.error.HTTPError as exc:
                    if exc.code != 404:  # already gone
                        raise
        if path is None:
            for kernel in self.api("GET", "/api/kernels"):
                try:
                    self.api("DELETE", f"/api/kernels/{kernel['id']}", timeout=30)
                except urllib.error.HTTPError as exc:
                    if exc.code != 404:
                        raise


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _write_lab_settings(settings_dir: Path) -> None:
    for plugin, values in LAB_SETTINGS.items():
        package, name = plugin.rsplit("/", 1)
        target = settings_dir / package / f"{name}.jupyterlab-settings"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(values, indent=2))


def _log_tail(path: Path, lines: int = 40) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "<no server log>"


def _wait_until_ready(server: JupyterServer) -> None:
    deadline = time.monotonic() + SERVER_START_TIMEOUT
    last_error: Exception | None = None
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(
                f"JupyterLab exited with code {server.process.returncode} before it was ready; "
                f"log {server.log_path}:\n{_log_tail(server.log_path)}"
            )
        try:
            server.api("GET", f"/api/status?token={server.token}", timeout=2)
            return
        except (urllib.error.URLError, ConnectionError, TimeoutError) as exc:
            last_error = exc
            time.sleep(0.2)
    raise RuntimeError(
        f"JupyterLab did not answer /api/status within {SERVER_START_TIMEOUT:.0f} s ({last_error!r}); "
        f"log {server.log_path}:\n{_log_tail(server.log_path)}"
    )


def _kill_leftover_kernels(runtime_dir: Path) -> list[int]:
    """Kill kernels still running from this session's private runtime dir.

    jupyter_client starts every kernel in a new process session, so they are not
    in the server's process group; a kernel belongs to us iff its command line
    names a connection file inside our (unique, temporary) runtime dir.
    """
    killed = []
    marker = f"{runtime_dir}{os.sep}"
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            cmdline = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if marker in cmdline and int(proc.name) != os.getpid():
            try:
                os.kill(int(proc.name), signal.SIGKILL)
                killed.append(int(proc.name))
            except ProcessLookupError:
                pass
    return killed


def _stop_server(server: JupyterServer) -> None:
    process = server.process
    try:
        if process.poll() is None:
            # Kernels first, through the REST API, then ask the server itself to stop.
            try:
                server.shutdown_sessions()
                server.api("POST", "/api/shutdown", timeout=10)
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
        killed = _kill_leftover_kernels(server.runtime_dir)
        if killed:
            print(f"\nbrowser tests: killed leftover kernel processes {killed}", file=sys.stderr)


def _raise_keyboard_interrupt(signum, frame):
    raise KeyboardInterrupt(f"signal {signum}")


@pytest.fixture(scope="session")
def jupyter_server(tmp_path_factory: pytest.TempPathFactory, pytestconfig: pytest.Config):
    """A JupyterLab server on the notebook dir, with private config/data/runtime/workspace dirs."""
    root_dir = notebook_dir()
    if not root_dir.is_dir():
        pytest.fail(f"notebook directory {root_dir} does not exist", pytrace=False)

    tmp = tmp_path_factory.mktemp("jupyterlab")
    dirs = {name: tmp / name for name in ("config", "data", "runtime", "workspaces", "settings", "ipython", "checkpoints")}
    for path in dirs.values():
        path.mkdir()
    _write_lab_settings(dirs["settings"])
    # No "is the build up to date?" check on every page load: it costs seconds of server
    # CPU per page and concerns source extensions, which this project does not use.
    (dirs["config"] / "labconfig").mkdir()
    (dirs["config"] / "labconfig" / "page_config.json").write_text(json.dumps({"buildCheck": False, "buildAvailable": False}))
    log_path = tmp / "jupyter-server.log"
    pytestconfig.stash[_server_log_key] = log_path

    token = secrets.token_hex(24)
    port = _free_port()
    command = [
        sys.executable, "-m", "jupyter", "lab",
        "--no-browser",
        "--ip=127.0.0.1",
        f"--port={port}",
        # Fail instead of silently moving to another port (we would poll the wrong server).
        "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={root_dir}",
        # window.jupyterapp, to run JupyterLab commands and read kernel/cell state.
        "--LabApp.expose_app_in_browser=True",
        f"--LabApp.workspaces_dir={dirs['workspaces']}",
        f"--LabApp.user_settings_dir={dirs['settings']}",
        # Keep .ipynb_checkpoints out of the notebook directory.
        f"--FileCheckpoints.root_dir={dirs['checkpoints']}",
    ]
    if os.geteuid() == 0:
        command.append("--allow-root")
    env = dict(
        os.environ,
        JUPYTER_CONFIG_DIR=str(dirs["config"]),
        # Labextensions (jupyterlab_widgets) and the kernelspec are still found
        # through sys.prefix/share/jupyter; only the per-user data dir is private.
        JUPYTER_DATA_DIR=str(dirs["data"]),
        JUPYTER_RUNTIME_DIR=str(dirs["runtime"]),
        IPYTHONDIR=str(dirs["ipython"]),
    )

    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            command,
            cwd=root_dir,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # own process group: terminate it as a whole
        )
    server = JupyterServer(
        base_url=f"http://127.0.0.1:{port}",
        token=token,
        root_dir=root_dir,
        log_path=log_path,
        runtime_dir=dirs["runtime"],
        process=process,
    )
    # `kill <pytest>` (a CI timeout) would skip all teardown and orphan the server, which
    # runs in its own session: while it is up, treat SIGTERM like Ctrl-C, whose
    # KeyboardInterrupt pytest turns into an orderly teardown.
    previous_sigterm = signal.getsignal(signal.SIGTERM)
    if previous_sigterm == signal.SIG_DFL:
        signal.signal(signal.SIGTERM, _raise_keyboard_interrupt)
    try:
        _wait_until_ready(server)
        yield server
    finally:
        try:
            _stop_server(server)
        finally:
            if previous_sigterm == signal.SIG_DFL:
                signal.signal(signal.SIGTERM, signal.SIG_DFL)


# --------------------------------------------------------------------------- #
# One page per notebook
# --------------------------------------------------------------------------- #
@dataclass
class LabPage:
    page: object  # playwright.sync_api.Page
    server: JupyterServer
    js_errors: list[str] = field(default_factory=list)
    ignored_console_errors: list[str] = field(default_factory=list)


@pytest.fixture
def lab(request: pytest.FixtureRequest, chromium_executable: str | None, notebook: str):
    """A new page in the shared context; collects JavaScript errors; shuts the notebook's kernel down afterwards."""
    if chromium_executable is None:
        yield None  # no browser, but one is required: pytest_pyfunc_call fails the test
        return
    # Looked up only now, so that no server starts when there is no browser.
    jupyter_server: JupyterServer = request.getfixturevalue("jupyter_server")
    page = request.getfixturevalue("browser_context").new_page()
    page.set_default_timeout(30_000)
    lab_page = LabPage(page=page, server=jupyter_server)

    def on_console(message) -> None:
        if message.type != "error":
            return
        if any(pattern.search(message.text) for pattern in HARMLESS_CONSOLE_ERRORS):
            lab_page.ignored_console_errors.append(message.text)
        else:
            lab_page.js_errors.append(f"console.error: {message.text}")

    page.on("pageerror", lambda error: lab_page.js_errors.append(f"pageerror: {error}"))
    page.on("console", on_console)
    page.on("crash", lambda _page: lab_page.js_errors.append("the page crashed"))
    try:
        yield lab_page
    finally:
        try:
            page.close()
        finally:
            jupyter_server.shutdown_sessions(path=notebook)
