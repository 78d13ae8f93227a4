"""Run first in every kernel nbgrader starts to grade: the checker is the installed one.

nbgrader's ``autograde`` runs a submission in a copy of the student's folder, and a Python kernel
puts its working directory first on ``sys.path``. A ``teaching/`` folder (or an
``activations_helpers.py``, or a ``numpy/``) handed in beside the notebook would then be imported
instead of the course's own, and could pass every test. The course's ``nbgrader_config.py``
(written by ``tools/make_assignments.py``) runs this file by its absolute path when the kernel
starts (``Execute.extra_arguments``, ``--IPKernelApp.exec_lines``), before the notebook's first
cell: it takes the working directory off ``sys.path``, so every import resolves to the installed
packages, and sets ``GRADED_KERNEL_ENV`` so that `teaching.grading.grade` can tell the guard ran.

Nothing here imports from the project: this file must work before anything can be trusted.
"""

import os
import sys

GRADED_KERNEL_ENV = "ACTIVATIONS_GRADED_KERNEL"


def protect(path=None, cwd=None):
    """Remove the working directory (``''``, ``'.'`` or its absolute path) from `path`.

    Parameters
    ----------
    path : list of str, optional
        The import path to clean in place (default ``sys.path``).
    cwd : str, optional
        The directory to remove (default the working directory).

    Returns
    -------
    list of str
        The entries removed.

    Examples
    --------
    >>> entries = ["", "/usr/lib/python3.11", "/tmp/alice", "."]
    >>> protect(entries, cwd="/tmp/alice")
    ['', '/tmp/alice', '.']
    >>> entries
    ['/usr/lib/python3.11']
    """
    path = sys.path if path is None else path
    here = os.path.realpath(cwd or os.getcwd())
    beside = [p for p in path if os.path.realpath(os.path.join(here, p or os.curdir)) == here]
    path[:] = [p for p in path if p not in beside]
    return beside


if __name__ == "__main__":
    protect()
    os.environ[GRADED_KERNEL_ENV] = os.path.realpath(os.getcwd())
