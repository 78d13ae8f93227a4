"""The problem kinds and what a learner calls: ``q1.check()``, ``q1.hint()``, ``q1.solution()``.

Three kinds of question, after Kaggle Learn's ``learntools`` (built here small and plain: the
output is printed text, the same on every run, so strict nbval can compare it):

- `FunctionProblem` -- "write this function": the learner's function runs on named test `Case` s
  (typical values, the article's inputs, -1000, +-inf, NaN, float32) and is compared with a
  reference;
- `ValueProblem`    -- "compute (or predict) this value": compared with the expected value within
  a tolerance, or within a factor for an order-of-magnitude prediction;
- `ChoiceProblem`   -- "which one?": answered in code, ``q3.check("b")``.

A `Mistake` describes a wrong answer learners typically give and the message it gets, recognised
by its output (``like=``, a function or value computing the same wrong result) or by a symptom
(``when=``, e.g. a RuntimeWarning). Every question also carries ``wrong_answers``: typical wrong
answers as data (source code or values) with a piece of the message each must get; the tests run
them all.

``evaluate(answer)`` does the checking and returns a `Result` (``status``, ``text``) without
printing; ``check``, ``hint`` and ``solution`` print for the learner. Every question has
``points`` (default 1), for graded copies of the notebooks.

A question set lists its questions once, ``QUESTIONS = [stable_sigmoid, relu_kink, ...]``, and
`Binder` numbers them from their position (``q1``, ``q2``, ...). The notebook's setup cell binds
them to its namespace, as learntools does::

    from teaching.exercises.nonlinear import binder
    binder.bind(globals())

``bind`` puts ``q1``, ``q2``, ... and the placeholder ``____`` into the notebook, and ``q1.check()``
reads the learner's answer (``my_sigmoid``) from that namespace: no frame inspection.
"""

import math
import numbers
import re
import textwrap
import warnings

import numpy as np

__all__ = ["____", "NOT_ATTEMPTED", "CORRECT", "INCORRECT", "Result", "Case", "Mistake",
           "FunctionProblem", "ValueProblem", "ChoiceProblem", "VariableProblem", "Binder",
           "is_blank", "fmt", "plain", "standard_cases", "ARTICLE", "warned",
           "nan_where_number_expected", "number_where_nan_expected"]

NOT_ATTEMPTED, CORRECT, INCORRECT = "not attempted", "correct", "incorrect"


class _Blank:
    """The placeholder a learner replaces: ``answer = ____`` or ``return ____``."""

    _instance = None

    def __new__(cls):
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self):
        return "____"

    def __bool__(self):
        raise TypeError("____ is a placeholder: replace it with your answer")


____ = _Blank()
BLANK_NAME = "____"


def is_blank(value):
    """True if `value` is the placeholder ``____`` or a list/tuple/dict that still holds one.

    >>> is_blank(____), is_blank([1.0, ____]), is_blank(0.5)
    (True, True, False)
    """
    if value is ____:
        return True
    if isinstance(value, (list, tuple)):
        return any(is_blank(v) for v in value)
    if isinstance(value, dict):
        return any(is_blank(v) for v in value.values())
    return False


def _code_uses_blank(code):
    """True if a function's code (or a function nested in it) reads the name ``____``."""
    if BLANK_NAME in code.co_names:
        return True
    return any(_code_uses_blank(c) for c in code.co_consts if hasattr(c, "co_names"))


def _empty_body(fn):
    """True for ``def f(x): ...`` or ``def f(x): pass`` (with or without a docstring)."""
    def dots(x):
        ...

    def doc(x):
        """Text."""

    def doc_dots(x):
        """Text."""
        ...

    code = getattr(fn, "__code__", None)
    if code is None or any(c is not None and c is not Ellipsis and not isinstance(c, str)
                           for c in code.co_consts):
        return False   # e.g. `lambda x: 0.5` compiles like `...` but returns a number
    return any(code.co_code == f.__code__.co_code for f in (dots, doc, doc_dots))


# ----------------------------------------------------------------------------------------------
# Printing values so that they read like the notebooks' printed lists, the same on every run
# ----------------------------------------------------------------------------------------------

def _number(v):
    v = float(v)
    if math.isnan(v):
        return "nan"
    if math.isinf(v):
        return "inf" if v > 0 else "-inf"
    return repr(float(f"{v:.6g}"))  # 6 significant digits: 0.00669285, 1e-20, 1000.0


