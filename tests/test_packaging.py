"""environment.yml (conda, Binder) and pyproject.toml (pip, make) must describe one environment."""

import re
import tomllib
from pathlib import Path

import yaml
from packaging.requirements import Requirement

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
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    assert env["channels"] == ["conda-forge"]
    deps, pip = {}, None
    for dep in env["dependencies"]:
        if isinstance(dep, dict):
            pip = dep["pip"]
            continue
        name, _, version = dep.partition("=")
        name = name.strip().lower()
        deps[CONDA_TO_PIP.get(name, name)] = version.strip()
    return deps, pip


def test_conda_environment_is_what_learners_run():
    """environment.yml (conda, Binder, a JupyterHub image) holds the dependencies and the `lab`
    extra, nothing for testing: a Binder image with PyTorch or a browser driver in it would
    take minutes longer to build and start for every class."""
    conda, _ = conda_dependencies()
    conda_packages = set(conda) - {"python", "pip"}
    assert conda_packages == set(pyproject_requirements(extras={"lab"}))
    assert not conda_packages & {"torch", "pytest", "playwright", "jupyter-repo2docker"}


def test_every_requirement_is_pinned_in_constraints():
    pins = {}
    for line in (ROOT / "constraints.txt").read_text().splitlines():
        name, sep, version = line.partition("==")
        if sep:
            pins[name.strip().lower().replace("_", "-")] = version.strip()
    for name, req in pyproject_requirements().items():
        key = name.replace("_", "-")
        assert key in pins, f"{name} is not pinned in constraints.txt"
        assert req.specifier.contains(pins[key], prereleases=True), (
            f"constraints.txt pins {name}=={pins[key]}, pyproject says {req.specifier}")


def test_conda_pins_are_major_minor_and_allowed_by_pyproject():
    conda, _ = conda_dependencies()
    reqs = pyproject_requirements()
    for name, version in conda.items():
        if name == "pip":
            continue
        assert re.fullmatch(r"\d+\.\d+", version), f"{name}={version}: pin major.minor"
        if name in reqs:
            assert reqs[name].specifier.contains(version + ".0"), (
                f"environment.yml pins {name}={version}, pyproject says {reqs[name].specifier}")


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
