"""Every exercise, three ways: the solution passes, the starter is "not attempted", and every
typical wrong answer gets its own message. Question sets are found by themselves
(`teaching.exercises.question_sets`), so a new notebook's questions are tested here too."""

import contextlib
import io
import json
from pathlib import Path

import numpy as np
import pytest

import activations_helpers as ah
from teaching.exercises import (CORRECT, INCORRECT, NOT_ATTEMPTED, Binder, Case, ChoiceProblem,
                                FunctionProblem, Mistake, ValueProblem, ____, question_sets)
from teaching.exercises.core import fmt, warned

ROOT = Path(__file__).resolve().parent.parent
SETS = question_sets()
QUESTIONS = [(m, q) for m in SETS for q in m.QUESTIONS]
IDS = [f"{m.__name__.rsplit('.', 1)[-1]}.{q.name}" for m, q in QUESTIONS]
WRONG = [(m, q, answer, says) for m, q in QUESTIONS for answer, says in q.wrong_answers]
RIGHT = [(m, q, answer) for m, q in QUESTIONS for answer in q.right_answers]
RIGHT_IDS = [f"{m.__name__.rsplit('.', 1)[-1]}.{q.name}-{i}"
             for m, q in QUESTIONS for i, _ in enumerate(q.right_answers)]
VALUES = [(m, q) for m, q in QUESTIONS if isinstance(q, ValueProblem)]
VALUE_IDS = [f"{m.__name__.rsplit('.', 1)[-1]}.{q.name}" for m, q in VALUES]
FUNCTIONS = [(m, q) for m, q in QUESTIONS if isinstance(q, FunctionProblem)]
FUNCTION_IDS = [f"{m.__name__.rsplit('.', 1)[-1]}.{q.name}" for m, q in FUNCTIONS]
WRONG_IDS = [f"{m.__name__.rsplit('.', 1)[-1]}.{q.name}-{i}"
             for m, q in QUESTIONS for i, _ in enumerate(q.wrong_answers)]


def namespace(module):
    """What a notebook cell in the exercise section sees: np, the helpers, the names the notebook
    defined before (the module's `context()`), and what the setup cell binds (the questions and
    the placeholder)."""
    ns = {"np": np, **{name: getattr(ah, name) for name in ah.__all__}}
    if hasattr(module, "context"):
        ns.update(module.context())
    with contextlib.redirect_stdout(io.StringIO()):
        module.binder.bind(ns)
    return ns


def run_cell(source, ns):
    """Execute a cell's code in `ns` as the notebook would; return what it printed."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(source, "<cell>", "exec"), ns)
    return out.getvalue()


def answer_from(module, q, source):
    """The learner's answer after running `source` (code) in a fresh namespace."""
    ns = namespace(module)
    run_cell(source, ns)
    return ns[q.var]


def as_answer(module, q, answer):
    """A right or wrong answer as the question's data gives it: source code for a function, a
    value (or a function of no arguments computing it) otherwise."""
    if isinstance(q, FunctionProblem):
        return answer_from(module, q, answer)
    return answer() if callable(answer) else answer


# -- the question sets --------------------------------------------------------------------------

def test_every_numbered_notebook_has_at_least_four_exercises_and_15_in_all():
    numbered = sorted(p.name for p in (ROOT / "notebooks").glob("0*.ipynb"))
    covered = {m.NOTEBOOK: len(m.QUESTIONS) for m in SETS}
    for name in numbered:
        assert covered.get(name, 0) >= 4, f"{name} has {covered.get(name, 0)} exercises"
    assert sum(covered.values()) >= 15


@pytest.mark.parametrize("module", SETS, ids=lambda m: m.__name__)
def test_questions_are_numbered_from_their_position_and_bound_explicitly(module):
    assert module.binder.questions == module.QUESTIONS
    assert [q.name for q in module.QUESTIONS] == [f"q{i}" for i in range(1, len(module.QUESTIONS)
                                                                         + 1)]
    ns = {}
    printed = run_cell(f"from {module.__name__} import binder\nbinder.bind(globals())", ns)
    assert printed == f"Checks loaded: {', '.join(module.binder.names[:-1])} and " \
                      f"{module.binder.names[-1]}.\n"
    assert ns["____"] is ____
    assert all(ns[q.name] is q for q in module.QUESTIONS)


