"""Every slide of every deck fits a 16:9 projector (`make slides`), measured in Chromium.

Each deck is built by tools/slides.py into a temporary folder, opened from disk with the network
blocked at 1280x720 and at 1920x1080, and walked slide by slide (every sub-slide too) with
reveal.js's own API. On each slide, with every fragment shown:

* the slide is no taller than the deck's configured height (``section.present.scrollHeight``
  against ``Reveal.getConfig().height``): nothing is cut off at the bottom on the projector;
* no code or output block is wider than its box (``scrollWidth > clientWidth``) or sticks out
  past the slide's right edge: nothing is cut off at the right, and no block shows a horizontal
  scrollbar (a long output may scroll *down* in its fixed box; that is what the box is for);
* no input prompt ("In [21]:") is shown.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
sys.path.insert(0, str(ROOT / "tools"))
import slides  # noqa: E402

sys.path.remove(str(ROOT / "tools"))

SIZES = [(1280, 720), (1920, 1080)]

# Every slide of the deck: [h, v, overflow in px, [wide blocks], prompts shown]
JS_MEASURE = """
async () => {
  const deck = Reveal;
  const height = deck.getConfig().height, width = deck.getConfig().width;
  const found = [];
  // nbconvert's reveal template re-renders the new slide's formulas on every slide change
  // (MathJax.Hub.Rerender, which ends with this message), and the deck fits the slide again
  // after that: only then is the slide what the room sees. (Measured before it, a slide is
  // read at its stale size from the page load; in the middle of it, before the deck's refit.)
  let rerenders = 0;
  MathJax.Hub.Register.MessageHook('End Rerender', () => { rerenders += 1; });
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
  const frames = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
  const tops = [...document.querySelectorAll('.reveal .slides > section')];
  for (let h = 0; h < tops.length; h++) {
    const stack = tops[h].querySelectorAll(':scope > section');
    const count = Math.max(stack.length, 1);
    for (let v = 0; v < count; v++) {
      const before = rerenders;
      const at = deck.getIndices();
      const moved = at.h !== h || (at.v || 0) !== v;  // (no slide change, no re-render: the first slide)
      deck.slide(h, v, Number.MAX_SAFE_INTEGER);  // every fragment shown
      const slide = document.querySelector('.reveal .slides section.present section.present')
                 || document.querySelector('.reveal .slides > section.present');
      const started = performance.now();
      while (moved && rerenders === before && performance.now() - started < 20000) await sleep(10);
      const rerendered = !moved || rerenders > before;
      await document.fonts.ready;  // a font variant first used on this slide
      // the slide's plots decoded (a slider's picture is drawn by the widgets manager)
      await Promise.all([...slide.querySelectorAll('img')].map((img) => img.decode().catch(() => null)));
      // settled: the same height and text scale over 5 checks in a row (the deck's refit is done)
      const state = () => `${slide.scrollHeight} ${(slide.querySelector('.projector-fit') || {dataset: {}}).dataset.scale}`;
      let last = state(), same = 0;
      while (same < 5 && performance.now() - started < 30000) {
        await frames();
        await sleep(20);
        const now = state();
        same = now === last ? same + 1 : 0;
        last = now;
      }
      const settled = rerendered && same >= 5;
      const box = slide.getBoundingClientRect();
      const scale = box.width / width || 1;
      const wide = [];
      slide.querySelectorAll('pre, .jp-OutputArea-output, .jp-InputArea-editor, .highlight, table')
        .forEach((el) => {
          const r = el.getBoundingClientRect();
          if (r.width === 0 || getComputedStyle(el).display === 'none') return;
          const tooWide = el.scrollWidth > el.clientWidth + 1;
          const style = getComputedStyle(el);
          const clipped = tooWide && style.overflowX !== 'visible';
          const pastEdge = r.right > box.right + 2 * scale;
          if ((tooWide && clipped) || pastEdge) {
            wide.push(`${el.tagName.toLowerCase()}.${[...el.classList].join('.')}: ` +
                      `${el.scrollWidth}px in ${el.clientWidth}px, right edge ${Math.round((r.right - box.right) / scale)}px past ` +
                      `"${el.textContent.trim().slice(0, 60)}"`);
          }
        });
      const prompts = [...slide.querySelectorAll('.jp-InputPrompt')]
        .filter((el) => el.offsetWidth > 0 && el.textContent.trim()).length;
      const title = (slide.querySelector('h1, h2, h3') || {}).textContent || '';
      found.push({h, v, title: title.trim().slice(0, 50), over: slide.scrollHeight - height, wide, prompts,
                  settled});
    }
  }
  return {height, width, slides: found};
}
"""


@pytest.fixture(scope="module")
def decks(tmp_path_factory):
    if slides.missing_assets():
        pytest.fail(f"node_modules lacks {slides.missing_assets()}: run `npm ci`", pytrace=False)
    out = tmp_path_factory.mktemp("decks")
    slides.build("slides", out_dir=out)
    return out


def measure(browser, deck, size):
    """The measurements of JS_MEASURE for ``deck`` opened at viewport ``size`` with no network."""
    context = browser.new_context(viewport={"width": size[0], "height": size[1]})
    context.route("**/*", lambda r: r.continue_() if r.request.url.startswith(("file:", "data:", "blob:"))
                  else r.abort())
    try:
        page = context.new_page()
        page.set_default_timeout(60_000)
        page.goto(deck.as_uri())
        page.wait_for_selector(".reveal.ready", state="attached")
        page.wait_for_function("() => window.MathJax && MathJax.isReady && !MathJax.Hub.queue.pending "
                               "&& [...document.images].every((i) => i.complete)")
        # reveal.js is an AMD module here (require.js): the deck's own instance, by the same URL
        page.evaluate("() => new Promise((done) => require([document.querySelector('link[href$=\\'dist/reveal.css\\']')"
                      ".getAttribute('href').replace(/css$/, 'js')], (R) => { window.Reveal = R; done(); }))")
        return page.evaluate(JS_MEASURE)
    finally:
        context.close()


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_slide_fits(browser, decks, path, size):
    result = measure(browser, decks / f"{path.stem}.slides.html", size)
    assert (result["width"], result["height"]) == (slides.DECK_WIDTH, slides.DECK_HEIGHT), "the deck is not 16:9"
    tall = [f"{s['h']}/{s['v']} {s['title']!r}: {s['over']}px too tall" for s in result["slides"] if s["over"] > 0]
    wide = [f"{s['h']}/{s['v']} {s['title']!r}: {w}" for s in result["slides"] for w in s["wide"]]
    prompts = [f"{s['h']}/{s['v']} {s['title']!r}" for s in result["slides"] if s["prompts"]]
    unsettled = [f"{s['h']}/{s['v']} {s['title']!r}" for s in result["slides"] if not s["settled"]]
    assert not unsettled, ("no MathJax re-render, or no stable height within 20 s, on " + ", ".join(unsettled))
    assert not tall, f"{len(tall)} of {len(result['slides'])} slides taller than the slide:\n" + "\n".join(tall)
    assert not wide, f"{len(wide)} code or output blocks cut at the right:\n" + "\n".join(wide)
    assert not prompts, f"input prompts shown on {prompts}"
