"""The JupyterLite site (`make lite`) served locally and opened in Chromium.

The site is built by tools/build_lite.py into a temporary folder and served on 127.0.0.1. Every
request that leaves the machine is aborted and recorded: the only one allowed is for Pyodide on its
CDN, which the learner's browser needs (CI cannot reach it, so the Python kernel itself cannot start
here). Checked: JupyterLite opens each notebook from the site with every cell, the install cell
first, and the file browser lists the notebooks and the helpers.
"""

from __future__ import annotations

import functools
import http.server
import sys
import threading
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
sys.path.insert(0, str(ROOT / "tools"))
import build_lite  # noqa: E402

sys.path.remove(str(ROOT / "tools"))

PYODIDE_CDN = "https://cdn.jsdelivr.net/pyodide/"


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 (the base class's name)
        pass


@pytest.fixture(scope="module")
def lite_url(tmp_path_factory):
    site = build_lite.build(tmp_path_factory.mktemp("lite") / "site")
    handler = functools.partial(_QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@pytest.fixture
def lite_page(browser, lite_url):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, service_workers="block")
    page = context.new_page()
    page.set_default_timeout(60_000)
    page.outside = []

    def route(request_route):
        url = request_route.request.url
        if url.startswith((lite_url, "data:", "blob:")):
            request_route.continue_()
        else:
            page.outside.append(url)
            request_route.abort()

    context.route("**/*", route)
    try:
        yield page
    finally:
        context.close()


def _cells_shown(page, path):
    """Wait until the notebook at `path` is the one on screen with all its cells."""
    cells = len(build_lite.lite_notebook(path).cells)
    page.wait_for_function(
        """([name, n]) => {
             const tab = document.querySelector('.lm-DockPanel-tabBar .lm-mod-current .lm-TabBar-tabLabel');
             const panel = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)');
             return tab && tab.textContent === name && panel
                    && panel.querySelectorAll('.jp-Notebook .jp-Cell').length === n;
           }""",
        arg=[path.name, cells])
    panel = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden)")
    assert "%pip install" in panel.locator(".jp-Cell").first.inner_text()
    title = nbformat.read(path, as_version=4).cells[0].source.splitlines()[0].lstrip("# ").strip()
    panel.get_by_role("heading", name=title).first.wait_for()


def test_lite_opens_every_notebook(lite_page, lite_url):
    """Open the index from its URL, then every notebook from JupyterLite's file browser."""
    page = lite_page
    index = ROOT / "notebooks" / "index.ipynb"
    page.goto(f"{lite_url}/lab/index.html?path={index.name}")
    _cells_shown(page, index)

    items = page.locator(".jp-DirListing-item .jp-DirListing-itemText")
    listing = items.all_inner_texts()
    for name in ["activations_helpers.py", "teaching"] + [p.name for p in NOTEBOOKS]:
        assert name in listing, f"the file browser does not list {name}: {listing}"
    for path in NOTEBOOKS:
        if path != index:
            page.locator(".jp-DirListing-item", has_text=path.name).dblclick()
            _cells_shown(page, path)

    unexpected = [url for url in page.outside if not url.startswith(PYODIDE_CDN)]
    assert not unexpected, f"the site fetched more than Pyodide from outside: {unexpected}"


@pytest.mark.parametrize("blocked", ["refused", "no answer"])
def test_lite_says_why_when_pyodide_cannot_be_fetched(lite_page, lite_url, blocked):
    """With the CDN blocked, the notebook's page says within 30 s that Python could not be
    downloaded, from where, and what to do instead. "refused": every request off the machine is
    aborted (an offline laptop); "no answer": requests to the CDN hang (a firewall that drops them)."""
    import time

    page = lite_page
    if blocked == "no answer":
        def hang(request_route):
            page.outside.append(request_route.request.url)  # and never answer
        page.route(f"{PYODIDE_CDN}**", hang)
    start = time.monotonic()
    page.goto(f"{lite_url}/lab/index.html?path=01_linear.ipynb")
    notice = page.get_by_role("alert").filter(has_text="Python could not be downloaded")
    notice.wait_for(state="visible", timeout=30_000)
    waited = time.monotonic() - start
    text = notice.inner_text()
    assert waited < 30, f"the message took {waited:.1f} s"
    assert f"Pyodide {build_lite.PYODIDE_VERSION}" in text and "cdn.jsdelivr.net" in text, text
    assert "Binder" in text and "laptops" in text, text
    if blocked == "no answer":
        assert "no answer within 20 seconds" in text and waited >= build_lite.NOTICE_WAIT_S - 1, (waited, text)
    # it is what the kernel would load: the pinned Pyodide, asked for and not had
    assert build_lite.PYODIDE_FILE_URL in page.outside, page.outside
    # the notebook is still there under the message, and the message can be dismissed
    _cells_shown(page, ROOT / "notebooks" / "01_linear.ipynb")
    notice.get_by_role("button", name="Dismiss this message").click()
    assert page.get_by_role("alert").filter(has_text="Python could not be downloaded").count() == 0
