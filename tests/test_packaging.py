"""environment.yml (conda, Binder) and pyproject.toml (pip, make) must describe one environment."""

import re
import tomllib
from pathlib import Path

import yaml
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.version import Version

ROOT = Path(__file__).resolve().parent.parent
# The same package under another name on conda-forge: {conda name: pip name}
CONDA_TO_PIP = {"pytorch": "torch"}


def pyproject_requirements(extras=None):
    """{name: Requirement} of the dependencies and the given extras (all extras if None)."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    reqs = [Requirement(r) for r in project["dependencies"]]
    for name, extra in project["optional-dependencies"].items():
        if extras is None or name in extras:
            reqs += [Requirement(r) for r in extra]
    return {r.name.lower(): r for r in reqs}


def conda_dependencies():
    """({name: what follows the name}, the pip list) of environment.yml; names as pip spells them."""
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    assert env["channels"] == ["conda-forge"]
    deps, pip = {}, None
    for dep in env["dependencies"]:
        if isinstance(dep, dict):
            pip = dep["pip"]
            continue
        name, version = re.fullmatch(r"([A-Za-z0-9_.-]+)\s*(.*)", dep.strip()).groups()
        name = name.lower()
        deps[CONDA_TO_PIP.get(name, name)] = version.strip()
    return deps, pip


def constraints_pins():
    """{name: version} pinned with == in constraints.txt (the versions CI runs)."""
    pins = {}
    for line in (ROOT / "constraints.txt").read_text().splitlines():
        name, sep, version = line.partition("==")
        if sep:
            pins[name.strip().lower().replace("_", "-")] = version.strip()
    return pins


def _bounds(specifier):
    """(lower, upper) Versions of a ">=X.Y,<Z" specifier set, or None for another shape."""
    ops = {s.operator: Version(s.version) for s in specifier}
    if len(specifier) != 2 or set(ops) != {">=", "<"}:
        return None
    return ops[">="], ops["<"]


def test_conda_environment_is_what_learners_run():
    """environment.yml (conda, Binder, a JupyterHub image) holds the dependencies and the `lab`
    extra, nothing for testing: a Binder image with PyTorch or a browser driver in it would
    take minutes longer to build and start for every class."""
    conda, _ = conda_dependencies()
    conda_packages = set(conda) - {"python", "pip"}
    assert conda_packages == set(pyproject_requirements(extras={"lab"}))
    assert not conda_packages & {"torch", "pytest", "playwright", "jupyter-repo2docker"}


def test_every_requirement_is_pinned_in_constraints():
    pins = constraints_pins()
    for name, req in pyproject_requirements().items():
        key = name.replace("_", "-")
        assert key in pins, f"{name} is not pinned in constraints.txt"
        assert req.specifier.contains(pins[key], prereleases=True), (
            f"constraints.txt pins {name}=={pins[key]}, pyproject says {req.specifier}")


def test_conda_pins_are_ranges_conda_forge_carries():
    """Each conda package is a range ">=X.Y,<Z": X.Y a release conda-forge carries (Binder fails
    at once on a pin conda-forge lacks, e.g. pillow=13.0, ipykernel=7.4 or jupyterlab=4.6 in
    2026-12), Z a major version above it (for a 0.x package a minor version: 0.x breaks at minors).
    Pillow is ">=12.0,<14": conda-forge carries 12, CI tests 13."""
    conda, _ = conda_dependencies()
    assert re.fullmatch(r"=\d+\.\d+", conda["python"]), f"python{conda['python']}: pin python=X.Y"
    for name, spec in conda.items():
        if name in ("python", "pip"):
            continue
        match = re.fullmatch(r">=(\d+)\.(\d+),<(\d+)(?:\.(\d+))?", spec)
        assert match, f"{name}{spec}: write >=X.Y,<Z"
        major, minor, upper, upper_minor = match.groups()
        if major == "0" and upper == "0":
            assert upper_minor and int(upper_minor) > int(minor), f"{name}{spec}: the upper bound must be above"
        else:
            assert upper_minor is None and int(upper) > int(major), (
                f"{name}{spec}: the upper bound must be a major version above the lower")


def test_conda_ranges_are_pyprojects_and_hold_what_ci_runs():
    """The same range in environment.yml and pyproject.toml, and constraints.txt's pin (what CI
    tests) inside it."""
    conda, _ = conda_dependencies()
    reqs, pins = pyproject_requirements(), constraints_pins()
    for name, spec in conda.items():
        if name in ("python", "pip"):
            continue
        assert _bounds(SpecifierSet(spec)) == _bounds(reqs[name].specifier), (
            f"environment.yml says {name}{spec}, pyproject.toml {name}{reqs[name].specifier}")
        assert SpecifierSet(spec).contains(pins[name]), (
            f"constraints.txt pins {name}=={pins[name]}, outside environment.yml's {spec}")


def test_readme_says_what_binder_installs():
    """README.md's table of what Binder installs gives environment.yml's range and the version CI
    tests (constraints.txt) for every package."""
    conda, _ = conda_dependencies()
    pins = constraints_pins()
    text = (ROOT / "README.md").read_text()
    rows = {m[0]: m[1:] for m in re.findall(r"^\| `([a-z0-9-]+)` \| `([^`]+)` \| ([^|]*?) \|", text, flags=re.M)}
    for name, spec in conda.items():
        if name == "pip":
            continue
        assert name in rows, f"README.md's Binder table has no row for {name}"
        assert rows[name][0] == spec, f"README.md's Binder table says {name}{rows[name][0]}, environment.yml {spec}"
        if name != "python":
            assert rows[name][1] == pins[name], (
                f"README.md's Binder table says CI tests {name} {rows[name][1]}, constraints.txt {pins[name]}")


def test_every_conda_package_says_why():
    text = (ROOT / "environment.yml").read_text()
    lines = [ln for ln in text.split("dependencies:")[1].splitlines() if re.match(r"\s+- [a-z]", ln) and not ln.endswith(":")]
    assert lines and all("#" in ln for ln in lines)


def test_conda_env_installs_this_repository():
    _, pip = conda_dependencies()
    assert pip == ["-e ."]


def test_numpy_2_is_required():
    assert not pyproject_requirements()["numpy"].specifier.contains("1.26.4")


def test_scipy_is_a_core_dependency():
    """The exact GELU takes the normal CDF from scipy.special (issue 17), so SciPy is installed
    wherever the notebooks run: pip (make lab), conda, Binder and a JupyterHub image. Its cost:
    with SciPy installed `import seaborn` also imports scipy.stats, about 0.4-0.5 s more in
    every notebook's setup cell (README, "Benchmarks")."""
    conda, _ = conda_dependencies()
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert "scipy" in {Requirement(r).name for r in project["dependencies"]}
    assert "scipy" in conda
