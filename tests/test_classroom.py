"""Classroom delivery (issue 13): slide metadata, offline decks and pages, the JupyterLite site,
the Binder (repo2docker) environment, and the teacher's guide's links.

The decks are also opened in a real browser with the network blocked: tests/browser/test_slides_in_browser.py.
"""

import json
import re
import subprocess
import sys
import sysconfig
from pathlib import Path

import nbformat
import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
from tools import build_lite, slides  # noqa: E402


def md(source):
    return nbformat.v4.new_markdown_cell(source)


def code(source, tags=()):
    cell = nbformat.v4.new_code_cell(source)
    if tags:
        cell.metadata["tags"] = list(tags)
    return cell


# --------------------------------------------------------------------------------------------
# Slide metadata
# --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_notebook_carries_the_slide_rule(path):
    """`make notebooks` (tools/run_notebooks.py) stores the rule's slide type on every cell."""
    nb = nbformat.read(path, as_version=4)
    stored = slides.stored_slide_types(nb)
    expected = slides.slide_types(nb.cells)
    assert "slideshow" in nb.cells[0].metadata, f"{path.name} has no slide metadata: run `make notebooks`"
    wrong = [(i, s, e) for i, (s, e) in enumerate(zip(stored, expected)) if s != e]
    assert not wrong, (f"{path.name}: cells whose slide type is not the rule's (cell, stored, rule): "
                       f"{wrong[:5]}; run `make notebooks`")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_notebook_presents_as_slides(path):
    types = slides.slide_types(nbformat.read(path, as_version=4).cells)
    assert types[0] == "slide", f"{path.name}: the title cell must open the deck"
    assert types.count("slide") >= 2, f"{path.name}: a deck of one slide: no ## sections?"


def test_rule_headings_start_slides_and_subslides():
    cells = [md("# Title\nintro"), md("## A section"), code("x = 1"), md("### A part"),
             md("#### a small heading"), md("Some text"), md("## Another")]
    assert slides.slide_types(cells) == ["slide", "slide", "-", "subslide", "-", "-", "slide"]


def test_rule_skips_the_setup_section_only():
    cells = [md("# T"), md("## Setup"), code("import numpy as np"), code("set_theme()"),
             md("## Sigmoid"), code("sigmoid(0)")]
    assert slides.slide_types(cells) == ["slide", "skip", "skip", "skip", "slide", "-"]


def test_rule_makes_the_text_after_code_a_fragment():
    cells = [md("## S"), md("text before code"), code("print(1)"), md("what it means"), md("more")]
    assert slides.slide_types(cells) == ["slide", "-", "-", "fragment", "-"]


def test_rule_heading_after_code_is_still_a_slide():
    assert slides.slide_types([md("## S"), code("1"), md("### Next")]) == ["slide", "-", "subslide"]


def test_rule_gives_each_piece_of_code_its_own_subslide():
    """One piece of code per (sub-)slide, so that a slide fits the projector (issue 20): a
    second code cell starts a sub-slide, together with the paragraph that introduces it; the
    answer to a code cell stays a fragment of its slide, and a cell of comments stays put."""
    cells = [md("## S"), code("print(1)"), md("what it means"), code("print(2)"),
             md("an answer"), md("the next step:"), code("plot(3)"), code("#q1.hint()\n#q1.solution()"),
             md("a closing remark")]
    assert slides.slide_types(cells) == ["slide", "-", "fragment", "subslide",
                                         "fragment", "subslide", "-", "-", "fragment"]


