"""Fixtures for the real-browser tests (``make test-browser``), on top of pytest-playwright.

One JupyterLab server (private config/data/runtime/settings/workspace dirs, log in a
file) serves the whole session; pytest-playwright launches one headless system
Chromium and gives every test a fresh browser context and page.

Fixtures for a test in this directory
-------------------------------------
``jupyter_server`` (session) -> :class:`JupyterServer`
    JupyterLab on 127.0.0.1, rooted at the repository (as ``make lab`` serves it), with
    the repository's JupyterLab defaults (``.jupyter/lab/settings``: no news, no update
    check). ``base_url``, ``token``, ``root_dir``, ``log_path``;
    ``notebook_url("notebooks/01_linear.ipynb")`` is the page that opens a file (paths
    are relative to ``root_dir``); ``api("GET", "/api/sessions")`` calls the REST API.
``page``, ``context``, ``browser``, ``new_context``, ``browser_context_args`` (pytest-playwright)
    The plugin's own fixtures. The browser is Debian's Chromium (``executable_path``:
    ``playwright install`` cannot download browsers here), launched with
    ``CHROMIUM_ARGS``; every context has a 1400x1000 viewport and ``base_url`` set to
    the server's, so ``page.goto(f"/lab?token={jupyter_server.token}")`` works.
``lab`` (function) -> :class:`LabPage`
    The plugin's ``page`` plus the server: ``lab.open(path)`` opens a notebook and waits
    until its kernel is idle, ``lab.restart_and_run_all()`` runs it as a learner would
    (JupyterLab's own command); ``lab.js_errors`` collects JavaScript errors (test them
    at the end). After the test every kernel is shut down.
``notebook`` (parameter)
    A test with a ``notebook`` argument runs once per ``notebooks/*.ipynb`` (paths
    relative to the server root).

Every test here is marked ``browser``. On a failure pytest-playwright keeps a
screenshot of each page, and this file a copy of the server log (for a test that used
the server), in ``test-artifacts/browser/<test>/``; their paths are printed at the end
of the run. ``--tracing retain-on-failure`` adds a Playwright trace (``trace.zip``) of a
failed test; it is off by default because recording makes these tests about three
times slower (43 s -> 127 s here). pytest-playwright's other options (``--output``,
``--screenshot``, ``--headed``, ``--slowmo``, ``--video``) work as documented.

Environment variables
---------------------
``BROWSER_NOTEBOOK_DIR``
    Serve this directory instead of the repository, and test its ``*.ipynb`` files.
    Handy for trying the suite on scratch notebooks.
``REQUIRE_BROWSER=1`` or ``CI=true``
    A missing Chromium (or Playwright) fails every browser test instead of skipping it.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tools.lab_server import JupyterLabServer
from tools.lab_page import JS_NOTEBOOK_READY, JS_RESTART_RUN_ALL, JS_RUN_ALL_ERROR, JS_RUN_ALL_PROGRESS

HERE = Path(__file__).resolve().parent
REPO_ROOT = HERE.parents[1]
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
VIEWPORT = {"width": 1400, "height": 1000}

SERVER_START_TIMEOUT = 60.0  # seconds until /api/status must answer
RUN_ALL_TIMEOUT_MS = 120_000  # restart + run all cells
OPEN_TIMEOUT_MS = 90_000  # a notebook to open and its kernel to start

# JupyterLab user settings written into the session's private settings dir.
# (News and update checks are off through `make lab`'s own options, tools/lab.py's lab_options():
# a test checks that no news popup shows.)
LAB_SETTINGS = {
    # Never write the notebooks under test: the stored outputs are what nbval checks.
    "@jupyterlab/docmanager-extension/plugin": {"autosave": False},
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
    # jupyterlite-pyodide-kernel (the `lite` extra, for `make lite`) installs a JupyterLab
    # extension that only works inside JupyterLite; JupyterLab loads every installed
    # extension (even a disabled one) with Promise.allSettled, so this one fails alone,
    # logs this, and registers nothing.  Everything else loads as usual.
    re.compile(
        r"^Error: Shared module @jupyterlite/\S+ doesn't exist in shared scope default\s+"
        r"at \S+ \(\S+/lab/extensions/@jupyterlite/pyodide-kernel-extension/"
    ),
]

# pytest-playwright's defaults, replaced in pytest_configure unless given on the command line.
_PLAYWRIGHT_DEFAULTS = {"output": "test-results", "screenshot": "off"}
_artifacts_key = pytest.StashKey[list]()
_server_log_key = pytest.StashKey[Path]()


# --------------------------------------------------------------------------- #
# pytest hooks
# --------------------------------------------------------------------------- #
def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "browser: drives JupyterLab in a real (headless Chromium) browser"
    )
    config.stash[_artifacts_key] = []
    # pytest-playwright: artifacts of a failed test go to test-artifacts/browser/<test>/,
    # with a screenshot of each page that was open.
    if getattr(config.option, "output", None) == _PLAYWRIGHT_DEFAULTS["output"]:
        config.option.output = str(ARTIFACT_DIR)
    if getattr(config.option, "screenshot", None) == _PLAYWRIGHT_DEFAULTS["screenshot"]:
        config.option.screenshot = "only-on-failure"


def _in_this_dir(item: pytest.Item) -> bool:
    return HERE in Path(str(item.path)).resolve().parents


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    problem = _browser_unavailable()
    for item in items:
        if not _in_this_dir(item):
            continue
        item.add_marker(pytest.mark.browser)
        if problem is not None and _browser_required() and hasattr(item, "fixturenames"):
            # Set up no fixture (no server, no browser launch that would only error):
            # pytest_pyfunc_call below turns the test into a plain failure.
            item.fixturenames = []


def notebook_dir() -> Path:
    """The directory served, and whose top-level notebooks the ``notebook`` parameter lists."""
    override = os.environ.get("BROWSER_NOTEBOOK_DIR")
    return Path(override).resolve() if override else REPO_ROOT / "notebooks"


def server_root() -> Path:
    override = os.environ.get("BROWSER_NOTEBOOK_DIR")
    return Path(override).resolve() if override else REPO_ROOT


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    # One test per notebook that exists at collection time, as a path relative to the server root.
    if "notebook" in metafunc.fixturenames:
        root = server_root()
        paths = sorted(p for p in notebook_dir().glob("*.ipynb") if not p.name.startswith("."))
        metafunc.parametrize("notebook", [p.relative_to(root).as_posix() for p in paths])


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    report = yield
    if not item.get_closest_marker("browser"):
        return report
    if report.failed and report.when in ("setup", "call"):
        log = _copy_server_log(item)
        if log is not None:
            report.sections.append(("browser test artifacts", f"server log: {log}"))
            item.config.stash[_artifacts_key].append(f"{item.nodeid}: server log: {log}")
    if report.when == "teardown":
        # pytest-playwright (its trylast wrapper ran before this code) lists what it kept.
        for name, path in report.user_properties:
            if name.startswith("playwright_"):
                kind = name.removeprefix("playwright_")
                item.config.stash[_artifacts_key].append(f"{item.nodeid}: {kind}: {path}")
    return report


def pytest_terminal_summary(terminalreporter, exitstatus, config: pytest.Config) -> None:
    artifacts = config.stash.get(_artifacts_key, [])
    if artifacts:
        terminalreporter.section("browser test artifacts")
        for line in artifacts:
            terminalreporter.write_line(line)


def _artifact_folder(item: pytest.Item) -> Path:
    """The folder pytest-playwright keeps this test's screenshots and traces in."""
    from slugify import slugify  # pytest-playwright's own dependency, and its naming

    return Path(item.config.getoption("--output")).absolute() / slugify(item.nodeid)[:250]


