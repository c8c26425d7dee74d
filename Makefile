# Callbox: `make run` and `make test` are all a fresh machine needs (README.md).
SHELL := /bin/bash
.DEFAULT_GOAL := help

ARCH := $(shell uname -m | sed -e 's/x86_64/x64/' -e 's/aarch64/arm64/')
# The firmware runs on Node 24 LTS from npm (the machine's own Node may be older); tests run on the same binary.
NODE = $(CURDIR)/node_modules/node-linux-$(ARCH)/bin/node
NPM_STAMP := node_modules/.callbox-installed
TEST_FILES ?= $(shell find firmware test-hw scripts -name '*.test.ts' -not -path '*/node_modules/*' | sort)
TEST_CONCURRENCY ?= 2

.PHONY: help run test lint bench build clean deps-run deps-test typecheck firmware test-hw

help:
	@echo "make run    install what is missing, build, start the appliance on 127.0.0.1"
	@echo "make test   install what is missing, run every test"
	@echo "make lint   type-check and lint (module borders included)"
	@echo "make bench  run the benchmarks and print a table"
	@echo "make firmware  build the one-file firmware for linux-x64 and linux-arm64 (build/firmware)"
	@echo "make test-hw    tests on a real board (skips elsewhere)"
	@echo "make clean  remove build output (keeps ./var, the data directory)"

$(NPM_STAMP): package.json package-lock.json web-ui/package.json
	@command -v npm >/dev/null || { echo "npm is missing: install Node.js and npm (Debian: apt-get install nodejs npm)" >&2; exit 1; }
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

deps-run: $(NPM_STAMP)
	@scripts/install-system-deps.sh run

deps-test: $(NPM_STAMP)
	@scripts/install-system-deps.sh test

typecheck: $(NPM_STAMP)
	$(NODE) node_modules/typescript/bin/tsc -p .
	$(NODE) node_modules/typescript/bin/tsc -p web-ui

build: $(NPM_STAMP)
	@PATH="$(dir $(NODE)):$$PATH" scripts/build.sh

run: deps-run build
	@PATH="$(dir $(NODE)):$$PATH" $(NODE) firmware/dist/callbox.mjs run

lint: typecheck
	$(NODE) node_modules/eslint/bin/eslint.js .

test: deps-test build firmware lint
	@PATH="$(dir $(NODE)):$$PATH" $(NODE) --test --test-concurrency=$(TEST_CONCURRENCY) --test-timeout=300000 $(TEST_FILES)

bench: deps-test build
	@PATH="$(dir $(NODE)):$$PATH" $(NODE) scripts/bench.ts

firmware: deps-test build
	@PATH="$(dir $(NODE)):$$PATH" scripts/build-firmware.sh

test-hw: $(NPM_STAMP)
	@$(NODE) test-hw/run.ts

clean:
	rm -rf firmware/dist web-ui/dist build test-artifacts
