"""environment.yml (conda, Binder) and pyproject.toml (pip, make) must describe one environment."""

import re
import sys
from pathlib import Path

import yaml
from packaging.requirements import Requirement

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent


def pyproject_requirements():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    reqs = [Requirement(r) for r in project["dependencies"]]
    for extra in project["optional-dependencies"].values():
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
        deps[name.strip().lower()] = version.strip()
    return deps, pip


def test_same_packages_in_both_files():
    conda, _ = conda_dependencies()
    conda_packages = set(conda) - {"python", "pip"}
    assert conda_packages == set(pyproject_requirements())


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


def test_scipy_is_not_a_dependency():
    """With scipy installed, `import seaborn` also imports scipy.stats: every notebook's setup
    cell took about 1.5 s longer, pushing 03_nonlinear past its 10 s budget. The tests use exact
    mpmath references instead (tests/reference.py)."""
    conda, _ = conda_dependencies()
    assert "scipy" not in pyproject_requirements()
    assert "scipy" not in conda