def fmt(value, limit=12):
    """`value` as short, deterministic text: numbers to 6 significant digits, arrays as lists.

    >>> import numpy as np
    >>> fmt(np.array([0.5, 1 / 3, np.nan, -np.inf]))
    '[0.5, 0.333333, nan, -inf]'
    >>> fmt(np.array([1.0, 2.0], dtype=np.float32)), fmt(np.float64(2.5)), fmt("b")
    ('np.array([1.0, 2.0], dtype=np.float32)', '2.5', "'b'")
    """
    if value is ____:
        return "____"
    if isinstance(value, (bool, np.bool_)):
        return str(bool(value))
    if isinstance(value, (numbers.Integral, np.integer)):
        return str(int(value))
    if isinstance(value, (numbers.Real, np.floating)):
        return _number(value)
    if isinstance(value, np.ndarray) and value.dtype.kind in "biuf":
        def nested(a):
            if a.ndim == 0:
                return fmt(a.item())
            items = [nested(v) for v in a[:limit]]
            return "[" + ", ".join(items + (["..."] if len(a) > limit else [])) + "]"
        text = nested(value)
        if value.dtype.kind == "f" and value.dtype != np.float64:
            return f"np.array({text}, dtype=np.{value.dtype})"
        return text
    if isinstance(value, (list, tuple)):
        return fmt(np.asarray(value)) if _numeric_sequence(value) else repr(value)[:200]
    if callable(value):
        return f"the function {getattr(value, '__name__', repr(value))}"
    return repr(value)[:200]


def _numeric_sequence(value):
    try:
        return np.asarray(value).dtype.kind in "biuf"
    except (ValueError, TypeError):
        return False


_LATEX = [("\\ne ", "!= "), ("\\le ", "<= "), ("\\ge ", ">= "), ("\\cdots", "..."),
          ("\\dots", "..."), ("\\partial ", "d"), ("\\theta", "theta"), ("\\alpha", "alpha"),
          ("\\sigma", "sigma"), ("\\delta", "delta"), ("\\pm", "+-"), ("\\infty", "inf"),
          ("\\odot", "*"), ("^\\top", ".T"), ("\\,", " "), ("$", "")]


def plain(markdown):
    r"""Markdown with a little LaTeX, as plain text for printed output.

    >>> plain(r"$f'(z) = 0$ wherever $z \ne \theta$")
    "f'(z) = 0 wherever z != theta"
    """
    for latex, text in _LATEX:
        markdown = markdown.replace(latex, text)
    return markdown


# ----------------------------------------------------------------------------------------------
# Results, cases and mistakes
# ----------------------------------------------------------------------------------------------

class Result:
    """What a check found: ``status`` (one of NOT_ATTEMPTED, CORRECT, INCORRECT) and ``text``."""

    def __init__(self, status, text):
        self.status, self.text = status, text

    @property
    def passed(self):
        return self.status == CORRECT

    def __repr__(self):
        return f"Result({self.status!r}, {self.text!r})"


class Case:
    """One test input for a `FunctionProblem`: a label and the arguments to call with.

    >>> import numpy as np
    >>> Case("a very negative input", np.array([-1000.0])).describe("x")
    'x = np.array([-1000.0])  (a very negative input)'
    >>> Case("temperature 2", np.array([1.0, 2.0]), temperature=2.0).describe("x")
    'x = np.array([1.0, 2.0]), temperature = 2.0  (temperature 2)'
    """

    def __init__(self, label, *args, **kwargs):
        self.label, self.args, self.kwargs = label, args, kwargs

    def fresh_args(self):
        """Copies of the arguments: a function that changes its input in place changes no case."""
        copy = lambda v: v.copy() if isinstance(v, np.ndarray) else v  # noqa: E731
        return [copy(a) for a in self.args], {k: copy(v) for k, v in self.kwargs.items()}

    def describe(self, *names):
        parts = []
        for name, value in zip(names, self.args):
            parts.append(f"{name} = {_input(value)}")
        parts += [f"{k} = {_input(v)}" for k, v in self.kwargs.items()]
        return ", ".join(parts) + f"  ({self.label})"


ARTICLE = np.arange(-5, 6)  # the article's inputs: the integers -5, -4, ..., 5


def warned(outcome, text):
    """Whether the learner's code raised a warning whose message holds `text` while it ran
    (e.g. "overflow": the symptom of a sigmoid written as 1 / (1 + np.exp(-x)))."""
    return any(text in str(w.message) for w in outcome.warnings)


def nan_where_number_expected(outcome):
    """Whether the learner's function gave NaN where the right output is a number (e.g. inf/inf)."""
    if outcome.error is not None or outcome.value is None:
        return False
    value = np.asarray(outcome.value, dtype=float)
    expected = np.asarray(outcome.expected, dtype=float)
    return value.shape == expected.shape and bool((np.isnan(value) & ~np.isnan(expected)).any())


def number_where_nan_expected(outcome):
    """Whether the learner's function gave a number where the right output is NaN (NaN in, NaN
    out: a NaN input is a bug upstream, and a function that turns it into a number hides it)."""
    if outcome.error is not None or outcome.value is None:
        return False
    value = np.asarray(outcome.value, dtype=float)
    expected = np.asarray(outcome.expected, dtype=float)
    return value.shape == expected.shape and bool((~np.isnan(value) & np.isnan(expected)).any())


def standard_cases():
    """The named inputs a parameter-free elementwise function is checked on: typical values, the
    article's inputs (``np.arange(-5, 6)``), a very negative and a very large input, the
    infinities, NaN, and float32 (whose dtype must be kept)."""
    return [
        Case("typical values", np.array([-2.0, -0.5, 0.0, 0.5, 2.0])),
        Case("the article's inputs", ARTICLE),
        Case("a very negative input", np.array([-1000.0])),
        Case("a very large input", np.array([1000.0])),
        Case("infinities", np.array([-np.inf, np.inf])),
        Case("NaN", np.array([np.nan, 0.0])),
        Case("float32", np.array([-100.0, 0.0, 100.0], dtype=np.float32)),
    ]


