"""The classroom server (issue 22): classroom/jupyterhub_config.py run as a real JupyterHub.

One hub (a dry run on 127.0.0.1, classroom/hub.py) serves the tests that share it, in this order:
an outsider is refused; two learners sign in at once in headless Chromium, the nbgitpuller link clones
the notebooks into each home and both run notebook 01 without an error; opening the link again merges
and keeps a learner's edit; one learner's dying kernel leaves the other's alone; the hub stops cleanly.
A second hub with a short idle timeout shows a culled server coming back with its work; the shipped
configuration is checked for its safe defaults, and for refusing the dry run off loopback.

Needs the `hub` extra and configurable-http-proxy (node_modules, `make test` installs both) and, for
the browser test, Debian's Chromium (with CI=true or REQUIRE_BROWSER=1 a missing Chromium fails).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import psutil
import pytest

from classroom.hub import CONFIG, NOTEBOOK, ROOT, TARGET, Hub, free_port, source_repository

PROXY = ROOT / "node_modules" / ".bin" / "configurable-http-proxy"
LEARNERS = ["learner1", "learner2"]
EDIT = "# learner1 was here: my own note\n"


def _require(condition: bool, why: str) -> None:
    if condition:
        return
    if os.environ.get("CI", "").lower() == "true" or os.environ.get("REQUIRE_BROWSER") == "1":
        pytest.fail(f"{why} (required because CI=true or REQUIRE_BROWSER=1)", pytrace=False)
    pytest.skip(why)


@pytest.fixture(scope="module")
def proxy_installed():
    _require(PROXY.exists(), f"{PROXY} is missing: run `make node_modules/.installed` (npm ci)")


@pytest.fixture(scope="module")
def source(tmp_path_factory):
    """This clone's HEAD, published as branch main of a local bare repository (the link's repo)."""
    bare = tmp_path_factory.mktemp("published") / "activations.git"
    return {"path": bare, "url": source_repository(bare)}


@pytest.fixture(scope="module")
def hub(proxy_installed, tmp_path_factory):
    hub = Hub(tmp_path_factory.mktemp("hub"), LEARNERS)
    hub.start()
    yield hub
    hub.stop()


def _git(*args, cwd):
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True).stdout.strip()


def _listening(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


# ------------------------------------------------------------------------------------------------
# One hub, two learners (these tests run in this order and share the hub's state)
# ------------------------------------------------------------------------------------------------
def test_a_learner_outside_the_allow_list_is_refused(hub):
    status, message = hub.sign_in("mallory")
    assert status == 403, f"mallory (not on the allow list) got HTTP {status}: {message}"
    assert "Invalid username or password" in message
    status, where = hub.sign_in("learner1")
    assert status == 302 and "/hub/" in where, f"learner1 (on the list) could not sign in: {status} {where}"


def test_two_learners_pull_the_notebooks_and_run_notebook_01(hub, source):
    chromium = shutil.which("chromium")
    _require(chromium is not None, "Chromium not found on PATH; install it with `apt-get install chromium`")
    from classroom.learners import run_class

    # In a thread of its own: when the browser tests ran first in this process, pytest-playwright's
    # sync API still holds an event loop in the main thread, where asyncio.run() refuses to start.
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        results = pool.submit(asyncio.run, run_class(hub.url, source["url"], LEARNERS, presses=2,
                                                     timeout_ms=240_000)).result()
    head = _git("rev-parse", "main", cwd=source["path"])
    for result in results:
        assert result.error is None, f"{result.name}: {result.error}\nhub log:\n{hub.log_tail()}"
        assert result.path == f"{TARGET}/{NOTEBOOK}"
        assert result.cells > 10 and result.ran == result.cells, f"{result.name} ran {result.ran} of {result.cells} cells"
        assert result.problems == [], f"{result.name}: {result.problems}"
        assert len(result.latencies_ms) == 2, f"{result.name}: the slider did not redraw ({result.lost_presses} lost)"
        clone = hub.home(result.name) / TARGET
        assert (clone / NOTEBOOK).is_file(), f"the link did not pull the notebooks into {clone}"
        assert _git("rev-parse", "HEAD", cwd=clone) == head


def test_opening_the_link_again_merges_and_keeps_a_learners_edit(hub, source, tmp_path):
    hub.start_server("learner1")
    path = f"{TARGET}/{NOTEBOOK}"
    # learner1 edits the first code cell and saves (JupyterLab's save: the contents API).
    model = hub.user_api("learner1", "GET", f"/contents/{path}?content=1")
    first_code = next(i for i, cell in enumerate(model["content"]["cells"]) if cell["cell_type"] == "code")
    model["content"]["cells"][first_code]["source"] = EDIT + "".join(model["content"]["cells"][first_code]["source"])
    hub.user_api("learner1", "PUT", f"/contents/{path}", {"type": "notebook", "format": "json",
                                                           "content": model["content"]})
    # The teacher publishes a new commit: a new file, and a change in another file.
    work = tmp_path / "teacher"
    _git("clone", "--quiet", source["url"], str(work), cwd=tmp_path)
    (work / "notebooks" / "06_new_lesson.md").write_text("# A lesson added after the first pull\n")
    (work / "README.md").write_text((work / "README.md").read_text() + "\nAdded by the teacher.\n")
    _git("add", "-A", cwd=work)
    _git("-c", "user.name=Teacher", "-c", "user.email=teacher@example.invalid", "commit", "--quiet",
         "-m", "New lesson", cwd=work)
    _git("push", "--quiet", "origin", "HEAD:main", cwd=work)

    hub.pull("learner1", source["url"])  # the link's pull, as its page runs it

    clone = hub.home("learner1") / TARGET
    saved = json.loads((clone / NOTEBOOK).read_text())
    assert "".join(saved["cells"][first_code]["source"]).startswith(EDIT), "the pull overwrote learner1's edit"
    assert (clone / "notebooks" / "06_new_lesson.md").is_file(), "the teacher's new file did not arrive"
    assert (clone / "README.md").read_text().endswith("Added by the teacher.\n")
    # learner2 never edited anything: the same pull just fast-forwards.
    hub.start_server("learner2")
    hub.pull("learner2", source["url"])
    assert (hub.home("learner2") / TARGET / "notebooks" / "06_new_lesson.md").is_file()


def test_one_learners_dying_kernel_does_not_affect_another(hub):
    kernels = {}
    for name in LEARNERS:
        hub.start_server(name)
        kernels[name] = hub.user_api(name, "POST", "/kernels", {"name": "python3"})["id"]
    assert hub.execute("learner2", kernels["learner2"], "x = 41")["status"] == "ok"
    assert hub.execute("learner1", kernels["learner1"], "y = 1")["status"] == "ok"
    victim = hub.kernel_process(kernels["learner1"])
    bystander = hub.kernel_process(kernels["learner2"])
    assert victim is not None and bystander is not None and victim.pid != bystander.pid
    victim.kill()  # learner1's kernel dies (as on an out-of-memory kill)
    victim.wait(10)

    reply = hub.execute("learner2", kernels["learner2"], "print(x + 1)")
    assert reply == {"status": "ok", "stdout": "42\n", "ename": None}, "learner2's kernel lost its state"
    assert bystander.is_running() and hub.kernel_process(kernels["learner2"]).pid == bystander.pid
    # learner1's server restarts the dead kernel: a fresh one, without the old variables. (Until it
    # is up, a request fails or its printed output is lost on the way: try again.)
    deadline, reply = time.monotonic() + 90, None
    while time.monotonic() < deadline:
        try:
            reply = hub.execute("learner1", kernels["learner1"], "print('y' in dir())", timeout=10)
            if reply["stdout"]:
                break
        except Exception:  # noqa: BLE001 -- the kernel is still restarting
            pass
        time.sleep(1)
    assert reply is not None and reply["stdout"] == "False\n", f"learner1's kernel did not come back: {reply}"
    assert hub.kernel_process(kernels["learner1"]).pid != victim.pid
    for name, kernel_id in kernels.items():
        hub.user_api(name, "DELETE", f"/kernels/{kernel_id}")


def test_the_hub_stops_cleanly(hub):
    assert hub.processes(), "the hub is not running"
    report = hub.stop()
    assert report["exit_code"] == 0, f"JupyterHub exited with {report['exit_code']}:\n{hub.log_tail()}"
    assert report["leftovers"] == [], f"still running after the hub stopped: {report['leftovers']}"
    assert not _listening(hub.port)


# ------------------------------------------------------------------------------------------------
# The idle culler
# ------------------------------------------------------------------------------------------------
def test_a_culled_server_comes_back_with_the_work_saved(proxy_installed, tmp_path):
    with Hub(tmp_path / "hub", ["learner1"], cull_timeout=10, activity_interval=2) as hub:
        hub.start_server("learner1")
        hub.user_api("learner1", "PUT", "/contents/work.py", {"type": "file", "format": "text",
                                                              "content": "answer = 42\n"})
        servers = [p for p in hub.processes() if "jupyterhub-singleuser" in " ".join(p.cmdline())]
        assert len(servers) == 1, f"not one single-user server process: {servers}"
        hub.wait_for_server("learner1", running=False, timeout=120)  # the idle culler stops it
        assert "Culling server learner1" in hub.log_path.read_text(), "stopped, but not by the idle culler"
        gone, alive = psutil.wait_procs(servers, timeout=30)
        assert not alive, "the culled server is still running"
        hub.start_server("learner1")
        content = hub.user_api("learner1", "GET", "/contents/work.py?content=1")["content"]
        assert content == "answer = 42\n"


# ------------------------------------------------------------------------------------------------
# Safe by default
# ------------------------------------------------------------------------------------------------
def _run_hub(env_updates: dict, args=(), cwd=None, timeout=90) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLASSROOM_")}
    env.update(env_updates)
    command = [str(Path(sys.executable).with_name("jupyterhub")), "-f", str(CONFIG), *args]
    return subprocess.run(command, env=env, cwd=cwd, capture_output=True, text=True, timeout=timeout)


@pytest.mark.parametrize("how", ["CLASSROOM_BIND_URL", "--JupyterHub.bind_url", "--JupyterHub.hub_ip"])
def test_the_insecure_pair_will_not_start_on_a_non_loopback_address(proxy_installed, tmp_path, how):
    port, hub_port = free_port(), free_port()
    env = {"CLASSROOM_DRY_RUN": "1", "CLASSROOM_STATE_DIR": str(tmp_path),
           "CLASSROOM_BIND_URL": f"http://127.0.0.1:{port}/",
           "CLASSROOM_PROXY_API_URL": f"http://127.0.0.1:{free_port()}"}
    args = [f"--JupyterHub.hub_port={hub_port}"]
    if how == "CLASSROOM_BIND_URL":
        env[how] = f"http://0.0.0.0:{port}/"
    elif how == "--JupyterHub.bind_url":
        args.append(f"{how}=http://0.0.0.0:{port}/")  # a command-line option after the file was read
    else:
        args.append(f"{how}=0.0.0.0")
    done = _run_hub(env, args, cwd=tmp_path)
    output = done.stdout + done.stderr
    assert done.returncode != 0, f"the dry run started off loopback ({how}):\n{output[-2000:]}"
    assert "refusing to start" in output and "not a loopback address" in output, output[-2000:]
    assert not _listening(port) and not _listening(hub_port)
    assert "JupyterHub is now running" not in output


def _load_shipped_config(tmp_path, allowed: str | None, admins: str | None, monkeypatch):
    """classroom/jupyterhub_config.py as JupyterHub reads it, without CLASSROOM_DRY_RUN (a copy, so that
    the allow-list files beside it are this test's)."""
    from traitlets.config.loader import PyFileConfigLoader

    for key in [k for k in os.environ if k.startswith("CLASSROOM_")]:
        monkeypatch.delenv(key)
    copy = tmp_path / "jupyterhub_config.py"
    shutil.copyfile(CONFIG, copy)
    if allowed is not None:
        (tmp_path / "allowed_users.txt").write_text(allowed)
    if admins is not None:
        (tmp_path / "admin_users.txt").write_text(admins)
    return PyFileConfigLoader(copy.name, path=str(tmp_path)).load_config()


def test_the_shipped_configuration_is_safe_by_default(tmp_path, monkeypatch, proxy_installed):
    from jupyterhub.auth import PAMAuthenticator

    config = _load_shipped_config(tmp_path, "learner1\nlearner2  # a comment\n\n", "teacher\n", monkeypatch)
    assert config.JupyterHub.authenticator_class == "pam"  # real accounts, not the dummy
    assert config.JupyterHub.spawner_class == "localprocess"  # each server as the learner's own system user
    assert config.Authenticator.allow_all is False
    assert config.Authenticator.allowed_users == {"learner1", "learner2"}
    assert config.Authenticator.admin_users == {"teacher"}
    assert config.JupyterHub.bind_url == "http://127.0.0.1:8000/"
    assert config.Spawner.default_url == "/lab"
    assert "--LabApp.news_url=None" in config.Spawner.args
    assert any("jupyterhub_idle_culler" in " ".join(s["command"]) for s in config.JupyterHub.services)
    authenticator = PAMAuthenticator(config=config)
    assert authenticator.check_allowed("learner1")  # (JupyterHub adds admin_users to the list at start-up)
    assert not authenticator.check_allowed("mallory")


def test_with_no_allow_list_the_shipped_configuration_lets_nobody_in(tmp_path, monkeypatch, capsys, proxy_installed):
    from jupyterhub.auth import PAMAuthenticator

    config = _load_shipped_config(tmp_path, None, None, monkeypatch)
    assert "JupyterHub will refuse every sign-in" in capsys.readouterr().err
    authenticator = PAMAuthenticator(config=config)
    assert not authenticator.check_allowed("learner1")


# ------------------------------------------------------------------------------------------------
# make hub
# ------------------------------------------------------------------------------------------------
def test_make_hub_prints_a_link_to_this_repository_and_stops_on_ctrl_c(proxy_installed, tmp_path):
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "classroom.run_hub", "--port", str(port), "--state-dir", str(tmp_path)],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        env={k: v for k, v in os.environ.items() if not k.startswith("CLASSROOM_")},
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    lines = []
    try:
        deadline = time.monotonic() + 120
        while not any("/hub/user-redirect/git-pull?" in line for line in lines):
            line = process.stdout.readline()
            assert line and time.monotonic() < deadline, "make hub printed no link:\n" + "".join(lines)
            lines.append(line)
        link = urllib.parse.urlparse(next(line.strip() for line in lines if "/git-pull?" in line))
        assert (link.scheme, link.hostname, link.port) == ("http", "127.0.0.1", port)
        query = urllib.parse.parse_qs(link.query)
        assert query["urlpath"] == [f"lab/tree/{TARGET}/{NOTEBOOK}"] and query["targetpath"] == [TARGET]
        # The repository and branch it names exist and hold this clone's HEAD.
        remote = _git("ls-remote", query["repo"][0], f"refs/heads/{query['branch'][0]}", cwd=tmp_path)
        assert remote.split()[0] == _git("rev-parse", "HEAD", cwd=ROOT)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/hub/login", timeout=30) as response:
            assert response.status == 200
        process.send_signal(signal.SIGINT)  # Ctrl-C
        output, _ = process.communicate(timeout=90)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 0, "".join(lines) + output
    assert "make hub: stopped (exit code 0" in output and "leftovers" not in output, output
    assert not _listening(port)
