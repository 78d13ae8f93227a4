"""Learners in a real browser: sign in, open the nbgitpuller link, run a notebook, move its first slider.

Each learner has their own browser context (their own cookies: their own sign-in) and page in one
headless Chromium (Debian's, through Playwright's async API), so N learners act at the same time.

:func:`run_class` is what ``make bench-classroom`` and tests/test_hub.py call.
"""

from __future__ import annotations

import asyncio
import shutil
import time
from dataclasses import dataclass, field

from classroom.hub import NOTEBOOK, TARGET, pull_link
from tools.lab_page import (CHROMIUM_ARGS, JS_ARM, JS_KERNEL_IDLE, JS_NOTEBOOK_READY, JS_RESTART_RUN_ALL, JS_RESULT,
                            JS_RUN_ALL_ERROR, JS_RUN_ALL_PROGRESS, JS_SLIDER_TIMER)

VIEWPORT = {"width": 1400, "height": 1000}
STALLED_S = 60  # seconds on the hub's spawn-pending page before a learner reloads it

# Every code cell has run ([n], not [*] or [ ]), the kernel is idle and every interact shows its image.
JS_FINISHED = """
() => {
  const panel = window.jupyterapp.shell.currentWidget;
  const kernel = panel.sessionContext.session && panel.sessionContext.session.kernel;
  if (!kernel || kernel.status !== 'idle') return false;
  const code = panel.content.widgets.filter((cell) => cell.model.type === 'code');
  if (code.some((cell) => cell.model.executionCount === null)) return false;
  return [...panel.content.node.querySelectorAll('.widget-interact')].every((el) => el.querySelector('img'));
}
"""
# What ran: code cells, those with an execution count, and any error or stderr output.
JS_SUMMARY = """
() => {
  const panel = window.jupyterapp.shell.currentWidget;
  const code = panel.content.widgets.filter((cell) => cell.model.type === 'code');
  const problems = [];
  code.forEach((cell, i) => {
    for (const out of cell.model.outputs.toJSON()) {
      if (out.output_type === 'error') problems.push(`cell ${i}: ${out.ename}: ${out.evalue}`);
      if (out.output_type === 'stream' && out.name === 'stderr') problems.push(`cell ${i}: stderr: ${out.text}`);
    }
  });
  return { cells: code.length, ran: code.filter((c) => c.model.executionCount !== null).length, problems,
           path: panel.context.path };
}
"""


@dataclass
class LearnerResult:
    name: str
    path: str = ""
    cells: int = 0
    ran: int = 0
    problems: list[str] = field(default_factory=list)
    latencies_ms: list[float] = field(default_factory=list)
    lost_presses: int = 0
    reloads: int = 0  # times the spawn-pending page was reloaded after it stalled (see learner())
    error: str | None = None
    seconds: dict = field(default_factory=dict)

    @property
    def ran_every_cell(self) -> bool:
        return self.error is None and self.cells > 0 and self.ran == self.cells and not self.problems


def chromium_path() -> str:
    path = shutil.which("chromium")
    if path is None:
        raise RuntimeError("Chromium not found on PATH; install it with `apt-get install chromium`")
    return path


async def _settle(page) -> None:
    """The kernel idle twice in a row, 50 ms apart: no redraw still in flight."""
    idle, deadline = 0, time.monotonic() + 60
    while idle < 2 and time.monotonic() < deadline:
        idle = idle + 1 if await page.evaluate(JS_KERNEL_IDLE) else 0
        await page.wait_for_timeout(50)