@pytest.mark.parametrize("module,q", QUESTIONS, ids=IDS)
def test_points_are_a_whole_number(module, q):
    assert isinstance(q.points, int) and not isinstance(q.points, bool) and q.points >= 1


@pytest.mark.parametrize("module,q", QUESTIONS, ids=IDS)
def test_question_is_complete(module, q):
    assert q.title and q.task and q.solution_code and len(q.hints) >= 2
    assert len(q.wrong_answers) >= 2, "at least two typical wrong answers"
    assert len({says for _, says in q.wrong_answers}) >= 2, "with different messages"
    if not isinstance(q, ChoiceProblem):
        assert "____" in q.starter


# -- three ways for every question --------------------------------------------------------------

@pytest.mark.parametrize("module,q", QUESTIONS, ids=IDS)
def test_reference_solution_passes(module, q):
    ns = namespace(module)
    printed = run_cell(q.cell_source(q.solution_code), ns)
    assert printed.startswith("Correct!"), printed
    if not isinstance(q, ChoiceProblem):
        assert q.evaluate(ns[q.var]).status == CORRECT
    else:
        assert q.evaluate(q.answer).status == CORRECT


@pytest.mark.parametrize("module,q", QUESTIONS, ids=IDS)
def test_starter_is_not_attempted(module, q):
    printed = run_cell(q.cell_source(), namespace(module))
    assert printed.startswith("Not attempted yet:"), printed
    assert f"{q.name}.hint()" in printed
    assert q.evaluate(____).status == NOT_ATTEMPTED


@pytest.mark.parametrize("module,q,answer,says", WRONG, ids=WRONG_IDS)
def test_typical_wrong_answer_gets_its_own_message(module, q, answer, says):
    answer = as_answer(module, q, answer)
    result = q.evaluate(answer)
    assert result.status == INCORRECT
    assert result.text.startswith("Not quite.")
    assert says in result.text, result.text
    assert q.evaluate(answer).text == result.text, "the same answer, the same text"


# -- every right answer is accepted (the battery) ------------------------------------------------

@pytest.mark.parametrize("module,q,answer", RIGHT, ids=RIGHT_IDS)
def test_every_right_answer_is_correct(module, q, answer, recwarn):
    result = q.evaluate(as_answer(module, q, answer))
    assert result.status == CORRECT and result.text.startswith("Correct!"), result.text
    assert len(recwarn) == 0, "the check lets no warning leak into the notebook"


@pytest.mark.parametrize("module,q", FUNCTIONS, ids=FUNCTION_IDS)
def test_function_exercises_have_three_right_answers_written_unlike_the_solution(module, q):
    def body(code):
        return " ".join(line.split("#")[0].strip() for line in code.splitlines()[1:]).strip()

    unlike = {body(a) for a in q.right_answers} - {body(q.solution_code)}
    assert len(unlike) >= 3, f"{q.name}: {len(unlike)} right answers unlike the solution"


@pytest.mark.parametrize("module,q,answer", [w[:3] for w in WRONG], ids=WRONG_IDS)
def test_no_wrong_answer_is_correct(module, q, answer):
    assert q.evaluate(as_answer(module, q, answer)).status == INCORRECT


def _problem(**kw):
    base = dict(var="f", title="t", task="t", starter="def f(x):\n    return ____",
                solution="def f(x):\n    return ah.softplus(x)", hints=["h1", "h2"],
                reference=ah.softplus, name="q1",
                cases=[Case("NaN", np.array([np.nan, 0.0])),
                       Case("very large", np.array([1000.0])),
                       Case("infinities", np.array([-np.inf, np.inf]))])
    return FunctionProblem(**{**base, **kw})


