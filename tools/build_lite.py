"""Build the JupyterLite site: the notebooks running in the learner's browser, no install.

Usage: python tools/build_lite.py [OUTPUT_DIR]      (or `make lite`; default build/lite)

What goes in:

* every ``notebooks/*.ipynb``, with one cell put first that installs what the helpers import
  (``%pip install ...``: the pure-Python wheels below, and Pillow from Pyodide's own packages);
  the site is flat (notebooks and helpers in one folder), so ``../`` in their links is dropped;
* ``activations_helpers.py`` and the ``teaching`` package beside them, so ``from teaching import
  ...`` works as it does in JupyterLab, and any other file of the repository a notebook links to;
* the wheels of the pure-Python packages Pyodide's distribution lacks (``LITE_WHEELS``: seaborn,
  ipywidgets and the JupyterLab side of the widgets), at the versions installed here, indexed for
  ``piplite`` under ``pypi/``. They are downloaded once with pip into ``build/lite-wheels``.

``jupyter lite build`` itself runs with every HTTP(S) proxy set to a closed local port: the build
must not depend on the network, and fails loudly if a new version starts to fetch something.

Running the site needs a web server (JupyterLite does not work from ``file://``), e.g.
``python -m http.server -d build/lite``, and the learner's browser fetches Pyodide (Python, NumPy,
matplotlib, pandas, Pillow) from its CDN on the first run. See TEACHING.md.

The Pyodide the site loads is pinned (``PYODIDE_VERSION``, written into ``jupyter-lite.json``), and
every page that can start a kernel carries ``tools/lite_notice.js``: when that Pyodide cannot be
fetched within ``NOTICE_WAIT_S`` seconds, or the request is refused, the page says so at its top
(Python could not be downloaded from the CDN; the site needs it; Binder or the laptops instead),
instead of a kernel that stays "Unknown" in silence.
"""

from __future__ import annotations

import importlib.metadata
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import nbformat
from jupyterlite_pyodide_kernel.constants import PYODIDE_KERNEL_PLUGIN_ID, PYODIDE_MJS, PYODIDE_URL
from jupyterlite_pyodide_kernel.constants import PYODIDE_PYTHON_VERSION  # the browser's Python

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
WHEEL_CACHE = ROOT / "build" / "lite-wheels"
MODULES = ["activations_helpers.py", "_input_policy.py", "teaching"]

#: pure-Python distributions the notebooks need that Pyodide's distribution does not carry
LITE_WHEELS = ["seaborn", "ipywidgets", "jupyterlab_widgets"]
#: what the install cell asks for: the wheels above, and Pillow and SciPy from Pyodide's
#: distribution (imported inside the teaching package and inside GELU's body, where Pyodide's
#: import scan of a cell cannot see them)
INSTALL_CELL = (
    "# JupyterLite only: install what the helpers import, from the wheels shipped with this site\n"
    "%pip install -q seaborn ipywidgets pillow scipy"
)
INSTALL_CELL_TAG = "lite-install"

#: the Pyodide the site loads (jupyterlite-pyodide-kernel 0.8.6's own default; Python 3.14, numpy
#: 2.4, matplotlib 3.10): pinned here so a kernel upgrade does not change the browser's Python unseen
PYODIDE_VERSION = "314.0.6"
PYODIDE_CDN = "https://cdn.jsdelivr.net/pyodide/"
PYODIDE_FILE_URL = f"{PYODIDE_CDN}v{PYODIDE_VERSION}/full/{PYODIDE_MJS}"
#: seconds a slow network gets to answer for Pyodide before the page says why Python is not there
NOTICE_WAIT_S = 20
NOTICE_JS = Path(__file__).resolve().parent / "lite_notice.js"
#: the site's pages that can start a kernel (and the file browser a class starts from)
NOTICE_PAGES = ["lab", "notebooks", "repl", "consoles", "tree", "edit"]


def fetch_wheels(dest=WHEEL_CACHE):
    """The wheels of ``LITE_WHEELS`` at the versions installed in this environment.

    Downloads with pip only those not already in ``dest``. Returns their paths.
    """
    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    wheels, wanted = [], []
    for name in LITE_WHEELS:
        version = importlib.metadata.version(name)
        stem = f"{name.replace('-', '_').lower()}-{version}-"
        found = [p for p in dest.glob("*.whl") if p.name.lower().startswith(stem)]
        if found:
            wheels.append(found[0])
        else:
            wanted.append(f"{name}=={version}")
    if wanted:
        subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--disable-pip-version-check",
                        "--no-deps", "--only-binary=:all:", "--python-version", PYODIDE_PYTHON_VERSION,
                        "--dest", str(dest), *wanted], check=True)
        return fetch_wheels(dest)
    for wheel in wheels:
        if not wheel.name.endswith("-py3-none-any.whl"):
            raise ValueError(f"fetch_wheels: {wheel.name} is not a pure-Python wheel; Pyodide cannot install it")
    return wheels


def lite_notebook(path):
    """The notebook at ``path`` as it goes into the site: the install cell first, and links to
    the repository's files (``../activations_helpers.py``) pointed at their copies beside it."""
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            cell.source = re.sub(r"\]\(\.\./", "](", cell.source)
    cell = nbformat.v4.new_code_cell(INSTALL_CELL, metadata={"tags": [INSTALL_CELL_TAG]})
    cell.id = "lite-install"
    nb.cells.insert(0, cell)
    return nb


