"""`make lab` really serves JupyterLab on 127.0.0.1, with a token, on the PORT asked for."""

import os
import secrets
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url, token=None):
    """(HTTP status, body) of a GET; an error status is returned, not raised."""
    headers = {"Authorization": f"token {token}"} if token else {}
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=5) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as error:
        with error:
            return error.code, ""


@pytest.fixture
def lab(tmp_path):
    port, token = free_port(), secrets.token_hex(16)
    env = dict(os.environ, JUPYTER_RUNTIME_DIR=str(tmp_path / "runtime"),
               JUPYTER_CONFIG_DIR=str(tmp_path / "config"))
    log = open(tmp_path / "lab.log", "wb")
    proc = subprocess.Popen(["make", "--no-print-directory", "lab", f"PORT={port}", f"TOKEN={token}"],
                            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                            stdin=subprocess.DEVNULL, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            assert proc.poll() is None, (tmp_path / "lab.log").read_text()
            try:
                if get(f"{base}/api/status", token)[0] == 200:
                    break
            except (urllib.error.URLError, ConnectionError):
                pass
            assert time.monotonic() < deadline, "make lab did not start within 60 s"
            time.sleep(0.3)
        yield base, token
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        log.close()


def test_make_lab_serves_the_notebooks_with_a_token(lab):
    base, token = lab
    status, body = get(f"{base}/api/contents", token)
    assert status == 200
    assert "index.ipynb" in body and "01_linear.ipynb" in body  # rooted at notebooks/
    assert get(f"{base}/api/contents")[0] == 403  # no token: refused
    assert get(f"{base}/api/contents", "wrong-token")[0] == 403
    status, page = get(f"{base}/lab?token={token}")
    assert status == 200 and "JupyterLab" in page


def test_make_lab_refuses_an_empty_token():
    result = subprocess.run(["make", "--no-print-directory", "lab", "TOKEN="], cwd=ROOT,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode != 0
    assert "TOKEN must not be empty" in result.stdout + result.stderr
