# Two commands do all the set-up on a fresh machine (Python 3.10+ and make):
#   make lab    create .venv if missing, install, start JupyterLab on the notebooks
#   make test   create or update .venv, run the whole test suite
# .venv is (re)installed only when pyproject.toml or constraints.txt changed since the last install.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PORT   ?= 8888
# A fresh random token per `make lab` unless you pass TOKEN=...; an empty token is refused below.
TOKEN  ?= $(shell $(PYTHON) -c "import secrets; print(secrets.token_hex(24))")
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)
PYTEST_ARGS ?=

.PHONY: install lab test test-browser notebooks bench lock clean help

help:
	@echo "make lab         start JupyterLab on notebooks/ (PORT=8888, TOKEN=random)"
	@echo "make test        run the whole suite: unit tests, doctests, strict nbval, browser tests"
	@echo "make test-browser  run only the real-browser tests"
	@echo "make notebooks   re-execute every notebook in place (the stored outputs nbval checks)"
	@echo "make bench       print the benchmark tables"

install: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[lab,test]'
	@touch $(STAMP)

lab: $(STAMP)
	@test -n "$(strip $(TOKEN))" || { echo "make lab: TOKEN must not be empty"; exit 2; }
	$(BIN)/jupyter lab --no-browser --ip=127.0.0.1 --port=$(PORT) $(ROOT_FLAG) \
		--IdentityProvider.token=$(TOKEN) \
		--ServerApp.root_dir=notebooks --LabApp.default_url=/lab/tree/index.ipynb

test: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

test-browser: $(STAMP)
	$(BIN)/python -m pytest tests/browser $(PYTEST_ARGS)

notebooks: $(STAMP)
	$(BIN)/python tools/run_notebooks.py

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_helpers.py

# Re-pin constraints.txt to what is installed in .venv now (after changing pyproject.toml).
lock:
	$(BIN)/python -m pip freeze --exclude-editable --exclude activations-helpers > constraints.txt

clean:
	rm -rf $(VENV) build *.egg-info