def test_rule_gives_a_long_answer_its_own_subslide():
    long = "word " * (slides.LONG_ANSWER // 5 + 1)
    cells = [md("## S"), code("print(1)"), md(long), code("print(2)"), md("short answer")]
    assert slides.slide_types(cells) == ["slide", "-", "subslide", "subslide", "fragment"]


def test_rule_counts_only_code_that_is_shown():
    """A skipped or notes-only code cell does not push the next one to a sub-slide."""
    cells = [md("## S"), code("x = 1", tags=["slide:skip"]), code("print(x)")]
    assert slides.slide_types(cells) == ["slide", "skip", "-"]


def test_an_author_tag_overrides_the_rule():
    cells = [md("# T"), code("x = 1", tags=["slide:skip"]), md("## S", ), code("y", tags=["slide:notes"])]
    assert slides.slide_types(cells) == ["slide", "skip", "slide", "notes"]


def test_rule_reads_sources_as_lists_too():
    cells = [{"cell_type": "markdown", "source": ["## Heading\n", "text"], "metadata": {}}]
    assert slides.slide_types(cells) == ["slide"]


def test_add_slide_metadata_is_idempotent_and_keeps_other_keys():
    nb = nbformat.v4.new_notebook(cells=[md("# T"), code("1"), md("## S")])
    nb.cells[1].metadata["slideshow"] = {"slide_type": "notes", "extra": 1}
    nb.cells[2].metadata["slideshow"] = {"slide_type": "skip"}
    first = nbformat.writes(slides.add_slide_metadata(nb))
    assert nbformat.writes(slides.add_slide_metadata(nb)) == first
    assert nb.cells[1].metadata.slideshow == {"extra": 1}  # "-": no slide_type (jupyterlab-slideshow)
    assert nb.cells[2].metadata.slideshow == {"slide_type": "slide"}
    assert slides.stored_slide_types(nb) == ["slide", "-", "slide"]


@pytest.mark.parametrize("bad", ["cells", None, [1, 2]])
def test_bad_input_names_the_function(bad):
    with pytest.raises(TypeError, match="slide_types"):
        slides.slide_types(bad)


def test_add_slide_metadata_rejects_a_non_notebook():
    with pytest.raises(TypeError, match="add_slide_metadata"):
        slides.add_slide_metadata(["# T"])


def test_make_notebooks_stores_slide_metadata(tmp_path):
    """tools/run_notebooks.py applies the rule to the notebook it executes (a tiny one here)."""
    from tools import run_notebooks
    path = tmp_path / "tiny.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[md("# Tiny"), md("## Setup"), code("x = 2"),
                                                   md("## Part"), code("print(x * 3)"), md("six")]), path)
    run_notebooks.execute(path)
    nb = nbformat.read(path, as_version=4)
    assert slides.stored_slide_types(nb) == ["slide", "skip", "skip", "slide", "-", "fragment"]
    assert "slideshow" not in nb.cells[4].metadata
    assert nb.cells[4].outputs[0]["text"] == "6\n"


# --------------------------------------------------------------------------------------------
# Offline decks and pages (the browser test opens them; here: what they load)
# --------------------------------------------------------------------------------------------
_BUILT = {}


def _build(kind, tmp_path_factory):
    if kind not in _BUILT:
        if slides.missing_assets():
            pytest.fail(f"node_modules lacks {slides.missing_assets()}: run `npm ci` "
                        "(make test, make slides and make html do)", pytrace=False)
        out = tmp_path_factory.mktemp(kind)
        _BUILT[kind] = kind, out, slides.build(kind, out_dir=out)
    return _BUILT[kind]


@pytest.fixture(params=["slides", "html"])
def built(request, tmp_path_factory):
    return _build(request.param, tmp_path_factory)


@pytest.fixture
def decks(tmp_path_factory):
    return _build("slides", tmp_path_factory)


def test_one_page_per_notebook(built):
    kind, out, pages = built
    suffix = ".slides.html" if kind == "slides" else ".html"
    assert sorted(p.name for p in pages) == sorted(p.stem + suffix for p in NOTEBOOKS)
    assert all(p.parent == out for p in pages)


def test_pages_load_nothing_from_the_network(built):
    """Every script, style sheet, font and module a page loads is a file in assets/ beside it."""
    kind, out, pages = built
    for page in pages:
        html = page.read_text(encoding="utf-8")
        loads = re.findall(r'<script[^>]*\ssrc="([^"]+)"', html)
        loads += re.findall(r'<link[^>]*\shref="([^"]+)"', html)
        loads += re.findall(r'(?:import\s*\(?|from)\s*["\']([^"\']+\.m?js)["\']', html)
        loads += re.findall(r"widgetRendererSrc = '([^']+)'", html)
        assert loads, f"{page.name}: found no script or style sheet at all"
        for url in loads:
            assert not re.match(r"^(https?:)?//", url), f"{page.name} loads {url} from the network"
            assert (out / url.split("?")[0]).is_file(), f"{page.name} loads {url}, which is not in {out}"
    for css in (out / "assets").rglob("*.css"):
        remote = re.findall(r"@import\s+url\(\s*['\"]?(https?:[^'\")]+)", css.read_text(encoding="utf-8", errors="replace"))
        assert not remote, f"{css.relative_to(out)} imports {remote} from the network"


