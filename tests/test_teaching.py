"""TEACHING.md's lesson plans: every link lands on exactly one heading, the plans fit (at most six
segments, five minutes of slack, the notebooks only forward), the timed segments are the plans'
segments, and a question the plan asks comes before the cell that answers it."""

import re
import sys
from pathlib import Path
from urllib.parse import unquote

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
GUIDE = ROOT / "TEACHING.md"
TEXT = GUIDE.read_text(encoding="utf-8")

sys.path.insert(0, str(ROOT / "tools"))
try:
    import time_lessons
finally:
    sys.path.remove(str(ROOT / "tools"))


def notebook_anchors(path):
    """Every heading's anchor in a notebook, as JupyterLab makes it (spaces become -), with the
    index of its cell; a heading that occurs twice occurs twice here."""
    nb = nbformat.read(path, as_version=4)
    return [(a, i) for i, anchors in enumerate(time_lessons.headings(nb)) for a in anchors]


def markdown_anchors(path):
    """GitHub's anchors of a Markdown file's headings (outside code blocks)."""
    anchors, fenced = [], False
    for line in path.read_text(encoding="utf-8").splitlines():
        fenced ^= line.startswith("```")
        if line.startswith("#") and not fenced:
            anchors.append(re.sub(r"[^\w\- ]", "", line.lstrip("#").strip().lower())
                           .replace(" ", "-"))
    return anchors


LINKS = [link for link in re.findall(r"\]\(([^)\s]+)\)", TEXT)
         if "#" in link and not re.match(r"^[a-z]+:", link)]


def test_the_guide_links_headings():
    assert len(LINKS) >= 30


@pytest.mark.parametrize("link", LINKS)
def test_every_anchor_resolves_to_exactly_one_heading(link):
    target, _, anchor = link.partition("#")
    anchor = unquote(anchor)
    path = GUIDE.parent / target if target else GUIDE
    if path.suffix == ".md":
        found = markdown_anchors(path).count(anchor)
    else:
        found = [a for a, _ in notebook_anchors(path)].count(anchor)
    assert found == 1, f"{link}: {found} headings have this anchor"


def plan_rows(title):
    """The rows of the plan table under the heading `title`: (minutes, section cell, ask cell)."""
    section = TEXT.split(f"## {title}\n", 1)[1].split("\n## ", 1)[0]
    rows = []
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if re.fullmatch(r"\d+-\d+", cells[0]):
            rows.append((cells[0], cells[1], cells[-1]))
    return rows


PLANS = {"45": ("3. A 45 minute lesson", 45), "90": ("4. A 90 minute lesson", 90)}


@pytest.mark.parametrize("plan", PLANS)
def test_the_plan_fits(plan):
    title, length = PLANS[plan]
    rows = plan_rows(title)
    spans = [tuple(map(int, m.split("-"))) for m, _, _ in rows]
    assert spans[0][0] == 0 and spans[-1][1] == length
    assert all(a[1] == b[0] for a, b in zip(spans, spans[1:])), "segments follow each other"
    kinds = [section for _, section, _ in rows]
    teaching = [span for span, kind in zip(spans, kinds) if kind not in ("slack", "break")]
    assert len(teaching) <= 6, f"{len(teaching)} segments"
    slack = [b - a for (a, b), kind in zip(spans, kinds) if kind == "slack"]
    assert slack == [5] and kinds[-1] == "slack", "five minutes of slack, at the end"


@pytest.mark.parametrize("plan", PLANS)
def test_the_plan_goes_through_the_notebooks_only_forward(plan):
    places = []
    for _, section, _ in plan_rows(PLANS[plan][0]):
        for link in re.findall(r"\]\((notebooks/[^)\s]+)\)", section):
            target, _, anchor = link.partition("#")
            cells = [i for a, i in notebook_anchors(ROOT / target) if a == unquote(anchor)]
            places.append((target, cells[0], link))
    for before, after in zip(places, places[1:]):
        assert before[:2] <= after[:2], f"{after[2]} comes before {before[2]} in the notebooks"


@pytest.mark.parametrize("plan", PLANS)
def test_the_timed_segments_are_the_plans_segments(plan):
    rows = [(m, s) for m, s, _ in plan_rows(PLANS[plan][0]) if s not in ("slack", "break")]
    timed = [(minutes, name) for p, minutes, name, _ in time_lessons.SEGMENTS if p == plan]
    assert [m for m, _ in rows] == [m for m, _ in timed]
    for (minutes, section), (_, name) in zip(rows, timed):
        assert f"notebooks/{name}#" in section, f"{minutes}: the plan and the timing disagree"
    table = TEXT.split("### How long the cells take", 1)[1]
    for minutes, name in timed:
        assert re.search(rf"^\| {plan} \| {minutes} \| {re.escape(name)} \| \d+ \| [\d.]+ \|",
                         table, re.M), f"no measured time for {plan} {minutes} in TEACHING.md"


def test_every_timed_range_is_one_range_of_headings():
    for _, minutes, name, ranges in time_lessons.SEGMENTS:
        nb = nbformat.read(ROOT / "notebooks" / name, as_version=4)
        for start, stop in ranges:
            assert len(time_lessons.cell_range(nb, start, stop)) > 0, (minutes, start)


def test_the_vanishing_gradient_question_is_asked_before_its_answer_even_in_deck_mode():
    """03 section 5: the prediction is asked on the section's slide; the measured norms come on
    the next sub-slide, so the room answers before it sees them."""
    nb = nbformat.read(ROOT / "notebooks" / "03_nonlinear.ipynb", as_version=4)
    cells = nb.cells
    ask = next(i for i, c in enumerate(cells) if c.source.startswith("## 5. Vanishing gradients"))
    answer = next(i for i, c in enumerate(cells) if c.source.startswith("def gradient_norms("))
    assert "Predict first" in cells[ask].source and ask < answer
    kinds = [c.metadata.get("slideshow", {}).get("slide_type", "-") for c in cells[ask + 1:answer]]
    assert "subslide" in kinds or "slide" in kinds, "the norms are on the question's slide"