def test_a_warning_counts_only_where_the_right_answer_does_not_explain_it(recwarn):
    q = _problem()
    # np.logaddexp warns "invalid value" for a NaN input: the right output is NaN there, so the
    # warning is NumPy's, not the learner's mistake
    assert q.evaluate(lambda x: np.logaddexp(0, x)).status == CORRECT
    # np.exp(1000) overflows where the right output, 1000, is a finite number: that counts
    text = q.evaluate(lambda x: np.log(1 + np.exp(x))).text
    assert "(very large)" in text and "RuntimeWarning: overflow" in text
    # a warning the reference itself gives on that input is excused too (here a reference that
    # overflows on 1000 in the branch np.where throws away)
    naive = lambda x: np.where(x > 0, x, np.log1p(np.exp(x)))  # noqa: E731
    assert _problem(reference=naive).evaluate(naive).status == CORRECT
    assert len(recwarn) == 0


def test_an_excused_warning_does_not_trigger_a_warning_symptom():
    q = _problem(mistakes=[Mistake("INVALID SYMPTOM", when=lambda o: warned(o, "invalid"))],
                 reference=ah.softplus)
    text = q.evaluate(lambda x: np.where(np.isnan(x), 0.0, np.logaddexp(0, x))).text
    assert text.startswith("Not quite.") and "INVALID SYMPTOM" not in text


# -- a wrong value never shows the right one -----------------------------------------------------

def _formats(value):
    """The right value as a learner might see it printed: repr, 3 to 8 significant digits, fixed
    and scientific notation (numbers only, the sign left out)."""
    v = abs(float(value))
    texts = {repr(v), fmt(v)}
    texts |= {f"{v:.{d}g}" for d in range(2, 9)} | {f"{v:.{d}e}" for d in range(1, 6)}
    if v == int(v):
        texts.add(str(int(v)))
    if 1e-4 <= v < 1e4:
        texts |= {f"{v:.{d}f}" for d in range(1, 7)}
    return {t for t in texts if t not in ("0", "0.0")}


def _shows(text, number):
    import re
    return re.search(rf"(?<![\w.]){re.escape(number)}(?![\d]|\.\d)", text) is not None


def _wrong_values(q):
    e = float(q.expected)
    near = [-e, e * 1000, e / 1000]
    if q.exact:
        near += [e * 10, e + 1, e - 1, e + 0.5]
    elif q.factor is not None:
        near += [e * q.factor * 3, e / (q.factor * 3)]
    else:
        near += [e * 10, e / 10, e * 1.01, e * 0.99, e + 3 * q._unit(e)]
    return near


def _returned(source):
    """The expressions a solution returns, without spaces: "np.where(np.isnan(x),x,slope)"."""
    return [line.split("return", 1)[1].split("#")[0].replace(" ", "")
            for line in source.splitlines() if line.strip().startswith("return ")]


@pytest.mark.parametrize("module,q", FUNCTIONS, ids=[f"{m.__name__.rsplit('.', 1)[-1]}.{q.name}"
                                                     for m, q in FUNCTIONS])
def test_no_message_or_hint_hands_over_the_solution(module, q):
    """A wrong answer's message (shown unasked) and a hint (asked for) may point at a tool,
    never spell out the solution's code: that is what ``q.solution()`` is for."""
    texts = [m.message for m in q.mistakes] + list(q.hints)
    for expression in _returned(q.solution_code if hasattr(q, "solution_code") else q.solution):
        if len(expression) < 12:  # "x", "slope": too short to be the answer given away
            continue
        for text in texts:
            assert expression not in text.replace(" ", "").replace("`", ""), (
                f"{q.name} gives its solution away ({expression}): {text}")


@pytest.mark.parametrize("module,q", VALUES, ids=VALUE_IDS)
def test_no_check_of_a_wrong_value_shows_the_right_value(module, q):
    wrong = [as_answer(module, q, a) for a, _ in q.wrong_answers] + _wrong_values(q)
    for answer in wrong:
        result = q.evaluate(answer)
        assert result.status == INCORRECT, answer
        for number in _formats(q.expected) - _formats(answer):
            assert not _shows(result.text, number), f"{answer}: shows {number}: {result.text}"