async def learner(browser, hub_url: str, link: str, name: str, presses: int,
                  timeout_ms: int = 300_000) -> LearnerResult:
    """One learner: sign in, open `link`, run the notebook top to bottom, press an arrow key on the
    first slider `presses` times, timing each press until the slider's new image is in the page."""
    result = LearnerResult(name=name)
    context = await browser.new_context(viewport=VIEWPORT)
    page = await context.new_page()
    page.set_default_timeout(timeout_ms)
    path = f"{TARGET}/{NOTEBOOK}"
    t0 = time.monotonic()
    try:
        # The link first, as a learner clicks it: the hub asks them to sign in, then comes back to it.
        await page.goto(link, wait_until="domcontentloaded")
        await page.fill("#username_input", name)
        await page.fill("#password_input", "any password")
        await page.click("#login_submit")
        # The hub's "your server is starting" page waits for the start on an event stream. With a
        # dozen learners in one Chromium that stream sometimes never delivered the end (seen at 12,
        # never up to 8): after STALLED_S on that page, do what a learner does, reload it.
        await page.wait_for_url(lambda url: "/hub/login" not in url, wait_until="commit")
        waited = 0.0
        while "/hub/spawn" in page.url and waited < timeout_ms / 1000:
            await page.wait_for_timeout(1000)
            waited += 1
            if waited % STALLED_S == 0 and "/hub/spawn-pending/" in page.url:
                result.reloads += 1
                await page.reload(wait_until="domcontentloaded")
        while (await (await page.wait_for_function(JS_NOTEBOOK_READY, arg=path, timeout=timeout_ms)).json_value()) != "ready":
            await page.click(".jp-Dialog .jp-mod-accept")  # "Select Kernel": the default (this environment's)
            await page.locator(".jp-Dialog").wait_for(state="detached")
        result.seconds["open"] = time.monotonic() - t0
        t1 = time.monotonic()
        await page.evaluate(JS_RESTART_RUN_ALL)
        while (await (await page.wait_for_function(JS_RUN_ALL_PROGRESS, timeout=timeout_ms)).json_value()) != "done":
            await page.click(".jp-Dialog .jp-mod-accept")  # "Restart"
            await page.locator(".jp-Dialog").wait_for(state="detached")
        run_error = await page.evaluate(JS_RUN_ALL_ERROR)
        if run_error:
            result.problems.append(f"restart-run-all: {run_error}")
        await page.wait_for_function(JS_FINISHED, timeout=timeout_ms)
        summary = await page.evaluate(JS_SUMMARY)
        result.path, result.cells, result.ran = summary["path"], summary["cells"], summary["ran"]
        result.problems += summary["problems"]
        result.seconds["run all"] = time.monotonic() - t1
        if presses:
            t2 = time.monotonic()
            await page.evaluate(JS_SLIDER_TIMER)
            slider = page.locator(".jp-Notebook .widget-interact .widget-slider").first
            handle = slider.locator(".noUi-handle").first  # a range slider: its lower handle
            await handle.scroll_into_view_if_needed()
            await handle.focus()
            key = "ArrowRight"
            for _ in range(presses):
                now, low, high = [float(await handle.get_attribute(a))
                                  for a in ("aria-valuenow", "aria-valuemin", "aria-valuemax")]
                key = "ArrowLeft" if now >= high else ("ArrowRight" if now <= low else key)
                await _settle(page)
                await slider.evaluate(JS_ARM, 30_000)
                await handle.press(key)
                shown = await page.evaluate(JS_RESULT)
                if shown is None or shown["key"] is None:
                    result.lost_presses += 1
                else:
                    result.latencies_ms.append(shown["shown"] - shown["key"])
            result.seconds["slider"] = time.monotonic() - t2
    except Exception as exc:  # noqa: BLE001 -- one learner's failure is a result, not the end of the class
        result.error = f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
        try:
            result.error += f" (page: {page.url})"
        except Exception:  # noqa: BLE001
            pass
    finally:
        await context.close()
    return result


async def run_class(hub_url: str, repo_url: str, names, presses: int = 10, branch: str = "main",
                    timeout_ms: int = 300_000) -> list[LearnerResult]:
    """All `names` at once, each in their own page of one headless Chromium."""
    from playwright.async_api import async_playwright

    link = pull_link(hub_url, repo_url, branch)
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS, headless=True)
        try:
            return list(await asyncio.gather(*(learner(browser, hub_url, link, name, presses, timeout_ms)
                                               for name in names)))
        finally:
            await browser.close()


def percentile(values, q: float) -> float:
    """The q-th percentile (nearest rank on the sorted values)."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, max(0, int(round(q / 100 * (len(ordered) - 1)))))]
