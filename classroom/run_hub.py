"""``make hub``: classroom/jupyterhub_config.py as a dry run on this machine, and the link to hand out.

    .venv/bin/python -m classroom.run_hub [--port 8000] [--learners 4]

Starts JupyterHub on http://127.0.0.1:PORT only (the configuration refuses its insecure dry-run pair
anywhere else), with the names learner1 ... learnerN and teacher (an admin) allowed in with any
password, and prints the nbgitpuller link that clones this repository into a learner's home and opens
notebook 01. The link pulls from this clone itself (a file:// URL, since nothing here reaches the
internet): commit, click the link again, and the learner's copy merges the new commit without losing
their own edits. The hub's state and the learners' homes stay in build/hub/ between runs.
Ctrl-C stops the hub, every learner's server and the proxy.
"""

from __future__ import annotations

import argparse
import signal
import subprocess
import sys
import time
from pathlib import Path

from classroom.hub import NOTEBOOK, ROOT, Hub, HubError, pull_link, source_repository


def current_branch() -> str | None:
    name = subprocess.run(["git", "rev-parse", "--abbrev-ref", "HEAD"], cwd=ROOT, capture_output=True,
                          text=True).stdout.strip()
    return None if name in ("", "HEAD") else name


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8000, help="the hub's port on 127.0.0.1 (default 8000)")
    parser.add_argument("--learners", type=int, default=4, help="learner1 ... learnerN may sign in (default 4)")
    parser.add_argument("--state-dir", type=Path, default=ROOT / "build" / "hub",
                        help="the hub's database and the learners' homes (default build/hub)")
    args = parser.parse_args(argv)
    state = args.state_dir
    branch = current_branch()
    if branch is not None:
        repo_url = ROOT.as_uri()  # this clone, as it is committed on its current branch
    else:  # a detached HEAD (a CI checkout): publish it as branch main of a local bare repository
        branch = "main"
        bare = state / "activations.git"
        if bare.exists():
            subprocess.run(["rm", "-rf", str(bare)], check=True)
        repo_url = source_repository(bare, branch)
    names = [f"learner{i}" for i in range(1, args.learners + 1)]
    hub = Hub(state, names, port=args.port)
    signal.signal(signal.SIGINT, signal.default_int_handler)  # Ctrl-C, even from a background job
    signal.signal(signal.SIGTERM, lambda signum, frame: (_ for _ in ()).throw(KeyboardInterrupt()))
    try:
        hub.start()
        print(f"""
JupyterHub (classroom/jupyterhub_config.py, dry run) is running at {hub.url}/  (this machine only)
Sign in as {', '.join(names)} (learners) or teacher (admin), with any password.
Every server runs as this system user, homes in {hub.home('NAME')}: a dry run, not a class.

The link to hand out (clones {repo_url} @ {branch} into the learner's home, opens {NOTEBOOK}):

{pull_link(hub.url, repo_url, branch)}

Log: {hub.log_path}
Ctrl-C stops the hub and every learner's server.""", flush=True)
        while hub.process.poll() is None:
            time.sleep(1)
        print(f"JupyterHub exited with code {hub.process.returncode}; log {hub.log_path}:\n{hub.log_tail()}",
              file=sys.stderr)
        return 1
    except HubError as exc:
        print(f"make hub: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 0
    finally:
        report = hub.stop()
        print(f"\nmake hub: stopped (exit code {report['exit_code']}, {report['seconds']:.1f} s"
              + (f"; killed leftovers {report['leftovers']}" if report["leftovers"] else "") + ")", flush=True)


if __name__ == "__main__":
    sys.exit(main())
