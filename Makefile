# One entry point for people and CI. A fresh machine needs only Python 3.11+ and make:
# the first target that needs the environment builds it from uv.lock.
PYTHON ?= python3
STACK ?= dev
CONFIG ?=
PLAN_DIR := build/plan/$(STACK)
UV_VERSION := 0.13.8

TOOLS := .tools
UV := $(TOOLS)/bin/uv
VENV := .venv
PY := $(VENV)/bin/python
# Never download a Python build (only package registries are reachable in CI).
export UV_PYTHON_DOWNLOADS := never
export UV_PYTHON := $(PYTHON)

.PHONY: help env plan test lint typecheck pytest workflows docs schema snapshots clean

help:  ## Show the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

$(VENV)/.synced: $(UV) uv.lock pyproject.toml
	$(UV) sync --locked --quiet
	@touch $@

env: $(VENV)/.synced  ## Build .venv from uv.lock (the same environment `pulumi up` uses)

plan: env  ## Offline plan: make plan [STACK=prd] [CONFIG="key=value ..."]
	$(PY) -m offline --stack $(STACK) $(foreach c,$(CONFIG),--config '$(c)') \
		--json $(PLAN_DIR)/graph.json --mermaid $(PLAN_DIR)/architecture.mmd

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
	$(VENV)/bin/pytest -n 2

docs: env  ## Regenerate the README's configuration table from Pulumi.yaml
	$(PY) -m papyrus.config_docs --write README.md

schema: env  ## Write the component package schema (what `pulumi package add` generates SDKs from)
	$(PY) -m components.provider --schema build/schema/papyrus.json

snapshots: env  ## Accept the current resource URNs (after reviewing a rename: see CHANGELOG.md)
	$(PY) -m offline.snapshot --write

clean:
	rm -rf build $(VENV) $(TOOLS)
