# Soak run: tests/soak/soak.c (32 threads of mixed calls with random faults for SOAK_SECONDS)
# against a release build of the library and of the emulator. Not part of `make test`.
# Included by the root Makefile, which defines ROOT and CARGO.
#
#   make soak                      the full run (600 s)
#   make soak SOAK_SECONDS=60      a shorter one
#
# The figures of the last full run are in docs/RELIABILITY.md.

SOAK_SECONDS ?= 600
SOAK_THREADS ?= 32
SOAK_CC ?= cc
SOAK_CFLAGS := -std=c11 -Wall -Wextra -Wpedantic -Werror -O2 -g
SOAK_BUILD := $(ROOT)/build/soak

.PHONY: soak soak-build soak-emulator

$(SOAK_BUILD)/soak: $(addprefix $(ROOT)/,tests/soak/soak.c tests/c/harness.c tests/c/harness.h include/gumloop.h) lib-release
	@mkdir -p $(SOAK_BUILD)
	$(SOAK_CC) $(SOAK_CFLAGS) -I$(ROOT)/include -I$(ROOT)/tests/c $(ROOT)/tests/soak/soak.c $(ROOT)/tests/c/harness.c \
		-L$(TARGET_DIR)/release -Wl,-rpath,$(TARGET_DIR)/release -lgumloop -lpthread -o $@

soak-build: $(SOAK_BUILD)/soak

soak-emulator:
	cd $(ROOT) && $(CARGO) build --release -p gumloop-emulator

soak: soak-build soak-emulator
	cd $(ROOT) && GUMLOOP_EMULATOR_BIN=$(TARGET_DIR)/release/gumloop-emulator \
		SOAK_SECONDS=$(SOAK_SECONDS) SOAK_THREADS=$(SOAK_THREADS) \
		scripts/with-emulator.sh $(SOAK_BUILD)/soak