def _input(value):
    if isinstance(value, np.ndarray):
        text = fmt(value)
        return text if text.startswith("np.array") else f"np.array({text})"
    return fmt(value)


class Outcome:
    """One run of a learner's function on one `Case`: what came back, raised or warned."""

    def __init__(self, case, value=None, error=None, warnings=(), expected=None):
        self.case, self.value, self.error = case, value, error
        self.warnings, self.expected = list(warnings), expected
        self.excused = []   # warnings the right answer explains (FunctionProblem.excused)

    @property
    def warned(self):
        return bool(self.warnings)


class Mistake:
    """A wrong answer learners typically give, and the message it gets.

    Recognised one of two ways:

    like : callable or value
        The wrong answer itself: a function (for a `FunctionProblem`, called with the failing
        case's arguments) or a value/callable returning one (for a `ValueProblem`). The learner's
        answer matches the mistake if it gives the same result where the right answer differs.
    when : callable
        A symptom: ``when(outcome)`` for a `FunctionProblem` (an `Outcome`: ``.value``,
        ``.error``, ``.warnings``, ``.case``, ``.expected``), ``when(answer)`` for a
        `ValueProblem`; true if this mistake explains it.
    """

    def __init__(self, message, like=None, when=None):
        if (like is None) == (when is None):
            raise ValueError("Mistake: give exactly one of like= and when=")
        self.message, self.like, self.when = message, like, when


def _close(actual, expected, rtol, atol):
    """True if `actual` equals `expected` within the tolerance (NaN matches NaN, inf inf)."""
    try:
        a = np.asarray(actual, dtype=np.float64)
        e = np.asarray(expected, dtype=np.float64)
    except (ValueError, TypeError):
        return False
    if a.shape != e.shape:
        return False
    with np.errstate(all="ignore"):
        return bool(np.allclose(a, e, rtol=rtol, atol=atol, equal_nan=True))


def _differs_beyond_nan(wrong, expected, rtol, atol):
    """True if `wrong` differs from `expected` where `expected` is not NaN: a mistake recognised
    by its output is about the numbers; what becomes of a NaN input is a mistake of its own."""
    try:
        w = np.asarray(wrong, dtype=np.float64)
        e = np.asarray(expected, dtype=np.float64)
        keep = ~np.isnan(e)
        return not _close(w[keep], e[keep], rtol, atol)
    except (ValueError, TypeError, IndexError):
        return True


def _recorded(fn, *args, **kwargs):
    """(value, error, warnings) of fn(*args, **kwargs): what it returned (or None), what it
    raised (or None), and every warning it gave, with NumPy set to warn on overflow, invalid
    values and division by zero (underflow to 0 is what a stable formula does on purpose)."""
    with warnings.catch_warnings(record=True) as caught, \
            np.errstate(over="warn", invalid="warn", divide="warn", under="ignore"):
        warnings.simplefilter("always")
        try:
            value, error = fn(*args, **kwargs), None
        except Exception as e:  # the learner's code may raise anything
            value, error = None, e
    return value, error, list(caught)


def _quiet(fn, *args, **kwargs):
    """fn(*args, **kwargs) with NumPy's and Python's warnings silenced, or None if it raises."""
    try:
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            return fn(*args, **kwargs)
    except Exception:  # a mistake that does not apply to this input
        return None


# ----------------------------------------------------------------------------------------------
# The problem kinds
# ----------------------------------------------------------------------------------------------

