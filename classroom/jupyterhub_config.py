# JupyterHub configuration for a class that uses these notebooks on ONE server.
#
#     jupyterhub -f classroom/jupyterhub_config.py            # a real class (read "Safe by default")
#     make hub                                                 # a dry run on this machine, 127.0.0.1 only
#
# Tested with JupyterHub 6.1 (pyproject.toml's `hub` extra, pinned in constraints.txt),
# configurable-http-proxy 5.3 (package.json) and jupyterhub-idle-culler 2.0; the tests in
# tests/test_hub.py start this very file.
#
# Safe by default
# ---------------
# Without CLASSROOM_DRY_RUN, nobody gets in who does not belong, and every learner's work is theirs:
# * authentication is the server's own accounts (PAM: the learner's system user name and password);
#   see AUTHENTICATION below for NativeAuthenticator (learners sign up, the teacher approves) or the
#   institution's single sign-on (OAuthenticator);
# * only the names in classroom/allowed_users.txt (one per line; `#` starts a comment) may sign in,
#   and the names in classroom/admin_users.txt are the teachers (admins). With no such names,
#   JupyterHub 5+ refuses everyone with an error that looks like a wrong password: this file says so
#   in the hub's log at start-up. (To let every account on the server in, set `allow_all` on purpose.)
# * every learner's server runs as that learner's own system user, in their own home folder
#   (LocalProcessSpawner, as TLJH runs the SystemdSpawner): create the accounts first (`adduser`).
#
# The dry run (CLASSROOM_DRY_RUN=1: `make hub`, `make bench-classroom`, the tests)
# ------------------------------------------------------------------------------
# Sign-in with any password for the names in CLASSROOM_LEARNERS (DummyAuthenticator), and every
# server as THIS system user, homes under CLASSROOM_STATE_DIR (SimpleLocalProcessSpawner): no
# isolation at all. This file therefore refuses the pair on any address but loopback
# (127.0.0.0/8, ::1, localhost): at load time, and again when the hub starts (in case a command
# line option moved the hub elsewhere).
#
# The environment variables this file reads
# ------------------------------------------
# CLASSROOM_BIND_URL     where learners reach the hub (default http://127.0.0.1:8000/: this machine
#                        only). For a class: put TLS in front (a reverse proxy, or c.JupyterHub.ssl_cert
#                        and ssl_key) and e.g. https://0.0.0.0:443/.
# CLASSROOM_STATE_DIR    the hub's database, cookie secret and proxy pid file (default: the directory
#                        the hub starts in, JupyterHub's default); in a dry run also the learners' homes.
# CLASSROOM_CULL_TIMEOUT seconds of inactivity before a learner's server is stopped (default 3600);
#                        their files stay, the next visit starts the server again.
# CLASSROOM_DRY_RUN=1    the insecure local pair above, and then also
#   CLASSROOM_LEARNERS        comma-separated names allowed in (default learner1,...,learner4)
#   CLASSROOM_TEACHERS        comma-separated admins (default teacher)
#   CLASSROOM_DRIVER_TOKEN    an API token for the scripts that drive a dry run (the benchmark, tests)
#   CLASSROOM_ACTIVITY_INTERVAL  seconds between a server's activity reports (default 300)
#
# The Littlest JupyterHub (TLJH)
# ------------------------------
# TLJH writes its own jupyterhub_config.py (traefik as the proxy, SystemdSpawner, FirstUseAuthenticator)
# and reads extra files from /opt/tljh/config/jupyterhub_config.d/. Do not copy this whole file there;
# set the same things with tljh-config, which survives TLJH upgrades:
#     sudo tljh-config set user_environment.default_app jupyterlab
#     sudo tljh-config set limits.memory 1G            # MEM_LIMIT below, enforced by systemd
#     sudo tljh-config set limits.cpu 1                # CPU_LIMIT below
#     sudo tljh-config set services.cull.timeout 3600  # the idle culler (TLJH runs one already)
#     sudo tljh-config add-item users.allowed learner1 # the allow list, one name at a time
#     sudo tljh-config add-item users.admin teacher
#     sudo tljh-config set auth.type nativeauthenticator.NativeAuthenticator   # or an OAuthenticator
#     sudo tljh-config reload
# and copy only the JupyterLab options (the block "What every learner's server runs", the
# c.Spawner.args lines) into /opt/tljh/config/jupyterhub_config.d/activations.py.
#
# Zero to JupyterHub on Kubernetes (Z2JH): the same settings as Helm values (config.yaml)
# --------------------------------------------------------------------------------------
#     hub:
#       config:
#         JupyterHub:
#           authenticator_class: github         # or generic-oauth, azuread, ... (OAuthenticator)
#         Authenticator:
#           allowed_users: [learner1, learner2] # or allowed_organizations / allow_all: true on purpose
#           admin_users: [teacher]
#     singleuser:
#       defaultUrl: /lab
#       image: {name: REGISTRY/activations, tag: "2026-11"}   # TEACHING.md: repo2docker builds it
#       memory: {guarantee: 512M, limit: 1G}                   # MEM_GUARANTEE, MEM_LIMIT below
#       cpu: {guarantee: 0.25, limit: 1}                       # CPU_GUARANTEE, CPU_LIMIT below
#       extraEnv: {}                                           # nothing needed
#       cmd: [jupyterhub-singleuser, --LabApp.news_url=None,
#             --LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate,
#             --ServerApp.kernel_websocket_connection_class=tools.kernel_websocket.NoDelayConnection]
#     cull:
#       enabled: true
#       timeout: 3600
#       every: 600
# Z2JH spawns every server in its own pod as user jovyan with its own volume: the isolation that
# LocalProcessSpawner gets here from system users.