def _copy_server_log(item: pytest.Item) -> Path | None:
    log = item.config.stash.get(_server_log_key, None)
    if log is None or not log.exists() or "jupyter_server" not in getattr(item, "fixturenames", ()):
        return None
    folder = _artifact_folder(item)
    folder.mkdir(parents=True, exist_ok=True)
    copy = folder / "jupyter-server.log"
    shutil.copyfile(log, copy)
    return copy


# --------------------------------------------------------------------------- #
# Browser (pytest-playwright's fixtures, pointed at the system Chromium)
# --------------------------------------------------------------------------- #
def _browser_required() -> bool:
    return os.environ.get("CI", "").lower() == "true" or os.environ.get("REQUIRE_BROWSER") == "1"


def _browser_unavailable() -> str | None:
    """Why the browser tests cannot run here, or None if they can."""
    if shutil.which("chromium") is None:
        return f"Chromium not found on PATH; install it with `{CHROMIUM_INSTALL_HINT}`"
    try:
        import playwright.sync_api  # noqa: F401
        import pytest_playwright  # noqa: F401
    except ImportError as exc:
        return f"{exc.name} is missing; install it with `pip install -e '.[test]'`"
    return None


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem: pytest.Function):
    if pyfuncitem.get_closest_marker("browser") and _browser_required():
        problem = _browser_unavailable()
        if problem is not None:
            pytest.fail(f"{problem} (a browser is required because CI=true or REQUIRE_BROWSER=1)", pytrace=False)
    return None


