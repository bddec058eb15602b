# lefbot — the two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: run test lint bench kb-check clean

$(STAMP): pyproject.toml
	@echo "lefbot: setting up $(VENV) in three steps (full log: $(VENV)/install.log)"
	@test -x $(BIN)/python || (echo "[1/3] creating the virtual environment $(VENV)" && $(PYTHON) -m venv $(VENV))
	@echo "[2/3] upgrading pip"
	@$(BIN)/python -m pip install --upgrade --progress-bar on --log $(VENV)/install.log pip
	@echo "[3/3] installing lefbot and its dependencies (about 20 s the first time)"
	@$(BIN)/python -m pip install --progress-bar on --log $(VENV)/install.log -e '.[test,postgres]'
	@rm -f $(VENV)/.installed-* && touch $@ && echo "lefbot: $(VENV) is ready"

run: $(STAMP) ## Set up and start the bot (Slack when configured in .env, else the console chat)
	@$(BIN)/lefbot run

test: $(STAMP) ## Set up and run the test suite (SQLite; PostgreSQL too when TEST_DATABASE_URL is set)
	@$(BIN)/ruff check .
	@$(BIN)/ruff format --check .
	@$(BIN)/python -m pytest

lint: $(STAMP)
	@$(BIN)/ruff check .
	@$(BIN)/ruff format --check .

bench: $(STAMP) ## Speed and memory, against baselines measured in the same run
	@for b in qa semantic slack teams nudges checkins; do echo "== benchmarks/$$b.py"; $(BIN)/python benchmarks/$$b.py || exit 1; done

kb-check: $(STAMP)
	@$(BIN)/lefbot kb check

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
