"""Exercises with automatic feedback: ``q1.check()``, ``q1.hint()``, ``q1.solution()``.

The shape is Kaggle Learn's (``learntools``), built small: plain printed text, the same on every
run (strict nbval compares it), no JavaScript, nothing sent anywhere. `teaching.exercises.core`
holds the problem kinds; one module per notebook holds its questions:

=====================================  ============================
module                                 notebook
=====================================  ============================
`teaching.exercises.linear`            ``01_linear.ipynb``
`teaching.exercises.binary_step`       ``02_binary_step.ipynb``
`teaching.exercises.nonlinear`         ``03_nonlinear.ipynb``
`teaching.exercises.modern`            ``04_modern.ipynb``
`teaching.exercises.playground`        ``05_playground.ipynb``
=====================================  ============================

How to write a question set for a notebook
------------------------------------------
1. Make a module ``teaching/exercises/<name>.py`` with ``NOTEBOOK = "NN_name.ipynb"``, the
   questions under names that say what they are, the list ``QUESTIONS = [stable_sigmoid,
   relu_kink, ...]`` and ``binder = Binder(QUESTIONS)``, which numbers them ``q1``, ``q2``, ...
   from their position (a question's name is written nowhere else). Each question is one of

   - ``FunctionProblem(var="my_sigmoid", reference=sigmoid, cases=[Case(...)], ...)``:
     "write this function", run on every `Case` (typical values, ``np.arange(-5, 6)``, -1000,
     +-inf, NaN, float32) and compared with `reference`;
   - ``ValueProblem(var="dead_small", expected=callable_or_value, rtol=..., ...)``
     (or ``factor=10`` for an order-of-magnitude prediction): "compute/predict this value";
   - ``ChoiceProblem(options={"a": ..., ...}, answer="b", feedback={...})``:
     "which one?", answered as ``q3.check("b")``; every wrong letter gets its own feedback.

   Every question takes ``title``, ``task`` (markdown), ``starter`` (code with the placeholder
   ``____``; a `ChoiceProblem` makes its own), ``solution`` (code that replaces the starter),
   ``hints`` (at least two), ``points`` (default 1, for graded copies) and ``wrong_answers``: typical wrong answers as data, each with a piece
   of the message it must get -- ``("def my_sigmoid(x):\\n    return 1 / (1 + np.exp(-x))",
   "overflowed")`` for a function, ``(45, "pushes of up to 8")`` for a value. ``mistakes=
   [Mistake(message, like=wrong_function_or_value)]`` or ``Mistake(message, when=symptom)``
   makes the checker recognise them. A kind of question only one notebook needs can subclass
   ``core.VariableProblem`` and define ``evaluate(answer)``. Starter and solution code may use
   ``np``, the public names of ``activations_helpers``, and anything a ``context()`` function in
   the module returns (names the notebook defines before its exercises, for the tests),
   e.g. ``context = lambda: {"W1": ...}``.
2. Run ``python tools/write_exercises.py notebooks/NN_name.ipynb``: it writes the setup cell
   that loads the checks (``from teaching.exercises.<name> import binder`` and
   ``binder.bind(globals())``, which defines ``q1``, ``q2``, ... and the placeholder ``____`` in
   the notebook) after the notebook's "## Exercises" heading, then each question's cells (the
   task, the exercise cell ``starter`` + ``q1.check()`` tagged with the cell metadata
   ``{"exercise": "q1"}``, and a cell with ``#q1.hint()`` / ``#q1.solution()``), replacing the
   ones it wrote before. Then run ``tools/run_notebooks.py`` on the notebook.
3. ``tests/test_exercises.py`` finds the module by itself and checks every question: the solution
   passes, the starter is "not attempted", every wrong answer gets its message;
   ``tests/test_solutions.py`` checks that the teacher's copy (``make solutions``, every starter
   replaced by its solution) passes strict nbval.
"""

from teaching.exercises.core import (CORRECT, INCORRECT, NOT_ATTEMPTED, Binder, Case,
                                     ChoiceProblem, FunctionProblem, Mistake, Result, ValueProblem,
                                     VariableProblem, ____, is_blank)

__all__ = ["____", "Binder", "Case", "Mistake", "FunctionProblem", "ValueProblem", "ChoiceProblem",
           "VariableProblem", "Result", "is_blank", "CORRECT", "INCORRECT", "NOT_ATTEMPTED",
           "question_sets"]


def question_sets():
    """Every question-set module in this package (those with ``NOTEBOOK`` and ``QUESTIONS``).

    >>> sorted(m.NOTEBOOK for m in question_sets())[:3]
    ['01_linear.ipynb', '02_binary_step.ipynb', '03_nonlinear.ipynb']
    """
    import importlib
    import pkgutil

    modules = []
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
        if info.name != "core":
            module = importlib.import_module(f"{__name__}.{info.name}")
            if hasattr(module, "NOTEBOOK") and hasattr(module, "QUESTIONS"):
                modules.append(module)
    return modules