import ipaddress
import os
import sys
from pathlib import Path
from urllib.parse import urlparse

from jupyterhub.auth import DummyAuthenticator
from jupyterhub.spawner import SimpleLocalProcessSpawner

c = get_config()  # noqa: F821  (provided by traitlets when JupyterHub loads this file)

HERE = Path(__file__).resolve().parent
REPO = HERE.parent  # the clone whose environment the learners' servers use
BIN = Path(sys.executable).parent  # the environment JupyterHub itself runs from (.venv/bin)

# Per-learner guidance, measured with `make bench-classroom` (TEACHING.md has the table).
# LocalProcessSpawner and SimpleLocalProcessSpawner do NOT enforce these; SystemdSpawner (TLJH) and
# KubeSpawner (Z2JH) do. One learner running notebook 01 with a live slider used about 250 MiB
# (server + kernel, PSS), the hub with its proxy and culler about 190 MiB in all; the slider's p95
# stayed at or under 200 ms with about one active learner per core (on a busy 2-core machine).
MEM_GUARANTEE, MEM_LIMIT = "512M", "1G"
CPU_GUARANTEE, CPU_LIMIT = 0.25, 1.0


def is_loopback(host: str) -> bool:
    """True for 127.0.0.0/8, ::1 and localhost; False for anything else, including '' and 0.0.0.0."""
    host = host.strip("[]")
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False  # a host name other than localhost may resolve anywhere


def refuse_unless_loopback(what: str, url: str) -> None:
    host = urlparse(url).hostname or ""
    if not is_loopback(host):
        raise SystemExit(
            f"classroom/jupyterhub_config.py: refusing to start: {what} is {url!r}, not a loopback "
            "address, and CLASSROOM_DRY_RUN=1 lets anyone in with any password and runs every server "
            "as one system user. Bind to 127.0.0.1, or drop CLASSROOM_DRY_RUN for the real "
            "authentication and per-learner system users."
        )


def names(text: str) -> set[str]:
    """Names from a comma- or line-separated list; `#` starts a comment."""
    found = set()
    for line in text.replace(",", "\n").splitlines():
        name = line.split("#", 1)[0].strip()
        if name:
            found.add(name)
    return found


def names_from_file(path: Path) -> set[str]:
    return names(path.read_text()) if path.exists() else set()


class LoopbackOnlyMixin:
    """Refuse to run unless the hub (public URL and its own API) listens on loopback only."""

    def check_loopback(self):
        app = self.parent
        while app is not None and not hasattr(app, "hub_bind_url"):
            app = getattr(app, "parent", None)
        if app is None:
            raise SystemExit(f"{type(self).__name__}: cannot see the hub's addresses; refusing to run")
        refuse_unless_loopback("the hub's public URL (JupyterHub.bind_url)", app.bind_url)
        hub_url = app.hub_bind_url or f"http://{app.hub_ip}:{app.hub_port}/"  # hub_ip "" is every address
        refuse_unless_loopback("the hub's own URL (JupyterHub.hub_bind_url / hub_ip)", hub_url)