def test_decks_use_the_slide_rule(decks):
    kind, out, pages = decks
    for path in NOTEBOOKS:
        html = (out / f"{path.stem}.slides.html").read_text(encoding="utf-8")
        types = slides.slide_types(slides.split_at_headings(nbformat.read(path, as_version=4).cells))
        # each slide is a <section> holding its sub-slides' <section>s
        assert html.count("<section") == types.count("slide") * 2 + types.count("subslide"), path.name


def test_links_between_notebooks_point_at_the_built_pages(built):
    kind, out, pages = built
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert not re.findall(r'href="[^":/]+\.ipynb', html), f"{page.name} still links a notebook"
        for target in re.findall(r'href="([^"#:/]+\.html)', html):
            assert (out / target).is_file(), f"{page.name} links {target}, which was not built"


def test_every_relative_link_in_a_page_resolves_inside_the_build(built):
    """The build folder works on its own: a link out of notebooks/ (../activations_helpers.py,
    ../TEACHING.md) points at a copy beside the pages, not outside the folder."""
    kind, out, pages = built
    for page in pages:
        html = page.read_text(encoding="utf-8")
        for target in re.findall(r'<a[^>]*\shref="(?![a-z]+:)([^"#?]+)', html):
            assert not target.startswith(".."), f"{page.name} links {target}, outside the build"
            assert (out / target).exists(), f"{page.name} links {target}, missing from the build"


# --------------------------------------------------------------------------------------------
# JupyterLite
# --------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def lite(tmp_path_factory):
    return build_lite.build(tmp_path_factory.mktemp("lite") / "site")


def test_lite_site_holds_every_notebook_and_module(lite):
    index = json.loads((lite / "api" / "contents" / "all.json").read_text())
    listed = {item["name"] for item in index["content"]}
    modules = [p.relative_to(ROOT) for p in (ROOT / "teaching").rglob("*.py")] + [Path("activations_helpers.py")]
    for path in NOTEBOOKS:
        assert path.name in listed, f"{path.name} missing from the site's contents index"
        assert (lite / "files" / path.name).is_file()
    assert {"activations_helpers.py", "teaching"} <= listed
    for module in modules:
        shipped = lite / "files" / module
        assert shipped.is_file(), f"{module} missing from the site"
        assert shipped.read_bytes() == (ROOT / module).read_bytes(), f"{module} differs from the repository's"


def test_lite_notebooks_install_what_the_helpers_need_then_run_as_stored(lite):
    for path in NOTEBOOKS:
        shipped = nbformat.read(lite / "files" / path.name, as_version=4)
        original = nbformat.read(path, as_version=4)
        first = shipped.cells[0]
        assert first.cell_type == "code" and first.source.splitlines()[-1].startswith("%pip install")
        assert [c.source for c in shipped.cells[1:] if c.cell_type == "code"] == [
            c.source for c in original.cells if c.cell_type == "code"]
        for cell in shipped.cells:  # the site is flat: every relative link resolves in it
            if cell.cell_type == "markdown":
                for target in re.findall(r"\]\(([^)#:]+)\)", cell.source):
                    assert (lite / "files" / target).exists(), f"{path.name} in the site links missing {target}"


def test_lite_ships_the_wheels_pyodide_lacks(lite):
    index = json.loads((lite / "pypi" / "all.json").read_text())
    for name in ("seaborn", "ipywidgets"):
        assert name in index, f"{name} is not in the site's piplite index"
        (release,) = index[name]["releases"].values()
        assert release[0]["filename"].endswith("-py3-none-any.whl")
        assert (lite / "pypi" / release[0]["filename"]).is_file()
    install = build_lite.INSTALL_CELL.splitlines()[-1].split()[3:]
    assert {"seaborn", "ipywidgets"} <= set(install)
    config = json.loads((lite / "jupyter-lite.json").read_text())["jupyter-config-data"]
    urls = config["litePluginSettings"]["@jupyterlite/pyodide-kernel-extension:kernel"]["pipliteUrls"]
    assert any(url.startswith("./pypi/all.json") for url in urls)
    names = {ext["name"] for ext in config["federated_extensions"]}
    assert "@jupyter-widgets/jupyterlab-manager" in names  # the sliders draw in the browser


