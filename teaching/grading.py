"""Graded copies of the notebooks, for nbgrader: graded mode and the autograded test.

``tools/make_assignments.py`` (``make assignments``) turns each numbered notebook into an nbgrader
source notebook in which

- the setup cell that loads the checks also runs ``graded_mode(binder)``: ``q1.check()`` and
  ``q1.hint()`` work for practice, ``q1.solution()`` says the solution is not shown, and a "which
  one?" question remembers the letter last passed to its ``check``;
- after each exercise cell an autograded test cell runs ``grade("teaching.exercises.<set>",
  "q1", globals())``: the question's own ``evaluate`` -- the code ``q1.check()`` runs, with the
  same cases and messages -- on the learner's answer. It prints what ``check()`` prints and, unless
  the answer is right, raises `AssertionError`, which is how nbgrader's autograde scores a test
  cell 0.

The checker the test cell imports is the installed one: the course's ``nbgrader_config.py`` starts
every grading kernel with `teaching.graded_kernel`, which keeps files handed in beside the notebook
off the import path; `grade` refuses to score if that guard did not run under autograde.
"""

import importlib
import os
from pathlib import Path

from teaching.exercises.core import ChoiceProblem, ____
from teaching.graded_kernel import GRADED_KERNEL_ENV

__all__ = ["graded_mode", "grade", "answer_of"]

NO_SOLUTION = ("The solution is not shown in a graded assignment: {name}.check() tells you "
               "whether your answer is right, and {name}.hint() gives a hint.")


def graded_mode(binder, solutions=False):
    """Switch a notebook's bound questions to graded mode.

    Parameters
    ----------
    binder : teaching.exercises.core.Binder
        The question set's binder, after ``binder.bind(globals())``.
    solutions : bool, optional
        Keep ``solution()`` working (default False: it prints `NO_SOLUTION` instead).

    Notes
    -----
    A "which one?" question is answered by a call, ``q3.check("b")``, not by a variable; in
    graded mode its ``check`` also remembers the answer (``q3.graded_answer``) so that the
    autograded test after it can grade the letter last checked.

    Examples
    --------
    >>> from teaching.exercises.core import Binder
    >>> q = ChoiceProblem(title="B", task="t", options={"x": "X", "y": "Y"}, answer="y",
    ...                   feedback={"x": "not x"}, hints=["h1", "h2"])
    >>> binder = Binder([q])
    >>> graded_mode(binder)
    >>> q.solution()
    The solution is not shown in a graded assignment: q1.check() tells you whether your answer is right, and q1.hint() gives a hint.
    >>> q.check("x")
    Not quite. (x) X
    not x
    (Stuck? q1.hint() gives a hint.)
    >>> q.graded_answer
    'x'
    """
    for q in binder.questions:
        if not solutions:
            q.solution = lambda q=q: print(NO_SOLUTION.format(name=q.name))
        if isinstance(q, ChoiceProblem):
            q.graded_answer = ____
            q.check = _recording_check(q)


def _recording_check(question):
    check = type(question).check

    def recording_check(*answer):
        if len(answer) == 1:
            question.graded_answer = answer[0]
        return check(question, *answer)

    recording_check.__doc__ = check.__doc__
    return recording_check


def answer_of(question, namespace):
    """The learner's answer to `question` as ``check()`` would read it: the variable it names in
    the notebook's `namespace`, or for a "which one?" question the letter last checked.

    >>> from teaching.exercises.core import ValueProblem
    >>> q = ValueProblem(var="half", expected=0.5, title="Half", task="t", starter="half = ____",
    ...                  solution="half = 0.5", hints=["h1", "h2"], name="q1")
    >>> answer_of(q, {"half": 0.5}), answer_of(q, {})
    (0.5, ____)
    """
    if isinstance(question, ChoiceProblem):
        return getattr(question, "graded_answer", ____)
    found = question._answer_in(namespace)
    return found[0] if found else ____


def _check_guard():
    """Under nbgrader's autograde, refuse to grade unless `teaching.graded_kernel` ran first and
    this package is not a copy handed in beside the notebook."""
    if os.environ.get("NBGRADER_EXECUTION") != "autograde":
        return
    if not os.environ.get(GRADED_KERNEL_ENV):
        raise RuntimeError(
            "grade: nbgrader's autograde started this kernel without the course's guard "
            "(teaching/graded_kernel.py), so files handed in beside the notebook could replace "
            "the checker. Run nbgrader in the course directory written by `make assignments`, "
            "whose nbgrader_config.py sets Execute.extra_arguments (TEACHING.md, 'Grade it').")
    here = Path(os.environ[GRADED_KERNEL_ENV]).resolve()
    package = Path(__file__).resolve().parent
    if package.is_relative_to(here):
        raise RuntimeError(f"grade: the checker was imported from the submission ({package}), "
                           f"not from the installed package")


def grade(module, name, namespace):
    """Grade question `name` of the question set `module` on the answer in `namespace`.

    Parameters
    ----------
    module : str
        The question set, e.g. ``"teaching.exercises.linear"``.
    name : str
        The question, e.g. ``"q1"``.
    namespace : dict
        The notebook's ``globals()``.

    Prints what ``check()`` prints for that answer and returns nothing (so the cell shows no
    ``Out[]``).

    Raises
    ------
    AssertionError
        If the answer is not right (nbgrader scores the cell 0); the message says why.
    KeyError
        If the question set has no question `name`.
    RuntimeError
        Under autograde, if the grading kernel was started without `teaching.graded_kernel`.
    """
    _check_guard()
    questions = {q.name: q for q in importlib.import_module(module).binder.questions}
    if name not in questions:
        raise KeyError(f"grade: {module} has no question {name!r} (it has "
                       f"{', '.join(questions)})")
    question = questions[name]
    result = question.evaluate(answer_of(question, namespace))
    print(result.text)
    if not result.passed:
        raise AssertionError(f"{name} is {result.status}: 0 of {question.points} "
                             f"point{'s' if question.points != 1 else ''}")