@pytest.mark.parametrize("module,q", VALUES, ids=VALUE_IDS)
def test_every_value_exercise_accepts_the_right_value_in_several_number_formats(module, q):
    e = q.expected
    if q.exact:
        forms = [int(e), float(e), np.int64(e), np.float32(e), np.int32(e)]
    elif q.factor is not None:
        forms = [e, float(f"{e:.1e}"), e * q.factor / 2, e / q.factor * 2, np.float32(e)]
    else:
        d = q.digits
        cut = float(f"{np.trunc(float(e) * 10.0 ** (d - 1 - np.floor(np.log10(abs(e))))):.0f}") \
            * 10.0 ** (np.floor(np.log10(abs(e))) - d + 1)
        forms = [e, float(f"{e:.{d}g}"), float(f"{e:.{d + 2}g}"), float(f"{e:.{d - 1}e}"), cut,
                 np.float32(e), np.float64(e), repr(float(e)) and float(repr(float(e)))]
    for answer in forms:
        result = q.evaluate(answer)
        assert result.status == CORRECT, f"{answer!r}: {result.text}"


@pytest.mark.parametrize("module,q", VALUES, ids=VALUE_IDS)
def test_the_stated_tolerance_is_the_one_the_check_uses(module, q):
    assert q.task.endswith(q.tolerance_text())
    e = float(q.expected)
    if q.exact:
        assert "exact count" in q.task
        assert q.evaluate(e + 1).status == INCORRECT and q.evaluate(e).status == CORRECT
    elif q.factor is not None:
        assert f"within a factor of {fmt(q.factor)}" in q.task
        assert q.evaluate(e * q.factor * 0.99).status == CORRECT
        assert q.evaluate(e * q.factor * 1.01).status == INCORRECT
    else:
        assert f"{q.digits} significant digits" in q.task
        unit = 10.0 ** (np.floor(np.log10(abs(e))) - q.digits + 1)
        assert q.evaluate(e + 0.99 * unit).status == CORRECT
        assert q.evaluate(e - 0.99 * unit).status == CORRECT
        assert q.evaluate(e + 1.5 * unit).status == INCORRECT
        assert q.evaluate(e - 1.5 * unit).status == INCORRECT


def test_a_wrong_value_says_what_kind_of_wrong_it_is():
    q = ValueProblem(var="v", title="t", task="t", starter="v = ____", solution="v = -0.259884",
                     hints=["h1", "h2"], expected=-0.2598838, name="q4")
    assert q.evaluate(-0.2599).status == CORRECT and q.evaluate(-0.259884).status == CORRECT
    assert q.evaluate(-0.2598).status == CORRECT          # cut to 4 digits
    assert "sign is wrong" in q.evaluate(0.2599).text
    assert "about 10**1 times too small" in q.evaluate(-0.02599).text
    assert "about 10**3 times too large" in q.evaluate(-259.9).text
    assert "Close: it agrees to about 2 significant digits" in q.evaluate(-0.258).text
    assert "absolute value) is too large" in q.evaluate(-0.5).text
    assert "absolute value) is too small" in q.evaluate(-0.1).text
    assert "It is not 0" in q.evaluate(0).text
    for answer in (0.2599, -0.02599, -0.258, -0.5, 0):
        text = q.evaluate(answer).text
        assert "0.2598" not in text and "0.2599" not in text.replace(fmt(answer), "")


@pytest.mark.parametrize("module,q", FUNCTIONS, ids=FUNCTION_IDS)
def test_function_cases_cover_the_special_values(module, q):
    """typical values, the article's inputs, -1000 (or below), +-inf, NaN, float32."""
    inputs = [a for c in q.cases for a in c.args if isinstance(a, np.ndarray)]
    flat = np.concatenate([np.ravel(a).astype(float) for a in inputs])
    if q.params == ("x",):
        assert any(np.array_equal(a, np.arange(-5, 6)) or np.array_equal(a, np.arange(-3, 4))
                   for a in inputs), "the article's inputs"
        assert (flat <= -1000).any() and np.isinf(flat).any()
        assert np.isnan(flat).any()
        assert any(a.dtype == np.float32 for a in inputs)


# -- what a failed check shows ------------------------------------------------------------------