@pytest.fixture(scope="session")
def chromium_executable() -> str:
    """Debian's Chromium; without it (or without Playwright) the browser tests are skipped."""
    problem = _browser_unavailable()
    if problem is not None:
        pytest.skip(problem)
    return shutil.which("chromium")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict, chromium_executable: str) -> dict:
    # The system Chromium: `playwright install` cannot download browsers here.
    # (--headed and --slowmo from pytest-playwright's options still apply.)
    return {**browser_type_launch_args, "executable_path": chromium_executable, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict) -> dict:
    return {**browser_context_args, "viewport": VIEWPORT}


@pytest.fixture(scope="session")
def base_url(jupyter_server: JupyterServer) -> str:
    """The server's URL, so that ``page.goto("/lab?token=...")`` works.

    Also replaces pytest-playwright's fallback ``base_url`` fixture (used when
    pytest-base-url is not installed), an instance-method session fixture that
    pytest 9 deprecates, which ``filterwarnings = error`` turns into an error.
    """
    return jupyter_server.base_url


# --------------------------------------------------------------------------- #
# JupyterLab server
# --------------------------------------------------------------------------- #
# The server itself (private folders, token, free port, `make lab`'s options, stopping it and
# any kernel left behind) is tools/lab_server.py, shared with benchmarks/bench_browser.py.
JupyterServer = JupyterLabServer


def _raise_keyboard_interrupt(signum, frame):
    raise KeyboardInterrupt(f"signal {signum}")


@pytest.fixture(scope="session")
def jupyter_server(tmp_path_factory: pytest.TempPathFactory, pytestconfig: pytest.Config, chromium_executable: str):
    """JupyterLab on the repository root (or BROWSER_NOTEBOOK_DIR), with private
    config/data/runtime/settings/workspace dirs; started only when a browser is there."""
    root_dir = server_root()
    if not notebook_dir().is_dir():
        pytest.fail(f"notebook directory {notebook_dir()} does not exist", pytrace=False)
    tmp = tmp_path_factory.mktemp("jupyterlab")
    pytestconfig.stash[_server_log_key] = tmp / "jupyter-server.log"
    # `kill <pytest>` (a CI timeout) would skip all teardown and orphan the server, which
    # runs in its own session: while it is up, treat SIGTERM like Ctrl-C, whose
    # KeyboardInterrupt pytest turns into an orderly teardown.
    previous_sigterm = signal.getsignal(signal.SIGTERM)
    if previous_sigterm == signal.SIG_DFL:
        signal.signal(signal.SIGTERM, _raise_keyboard_interrupt)
    try:
        server = JupyterLabServer.start(tmp, root_dir, settings=LAB_SETTINGS,
                                        timeout=SERVER_START_TIMEOUT)
        try:
            yield server
        finally:
            killed = server.stop()
            if killed:
                print(f"\nbrowser tests: killed leftover kernel processes {killed}",
                      file=sys.stderr)
    finally:
        if previous_sigterm == signal.SIG_DFL:
            signal.signal(signal.SIGTERM, signal.SIG_DFL)


# --------------------------------------------------------------------------- #
# The handouts and decks, offline
# --------------------------------------------------------------------------- #
@pytest.fixture(scope="session")
def built(tmp_path_factory):
    """Every notebook's deck and handout, built once for the session by tools/slides.py (what
    `make slides` and `make html` run): ``{"slides": dir, "html": dir}``."""
    sys.path.insert(0, str(REPO_ROOT / "tools"))
    try:
        import slides
    finally:
        sys.path.remove(str(REPO_ROOT / "tools"))
    if slides.missing_assets():
        pytest.fail(f"node_modules lacks {slides.missing_assets()}: run `npm ci` "
                    "(make test, make slides and make html do)", pytrace=False)
    out = tmp_path_factory.mktemp("pages")
    for kind in ("slides", "html"):
        slides.build(kind, out_dir=out / kind)
    return {"slides": out / "slides", "html": out / "html"}