class Problem:
    """What every question has: a name, a task, a starter, hints, a solution, typical wrong answers.

    Parameters
    ----------
    title : str
        A few words, the exercise's heading.
    task : str
        Markdown: what to do (the notebook shows it above the exercise cell).
    starter : str
        The code the learner starts from, with the placeholder ``____``.
    solution : str
        The reference solution: code that replaces `starter` (the teacher's copy runs it).
    hints : list of str
        At least two, shown one at a time by ``hint()``.
    wrong_answers : list of (answer, str)
        Typical wrong answers as data, each with a piece of the message it must get.
    right_answers : list, optional
        Right answers as data, written unlike the solution (source code defining the function,
        or a value in another form): each must get "Correct!" (the tests run them all).
    explanation : str, optional
        Printed after a correct answer and with the solution.
    points : int, optional
        What a right answer is worth in a graded copy (default 1).
    name : str, optional
        How the notebook calls it, e.g. ``"q1"``. Leave it out in a question set: `Binder`
        numbers the questions from their position in ``QUESTIONS``.

    Raises
    ------
    ValueError
        Fewer than two hints, or `points` not a whole number >= 0.
    """

    kind = "question"

    def __init__(self, title, task, starter, solution, hints, wrong_answers=(), right_answers=(),
                 explanation="", points=1, name=None):
        if len(hints) < 2:
            raise ValueError(f"{name or title}: give at least two hints")
        if isinstance(points, bool) or not isinstance(points, numbers.Integral) or points < 0:
            raise ValueError(f"{name or title}: points must be a whole number >= 0, "
                             f"got {points!r}")
        self.name, self.title, self.task = name, title, task
        self._starter, self.solution_code = starter.strip("\n"), solution.strip("\n")
        self.hints, self.wrong_answers = list(hints), list(wrong_answers)
        self.right_answers = list(right_answers)
        self.explanation, self.points = explanation, int(points)
        self._next_hint = 1
        self._namespace = None   # the notebook's globals, set by Binder.bind

    @property
    def starter(self):
        return self._starter

    def __repr__(self):
        return (f"{self.name}: {self.title}. Call {self.name}.check(), {self.name}.hint() or "
                f"{self.name}.solution().")

    # -- what a learner calls ------------------------------------------------------------------

    def check(self, *answer):
        """Check the answer and print what was found (``q1.check()`` or ``q1.check(value)``).

        Without an argument the answer is read from the namespace the question was bound to
        (``binder.bind(globals())`` in the notebook's setup cell).
        """
        if len(answer) > 1:
            raise TypeError(f"{self.name}.check() takes one answer, got {len(answer)}")
        if not answer:
            if self._namespace is None:
                raise RuntimeError(
                    f"{self.name}.check() has no notebook to read your answer from: run the "
                    f"cell that loads the checks (binder.bind(globals())) first")
            answer = self._answer_in(self._namespace)
        print(self.evaluate(answer[0] if answer else ____).text)

    def hint(self, n=None):
        """Print the next hint (1, then 2, ...) or hint number `n`."""
        total = len(self.hints)
        if n is None:
            n = self._next_hint
        elif isinstance(n, bool) or not isinstance(n, numbers.Integral) or not 1 <= n <= total:
            raise ValueError(f"{self.name}.hint(n): n must be a whole number from 1 to {total}, "
                             f"got {n!r}")
        self._next_hint = min(int(n) + 1, total)
        more = (f"(more: {self.name}.hint())" if n < total
                else f"(that was the last hint; {self.name}.solution() shows the answer)")
        print(f"Hint {n} of {total}: {plain(self.hints[n - 1])}\n{more}")

    def solution(self):
        """Print the reference solution as code."""
        text = f"Solution to {self.name}:\n\n{textwrap.indent(self.solution_code, '    ')}"
        if self.explanation:
            text += "\n\n" + self.explanation
        print(text)

    # -- what the notebooks and tools use --------------------------------------------------------

    def cell_source(self, answer=None):
        """The exercise cell's code: the starter (or `answer`, e.g. the solution), then the check.

        >>> q = ValueProblem(var="half", expected=0.5, title="Half", task="Half of 1?",
        ...                  starter="half = ____", solution="half = 1 / 2", hints=["h1", "h2"],
        ...                  name="q9")
        >>> print(q.cell_source())
        half = ____
        <BLANKLINE>
        q9.check()
        >>> q.evaluate(1 / 2).status, q.evaluate(____).status
        ('correct', 'not attempted')
        """
        return f"{self.starter if answer is None else answer}\n\n{self.name}.check()"

    # -- what the checking machinery uses -------------------------------------------------------

    def evaluate(self, answer):
        """Check `answer` and return a `Result`; print nothing."""
        raise NotImplementedError

    def _answer_in(self, namespace):
        """The learner's answer, as a 1-tuple, from the bound namespace (or () if none)."""
        return ()

    def _correct(self, detail=""):
        text = f"Correct! {detail}".rstrip()
        if self.explanation:
            text += "\n" + self.explanation
        return Result(CORRECT, text)

    def _not_attempted(self, what):
        return Result(NOT_ATTEMPTED,
                      f"Not attempted yet: {what}, then run this cell again. "
                      f"Stuck? {self.name}.hint() gives a hint.")

    def _incorrect(self, text):
        return Result(INCORRECT, f"Not quite. {text}\n(Stuck? {self.name}.hint() gives a hint.)")