def _sigmoid_problem():
    return FunctionProblem(
        name="q1", var="f", title="t", task="t", starter="def f(x):\n    return ____",
        solution="def f(x):\n    return ah.sigmoid(x)", hints=["h1", "h2"], reference=ah.sigmoid,
        cases=[Case("typical", np.array([0.0, 1.0])), Case("very negative", np.array([-1000.0]))],
        mistakes=[Mistake("OVERFLOW MESSAGE", when=lambda o: bool(o.warnings))])


def test_a_failed_function_check_shows_input_expected_and_received():
    q = _sigmoid_problem()
    text = q.evaluate(lambda x: np.zeros_like(x)).text
    assert "f(x) with x = np.array([0.0, 1.0])  (typical)" in text
    assert f"expected: [0.5, {float(ah.sigmoid(1.0)):.6g}]" in text
    assert "received: [0.0, 0.0]" in text


def test_a_warning_is_a_failure_with_its_own_message_and_does_not_leak(recwarn):
    q = _sigmoid_problem()
    text = q.evaluate(lambda x: 1 / (1 + np.exp(-x))).text
    assert "(very negative)" in text and "RuntimeWarning: overflow" in text
    assert "OVERFLOW MESSAGE" in text
    assert len(recwarn) == 0


def test_errors_none_booleans_and_shapes_are_reported():
    q = _sigmoid_problem()
    assert "raised ZeroDivisionError: division by zero" in q.evaluate(lambda x: 1 / 0).text

    def no_return(x):
        y = ah.sigmoid(x)  # noqa: F841

    assert "returned None" in q.evaluate(no_return).text
    assert "True/False" in q.evaluate(lambda x: x > 0).text
    assert "shape ()" in q.evaluate(lambda x: 0.5).text
    assert "should be a function" in q.evaluate(0.5).text


def test_empty_or_placeholder_functions_are_not_attempted():
    q = _sigmoid_problem()
    ns = {"____": ____, "np": np}
    for body in ["...", "pass", '"""Doc."""', "return ____", "y = ____ + x\n    return y"]:
        run_cell(f"def f(x):\n    {body}", ns)
        assert q.evaluate(ns["f"]).status == NOT_ATTEMPTED, body
    assert q.evaluate(____).status == NOT_ATTEMPTED


def test_a_function_that_changes_its_input_changes_no_case():
    q = _sigmoid_problem()

    def in_place(x):
        x[...] = 0.0
        return ah.sigmoid(x)

    q.evaluate(in_place)
    assert q.cases[0].args[0].tolist() == [0.0, 1.0]


def test_value_problem_tolerance_and_factor():
    q = ValueProblem(name="q2", var="v", title="t", task="t", starter="v = ____",
                     solution="v = 1e-10", hints=["h1", "h2"], expected=lambda: 3e-10, factor=10)
    assert q.evaluate(1e-10).status == CORRECT
    assert q.evaluate(2e-9).status == CORRECT
    assert q.evaluate(4e-9).status == INCORRECT      # more than 10 times too large
    assert q.evaluate(-3e-10).status == INCORRECT    # wrong sign
    assert "should be a number" in q.evaluate("3e-10").text
    exact = ValueProblem(name="q3", var="n", title="t", task="t", starter="n = ____",
                         solution="n = 3", hints=["h1", "h2"], expected=3, exact=True)
    assert exact.evaluate(3).status == CORRECT and exact.evaluate(3.001).status == INCORRECT
    assert exact.evaluate([3, ____]).status == NOT_ATTEMPTED


def test_choice_problem_accepts_letters_only():
    q = ChoiceProblem(name="q3", title="t", task="t", options={"a": "A", "b": "B", "c": "C"},
                      answer="b", feedback={"a": "NOT A", "c": "NOT C"}, solution='q3.check("b")',
                      hints=["h1", "h2"])
    assert q.evaluate("B").status == CORRECT and q.evaluate(" (b) ").status == CORRECT
    assert "NOT A" in q.evaluate("a").text and "NOT C" in q.evaluate("c").text
    assert 'one of the letters "a", "b", "c"' in q.evaluate("z").text
    assert q.evaluate(2).status == INCORRECT
    with pytest.raises(ValueError, match="feedback for every wrong option"):
        ChoiceProblem(name="q4", title="t", task="t", options={"a": "A", "b": "B", "c": "C"},
                      answer="b", feedback={"a": "NOT A"}, solution="", hints=["h1", "h2"])


