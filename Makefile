# Two commands do all the set-up on a fresh machine (Python 3.11+ and make):
#   make lab    create .venv if missing, install what a learner needs, start JupyterLab on the
#               repository (index notebook first)
#   make test   create or update .venv with the test tools too, run the whole test suite
# .venv is (re)installed only when pyproject.toml or constraints.txt changed since the last install.
# make lab installs the package with its `lab` extra only: no PyTorch, browser driver or test tools
# on a learner's laptop. make test adds the `test`, `bench`, `lite`, `hub` and `grade` extras.
# make assignments adds the `grade` extra (nbgrader) to `lab`; make test installs it too.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
LAB_STAMP := $(VENV)/.installed-lab
GRADE_STAMP := $(VENV)/.installed-grade
HUB_STAMP := $(VENV)/.installed-hub
NODE_STAMP := node_modules/.installed
PORT   ?= 8888
# make lab's token: TOKEN=... on make's command line, else JUPYTER_TOKEN from the environment,
# else a fresh random one (tools/lab.py); an empty one is refused. It reaches JupyterLab through
# the environment only, never a command line that `ps` shows.
PYTEST_ARGS ?=
BENCH_ARGS ?=

.PHONY: install lab test test-browser notebooks bench bench-browser lock clean help slides html lite solutions hub bench-classroom assignments

help:
	@echo "make lab         start JupyterLab on the repository, index notebook first (PORT=8888, TOKEN=random)"
	@echo "make test        run the whole suite: unit tests, doctests, strict nbval, browser tests"
	@echo "make install     only install everything make test needs into .venv (Playwright too), run nothing"
	@echo "make test-browser  run only the real-browser tests"
	@echo "make notebooks   re-execute every notebook in place (the stored outputs nbval checks)"
	@echo "make solutions   the teacher's copy: every exercise answered, in build/solutions/"
	@echo "make assignments the graded nbgrader course (source + release of 01-05) in build/nbgrader/"
	@echo "make bench       print the helper and playground benchmark tables (BENCH_ARGS=--fast: quicker)"
	@echo "make bench-browser  time slider moves end to end in JupyterLab + Chromium (key press to new image)"
	@echo "make slides      one offline reveal.js deck per notebook in build/slides/ (needs npm)"
	@echo "make html        every notebook as an offline static page in build/html/ (needs npm)"
	@echo "make lite        the JupyterLite site (no install, in the browser) in build/lite/"
	@echo "make hub         a dry-run JupyterHub on 127.0.0.1 (HUB_PORT=8000) and the nbgitpuller link to hand out"
	@echo "make bench-classroom  LEARNERS=N learners at once on that hub: slider latency and memory per learner"

install: $(STAMP)

# What a learner needs: the notebooks' packages and JupyterLab.
$(LAB_STAMP): pyproject.toml constraints.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[lab]'
	@touch $(LAB_STAMP)

# What a teacher who grades needs: the lab and nbgrader (make assignments; TEACHING.md "Grade it").
$(GRADE_STAMP): pyproject.toml constraints.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[lab,grade]'
	@touch $(GRADE_STAMP) $(LAB_STAMP)

# make hub: the learner's packages and JupyterHub (the `hub` extra), no test tools.
$(HUB_STAMP): pyproject.toml constraints.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[lab,hub]'
	@touch $(HUB_STAMP) $(LAB_STAMP)

# Everything: also the test tools, the benchmark library, the JupyterLite builder, nbgrader and the hub.
$(STAMP): pyproject.toml constraints.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[lab,test,lite,bench,hub,grade]'
	@touch $(STAMP) $(LAB_STAMP) $(GRADE_STAMP) $(HUB_STAMP)

# Prints one clickable URL with the token once the server answers; no news popup, no update check.
lab: $(LAB_STAMP)
	@$(if $(filter command line,$(origin TOKEN)),JUPYTER_TOKEN="$$TOKEN" )exec $(BIN)/python tools/lab.py --port=$(PORT)

test: $(STAMP) $(NODE_STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

test-browser: $(STAMP) $(NODE_STAMP)
	$(BIN)/python -m pytest tests/browser $(PYTEST_ARGS)

notebooks: $(STAMP)
	$(BIN)/python tools/run_notebooks.py

# The teacher's copy: each exercise's starter replaced by its solution, executed (git-ignored).
solutions: $(STAMP)
	$(BIN)/python tools/make_solutions.py build/solutions

# The graded course for nbgrader: build/nbgrader/{nbgrader_config.py,source,release} (git-ignored).
assignments: $(GRADE_STAMP)
	$(BIN)/python tools/make_assignments.py build/nbgrader

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_helpers.py $(BENCH_ARGS)
	$(BIN)/python benchmarks/bench_playground.py  # training per activation against tanh, notebook 05's run

# A slider move end to end in JupyterLab + headless Chromium (BENCH_ARGS="--presses 10 notebooks/01_linear.ipynb").
bench-browser: $(STAMP)
	$(BIN)/python benchmarks/bench_browser.py $(BENCH_ARGS)

# reveal.js, MathJax and the widgets manager for the offline decks and pages, from package-lock.json.
$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
	@touch $(NODE_STAMP)

slides: $(STAMP) $(NODE_STAMP)
	$(BIN)/python tools/slides.py slides

html: $(STAMP) $(NODE_STAMP)
	$(BIN)/python tools/slides.py html

lite: $(STAMP)
	$(BIN)/python tools/build_lite.py

# A classroom server (classroom/jupyterhub_config.py) as a dry run: 127.0.0.1 only, any password for
# learner1..4 and teacher; prints the nbgitpuller link that clones this repository. Ctrl-C stops it.
HUB_PORT ?= 8000
LEARNERS ?= 4
hub: $(HUB_STAMP) $(NODE_STAMP)
	$(BIN)/python -m classroom.run_hub --port $(HUB_PORT)

# LEARNERS=N learners at once in headless Chromium on that hub: sign in, pull, run notebook 01, slider.
bench-classroom: $(STAMP) $(NODE_STAMP)
	$(BIN)/python -m classroom.bench_classroom --learners $(LEARNERS)

# Re-pin constraints.txt to what is installed in .venv now (after changing pyproject.toml).
lock:
	$(BIN)/python -m pip freeze --exclude-editable --exclude activations-helpers > constraints.txt

clean:
	rm -rf $(VENV) build *.egg-info node_modules

# Time the cells of each segment of TEACHING.md's lesson plans (prints the table the guide shows).
.PHONY: time-lessons
time-lessons: $(STAMP)
	$(BIN)/python tools/time_lessons.py