class Binder:
    """A notebook's questions, numbered from their position and bound to its namespace.

    After learntools' ``bind_exercises(globals(), [Q1, Q2, ...])`` and ``binder.bind(globals())``:
    a question set lists its questions once, ``binder = Binder([stable_sigmoid, relu_kink])``,
    which names them ``q1``, ``q2`` in that order; the notebook's setup cell runs
    ``binder.bind(globals())``.

    >>> a = ValueProblem(var="a", expected=1, title="A", task="t", starter="a = ____",
    ...                  solution="a = 1", hints=["h1", "h2"])
    >>> b = ChoiceProblem(title="B", task="t", options={"x": "X", "y": "Y"}, answer="y",
    ...                   feedback={"x": "not x"}, hints=["h1", "h2"])
    >>> binder = Binder([a, b])
    >>> [q.name for q in binder.questions], b.starter, b.solution_code
    (['q1', 'q2'], 'q2.check(____)   # your letter in quotes, e.g. q2.check("x")', 'q2.check("y")')
    >>> notebook = {}
    >>> binder.bind(notebook)
    Checks loaded: q1 and q2.
    >>> notebook["a"] = 1
    >>> notebook["q1"].check()
    Correct! `a` = 1; the value is 1.
    """

    def __init__(self, questions):
        self.questions = list(questions)
        for number, q in enumerate(self.questions, 1):
            if q.name is not None and q.name != f"q{number}":
                raise ValueError(f"question {q.title!r} is named {q.name!r} but stands at "
                                 f"position {number}: leave out name=, the position numbers it")
            q.name = f"q{number}"

    @property
    def names(self):
        return [q.name for q in self.questions]

    def setup_source(self, module):
        """The notebook's setup cell that loads these checks, for `module` (the question set's
        ``__name__``)."""
        names = self.names
        listed = names[0] if len(names) == 1 else f"{names[0]} to {names[-1]}"
        return (f"# Load the checks of this notebook's exercises, {listed}: each has .check(), "
                f".hint() and .solution()\nfrom {module} import binder\nbinder.bind(globals())")

    def bind(self, namespace):
        """Put the questions (``q1``, ``q2``, ...) and the placeholder ``____`` into `namespace`
        (the notebook's ``globals()``); each ``check()`` then reads the learner's answer there.

        Raises
        ------
        TypeError
            If `namespace` is not a dict (pass ``globals()``, not ``globals``).
        """
        if not isinstance(namespace, dict):
            raise TypeError(f"Binder.bind: pass the notebook's namespace, binder.bind(globals()); "
                            f"got {type(namespace).__name__}")
        namespace[BLANK_NAME] = ____
        for q in self.questions:
            q._namespace = namespace
            namespace[q.name] = q
        _explain_bare_letters(self.questions)
        names = self.names
        listed = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
        print(f"Checks loaded: {listed}.")


def _explain_bare_letters(questions):
    """In IPython, answer ``q3.check(b)`` with an undefined name b by showing the quotes,
    ``q3.check("b")``, instead of a NameError traceback; every other error shows as usual."""
    letters = {k for q in questions if isinstance(q, ChoiceProblem) for k in q.options}
    try:
        from IPython import get_ipython
    except ImportError:   # plain Python: nothing to hook into
        return
    shell = get_ipython()
    if shell is None or not letters:
        return

    def handler(shell, etype, value, tb, tb_offset=None):
        name = getattr(value, "name", None)
        cell = (shell.user_ns.get("In") or [""])[-1]
        call = re.search(rf"\b(q\d+)\.check\(\s*{re.escape(name)}\s*\)", cell) \
            if name in letters else None
        if call is None:
            shell.showtraceback((etype, value, tb), tb_offset=tb_offset)
            return None
        q = call.group(1)
        print(f"{q}.check({name}): {name} without quotes is a variable's name, and there is no "
              f"variable {name}. Put the letter in quotes: {q}.check(\"{name}\").")
        return None

    shell.set_custom_exc((NameError,), handler)


class _VariableProblem(Problem):
    """A problem whose answer is a variable the learner defines (the function or the value).

    Subclass it (as `VariableProblem`) for a kind of question of one notebook only: set
    ``kind``, and define ``evaluate(answer)`` returning ``self._correct(...)``,
    ``self._incorrect(...)`` or ``self._not_attempted(...)``.
    """

    def __init__(self, var, **kwargs):
        self.var = var
        super().__init__(**kwargs)

    def _answer_in(self, namespace):
        return (namespace.get(self.var, ____),)


VariableProblem = _VariableProblem   # the public name, for a question set's own problem kind


