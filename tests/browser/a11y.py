"""WCAG 2.1 AA checks shared by the browser tests: axe-core in the page, and images that say
what they show.

axe-core comes from npm (package-lock.json pins it) and is injected into the page; it runs the
rules tagged wcag2a, wcag2aa, wcag21a and wcag21aa. A violation of impact "critical" or
"serious" is a problem; `report` prints every violation found (any impact) with its node count.
"""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
FAILING_IMPACTS = {"critical", "serious"}
PLACEHOLDERS = ("No description has been provided", "Image")  # nbconvert's, JupyterLab's
# The output areas of the open notebook in JupyterLab
OUTPUTS = ".jp-Notebook .jp-Cell-outputArea"

JS_AXE = """
async ([include, tags]) => {
  const context = include ? document.querySelectorAll(include) : document;
  if (include && context.length === 0) return [];
  const result = await axe.run(context, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
  return result.violations.map((v) => ({id: v.id, impact: v.impact, nodes: v.nodes.length,
                                        example: v.nodes[0] ? v.nodes[0].target.join(' ') + ': ' + v.nodes[0].failureSummary : ''}));
}
"""

# Every image's alt, but for a decorative 1x1 pixel marked as such (alt="" and role=presentation:
# the one that runs a slider widget's script, teaching.rendering.WATCH_HTML), which is no figure.
JS_IMAGES = """
(scope) => [...document.querySelectorAll(scope + ' img')]
  .filter((img) => !(img.getAttribute('alt') === '' && img.getAttribute('role') === 'presentation'
                     && img.naturalWidth <= 1 && img.naturalHeight <= 1))
  .map((img) => img.getAttribute('alt'))
"""


def axe(page, include=None):
    """axe-core's WCAG 2.1 A/AA violations on `page` (within the elements `include` selects)."""
    if not AXE.exists():
        pytest.fail("node_modules/axe-core is missing: run `npm ci` (make test does)", pytrace=False)
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    return page.evaluate(JS_AXE, [include, TAGS])


def failing(violations):
    return [v for v in violations if v["impact"] in FAILING_IMPACTS]


def report(name, violations):
    counts = ", ".join(f"{v['id']} ({v['impact']}) x{v['nodes']}" for v in violations) or "none"
    print(f"axe {name}: {counts}")


def undescribed(alts):
    """The images whose alt is missing, empty or a placeholder."""
    return [alt for alt in alts if not alt or not alt.strip()
            or any(alt.strip().startswith(p) and len(alt.strip()) <= len(p) + 40 for p in PLACEHOLDERS)]



def notebook_problems(page) -> list[str]:
    """What keeps the open notebook's outputs in JupyterLab from WCAG 2.1 AA: images without a
    description, and axe-core's critical or serious violations (each printed with `report`)."""
    problems = [f"image without a description: {alt!r}"
                for alt in undescribed(page.evaluate(JS_IMAGES, OUTPUTS))]
    violations = axe(page, OUTPUTS)
    report("jupyterlab outputs", violations)
    return problems + [f"axe-core: {v['id']} ({v['impact']}) x{v['nodes']}: {v['example'][:300]}"
                       for v in failing(violations)]
