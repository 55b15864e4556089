# `make run` serves the service on http://127.0.0.1:$(PORT) over a local AWS (moto);
# `make test` runs lint and the whole suite. Both set up what they need first.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
MOTO_PORT ?= 4566
export PORT MOTO_PORT

.PHONY: run test lint unit api e2e token bench clean

$(BIN)/.installed: requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

run: $(BIN)/.installed
	bash scripts/run_local.sh

test: $(BIN)/.installed lint
	$(BIN)/python -m pytest

lint: $(BIN)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

unit: $(BIN)/.installed
	$(BIN)/python -m pytest tests/unit

# A bearer token for the local stack: make token ROLE=supervisor DEPT=service [USER=alice]
ROLE ?= supervisor
DEPT ?= service
USER_ID ?= $(ROLE)-1
token: $(BIN)/.installed
	@$(BIN)/python scripts/mint_token.py --user $(USER_ID) --role $(ROLE) --dept $(DEPT)

bench: $(BIN)/.installed
	$(BIN)/python -m bench.intake_calls
	$(BIN)/python -m bench.import_time

clean:
	rm -rf $(VENV) .local chalice.out build .pytest_cache .ruff_cache
