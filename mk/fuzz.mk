# Fuzzing: libFuzzer targets for the body checks, the options parser, the error-body mapper and
# the SSE decoder (fuzz/, a cargo-fuzz project with its own workspace; see fuzz/README.md).
# Not part of `make test`: fuzzing is open-ended and its findings are reported, not gated.
#
#   make fuzz                      each target for FUZZ_SECONDS (60) seconds, one after another
#   make fuzz FUZZ_TARGETS=sse     only the named targets
#   make fuzz-check                only build the targets (quick)
#   make fuzz FUZZ_KEEP_GOING=0    stop each target at its first finding (libFuzzer's usual mode)
#
# Works on a stable toolchain: the targets are built with `--sanitizer none`, which needs no
# nightly flag (every flag cargo-fuzz then passes to rustc is stable). FUZZ_SANITIZER=address
# asks for AddressSanitizer, whose `-Zsanitizer` flag is unstable: it is unlocked with
# RUSTC_BOOTSTRAP=1 and built into its own target directory.

CARGO_FUZZ_VERSION := 0.13.2
CARGO_FUZZ := $(ROOT)/.tools/bin/cargo-fuzz
FUZZ_DIR := $(ROOT)/fuzz
FUZZ_TARGETS ?= body options server_error sse
FUZZ_SECONDS ?= 60
FUZZ_SANITIZER ?= none
# 1: fork mode that records every finding and fuzzes on for the whole time (a seed that still
# fails, kept as a regression input, must not end the run at second 0); 0: stop at the first.
FUZZ_KEEP_GOING ?= 1
# Extra libFuzzer flags, e.g. FUZZ_ARGS=-max_len=8192
FUZZ_ARGS ?=
ifeq ($(FUZZ_KEEP_GOING),1)
FUZZ_MODE_ARGS := -fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1
else
FUZZ_MODE_ARGS := -print_final_stats=1
endif

ifeq ($(FUZZ_SANITIZER),none)
FUZZ_ENV :=
FUZZ_TARGET_DIR := $(FUZZ_DIR)/target
else
FUZZ_ENV := RUSTC_BOOTSTRAP=1
FUZZ_TARGET_DIR := $(FUZZ_DIR)/target/$(FUZZ_SANITIZER)
endif
# Release build with debug assertions and overflow checks.
FUZZ_BUILD_FLAGS := --sanitizer $(FUZZ_SANITIZER) --release --debug-assertions \
	--target-dir $(FUZZ_TARGET_DIR)

.PHONY: cargo-fuzz fuzz fuzz-check

# cargo-fuzz at exactly the pinned version, installed into .tools when missing or different.
cargo-fuzz:
	@if ! "$(CARGO_FUZZ)" --version 2>/dev/null | grep -qx "cargo-fuzz $(CARGO_FUZZ_VERSION)"; then \
		echo "installing cargo-fuzz $(CARGO_FUZZ_VERSION) into .tools"; \
		env -u CARGO_TARGET_DIR $(CARGO) install cargo-fuzz --version $(CARGO_FUZZ_VERSION) --locked --root "$(ROOT)/.tools" --force; \
	fi

fuzz-check: cargo-fuzz
	cd $(ROOT) && $(FUZZ_ENV) "$(CARGO_FUZZ)" fuzz build $(FUZZ_BUILD_FLAGS)

# Each target runs in turn (never two at once). New inputs go to fuzz/target/corpus/<target>, so
# the committed seeds in fuzz/corpus/<target> stay as they are. libFuzzer's whole output goes to
# fuzz/target/logs/<target>.log; its progress lines are shown. A finding is an input written to
# fuzz/artifacts/<target>/ during the run (or libFuzzer failing): the findings are grouped by the
# assertion that failed. Every target runs even when an earlier one has findings; the goal fails
# if any had.
FUZZ_HOST = $(shell rustc -vV 2>/dev/null | sed -n 's/^host: //p')
fuzz: fuzz-check
	@set -o pipefail; failed=""; \
	for t in $(FUZZ_TARGETS); do \
		mkdir -p "$(FUZZ_TARGET_DIR)/corpus/$$t" "$(FUZZ_TARGET_DIR)/logs" "$(FUZZ_DIR)/artifacts/$$t"; \
		stamp="$(FUZZ_TARGET_DIR)/corpus/.$$t.start"; touch "$$stamp"; \
		log="$(FUZZ_TARGET_DIR)/logs/$$t.log"; \
		echo "== fuzz $$t for $(FUZZ_SECONDS) s (log: $$log)"; \
		( cd $(ROOT) && $(FUZZ_ENV) "$(CARGO_FUZZ)" fuzz run $(FUZZ_BUILD_FLAGS) $$t \
			"$(FUZZ_TARGET_DIR)/corpus/$$t" "$(FUZZ_DIR)/corpus/$$t" -- \
			-max_total_time=$(FUZZ_SECONDS) -timeout=10 $(FUZZ_MODE_ARGS) $(FUZZ_ARGS) ) 2>&1 \
			| tee "$$log" | grep --line-buffered -E '^(#[0-9]+|INFO: fuzzed|INFO: exiting|stat::)' \
			|| failed="$$failed $$t"; \
		new=$$(find "$(FUZZ_DIR)/artifacts/$$t" -type f -newer "$$stamp" | sort); \
		if [ -n "$$new" ]; then \
			echo "== $$t: findings ($$(echo "$$new" | wc -l) inputs in fuzz/artifacts/$$t/):"; \
			"$(FUZZ_DIR)/scripts/triage.sh" "$(FUZZ_TARGET_DIR)/$(FUZZ_HOST)/release/$$t" $$new; \
			case " $$failed " in *" $$t "*) ;; *) failed="$$failed $$t";; esac; \
		fi; \
	done; \
	if [ -n "$$failed" ]; then \
		echo "make fuzz: findings in:$$failed (reproduce and minimize: see fuzz/README.md)"; exit 1; \
	fi; \
	echo "make fuzz: no findings in $(FUZZ_TARGETS)"