class LoopbackDummyAuthenticator(LoopbackOnlyMixin, DummyAuthenticator):
    """DummyAuthenticator (any password) that refuses to run on a non-loopback hub."""

    def check_allow_config(self):
        self.check_loopback()
        super().check_allow_config()


class LoopbackSimpleLocalProcessSpawner(LoopbackOnlyMixin, SimpleLocalProcessSpawner):
    """SimpleLocalProcessSpawner (every server as this user) that refuses a non-loopback hub."""

    async def start(self):
        if self.ip and not is_loopback(self.ip):
            raise SystemExit(f"{type(self).__name__}: refusing to start a server on {self.ip!r}")
        if self.authenticator is None:
            raise SystemExit(f"{type(self).__name__}: cannot see the hub's addresses; refusing to run")
        LoopbackOnlyMixin.check_loopback(self.authenticator)
        return await super().start()


DRY_RUN = os.environ.get("CLASSROOM_DRY_RUN", "") not in ("", "0")
STATE_DIR = Path(os.environ["CLASSROOM_STATE_DIR"]).resolve() if os.environ.get("CLASSROOM_STATE_DIR") else None
BIND_URL = os.environ.get("CLASSROOM_BIND_URL", "http://127.0.0.1:8000/")

# --------------------------------------------------------------------------------------------------
# The hub and its proxy
# --------------------------------------------------------------------------------------------------
c.JupyterHub.bind_url = BIND_URL
c.JupyterHub.hub_ip = "127.0.0.1"  # the hub's own API: only the proxy and the servers talk to it
if STATE_DIR is not None:
    STATE_DIR.mkdir(parents=True, exist_ok=True)
    c.JupyterHub.db_url = f"sqlite:///{STATE_DIR / 'jupyterhub.sqlite'}"
    c.JupyterHub.cookie_secret_file = str(STATE_DIR / "jupyterhub_cookie_secret")
    c.ConfigurableHTTPProxy.pid_file = str(STATE_DIR / "jupyterhub-proxy.pid")
# configurable-http-proxy from this repository's package-lock.json (`npm ci`), else from PATH.
_proxy = REPO / "node_modules" / ".bin" / "configurable-http-proxy"
c.ConfigurableHTTPProxy.command = [str(_proxy) if _proxy.exists() else "configurable-http-proxy"]
c.ConfigurableHTTPProxy.api_url = os.environ.get("CLASSROOM_PROXY_API_URL", "http://127.0.0.1:8001")
c.JupyterHub.cleanup_servers = True  # stopping the hub stops every learner's server

# --------------------------------------------------------------------------------------------------
# AUTHENTICATION and who may sign in
# --------------------------------------------------------------------------------------------------
if DRY_RUN:
    refuse_unless_loopback("CLASSROOM_BIND_URL", BIND_URL)
    c.JupyterHub.authenticator_class = LoopbackDummyAuthenticator
    c.Authenticator.allowed_users = names(os.environ.get("CLASSROOM_LEARNERS", "learner1,learner2,learner3,learner4"))
    c.Authenticator.admin_users = names(os.environ.get("CLASSROOM_TEACHERS", "teacher"))
else:
    # The server's own accounts (JupyterHub's default). Alternatives, one line each:
    #   c.JupyterHub.authenticator_class = "native"   # jupyterhub-nativeauthenticator: sign-up + approval
    #   c.JupyterHub.authenticator_class = "github"   # oauthenticator, or "generic-oauth" for the
    #                                                 # institution's single sign-on (client id/secret)
    c.JupyterHub.authenticator_class = "pam"
    c.Authenticator.allowed_users = names_from_file(HERE / "allowed_users.txt")
    c.Authenticator.admin_users = names_from_file(HERE / "admin_users.txt")
    # Set on purpose only: every account PAM accepts may then sign in.
    c.Authenticator.allow_all = False
    if not (c.Authenticator.allowed_users or c.Authenticator.admin_users):
        print(
            f"classroom/jupyterhub_config.py: no names in {HERE / 'allowed_users.txt'} or "
            f"{HERE / 'admin_users.txt'}: JupyterHub will refuse every sign-in "
            "(add one name per line, or set c.Authenticator.allow_all = True on purpose)",
            file=sys.stderr,
        )

