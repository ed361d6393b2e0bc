# One entry point for people and CI. A fresh machine needs only Python 3.11+ and make:
# the first target that needs the environment builds it from uv.lock.
PYTHON ?= python3
STACK ?= dev
CONFIG ?=
# An earlier plan's graph.json to compare with: make plan BASE=build/base-plan/dev/graph.json
BASE ?=
PLAN_DIR := build/plan/$(STACK)
UV_VERSION := 0.13.8

TOOLS := .tools
UV := $(TOOLS)/bin/uv
VENV := .venv
PY := $(VENV)/bin/python
# Never download a Python build (only package registries are reachable in CI).
export UV_PYTHON_DOWNLOADS := never
export UV_PYTHON := $(PYTHON)

.PHONY: help env plan test lint typecheck pytest workflows docs schema snapshots deploy-role clean

help:  ## Show the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

# Bytecode compiled once here: the tests start several Python processes (the provider host, make
# plan, pytest's workers), and each would otherwise compile the provider SDKs again (seconds each,
# and every time where PYTHONDONTWRITEBYTECODE is set).
$(VENV)/.synced: $(UV) uv.lock pyproject.toml
	$(UV) sync --locked --quiet --compile-bytecode
	@touch $@

env: $(VENV)/.synced  ## Build .venv from uv.lock (the same environment `pulumi up` uses)

# CONFIG and STACK reach the plan through the environment, unexpanded: `$(value ...)` keeps
# make from expanding `$5`, and no shell quoting is involved, so spaces, `$` and quotes arrive
# intact. `python -m offline --configs` splits CONFIG like a shell command line (shlex), so a
# value with spaces is quoted once: CONFIG="imageTag=v2 appParameters='{\"A\": \"x y\"}'".
plan: export PLAN_CONFIG := $(value CONFIG)
plan: export PLAN_STACK := $(value STACK)
plan: export PLAN_BASE := $(value BASE)
plan: env  ## Offline plan: make plan [STACK=prd] [CONFIG="key=value ..."] [BASE=old/graph.json]
	$(PY) -m offline --stack "$$PLAN_STACK" --configs "$$PLAN_CONFIG" \
		--json "$(PLAN_DIR)/graph.json" --mermaid "$(PLAN_DIR)/architecture.mmd" \
		$(if $(value BASE),--compare "$$PLAN_BASE")

test: lint typecheck workflows pytest  ## Lint, type check, workflow lint and the test suite

lint: env
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: env
	$(VENV)/bin/mypy
	# Each Python example is a program with its own __main__, so it is checked on its own.
	for main in examples/*/__main__.py; do $(VENV)/bin/mypy "$$(dirname "$$main")" || exit 1; done

workflows: env  ## Check the GitHub Actions workflows offline
	$(VENV)/bin/check-jsonschema --builtin-schema vendor.github-workflows .github/workflows/*.yml
	$(VENV)/bin/zizmor --offline --quiet .github/workflows

pytest: env
	$(VENV)/bin/pytest -n 2 --dist loadgroup

docs: env  ## Regenerate the README's configuration table (Pulumi.yaml) and cost table (the plans)
	$(PY) -m papyrus.config_docs --write README.md
	$(PY) -m cost.readme --write README.md

schema: env  ## Write the component package schema (what `pulumi package add` generates SDKs from)
	$(PY) -m components.provider --schema build/schema/papyrus.json

snapshots: env  ## Accept the current resource URNs (after reviewing a rename: see CHANGELOG.md)
	$(PY) -m offline.snapshot --write

deploy-role: env  ## Regenerate the deploy/preview role policies in deploy_role/policies/ (review the diff)
	$(PY) -m deploy_role --write

clean:
	rm -rf build $(VENV) $(TOOLS)
