# The Gumloop emulator (tests/emulator): build, test, benchmark.
# Included by the root Makefile, which defines ROOT and CARGO.

EMULATOR_BIN := $(TARGET_DIR)/debug/gumloop-emulator

.PHONY: emulator test-emulator bench-emulator

## emulator: build the emulator binary ($(EMULATOR_BIN))
emulator:
	cd $(ROOT) && $(CARGO) build -p gumloop-emulator

## test-emulator: the emulator's own test suite
test-emulator:
	cd $(ROOT) && $(CARGO) test -p gumloop-emulator

TEST_DEPS += test-emulator

BENCH_EMULATOR_SECONDS ?= 5
BENCH_EMULATOR_CONNECTIONS ?= 64

## bench-emulator: requests/s of an idle-stub create against a release build (uses wrk)
bench-emulator:
	@command -v wrk >/dev/null 2>&1 || { apt-get update && apt-get install -y wrk; }
	cd $(ROOT) && $(CARGO) build --release -p gumloop-emulator
	cd $(ROOT) && GUMLOOP_EMULATOR_BIN=$(TARGET_DIR)/release/gumloop-emulator \
		BENCH_SECONDS=$(BENCH_EMULATOR_SECONDS) BENCH_CONNECTIONS=$(BENCH_EMULATOR_CONNECTIONS) \
		scripts/with-emulator.sh tests/emulator/bench/create-idle.sh
