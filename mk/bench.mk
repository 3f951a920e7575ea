# Benchmarks: libgumloop against its peers (benches/, results in docs/BENCHMARKS.md and
# docs/benchmarks.png). Not part of `make test`. Included by the root Makefile (ROOT, CARGO).
#
#   make bench          every client on every workload against a release emulator, streaming,
#                       time to first call, library size and a callgrind profile; rewrites
#                       docs/BENCHMARKS.md and docs/benchmarks.png (about ten minutes)
#   make bench-c        only the C bench programs (build/bench/)
#   make bench-percall  only the Python per-call cost, main thread against a worker thread
#   make bench-go       only the Go bench program (benches/go, offline, against the release library)
#   make bench-node     only the Node package build that benches/node_client.mjs loads
#   make bench-async    only 1,000 concurrent streams in one process (AsyncClient, the SDK's
#                       AsyncGumloop, the blocking client on 1,000 threads); prints the table
#                       and writes build/bench/async-streams.md (BENCH_ASYNC_STREAMS=N)
#   BENCH_SECONDS=N     the measured window of each run (default 3)
#   BENCH_ROUNDS=N      runs of each configuration, interleaved; the median is reported (default 3)
#
# Installs what is missing: wrk, curl, Debian's libcurl development package, valgrind and
# linux-perf (apt-get), and a venv .venv-bench with the pinned versions of
# benches/requirements.txt plus gumloop_ffi from bindings/python.

BENCH_DIR := $(ROOT)/build/bench
BENCH_VENV := $(ROOT)/.venv-bench
BENCH_PY := $(BENCH_VENV)/bin/python
BENCH_PIP := $(BENCH_PY) -m pip --disable-pip-version-check
BENCH_PYTHON3 ?= python3
BENCH_REQUIREMENTS := $(ROOT)/benches/requirements.txt
BENCH_VENV_STAMP := $(BENCH_VENV)/.gumloop-bench
BENCH_CC ?= cc
BENCH_CFLAGS := -std=c11 -Wall -Wextra -Wpedantic -Werror -O2
BENCH_LIB := $(TARGET_DIR)/release/libgumloop.so
BENCH_EMULATOR := $(TARGET_DIR)/release/gumloop-emulator
BENCH_SECONDS ?= 3
BENCH_ROUNDS ?= 3
BENCH_ASYNC_STREAMS ?= 1000

BENCH_GO_CACHE := $(BENCH_DIR)/go-cache

.PHONY: bench bench-tools bench-release bench-release-bins bench-c bench-go bench-node bench-python \
	bench-async

## bench-tools: the system tools the benchmarks use, installed with apt-get when missing
bench-tools:
	@missing=""; \
	command -v wrk >/dev/null 2>&1 || missing="$$missing wrk"; \
	command -v curl >/dev/null 2>&1 || missing="$$missing curl"; \
	command -v valgrind >/dev/null 2>&1 || missing="$$missing valgrind"; \
	command -v perf >/dev/null 2>&1 || missing="$$missing linux-perf"; \
	echo '#include <curl/curl.h>' | $(BENCH_CC) -E -x c - >/dev/null 2>&1 || \
		missing="$$missing libcurl4-openssl-dev"; \
	if [ -n "$$missing" ]; then \
		echo "installing:$$missing"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	fi

## bench-release: the release library and the release emulator, and the hand-over bench
bench-release: bench-release-bins
	cd $(ROOT) && $(CARGO) bench --no-run --quiet --bench handover
	cd $(ROOT) && $(CARGO) bench --no-run --quiet --bench log_overhead

bench-release-bins:
	cd $(ROOT) && $(CARGO) build --release -p gumloop-ffi -p gumloop-emulator
	@$(ROOT)/scripts/soname-link.sh $(TARGET_DIR)/release >/dev/null

## bench-c: the C bench programs, against the release libgumloop.so
bench-c: bench-tools bench-release
	@mkdir -p $(BENCH_DIR)
	$(BENCH_CC) $(BENCH_CFLAGS) -I$(ROOT)/include $(ROOT)/benches/c/bench_gumloop.c \
		$(ROOT)/benches/c/bench_client.c $(ROOT)/benches/c/bench.c -L$(TARGET_DIR)/release -Wl,-rpath,$(TARGET_DIR)/release \
		-lgumloop -lpthread -o $(BENCH_DIR)/bench_gumloop
	$(BENCH_CC) $(BENCH_CFLAGS) $(ROOT)/benches/c/bench_curl.c $(ROOT)/benches/c/bench.c \
		-lcurl -lpthread -o $(BENCH_DIR)/bench_curl
	$(BENCH_CC) $(BENCH_CFLAGS) -I$(ROOT)/include $(ROOT)/benches/c/first_call.c \
		$(ROOT)/benches/c/bench.c -ldl -lpthread -o $(BENCH_DIR)/first_call
	$(BENCH_CC) $(BENCH_CFLAGS) -I$(ROOT)/include $(ROOT)/benches/c/bench_poll.c \
		$(ROOT)/benches/c/bench_client.c $(ROOT)/benches/c/bench.c -L$(TARGET_DIR)/release -Wl,-rpath,$(TARGET_DIR)/release \
		-lgumloop -lpthread -o $(BENCH_DIR)/bench_poll
	$(BENCH_CC) $(BENCH_CFLAGS) $(ROOT)/benches/c/bench_multi.c $(ROOT)/benches/c/bench.c \
		-lcurl -lpthread -o $(BENCH_DIR)/bench_multi