def stage_contents(contents):
    """Copy the notebooks (with their install cell) and the helpers into ``contents``."""
    contents = Path(contents)
    contents.mkdir(parents=True, exist_ok=True)
    notebooks = sorted(NOTEBOOKS.glob("*.ipynb"))
    if not notebooks:
        raise FileNotFoundError(f"build_lite: no notebooks in {NOTEBOOKS}")
    for path in notebooks:
        nbformat.write(lite_notebook(path), contents / path.name)
    linked = {target for path in notebooks for target in _repository_links(path)}
    for name in sorted(set(MODULES) | linked):
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, contents / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy2(source, contents / name)
    return contents


def _repository_links(path):
    """Files outside notebooks/ that the notebook's Markdown links (``](../README.md)``)."""
    nb = nbformat.read(path, as_version=4)
    targets = set()
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for target in re.findall(r"\]\(\.\./([^)#\s]+)", cell.source):
                top = target.split("/")[0]  # the file, or the top folder it is in
                if top not in ("", "..") and (ROOT / top).exists():
                    targets.add(top)
    return targets


def offline_env():
    """This environment with every HTTP(S) proxy pointing at a closed local port."""
    env = dict(os.environ)
    for key in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        env[key] = "http://127.0.0.1:9"  # the discard port: nothing listens, every request fails
    for key in ("no_proxy", "NO_PROXY"):
        env.pop(key, None)
    return env


def build(output_dir=None):
    """Build the site into ``output_dir`` (default ``build/lite``). Returns the output path."""
    output_dir = Path(output_dir or ROOT / "build" / "lite").resolve()
    wheels = fetch_wheels()
    with tempfile.TemporaryDirectory(prefix="lite-") as tmp:
        lite_dir = Path(tmp)
        contents = stage_contents(lite_dir / "contents")
        # Open the series' index first; no PyPI fallback is needed for what the notebooks use,
        # but it is left on so a learner can still `%pip install` something else.
        (lite_dir / "jupyter-lite.json").write_text(json.dumps({
            "jupyter-lite-schema-version": 0,
            "jupyter-config-data": {
                "appName": "Activation functions",
                "defaultKernelName": "python",
                "litePluginSettings": {PYODIDE_KERNEL_PLUGIN_ID: {PYODIDE_URL: PYODIDE_FILE_URL}},
            },
        }, indent=2))
        if output_dir.exists():
            shutil.rmtree(output_dir)
        command = [sys.executable, "-m", "jupyterlite_core", "build", "--lite-dir", str(lite_dir),
                   "--contents", str(contents), "--output-dir", str(output_dir), "--no-sourcemaps",
                   "--source-date-epoch", "1700000000"]
        for wheel in wheels:
            command += ["--piplite-wheels", str(wheel)]
        result = subprocess.run(command, cwd=lite_dir, env=offline_env(), capture_output=True, text=True)
        if result.returncode != 0:
            raise RuntimeError(f"build_lite: `jupyter lite build` failed ({result.returncode}):\n"
                               f"{result.stdout[-4000:]}\n{result.stderr[-4000:]}")
    add_pyodide_notice(output_dir)
    return output_dir


def notice_script(wait_s=NOTICE_WAIT_S):
    """The ``<script>`` that says why Python does not start (``tools/lite_notice.js``, filled in)."""
    js = (NOTICE_JS.read_text(encoding="utf-8").replace("__PYODIDE_URL__", PYODIDE_FILE_URL)
          .replace("__PYODIDE_VERSION__", PYODIDE_VERSION).replace("__WAIT_MS__", str(int(wait_s * 1000))))
    return f'<script id="lite-pyodide-notice-script">\n{js}</script>\n'


def add_pyodide_notice(site, wait_s=NOTICE_WAIT_S):
    """Put :func:`notice_script` at the end of the body of each page in ``NOTICE_PAGES``.

    Raises ``RuntimeError`` naming the page if one is missing or has no ``</body>`` (a new
    JupyterLite layout): the site must not ship without the message. Returns the pages changed.
    """
    pages = []
    for name in NOTICE_PAGES:
        page = Path(site) / name / "index.html"
        html = page.read_text(encoding="utf-8") if page.is_file() else ""
        if "</body>" not in html:
            raise RuntimeError(f"add_pyodide_notice: {page} is missing or has no </body>; "
                               "the Pyodide message cannot be added")
        page.write_text(html.replace("</body>", notice_script(wait_s) + "</body>", 1), encoding="utf-8")
        pages.append(page)
    return pages


def main(argv):
    out = build(argv[0] if argv else None)
    files = sum(1 for p in out.rglob("*") if p.is_file())
    print(f"{out.relative_to(ROOT) if out.is_relative_to(ROOT) else out}: JupyterLite site, {files} files")
    print(f"Pyodide {PYODIDE_VERSION} from {PYODIDE_CDN} (the learner's browser fetches it on the first start)")
    print(f"serve it with: python -m http.server -d {out} 8000   then open http://127.0.0.1:8000/lab/index.html?path=index.ipynb")


if __name__ == "__main__":
    main(sys.argv[1:])
