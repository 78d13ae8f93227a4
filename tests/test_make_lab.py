"""`make lab` as a newcomer meets it: one URL that opens, a token nobody else can read,
the repository served with the index notebook first, no news popup or update check.

(The browser tests check, in Chromium, that no news popup shows and no slider label is cut.)
"""

import json
import os
import re
import secrets
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
URL = re.compile(r"https?://\S+")
START_TIMEOUT = 90


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def get(url, token=None, follow=True):
    """(HTTP status, body, headers) of a GET; an error status is returned, not raised."""
    headers = {"Authorization": f"token {token}"} if token else {}
    opener = urllib.request.build_opener() if follow else urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(urllib.request.Request(url, headers=headers), timeout=10) as r:
            return r.status, r.read().decode(), r.headers
    except urllib.error.HTTPError as error:
        with error:
            return error.code, "", error.headers


class MakeLab:
    """`make lab` running in its own process group, its output in a file."""

    def __init__(self, tmp_path, args=(), env=None):
        self.log_path = tmp_path / "make-lab.log"
        self.port = free_port()
        env = dict(os.environ if env is None else env,
                   JUPYTER_RUNTIME_DIR=str(tmp_path / "runtime"),
                   # A newcomer: no JupyterLab settings of their own.
                   JUPYTER_CONFIG_DIR=str(tmp_path / "config"),
                   JUPYTER_DATA_DIR=str(tmp_path / "data"))
        env.pop("TOKEN", None)
        self.log = open(self.log_path, "wb")
        # -o: never reinstall .venv from inside the test suite that runs in it.
        self.proc = subprocess.Popen(
            ["make", "--no-print-directory", "-o", ".venv/.installed-lab", "lab", f"PORT={self.port}", *args],
            cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL, start_new_session=True)

    def output(self):
        return self.log_path.read_text(errors="replace")

    def wait_for_url(self):
        """The URL `make lab` prints, once it has printed it."""
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            urls = [u for u in URL.findall(self.output()) if "token=" in u]
            if urls:
                return urls
            assert self.proc.poll() is None, f"make lab exited:\n{self.output()}"
            assert time.monotonic() < deadline, f"make lab printed no URL within {START_TIMEOUT} s:\n{self.output()}"
            time.sleep(0.3)

    def stop(self):
        try:
            os.killpg(self.proc.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()
        self.log.close()


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """`make lab` as a newcomer types it: no token given, so a fresh random one."""
    server = MakeLab(tmp_path_factory.mktemp("make-lab"))
    try:
        urls = server.wait_for_url()
        assert len(urls) == 1, f"expected one URL with the token, got {urls}:\n{server.output()}"
        server.url = urls[0]
        server.base = f"http://127.0.0.1:{server.port}"
        server.token = re.search(r"[?&]token=([^&\s]+)", server.url).group(1)
        yield server
    finally:
        server.stop()


def test_make_lab_prints_one_url_with_the_token_that_opens_the_index(lab):
    assert lab.url == f"{lab.base}/lab/tree/notebooks/index.ipynb?token={lab.token}"
    assert len(lab.token) >= 32 and lab.token != "..."
    assert "token=..." not in lab.output()  # the server's own masked link is not shown
    status, page, _ = get(lab.url)
    assert status == 200 and "JupyterLab" in page


def test_make_lab_requires_the_token(lab):
    assert get(f"{lab.base}/api/status", lab.token)[0] == 200
    assert get(f"{lab.base}/api/contents")[0] == 403
    assert get(f"{lab.base}/api/contents", "wrong-token")[0] == 403


def test_make_lab_token_is_not_in_any_command_line(lab):
    """A classroom server's other users can read every command line with `ps`."""
    seen = []
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                seen.append((proc / "cmdline").read_bytes())
            except OSError:
                pass  # a process that just ended
    assert len(seen) > 3  # we can read other processes' command lines (and saw `make lab`'s)
    assert any(b"tools/lab.py" in cmdline for cmdline in seen)
    assert not [cmdline for cmdline in seen if lab.token.encode() in cmdline]


def test_make_lab_serves_the_repository_and_opens_the_index_first(lab):
    status, body, _ = get(f"{lab.base}/api/contents/activations_helpers.py", lab.token)
    assert status == 200 and json.loads(body)["type"] == "file"  # the index links to it
    assert get(f"{lab.base}/api/contents/teaching/__init__.py", lab.token)[0] == 200
    assert get(f"{lab.base}/api/contents/notebooks/index.ipynb", lab.token)[0] == 200
    status, _, headers = get(f"{lab.base}/?token={lab.token}", follow=False)
    assert status in (301, 302)
    assert urllib.parse.urlsplit(headers["Location"]).path == "/lab/tree/notebooks/index.ipynb"


def test_make_lab_asks_no_news_question_and_checks_no_updates(lab):
    status, body, _ = get(f"{lab.base}/lab/api/settings/@jupyterlab/apputils-extension:notification", lab.token)
    assert status == 200
    plugin = json.loads(body)
    # What JupyterLab uses: the user's own setting, else the schema default (which the
    # server's overrides replace). "none", JupyterLab's own default, asks the news question.
    composite = {name: prop.get("default") for name, prop in plugin["schema"]["properties"].items()}
    composite.update(plugin["settings"])
    assert composite["fetchNews"] == "false"
    assert composite["checkForUpdates"] is False
    # The server side fetches nothing either.
    assert json.loads(get(f"{lab.base}/lab/api/news", lab.token)[1]) == {"news": []}
    assert json.loads(get(f"{lab.base}/lab/api/update", lab.token)[1]) == {"notification": None}


def test_make_lab_uses_the_token_given(tmp_path):
    token = secrets.token_hex(16)
    server = MakeLab(tmp_path, args=[f"TOKEN={token}"])
    try:
        (url,) = server.wait_for_url()
        assert url.endswith(f"?token={token}")
        assert get(url)[0] == 200
        assert get(f"http://127.0.0.1:{server.port}/api/status", token)[0] == 200
    finally:
        server.stop()


@pytest.mark.parametrize("how", ["TOKEN= on the command line", "JUPYTER_TOKEN= in the environment"])
def test_make_lab_refuses_an_empty_token(how):
    env = dict(os.environ)
    env.pop("TOKEN", None)
    args = ["make", "--no-print-directory", "-o", ".venv/.installed-lab", "lab", f"PORT={free_port()}"]
    if how.startswith("TOKEN"):
        args.append("TOKEN=")
    else:
        env["JUPYTER_TOKEN"] = ""
    result = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
                            stdin=subprocess.DEVNULL)
    assert result.returncode != 0
    assert "TOKEN must not be empty" in result.stdout + result.stderr