# Compiled packages in Pyodide's own distribution that importing the helpers may pull in, and the
# pure-Python ones the Pyodide kernel or those packages bring; the rest must be shipped as wheels.
# scipy (the exact GELU's normal CDF; with it, seaborn imports scipy.stats, which loads
# charset_normalizer) is in Pyodide's distribution too.
PYODIDE_COMPILED = {"numpy", "matplotlib", "kiwisolver", "contourpy", "PIL", "pandas", "scipy",
                    "charset_normalizer"}
PYODIDE_PURE = {"IPython", "comm", "traitlets", "pygments", "dateutil", "cycler", "pyparsing",
                "fontTools", "packaging", "six", "pytz", "tzdata", "decorator", "jedi", "parso",
                "prompt_toolkit", "wcwidth", "matplotlib_inline", "stack_data", "executing",
                "asttokens", "pure_eval", "mpl_toolkits", "typing_extensions", "jupyterlab_widgets",
                "widgetsnbextension"}


# Imported when installed, for speed, with a fallback when not: JupyterLite installs none of
# them (tools/build_lite.py), so the probe below imports the helpers as if they were missing.
OPTIONAL = {"imagecodecs"}  # teaching.rendering.encode_frame: Pillow without it


def test_helpers_import_nothing_pyodide_cannot_load():
    """Under Pyodide the only compiled code is what its distribution carries (NumPy, matplotlib,
    Pillow, pandas for seaborn): import the helpers and every module of the teaching package in a
    fresh interpreter, the OPTIONAL packages made unimportable as in JupyterLite, and list what
    loads."""
    probe = (
        "import importlib, json, pkgutil, sys, sysconfig\n"
        f"sys.modules.update(dict.fromkeys({sorted(OPTIONAL)!r}))  # None: import raises ImportError\n"
        "import activations_helpers, teaching\n"
        "for info in pkgutil.walk_packages(teaching.__path__, 'teaching.'):\n"
        "    importlib.import_module(info.name)\n"
        "stdlib = sysconfig.get_paths()['stdlib']\n"
        "found = {}\n"
        "for name, module in list(sys.modules.items()):\n"
        "    f = getattr(module, '__file__', None) or ''\n"
        "    top = name.split('.')[0]\n"
        "    if f and not f.startswith(stdlib) and top not in sys.stdlib_module_names:\n"
        "        found[name] = f\n"
        "print(json.dumps(found))\n"
    )
    found = json.loads(subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                                      check=True, cwd=ROOT).stdout)
    site = [sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]]
    compiled, pure = set(), set()
    for name, file in found.items():
        top = name.split(".")[0]
        for prefix in site:  # the distribution's folder, for private extension modules
            if file.startswith(prefix):
                top = Path(file).relative_to(prefix).parts[0].removesuffix(".py")
        (compiled if file.endswith((".so", ".pyd")) else pure).add(top)
    assert compiled <= PYODIDE_COMPILED, f"compiled code Pyodide lacks: {compiled - PYODIDE_COMPILED}"
    shipped = {"seaborn", "ipywidgets", "teaching", "activations_helpers", "_input_policy"}
    extra = pure - compiled - shipped - PYODIDE_PURE
    extra = {m for m in extra if not m.startswith("__editable__") and m not in {"_distutils_hack", "__main__"}}
    assert not extra, f"pure-Python modules neither in Pyodide nor shipped (tools/build_lite.py LITE_WHEELS): {extra}"