class FunctionProblem(_VariableProblem):
    """ "Write this function": the learner's function runs on every `Case`, checked by `reference`.

    Parameters
    ----------
    name, title, task, starter, solution, hints, explanation : see `Problem`
    var : str
        The function's name in the learner's notebook, e.g. ``"my_sigmoid"``.
    params : tuple of str
        Names of the positional arguments, for the messages (default ``("x",)``).
    reference : callable
        Computes the right output for a case (e.g. the helper from ``activations_helpers``).
    cases : list of Case
        Tried in order; the first failure is reported.
    mistakes : list of Mistake
        Typical wrong answers, tried in order on the first failing case.
    wrong_answers : list of (str, str)
        Source code defining `var` wrongly, and a piece of the message it must get.
    rtol, atol : float
        Tolerance of the comparison (float32 cases get at least rtol 1e-5).
    """

    kind = "function"

    def __init__(self, var, reference, cases, params=("x",), mistakes=(), rtol=1e-6,
                 atol=1e-12, **kwargs):
        super().__init__(var, **kwargs)
        self.reference, self.cases, self.params = reference, list(cases), tuple(params)
        self.mistakes, self.rtol, self.atol = list(mistakes), rtol, atol

    def run(self, fn, case):
        """Call `fn` on `case`, catching what it raises and the warnings it gives.

        A warning counts against the answer only if the right answer does not explain it (see
        `excused`); the outcome's ``warnings`` are the ones that count, ``excused`` the others.
        """
        args, kwargs = case.fresh_args()
        value, error, caught = _recorded(fn, *args, **kwargs)
        args, kwargs = case.fresh_args()
        expected, _, reference_warnings = _recorded(self.reference, *args, **kwargs)
        counted, excused = [], []
        for w in caught:
            (excused if self.excused(w, case, expected, reference_warnings) else counted).append(w)
        outcome = Outcome(case, value, error, counted, expected)
        outcome.excused = excused
        return outcome

    @staticmethod
    def excused(warning, case, expected, reference_warnings=()):
        """Whether `warning` is one a right answer may give on `case`: the reference gives it
        too, or the right output itself explains it -- NumPy warns "invalid value" for some
        functions of a NaN input (``np.logaddexp(0, np.nan)``), and "overflow" or "divide by
        zero" where the right output is infinite. An overflow where the right output is a finite
        number (``np.exp(1000)`` inside a sigmoid of -1000) is the answer's own fault.

        >>> import warnings
        >>> w = warnings.WarningMessage(RuntimeWarning("invalid value encountered in logaddexp"),
        ...                             RuntimeWarning, "", 0)
        >>> nan, big = Case("NaN", np.array([np.nan])), Case("big", np.array([-1000.0]))
        >>> FunctionProblem.excused(w, nan, np.array([np.nan]))
        True
        >>> w = warnings.WarningMessage(RuntimeWarning("overflow encountered in exp"),
        ...                             RuntimeWarning, "", 0)
        >>> FunctionProblem.excused(w, big, np.array([0.0]))
        False
        """
        message = str(warning.message)
        if any(str(r.message) == message for r in reference_warnings):
            return True
        inputs = [a for a in list(case.args) + list(case.kwargs.values())
                  if isinstance(a, np.ndarray) and a.dtype.kind == "f"]
        try:
            right = np.asarray(expected, dtype=np.float64)
        except (TypeError, ValueError):
            return False
        if "invalid value" in message:
            return any(np.isnan(a).any() for a in inputs) or bool(np.isnan(right).any())
        if "overflow" in message or "divide by zero" in message:
            return bool(np.isinf(right).any())
        return False

    def _tolerance(self, case):
        float32 = any(isinstance(a, np.ndarray) and a.dtype == np.float32
                      for a in list(case.args) + list(case.kwargs.values()))
        return (max(self.rtol, 1e-5), max(self.atol, 1e-30)) if float32 else (self.rtol, self.atol)

    def _problem_with(self, outcome):
        """What is wrong with one outcome, as text, or None if it is right: its values first,
        then a warning that counts (one that the right answer does not explain)."""
        if outcome.error is not None:
            return f"it raised {type(outcome.error).__name__}: {outcome.error}"
        problem = self._value_problem(outcome)
        if outcome.warned:
            w = outcome.warnings[0]
            warning = f"it gave a warning, {w.category.__name__}: {w.message}"
            return warning if problem is None else f"{problem}, and {warning}"
        return problem

    def _value_problem(self, outcome):
        value = outcome.value
        if value is None:
            return "it returned None (did you forget `return`?)"
        if is_blank(value):
            return "it returned the placeholder ____"
        try:
            arr = np.asarray(value)
        except (ValueError, TypeError):
            arr = np.asarray(None)
        if arr.dtype.kind == "b":
            return ("it returned True/False values, not numbers: turn them into floats, "
                    "e.g. with `.astype(float)` or `* 1.0`")
        if arr.dtype.kind not in "iuf":
            return f"it returned {type(value).__name__}, not numbers"
        if arr.shape != np.shape(outcome.expected):
            return (f"it returned shape {arr.shape}, expected shape {np.shape(outcome.expected)} "
                    "(one output per input)")
        rtol, atol = self._tolerance(outcome.case)
        if not _close(arr, outcome.expected, rtol, atol):
            return "the values differ"
        return None

    def _mistake_for(self, outcome):
        for mistake in self.mistakes:
            if mistake.when is not None:
                try:
                    if mistake.when(outcome):
                        return mistake
                except Exception:  # a symptom test that does not apply
                    continue
            elif outcome.error is None and outcome.value is not None:
                args, kwargs = outcome.case.fresh_args()
                wrong = _quiet(mistake.like, *args, **kwargs)
                rtol, atol = self._tolerance(outcome.case)
                if (wrong is not None and _close(outcome.value, wrong, rtol, atol)
                        and _differs_beyond_nan(wrong, outcome.expected, rtol, atol)):
                    return mistake
        return None

    def evaluate(self, answer):
        if is_blank(answer):
            return self._not_attempted(f"define `{self.var}` (replace ____ with your code)")
        if not callable(answer):
            return self._incorrect(f"`{self.var}` should be a function, but it is "
                                   f"{type(answer).__name__}: {fmt(answer)}")
        code = getattr(answer, "__code__", None)
        if (code is not None and _code_uses_blank(code)) or _empty_body(answer):
            return self._not_attempted(f"replace ____ in `{self.var}` with your code")
        for case in self.cases:
            outcome = self.run(answer, case)
            problem = self._problem_with(outcome)
            if problem is None:
                continue
            received = "an error" if outcome.error is not None else fmt(outcome.value)
            call = f"{self.var}({', '.join(self.params[:len(case.args)] + tuple(case.kwargs))})"
            text = (f"{call} with {case.describe(*self.params)}:\n"
                    f"  expected: {fmt(outcome.expected)}\n"
                    f"  received: {received}\n"
                    f"Here {problem}.")
            mistake = self._mistake_for(outcome)
            if mistake is not None:
                text += "\n" + mistake.message
            return self._incorrect(text)
        return self._correct(f"`{self.var}` gives the right output on all {len(self.cases)} "
                             f"test inputs ({', '.join(c.label for c in self.cases)}).")


