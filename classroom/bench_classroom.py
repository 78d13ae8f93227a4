"""How many learners one server holds: N learners at once on a real JupyterHub (``make bench-classroom``).

    .venv/bin/python -m classroom.bench_classroom --learners 4 [--presses 10]

Starts the hub of classroom/jupyterhub_config.py as a dry run on 127.0.0.1 (classroom/hub.py), publishes
this clone's HEAD as a local git repository, and has every learner, each in their own page of one
headless Chromium and all at the same time: open the nbgitpuller link, sign in, let the link clone the
notebooks into their home, run notebook 01 top to bottom (JupyterLab's Restart Kernel and Run All), then
press an arrow key on its first slider `--presses` times, one press at a time.

Each press is timed in the page: from the keydown on the slider's handle to the new image in its
widget (the widget model, the websocket through the proxy, the kernel's redraw, the image back).
Memory is the proportional set size (PSS, psutil) of the hub, its proxy and culler, and each learner's
server with its kernel, sampled every second; the peak counts.

Prints a table per learner, then exactly one line:

    classroom: N learners, K ran every cell, slider p50 A ms, p95 B ms, memory per learner C MiB

(memory per learner: the peak of everything the hub started, hub included, divided by N). Stops
everything it started, also on Ctrl-C or SIGTERM. A report, not a test: it exits 0 unless the hub
itself failed.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from classroom.hub import Hub, HubError, source_repository
from classroom.learners import chromium_path, percentile, run_class

MiB = 1024 * 1024


class MemorySampler(threading.Thread):
    """Samples Hub.memory() every `interval` seconds; keeps the peak total and its split."""

    def __init__(self, hub: Hub, interval: float = 1.0):
        super().__init__(daemon=True)
        self.hub, self.interval = hub, interval
        self.stopped = threading.Event()
        self.peak = {"total": 0.0, "hub": 0.0, "learners": {}}
        self.cpu: dict[int, float] = {}  # pid -> CPU seconds (user + system) last seen


    def run(self) -> None:
        while not self.stopped.is_set():
            try:
                sample = self.hub.memory()
            except Exception:  # noqa: BLE001 -- a process that ended while being read
                sample = None
            for proc in self.hub.processes():
                try:
                    times = proc.cpu_times()
                    self.cpu[proc.pid] = times.user + times.system
                except Exception:  # noqa: BLE001
                    pass
            if sample is not None:
                total = sample["hub"] + sum(sample["learners"].values())
                if total > self.peak["total"]:
                    self.peak = {"total": total, **sample}
            self.stopped.wait(self.interval)

    def stop(self) -> dict:
        self.stopped.set()
        self.join()
        return {**self.peak, "cpu": sum(self.cpu.values())}


def machine() -> str:
    from importlib.metadata import version

    import psutil

    chromium = subprocess.run([chromium_path(), "--version"], capture_output=True, text=True).stdout.strip()
    return (f"{os.cpu_count()} cores, {psutil.virtual_memory().total / 1024**3:.0f} GiB; Python "
            f"{platform.python_version()}, JupyterHub {version('jupyterhub')}, JupyterLab {version('jupyterlab')}, "
            f"nbgitpuller {version('nbgitpuller')}, {chromium}")


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f}, {five:.2f}, {fifteen:.2f}"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=4, help="learners at once (default 4)")
    parser.add_argument("--presses", type=int, default=10, help="slider presses per learner (default 10)")
    args = parser.parse_args(argv)
    if args.learners < 1:
        parser.error("--learners must be at least 1")
    # SIGTERM (a CI timeout, `kill`) ends the run like Ctrl-C: through the `finally` below.
    signal.signal(signal.SIGINT, signal.default_int_handler)  # Ctrl-C, even from a background job
    signal.signal(signal.SIGTERM, lambda signum, frame: (_ for _ in ()).throw(KeyboardInterrupt()))
    names = [f"learner{i}" for i in range(1, args.learners + 1)]
    print(f"{machine()}\nbefore: {load()}", flush=True)
    with tempfile.TemporaryDirectory(prefix="bench-classroom-") as tmp:
        repo_url = source_repository(Path(tmp) / "activations.git")
        hub = Hub(Path(tmp) / "hub", names)
        sampler = None
        started = time.monotonic()
        try:
            hub.start()
            print(f"hub up at {hub.url} in {time.monotonic() - started:.1f} s; {args.learners} learners start",
                  flush=True)
            sampler = MemorySampler(hub)
            sampler.start()
            results = asyncio.run(run_class(hub.url, repo_url, names, presses=args.presses,
                                            timeout_ms=max(300_000, 60_000 * args.learners)))
            peak = sampler.stop()
            sampler = None
            after = load()
        except HubError as exc:
            print(f"bench-classroom: {exc}", file=sys.stderr)
            return 1
        finally:
            if sampler is not None:
                sampler.stop()
            stop = hub.stop()
            if stop["leftovers"]:
                print(f"killed leftover processes: {stop['leftovers']}", file=sys.stderr)
    wall = time.monotonic() - started

    print(f"\n{'learner':<10}{'cells':>6}{'ran':>5}{'open s':>8}{'run s':>7}{'p50 ms':>8}{'max ms':>8}"
          f"{'lost':>5}{'MiB':>7}{'reloads':>8}  problems")
    for r in results:
        lat = r.latencies_ms
        mib = peak["learners"].get(r.name, 0.0)
        trouble = r.error or "; ".join(r.problems)[:80] or ""
        print(f"{r.name:<10}{r.cells:>6}{r.ran:>5}{r.seconds.get('open', float('nan')):>8.1f}"
              f"{r.seconds.get('run all', float('nan')):>7.1f}"
              f"{percentile(lat, 50):>8.1f}{(max(lat) if lat else float('nan')):>8.1f}"
              f"{r.lost_presses:>5}{mib:>7.0f}{r.reloads:>8}  {trouble}")
    everything = [x for r in results for x in r.latencies_ms]
    ran = sum(r.ran_every_cell for r in results)
    per_learner = peak["total"] / args.learners
    print(f"\npeak memory (PSS): {peak['total']:.0f} MiB in all, hub + proxy + culler {peak['hub']:.0f} MiB; "
          f"{len(everything)} timed presses ({sum(r.lost_presses for r in results)} lost); "
          f"{sum(r.reloads for r in results)} stalled start pages reloaded; {wall:.0f} s in all; "
          f"after: {after}")
    print(f"CPU time of the hub, servers and kernels (Chromium not counted): {peak['cpu']:.0f} s in all, "
          f"{peak['cpu'] / args.learners:.1f} s per learner")
    print(f"classroom: {args.learners} learners, {ran} ran every cell, slider p50 {percentile(everything, 50):.0f} ms, "
          f"p95 {percentile(everything, 95):.0f} ms, memory per learner {per_learner:.0f} MiB")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        print("bench-classroom: interrupted; everything it started is stopped", file=sys.stderr)
        sys.exit(130)