def test_hints_unlock_one_by_one_and_by_number(capsys):
    q = _sigmoid_problem()
    q.hint()
    q.hint()
    q.hint()   # after the last, the last again
    q.hint(1)
    out = capsys.readouterr().out
    assert [line.split(":")[0] for line in out.splitlines() if line.startswith("Hint")] == [
        "Hint 1 of 2", "Hint 2 of 2", "Hint 2 of 2", "Hint 1 of 2"]
    assert "q1.solution() shows the answer" in out
    for bad in [0, 3, 1.5, "1", True]:
        with pytest.raises(ValueError, match=r"q1.hint\(n\): n must be a whole number from 1 to 2"):
            q.hint(bad)


def test_solution_prints_the_code(capsys):
    q = _sigmoid_problem()
    q.solution()
    assert capsys.readouterr().out == ("Solution to q1:\n\n"
                                       "    def f(x):\n        return ah.sigmoid(x)\n")


def test_check_reads_the_variable_from_the_namespace_it_is_bound_to():
    q = _sigmoid_problem()
    with pytest.raises(RuntimeError, match=r"q1.check\(\) has no notebook .*binder.bind"):
        run_cell("q1.check()", {"q1": q})
    ns = {"ah": ah}
    assert run_cell("binder.bind(globals())", {**ns, "binder": Binder([q])}) == \
        "Checks loaded: q1.\n"
    ns = q._namespace
    assert run_cell("q1.check()", ns).startswith("Not attempted yet:")   # f not defined yet
    assert run_cell("def f(x):\n    return ah.sigmoid(x)\nq1.check()", ns).startswith("Correct!")
    assert run_cell("q1.check(lambda x: x)", ns).startswith("Not quite.")
    # the answer is read from the bound namespace, not from wherever check() is called
    assert run_cell("q1.check()", {"q1": q, "f": None}).startswith("Correct!")


def test_binder_numbers_from_position_and_refuses_a_name_that_disagrees():
    a = ValueProblem(var="a", expected=1, title="A", task="t", starter="a = ____",
                     solution="a = 1", hints=["h1", "h2"])
    b = ChoiceProblem(title="B", task="t", options={"x": "X", "y": "Y"}, answer="y",
                      feedback={"x": "not x"}, hints=["h1", "h2"])
    Binder([b, a])
    assert (b.name, a.name) == ("q1", "q2")
    assert b.cell_source() == 'q1.check(____)   # your letter in quotes, e.g. q1.check("x")'
    assert b.solution_code == 'q1.check("y")'
    c = ValueProblem(var="c", expected=1, title="C", task="t", starter="c = ____",
                     solution="c = 1", hints=["h1", "h2"], name="q2")
    with pytest.raises(ValueError, match="named 'q2' but stands at position 1"):
        Binder([c])
    with pytest.raises(TypeError, match=r"binder.bind\(globals\(\)\)"):
        Binder([b, a]).bind(globals)


def test_points_default_to_one_and_can_be_set():
    kw = dict(var="a", expected=1, title="A", task="t", starter="a = ____", solution="a = 1",
              hints=["h1", "h2"])
    assert ValueProblem(**kw).points == 1 and ValueProblem(**kw, points=3).points == 3
    for bad in [1.5, -1, True, "2"]:
        with pytest.raises(ValueError, match="points must be a whole number"):
            ValueProblem(**kw, points=bad)


def test_a_bare_name_for_a_letter_gets_the_quotes_shown():
    q = ChoiceProblem(title="t", task="t", options={"a": "A", "b": "B", "c": "C"}, answer="b",
                      feedback={"a": "NOT A", "c": "NOT C"}, hints=["h1", "h2"])
    ns = {"b": np.zeros(3)}   # in notebook 03, b is the bias vector of section 7
    with contextlib.redirect_stdout(io.StringIO()):
        Binder([q]).bind(ns)
    text = run_cell("q1.check(b)", ns)
    assert text.startswith("Not quite.")
    assert 'q1.check(b) passes the variable b, not the letter' in text
    assert 'Put the letter in quotes: q1.check("b")' in text
    ns["c"] = "b"   # a variable c holding the right letter is still the right letter
    assert run_cell("q1.check(c)", ns).startswith("Correct!")
    unbound = q.evaluate(2)
    assert 'a letter in quotes, one of "a", "b", "c", e.g. q1.check("a")' in unbound.text