# --------------------------------------------------------------------------------------------------
# What every learner's server runs
# --------------------------------------------------------------------------------------------------
if DRY_RUN:
    c.JupyterHub.spawner_class = LoopbackSimpleLocalProcessSpawner
    _homes = (STATE_DIR or Path.cwd()) / "home"
    c.SimpleLocalProcessSpawner.home_dir_template = str(_homes / "{username}")
else:
    # Each learner's server as their own system user, in their home folder.
    c.JupyterHub.spawner_class = "localprocess"
    #   c.JupyterHub.spawner_class = "systemdspawner.SystemdSpawner"   # TLJH's: enforces the limits
c.Spawner.ip = "127.0.0.1"
c.Spawner.cmd = [str(BIN / "jupyterhub-singleuser")]  # this environment's: the notebooks' packages
c.Spawner.notebook_dir = "~"
c.Spawner.default_url = "/lab"  # JupyterLab as the interface
c.Spawner.args = [
    # No news popup and no update check (the options `make lab` uses, tools/lab.py), and the
    # repository's JupyterLab defaults (.jupyter/lab/settings).
    "--LabApp.news_url=None",
    "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
    f"--LabApp.app_settings_dir={REPO / '.jupyter' / 'lab' / 'settings'}",
    # A slider's picture leaves the server at once (TCP_NODELAY on the kernel websocket, as
    # `make lab` does: tools/kernel_websocket.py); without it every other picture waits up to
    # 40 ms for the browser's delayed acknowledgement.
    "--ServerApp.kernel_websocket_connection_class=tools.kernel_websocket.NoDelayConnection",
]
c.Spawner.mem_guarantee, c.Spawner.mem_limit = MEM_GUARANTEE, MEM_LIMIT
c.Spawner.cpu_guarantee, c.Spawner.cpu_limit = CPU_GUARANTEE, CPU_LIMIT
c.Spawner.start_timeout = 120  # a loaded server can take a while to import JupyterLab
c.Spawner.http_timeout = 120
if DRY_RUN:
    # The benchmark and the tests drive JupyterLab through window.jupyterapp.
    c.Spawner.args.append("--LabApp.expose_app_in_browser=True")
    if os.geteuid() == 0:
        # SimpleLocalProcessSpawner runs every server as the hub's user: root in CI and containers.
        c.Spawner.args.append("--allow-root")
    if os.environ.get("CLASSROOM_ACTIVITY_INTERVAL"):
        c.Spawner.environment = {"JUPYTERHUB_ACTIVITY_INTERVAL": os.environ["CLASSROOM_ACTIVITY_INTERVAL"]}

# --------------------------------------------------------------------------------------------------
# Services: the idle culler (and, in a dry run, the driver's token)
# --------------------------------------------------------------------------------------------------
CULL_TIMEOUT = int(os.environ.get("CLASSROOM_CULL_TIMEOUT", "3600"))
CULL_EVERY = max(1, min(600, CULL_TIMEOUT // 6))
c.JupyterHub.services = [
    {
        "name": "idle-culler",
        # Stops a server idle for CULL_TIMEOUT seconds; never deletes a user or their files.
        "command": [sys.executable, "-m", "jupyterhub_idle_culler",
                    f"--timeout={CULL_TIMEOUT}", f"--cull-every={CULL_EVERY}"],
    }
]
c.JupyterHub.load_roles = [
    {
        "name": "idle-culler",
        "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
        "services": ["idle-culler"],
    }
]
if DRY_RUN and os.environ.get("CLASSROOM_DRIVER_TOKEN"):
    c.JupyterHub.services.append({"name": "classroom-driver", "api_token": os.environ["CLASSROOM_DRIVER_TOKEN"]})
    c.JupyterHub.load_roles.append({
        "name": "classroom-driver",
        "scopes": ["admin:users", "admin:servers", "access:servers", "read:users", "list:users"],
        "services": ["classroom-driver"],
    })

# --------------------------------------------------------------------------------------------------
# The nbgitpuller link (TEACHING.md): nbgitpuller is installed with the notebooks' `lab` extra; the
# hub needs nothing else. `make hub` prints the link for this clone.
# --------------------------------------------------------------------------------------------------