class ValueProblem(_VariableProblem):
    """ "Compute (or predict) this value": compared with `expected` to a stated tolerance.

    A wrong value is never answered with the right one (``solution()`` shows it): the message
    says what kind of wrong it is -- a typical mistake's own message, the sign, a power of ten,
    close but not to the digits asked for, too large or too small.

    Parameters
    ----------
    title, task, starter, solution, hints, explanation, points, name : see `Problem`
    var : str
        The variable the learner sets, e.g. ``"dead_small"``.
    expected : value or callable
        The right value, or a function of no arguments computing it (called once, when first
        needed).
    digits : int, optional
        Significant digits the answer must have right (default 4): it may differ from `expected`
        by at most one unit in the last of them, so a value copied from a printout and rounded
        or cut to `digits` digits passes.
    exact : bool, optional
        A count: the answer must equal `expected` (a whole number). Replaces `digits`.
    factor : float, optional
        An order-of-magnitude prediction: any answer of the right sign within this factor of
        `expected` (e.g. 10) passes. Replaces `digits`.
    mistakes : list of Mistake
        ``Mistake(message, like=value_or_callable)`` (a wrong value, matched with the same
        tolerance) or ``Mistake(message, when=predicate)``.
    wrong_answers, right_answers : list
        Typical wrong values with a piece of the message each must get; right values in other
        forms (the tests check them all). A value may be given as a function of no arguments
        computing it (for one that takes a moment, computed only when the tests ask).

    The task as shown ends with the tolerance the check uses (`tolerance_text`).
    """

    kind = "value"

    def __init__(self, var, expected, digits=4, exact=False, factor=None, mistakes=(),
                 **kwargs):
        if exact and factor is not None:
            raise ValueError("ValueProblem: give exact=True or factor=, not both")
        super().__init__(var, **kwargs)
        self._expected, self.digits, self.exact, self.factor = expected, digits, exact, factor
        self.mistakes = list(mistakes)
        self.task = f"{self.task.rstrip()} {self.tolerance_text()}"

    @property
    def expected(self):
        if callable(self._expected):
            self._expected = self._expected()
        return self._expected

    def tolerance_text(self):
        """The sentence the task ends with: the tolerance the check really uses."""
        if self.exact:
            return "*The check wants the exact count, a whole number.*"
        if self.factor is not None:
            return (f"*The check accepts any value of the right sign within a factor of "
                    f"{fmt(self.factor)} of the true one.*")
        return (f"*The check wants {self.digits} significant digits: rounded or cut to "
                f"{self.digits} digits is fine, more digits are too.*")

    def _unit(self, target):
        """One unit in the last significant digit asked for, at `target`'s size."""
        t = abs(float(target))
        return 10.0 ** (math.floor(math.log10(t)) - self.digits + 1) if t else 10.0 ** -self.digits

    def _accepts(self, answer, target):
        try:
            a = np.asarray(answer, dtype=np.float64)
            t = np.asarray(target, dtype=np.float64)
        except (TypeError, ValueError):
            return False
        if a.shape != t.shape or not np.all(np.isfinite(a)):
            return False
        if self.exact:
            return bool(np.all(a == t))
        if self.factor is not None:
            if np.any(a == 0) or np.any((a > 0) != (t > 0)):
                return False
            return bool(np.all(np.abs(np.log(np.abs(a) / np.abs(t))) <= math.log(self.factor)))
        units = np.vectorize(self._unit)(t) if t.ndim else self._unit(t)
        # a tiny margin: 0.9 + 0.7 - 0.2 is 1.4000000000000001, and -0.2598 for -0.259884 is
        # 0.84 units off; the margin only absorbs the last bit of a binary fraction
        return bool(np.all(np.abs(a - t) <= units * (1 + 1e-9)))

    def _kind_of_wrong(self, answer, target):
        """What kind of wrong a scalar answer is, in words that never give the right value."""
        a, t = float(answer), float(target)
        if not math.isfinite(a):
            return f"{fmt(a)} is not a number you can get here."
        if self.exact and a != int(a):
            return "A count is a whole number."
        if self.exact and t != 0 and (a > 0) == (t > 0):
            # no "too large/small" for a count: it would turn counting into guessing
            return "That is not the count: count again."
        if a == 0:
            return "It is not 0."
        if t != 0 and (a > 0) != (t > 0):
            if self._accepts(-a, t):
                return "The size is right, but the sign is wrong."
            return "The sign is wrong (and the size too)."
        size = "large" if abs(a) > abs(t) else "small"
        if t != 0 and not self.exact:
            k = round(math.log10(a / t))
            if k != 0 and abs(a / 10.0 ** k - t) <= 0.01 * abs(t):
                return (f"It is about 10**{abs(k)} times too {size}: check the power of ten "
                        f"(the exponent, or the zeros after the point).")
        if self.factor is not None:
            return f"It is more than {fmt(self.factor)} times too {size}."
        if not self.exact and t != 0 and abs(a - t) <= 0.01 * abs(t):
            right = max(0, math.floor(-math.log10(abs(a - t) / abs(t))))
            return (f"Close: it agrees to about {right} significant digits, and the check "
                    f"wants {self.digits}. Use more digits (compute it, or copy all the printed "
                    f"digits).")
        return f"It is too {size}." if t > 0 else f"Its size (its absolute value) is too {size}."

    def evaluate(self, answer):
        if is_blank(answer):
            return self._not_attempted(f"set `{self.var}` to your answer (replace ____)")
        expected = self.expected
        numeric = isinstance(answer, (numbers.Real, np.number, np.ndarray, list, tuple)) \
            and not isinstance(answer, (bool, np.bool_)) and _numeric_sequence(answer)
        if not numeric:
            return self._incorrect(f"`{self.var}` should be a number, but it is "
                                   f"{type(answer).__name__}: {fmt(answer)}")
        if np.shape(answer) != np.shape(expected):
            return self._incorrect(f"`{self.var}` has shape {np.shape(answer)}, expected "
                                   f"shape {np.shape(expected)}.")
        if self._accepts(answer, expected):
            return self._correct(f"`{self.var}` = {fmt(answer)}; the value is {fmt(expected)}.")
        text = f"`{self.var}` = {fmt(answer)} is not right."
        for mistake in self.mistakes:
            if mistake.when is not None:
                hit = _quiet(mistake.when, answer)
            else:
                hit = self._accepts(answer, mistake.like() if callable(mistake.like)
                                    else mistake.like)
            if hit:
                return self._incorrect(f"{text}\n{mistake.message}")
        if np.ndim(expected) == 0:
            text += " " + self._kind_of_wrong(answer, expected)
        return self._incorrect(text)