# -- the notebooks ------------------------------------------------------------------------------

def _exercise_cells(nb):
    return {c["metadata"]["exercise"]: c for c in nb["cells"]
            if c["cell_type"] == "code" and "exercise" in c.get("metadata", {})}


@pytest.mark.parametrize("module", [m for m in SETS if (ROOT / "notebooks" / m.NOTEBOOK).exists()],
                         ids=lambda m: m.NOTEBOOK)
def test_notebook_holds_every_exercise_unanswered(module):
    nb = json.loads((ROOT / "notebooks" / module.NOTEBOOK).read_text(encoding="utf-8"))
    cells = _exercise_cells(nb)
    assert sorted(cells) == sorted(q.name for q in module.QUESTIONS)
    setups = [c for c in nb["cells"] if c.get("metadata", {}).get("exercise_setup")]
    assert len(setups) == 1
    assert "".join(setups[0]["source"]) == module.binder.setup_source(module.__name__)
    assert "____" not in "".join(setups[0]["source"]), "no blank in the setup cell"
    assert "come in a later update" not in json.dumps(nb)
    for q in module.QUESTIONS:
        cell = cells[q.name]
        assert "".join(cell["source"]) == q.cell_source(), f"{q.name}: run write_exercises.py"
        printed = "".join("".join(o.get("text", "")) for o in cell["outputs"])
        assert printed.startswith("Not attempted yet:")
        assert printed == run_cell(q.cell_source(), namespace(module)), "re-run the notebook"


@pytest.mark.parametrize("module", [m for m in SETS if (ROOT / "notebooks" / m.NOTEBOOK).exists()],
                         ids=lambda m: m.NOTEBOOK)
def test_notebook_cells_are_what_write_exercises_writes(module):
    """The tasks, exercise cells and hint cells in the notebook come from the question set: after
    changing a question, run tools/write_exercises.py and tools/run_notebooks.py."""
    import sys

    sys.path.insert(0, str(ROOT / "tools"))
    try:
        from write_exercises import KEYS, exercise_cells
    finally:
        sys.path.remove(str(ROOT / "tools"))
    nb = json.loads((ROOT / "notebooks" / module.NOTEBOOK).read_text(encoding="utf-8"))
    stored = [(c["cell_type"], "".join(c["source"])) for c in nb["cells"]
              if any(k in c.get("metadata", {}) for k in KEYS)]
    assert stored == [(c.cell_type, c.source) for c in exercise_cells(module)]


def test_an_undefined_bare_letter_gets_the_quotes_shown_in_a_real_kernel():
    """q4.check(b) with no variable b raises NameError before the check runs: the setup cell
    teaches IPython to answer that with the quotes, and leaves every other error as it was."""
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("from teaching.exercises.linear import binder\n"
                                  "binder.bind(globals())"),
        nbformat.v4.new_code_cell("q4.check(c)"),
        nbformat.v4.new_code_cell("q4.check(undefined_name)"),
    ])
    NotebookClient(nb, kernel_name="python3", timeout=120, allow_errors=True,
                   resources={"metadata": {"path": str(ROOT / "notebooks")}}).execute()
    bare, other = nb.cells[1].outputs, nb.cells[2].outputs
    assert [o.output_type for o in bare] == ["stream"]
    assert 'Put the letter in quotes: q4.check("c")' in bare[0].text
    assert [o.get("ename") for o in other] == ["NameError"]


@pytest.mark.parametrize("module,q", [(m, q) for m, q in QUESTIONS if isinstance(q, ChoiceProblem)],
                         ids=[i for i, (m, q) in zip(IDS, QUESTIONS) if isinstance(q, ChoiceProblem)])
def test_a_wrong_letter_does_not_name_the_right_one(module, q):
    for letter in q.feedback:
        text = q.evaluate(letter).text
        assert f'"{q.answer}"' not in text and f"({q.answer})" not in text, text
