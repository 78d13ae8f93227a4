"""JavaScript that drives a JupyterLab page: what the browser tests, the browser benchmark and
the classroom's learners (`make bench-classroom`) share.

Each snippet is a function for Playwright's ``page.evaluate`` / ``page.wait_for_function``
(sync or async API alike); they read JupyterLab through ``window.jupyterapp``, which the servers
expose with ``--LabApp.expose_app_in_browser=True``.
"""

__all__ = ["CHROMIUM_ARGS", "JS_NOTEBOOK_READY", "JS_RESTART_RUN_ALL", "JS_RUN_ALL_PROGRESS", "JS_RUN_ALL_ERROR",
           "JS_KERNEL_IDLE", "JS_SLIDER_TIMER", "JS_ARM", "JS_RESULT"]

# Headless Chromium as the benchmarks start it: no sandbox (root in CI and containers), no GPU
# (none here), and nothing that would phone home or update in the middle of a measurement.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]

# "ready" once the notebook at `path` is open and its kernel idle, "dialog" while a dialog asks
# something ("Select Kernel"), otherwise null.
JS_NOTEBOOK_READY = """
(path) => {
  if (document.querySelector('.jp-Dialog')) return 'dialog';
  const app = window.jupyterapp;
  const panel = app && app.shell && app.shell.currentWidget;
  if (!panel || !panel.context || panel.context.path !== path || !panel.context.isReady) return null;
  const session = panel.sessionContext;
  if (!session || !session.isReady || !session.session || !session.session.kernel) return null;
  return session.session.kernel.status === 'idle' && panel.content.widgets.length > 0 ? 'ready' : null;
}
"""

# JupyterLab's own Kernel > "Restart Kernel and Run All Cells", from no outputs (so stale ones
# cannot pass for fresh ones). Not awaited: the command waits for the restart dialog, which the
# caller confirms; JS_RUN_ALL_PROGRESS says "done" or "dialog", JS_RUN_ALL_ERROR how it ended.
JS_RESTART_RUN_ALL = """
async () => {
  const app = window.jupyterapp;
  await app.commands.execute('notebook:clear-all-cell-outputs');
  const state = window.__labRunAll = { done: false, error: null };
  app.commands.execute('notebook:restart-run-all').then(
    () => { state.done = true; },
    (err) => { state.done = true; state.error = String((err && err.stack) || err); });
}
"""
JS_RUN_ALL_PROGRESS = """
() => window.__labRunAll.done ? 'done' : (document.querySelector('.jp-Dialog') ? 'dialog' : null)
"""
JS_RUN_ALL_ERROR = "() => window.__labRunAll.error"

JS_KERNEL_IDLE = """
() => {
  const s = window.jupyterapp.shell.currentWidget.sessionContext;
  return !!(s.session && s.session.kernel && s.session.kernel.status === 'idle');
}
"""

# Installed once per page: a keydown timestamp, and `arm(slider, timeoutMs)`, after which
# JS_RESULT resolves to {key, shown, decoded} (performance.now() of the last keydown, of the
# first new <img> or new src in the slider's widget, of that PNG decoded) or null after timeoutMs.
JS_SLIDER_TIMER = """
() => {
  if (window.__sliderTimer) return;
  const timer = window.__sliderTimer = { keydown: null };
  window.addEventListener('keydown', () => { timer.keydown = performance.now(); }, { capture: true });
  timer.arm = (slider, timeoutMs) => {
    const scope = slider.closest('.widget-interact') || slider.closest('.jp-Cell');
    const before = new Map([...scope.querySelectorAll('img')].map((img) => [img, img.getAttribute('src')]));
    timer.keydown = null;
    timer.result = new Promise((resolve) => {
      const changed = () => [...scope.querySelectorAll('img')].find((img) =>
        img.getAttribute('src') && (!before.has(img) || before.get(img) !== img.getAttribute('src')));
      const observer = new MutationObserver(() => {
        const img = changed();
        if (!img) return;
        observer.disconnect();
        clearTimeout(expiry);
        const shown = performance.now(), key = timer.keydown;
        img.decode().catch(() => null).then(() => resolve({ key, shown, decoded: performance.now() }));
      });
      observer.observe(scope, { subtree: true, childList: true, attributes: true, attributeFilter: ['src'] });
      const expiry = setTimeout(() => { observer.disconnect(); resolve(null); }, timeoutMs);
    });
  };
}
"""
JS_ARM = "(slider, timeoutMs) => window.__sliderTimer.arm(slider, timeoutMs)"  # slider.evaluate(JS_ARM, ms)
JS_RESULT = "() => window.__sliderTimer.result"