# --------------------------------------------------------------------------------------------
# Binder: what repo2docker would build
# --------------------------------------------------------------------------------------------
def test_binder_builds_the_conda_environment_and_installs_the_repository():
    r2d = Path(sys.executable).with_name("jupyter-repo2docker")
    result = subprocess.run([str(r2d), "--no-build", str(ROOT)], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    dockerfile, log = result.stdout, result.stderr
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    python = next(d for d in env["dependencies"] if isinstance(d, str) and d.startswith("python="))
    assert f"Building conda environment for {python}" in log, log
    update = re.search(r'env update -p \$\{NB_PYTHON_PREFIX\} --file "environment.yml"', dockerfile)
    assert update, "repo2docker does not build from environment.yml (a binder/ folder would hide it)"
    copy = dockerfile.find("COPY --chown=0:0 src/ ${REPO_DIR}/")
    assert 0 <= copy < update.start(), "the repository must be in the image before `pip install -e .` runs"
    assert env["dependencies"][-1] == {"pip": ["-e ."]}, "environment.yml must install this repository"
    assert not (ROOT / "binder").exists() and not (ROOT / ".binder").exists()


# --------------------------------------------------------------------------------------------
# The teacher's guide
# --------------------------------------------------------------------------------------------
def _slug_md(heading):
    """GitHub's anchor for a Markdown heading."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def _anchors(path):
    if path.suffix == ".ipynb":
        nb = nbformat.read(path, as_version=4)
        headings = [line.lstrip("#").strip() for c in nb.cells if c.cell_type == "markdown"
                    for line in c.source.splitlines() if line.startswith("#")]
        return {h.replace(" ", "-") for h in headings}  # JupyterLab's (and nbconvert's) anchors
    headings = [line.lstrip("#").strip() for line in path.read_text(encoding="utf-8").splitlines()
                if line.startswith("#")]
    return {_slug_md(h) for h in headings}


@pytest.mark.parametrize("doc", ["TEACHING.md"])
def test_relative_links_in_the_teachers_guide_resolve(doc):
    path = ROOT / doc
    assert path.is_file(), f"{doc} is missing"
    text = path.read_text(encoding="utf-8")
    links = re.findall(r"\]\(([^)\s]+)\)", text)
    relative = [link for link in links if not re.match(r"^[a-z]+:", link)]
    assert relative, f"{doc} links nothing in the repository"
    for link in relative:
        target, _, anchor = link.partition("#")
        target_path = (path.parent / target).resolve() if target else path
        assert target_path.exists(), f"{doc} links {link}: {target} does not exist"
        if anchor:
            from urllib.parse import unquote
            assert unquote(anchor) in _anchors(target_path), f"{doc} links {link}: no such heading"


def test_slide_rule_examples_run_as_shown():
    """tools/ is outside pytest's testpaths: run the rule's doctests here."""
    import doctest

    result = doctest.testmod(slides, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted >= 3 and result.failed == 0


def test_the_guides_hub_and_binder_links_open_the_index_notebook():
    """The nbgitpuller link clones this repository into a folder named after it and opens
    notebooks/index.ipynb there; the Binder link opens the same notebook."""
    from urllib.parse import parse_qs, urlsplit

    text = (ROOT / "TEACHING.md").read_text(encoding="utf-8")
    (pull,) = re.findall(r"https://HUB/hub/user-redirect/git-pull\?\S+", text)
    query = {key: values[0] for key, values in parse_qs(urlsplit(pull).query, strict_parsing=True).items()}
    assert set(query) == {"repo", "branch", "urlpath"}
    repo = urlsplit(query["repo"])
    assert repo.scheme == "https" and repo.path.count("/") == 2, query["repo"]
    folder = repo.path.rsplit("/", 1)[1]
    prefix = f"lab/tree/{folder}/"
    assert query["urlpath"].startswith(prefix), query["urlpath"]
    assert (ROOT / query["urlpath"].removeprefix(prefix)).is_file(), query["urlpath"]
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    assert any(re.match(r"nbgitpuller\b", str(d)) for d in env["dependencies"]), "the hub image needs nbgitpuller"

    (binder,) = set(re.findall(r"https://mybinder\.org/v2/gh/\S+", text))
    assert (ROOT / binder.split("urlpath=lab/tree/", 1)[1]).is_file(), binder


# --------------------------------------------------------------------------------------------
# JupyterLite: the Pyodide the site loads is pinned and named
# --------------------------------------------------------------------------------------------
def test_lite_pins_the_pyodide_it_loads():
    """The site pins the Pyodide it loads to jupyterlite-pyodide-kernel's own default (a kernel
    upgrade must move the pin on purpose) and the README names that version."""
    from jupyterlite_pyodide_kernel.constants import PYODIDE_VERSION as KERNEL_DEFAULT

    assert build_lite.PYODIDE_VERSION == KERNEL_DEFAULT, (
        f"jupyterlite-pyodide-kernel now defaults to Pyodide {KERNEL_DEFAULT}; the site pins "
        f"{build_lite.PYODIDE_VERSION}: move PYODIDE_VERSION in tools/build_lite.py and the README")
    assert build_lite.PYODIDE_FILE_URL.endswith(f"/v{build_lite.PYODIDE_VERSION}/full/pyodide.mjs")
    assert f"Pyodide {build_lite.PYODIDE_VERSION}" in (ROOT / "README.md").read_text()
