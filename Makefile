# `make run` serves the service on http://127.0.0.1:$(PORT) over a local AWS (moto);
# `make test` runs lint and the whole suite. Both set up what they need first.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
NOW ?=
MOTO_PORT ?= 4566
MAIL_PORT ?= 2525
export PORT MOTO_PORT MAIL_PORT

.PHONY: run test lint unit api e2e token jobs rebuild reindex bench clean package

# The browser tests (tests/browser) drive Debian's chromium through Playwright's Python
# package; Playwright's own browser download does not work here, so it is never run.
# A CJK font, so that screenshots show Chinese text.
CHROMIUM := /usr/bin/chromium
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

$(CHROMIUM):
	$(SUDO) apt-get update
	$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y chromium fonts-wqy-microhei

# uv installs the requirements (pinned below; 17 s where pip took 39 s, most of it compiling
# .pyc, which uv does on both cores). uv does not read pip's configuration: on a machine
# whose package index is set only there, uv fails and pip installs the same files. pip stays
# in the venv: `chalice package` runs it, and chalice 1.34 requires pip<26.3.
UV := uv==0.13.9
$(BIN)/.installed: requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade 'pip<26.3' '$(UV)'
	$(BIN)/uv pip install --quiet --compile-bytecode --python $(BIN)/python -r requirements-dev.txt \
	  || $(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

# make run [NOW=2026-12-06T15:00:00+08:00]: serve as if it were then (time flows on from it;
# `make jobs` without NOW follows the same clock).
run: $(BIN)/.installed
	NOW='$(NOW)' bash scripts/run_local.sh

# In parallel (pytest-xdist, one worker per core), a module's tests in one worker so each
# end-to-end module starts its local stack once; the longest kinds of module go out first
# (tests/scheduling.py). PYTEST_WORKERS=0 runs in one process.
PYTEST_WORKERS ?= auto
test: $(BIN)/.installed $(CHROMIUM) lint
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) --dist loadscope

# Deployable SAM templates in build/dev and build/prod, checked by cfn-lint (docs/deploy.md).
# `make test` builds its own copies (tests/infra), so it does not need this first.
package: $(BIN)/.installed
	$(BIN)/python -m infra.build
	$(BIN)/cfn-lint -- build/dev/sam.json build/prod/sam.json

lint: $(BIN)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

unit: $(BIN)/.installed
	$(BIN)/python -m pytest tests/unit

# A bearer token for the local stack:
#   make token ROLE=supervisor DEPT=service [USER_ID=sup-1]
#   make token ROLE=handler,quality DEPT=service,sales     (several: comma-separated)
#   make token ROLE=director DEPT='*'                      (every department)
# Each value is passed quoted, so a shell never expands `*`.
ROLE ?= supervisor
DEPT ?= service
comma := ,
USER_ID ?= $(firstword $(subst $(comma), ,$(ROLE)))-1
LOCAL_DIR ?= .local
token: $(BIN)/.installed
	@$(BIN)/python scripts/mint_token.py --key-dir '$(LOCAL_DIR)/auth' --user '$(USER_ID)' \
	  $(foreach r,$(subst $(comma), ,$(ROLE)),--role '$(r)') \
	  $(foreach d,$(subst $(comma), ,$(DEPT)),--dept '$(d)')

# Run the scheduled jobs once against the running local stack: make jobs [NOW=2026-02-20T10:00:00+08:00]
# (without NOW: the stack's clock, pinned by `make run NOW=...` or the system's)
jobs: $(BIN)/.installed
	bash -c 'source scripts/local_env.sh && $(BIN)/python -m scripts.run_jobs $(if $(NOW),--now $(NOW))'

# Recompute a month's statistics from the complaints of the running local stack and show
# any difference from the stored counters: make rebuild MONTH=2026-11 [FIX=1]
MONTH ?=
FIX ?=
rebuild: $(BIN)/.installed
	bash -c 'source scripts/local_env.sh && $(BIN)/python -m scripts.rebuild_stats --month $(MONTH) $(if $(FIX),--fix)'

# Complaints stored before the lookup index and queue counters (issue 18): make reindex
reindex: $(BIN)/.installed
	bash -c 'source scripts/local_env.sh && $(BIN)/python -m scripts.reindex'

bench: $(BIN)/.installed
	$(BIN)/python -m bench.intake_calls
	$(BIN)/python -m bench.import_time
	$(BIN)/python -m bench.job_scan
	$(BIN)/python -m bench.list_reads
	$(BIN)/python -m bench.search_reads
	$(BIN)/python -m bench.queue_counts
	$(BIN)/python -m bench.retention_reads
	$(BIN)/python -m bench.conflicts
	$(BIN)/python -m bench.cold_start $(if $(wildcard build/dev/deployment.zip),--package build/dev/deployment.zip)

clean:
	rm -rf $(VENV) .local chalice.out build .pytest_cache .ruff_cache