@pytest.fixture
def offline_page(browser):
    """A page in a context of its own in which every request but file:, data: and blob: is
    aborted and recorded (``page.attempted``), and JavaScript errors, failed requests and
    console errors are recorded (``page.problems``)."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.attempted = []  # URLs that tried to leave the machine
    page.problems = []   # JavaScript errors

    def route(request_route):
        url = request_route.request.url
        if url.startswith(("file://", "data:", "blob:")):
            request_route.continue_()
        else:
            page.attempted.append(url)
            request_route.abort()

    context.route("**/*", route)
    page.on("pageerror", lambda error: page.problems.append(f"pageerror: {error}"))
    page.on("requestfailed", lambda r: None if r.url in page.attempted else page.problems.append(
        f"request failed: {r.url[:200]} ({r.failure})"))
    page.on("console", lambda m: page.problems.append(f"console.error: {m.text}") if m.type == "error" else None)
    try:
        yield page
    finally:
        context.close()


# --------------------------------------------------------------------------- #
# A JupyterLab page
# --------------------------------------------------------------------------- #
# JS_NOTEBOOK_READY, JS_RESTART_RUN_ALL, ...: tools/lab_page.py (shared with the benchmarks)

# Truthy when the kernel is idle and no code cell shows the busy prompt [*].
JS_CELLS_FINISHED = """
() => {
  const panel = window.jupyterapp.shell.currentWidget;
  const kernel = panel.sessionContext.session && panel.sessionContext.session.kernel;
  if (!kernel || kernel.status !== 'idle') return false;
  return panel.content.widgets.every((cell) =>
    cell.model.type !== 'code' || !(cell.node.querySelector('.jp-InputPrompt') || {textContent: ''}).textContent.includes('*'));
}
"""


@dataclass
class LabPage:
    """A Playwright page on the JupyterLab server (see the ``lab`` fixture)."""

    page: object  # playwright.sync_api.Page
    server: JupyterServer
    js_errors: list[str] = field(default_factory=list)
    ignored_console_errors: list[str] = field(default_factory=list)

    def open(self, path: str) -> None:
        """Open the notebook at `path` (relative to the server root); wait until its kernel is idle."""
        page = self.page
        page.goto(self.server.notebook_url(path), wait_until="domcontentloaded")
        while True:
            state = page.wait_for_function(JS_NOTEBOOK_READY, arg=path, timeout=OPEN_TIMEOUT_MS).json_value()
            if state == "ready":
                return
            dialog = page.locator(".jp-Dialog")
            text = dialog.inner_text()
            if "Select Kernel" not in text:
                pytest.fail(f"unexpected dialog while opening {path}:\n{text}", pytrace=False)
            # A notebook without kernelspec metadata: accept the default (this venv's python3).
            page.locator(".jp-Dialog .jp-mod-accept").click()
            dialog.wait_for(state="detached")

    def restart_and_run_all(self, timeout_ms: int = RUN_ALL_TIMEOUT_MS) -> None:
        """Clear the outputs, restart the kernel and run every cell (Kernel > Restart and Run All)."""
        page = self.page
        page.evaluate(JS_RESTART_RUN_ALL)
        confirmed = False
        while True:
            progress = page.wait_for_function(JS_RUN_ALL_PROGRESS, timeout=timeout_ms).json_value()
            if progress == "done":
                break
            dialog = page.locator(".jp-Dialog")
            text = dialog.inner_text()
            if confirmed or "Restart Kernel" not in text:
                pytest.fail(f"unexpected dialog during restart-and-run-all:\n{text}", pytrace=False)
            page.locator(".jp-Dialog .jp-mod-accept").click()  # "Restart"
            dialog.wait_for(state="detached")
            confirmed = True
        error = page.evaluate(JS_RUN_ALL_ERROR)
        assert error is None, f"notebook:restart-run-all failed: {error}"
        assert confirmed, "the restart confirmation dialog never appeared (was the kernel restarted?)"
        page.wait_for_function(JS_CELLS_FINISHED, timeout=timeout_ms)


@pytest.fixture
def _shutdown_kernels(jupyter_server: JupyterServer):
    """Shuts down every kernel after the test: set up before the browser context, so torn
    down after it (pytest-playwright's failure screenshot shows the page as it was)."""
    yield
    jupyter_server.shutdown_sessions()


@pytest.fixture
def lab(_shutdown_kernels, jupyter_server: JupyterServer, page) -> LabPage:
    """pytest-playwright's ``page`` on the JupyterLab server; collects JavaScript errors."""
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
    return lab_page