## bench-go: benches/go (the gumloop package from bindings/go, by a replace directive, against
## net/http), built offline (GOPROXY=off) against the release library
bench-go: go-tool bench-release-bins
	@mkdir -p $(BENCH_DIR)
	cd $(ROOT)/benches/go && GOPROXY=off GOCACHE=$(BENCH_GO_CACHE) CGO_ENABLED=1 \
		CGO_LDFLAGS="-L$(TARGET_DIR)/release -Wl,-rpath,$(TARGET_DIR)/release" \
		sh -c '$(GO) vet . && $(GO) build -o $(BENCH_DIR)/gumloopbench .'

## bench-node: the gumloop-ffi package in bindings/node built (its pinned dependencies, tsc)
bench-node: node-deps
	cd $(NODE_DIR) && npm run --silent build

$(BENCH_VENV_STAMP): $(BENCH_REQUIREMENTS)
	@test -x $(BENCH_PY) || $(BENCH_PYTHON3) -m venv $(BENCH_VENV)
	@echo '*' > $(BENCH_VENV)/.gitignore
	$(BENCH_PIP) install --quiet -r $(BENCH_REQUIREMENTS)
	@cp $(BENCH_REQUIREMENTS) $@

## bench-python: the bench venv, with gumloop_ffi freshly installed from bindings/python
bench-python: $(BENCH_VENV_STAMP) bench-release-bins
	rm -rf $(ROOT)/bindings/python/build
	cd $(ROOT) && GUMLOOP_FFI_PREBUILT_LIBRARY=$(BENCH_LIB) $(BENCH_PIP) install --quiet \
		--no-build-isolation --no-deps --force-reinstall ./bindings/python

## bench: all benchmarks; rewrites docs/BENCHMARKS.md and docs/benchmarks.png
bench: bench-tools bench-release bench-c bench-go bench-node bench-python
	@echo "load average before the run: $$(cut -d' ' -f1-3 /proc/loadavg) ($$(nproc) cores)"
	cd $(ROOT) && CARGO=$(CARGO) GUMLOOP_EMULATOR_BIN=$(BENCH_EMULATOR) \
		GUMLOOP_EMULATOR_ARGS="--fixtures benches/emulator-fixtures.json" \
		scripts/with-emulator.sh $(BENCH_PY) benches/run.py \
		--bin-dir $(BENCH_DIR) --lib $(BENCH_LIB) --work-dir $(BENCH_DIR)/work \
		--seconds $(BENCH_SECONDS) --rounds $(BENCH_ROUNDS) --results $(BENCH_DIR)/results.json \
		--async-streams $(BENCH_ASYNC_STREAMS) \
		--markdown docs/BENCHMARKS.md --chart docs/benchmarks.png

## bench-async: only the concurrent-streams comparison (prints it; docs/ untouched)
bench-async: bench-python
	@mkdir -p $(BENCH_DIR)/work
	cd $(ROOT) && GUMLOOP_EMULATOR_BIN=$(BENCH_EMULATOR) \
		GUMLOOP_EMULATOR_ARGS="--fixtures benches/emulator-fixtures.json" \
		scripts/with-emulator.sh $(BENCH_PY) benches/run.py --only-async \
		--bin-dir $(BENCH_DIR) --lib $(BENCH_LIB) --work-dir $(BENCH_DIR)/work \
		--rounds $(BENCH_ROUNDS) --async-streams $(BENCH_ASYNC_STREAMS) \
		--results $(BENCH_DIR)/async-streams.json --markdown $(BENCH_DIR)/async-streams.md \
		--chart $(BENCH_DIR)/unused.png

## bench-percall: only the Python blocking client's per-call cost, main thread against a worker
## thread (and the official SDK); prints one JSON line
.PHONY: bench-percall
bench-percall: bench-python
	cd $(ROOT) && GUMLOOP_EMULATOR_BIN=$(BENCH_EMULATOR) scripts/with-emulator.sh \
		$(BENCH_PY) benches/py_percall.py --rounds $(BENCH_ROUNDS) --sdk
