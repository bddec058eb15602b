# lefbot — the two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: run test lint bench kb-check clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@echo "Installing lefbot into $(VENV) (log: $(VENV)/install.log)..."
	@$(BIN)/python -m pip install --upgrade pip > $(VENV)/install.log 2>&1 || (cat $(VENV)/install.log; exit 1)
	@$(BIN)/python -m pip install -e '.[test,postgres]' >> $(VENV)/install.log 2>&1 || (cat $(VENV)/install.log; exit 1)
	@rm -f $(VENV)/.installed-* && touch $@

run: $(STAMP) ## Set up and start the bot (Slack when configured in .env, else the console chat)
	@$(BIN)/lefbot run

test: $(STAMP) ## Set up and run the test suite (SQLite; PostgreSQL too when TEST_DATABASE_URL is set)
	@$(BIN)/ruff check .
	@$(BIN)/python -m pytest

lint: $(STAMP)
	@$(BIN)/ruff check .
	@$(BIN)/ruff format --check . || true

bench: $(STAMP) ## Speed and memory, against baselines measured in the same run
	@for b in qa semantic slack teams nudges checkins; do echo "== benchmarks/$$b.py"; $(BIN)/python benchmarks/$$b.py || exit 1; done

kb-check: $(STAMP)
	@$(BIN)/lefbot kb check

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