class ChoiceProblem(Problem):
    """ "Which one?": a multiple-choice question answered in code, ``q3.check("b")``.

    Parameters
    ----------
    title, task, hints, explanation, points, name : see `Problem`
    options : dict of str to str
        Letter -> the option's text (shown in the task).
    answer : str
        The right letter.
    feedback : dict of str to str
        Letter -> the message for that wrong option: every wrong option needs one. These are the
        question's typical wrong answers.
    starter, solution : str, optional
        By default ``q3.check(____)`` and ``q3.check("b")``, with the question's name.
    """

    kind = "choice"

    def __init__(self, options, answer, feedback, starter=None, solution=None, **kwargs):
        if set(feedback) != set(options) - {answer}:
            raise ValueError(f"{kwargs.get('name') or kwargs.get('title')}: give feedback for "
                             "every wrong option and only for those")
        self.options, self.answer, self.feedback = dict(options), answer, dict(feedback)
        wrong = [(letter, message) for letter, message in self.feedback.items()]
        super().__init__(starter=starter or "", solution=solution or "", wrong_answers=wrong,
                         **kwargs)
        self._custom_solution = solution is not None

    # the name may come from the question's position (Binder), so the code is made when asked for
    @property
    def starter(self):
        example = next(iter(self.options))
        return self._starter or (f'{self.name}.check(____)   # your letter in quotes, '
                                 f'e.g. {self.name}.check("{example}")')

    @property
    def solution_code(self):
        return self._solution if self._custom_solution else f'{self.name}.check("{self.answer}")'

    @solution_code.setter
    def solution_code(self, code):
        self._solution = code

    def cell_source(self, answer=None):
        return self.starter if answer is None else answer   # the starter is the check call

    def options_markdown(self):
        return "\n".join(f"- **{k}**: {v}" for k, v in self.options.items())

    def _bare_names_for(self, answer):
        """The option letters that are variables in the bound namespace holding `answer`: the
        learner wrote ``q3.check(b)`` (a variable b) where ``q3.check("b")`` was meant."""
        namespace = self._namespace or {}
        return [k for k in self.options if k in namespace and namespace[k] is answer]

    def evaluate(self, answer):
        letters = ", ".join(f'"{k}"' for k in self.options)
        if is_blank(answer):
            return self._not_attempted(f"put your letter in quotes in {self.name}.check(...), "
                                       f"one of {letters}")
        key = answer.strip().lower().strip("()") if isinstance(answer, str) else None
        if key not in self.options:
            bare = self._bare_names_for(answer) if key is None else []
            if bare:
                return self._incorrect(
                    f"{self.name}.check({bare[0]}) passes the variable {bare[0]}, not the "
                    f"letter. Put the letter in quotes: {self.name}.check(\"{bare[0]}\").")
            if key is None:
                return self._incorrect(
                    f"answer with a letter in quotes, one of {letters}, e.g. "
                    f"{self.name}.check(\"a\"); got {type(answer).__name__} {fmt(answer)} (a "
                    f"letter without quotes is a variable's name).")
            return self._incorrect(f"answer with one of the letters {letters}, "
                                   f"e.g. {self.name}.check(\"a\"); got {fmt(answer)}.")
        if key == self.answer:
            return self._correct(f"({key}) {plain(self.options[key])}")
        return self._incorrect(f"({key}) {plain(self.options[key])}\n{self.feedback[key]}")
