# libgumloop: the two commands every checkout supports are `make demo` and `make test`.
# Each part of the project keeps its targets in mk/<part>.mk; this file only ties them together.

SHELL := /bin/bash
.DEFAULT_GOAL := demo
ROOT := $(abspath $(dir $(lastword $(MAKEFILE_LIST))))
CARGO ?= cargo
# Cargo's output directory: CARGO_TARGET_DIR when set (a relative one is taken from the directory
# make runs in), else target/ in the checkout. Exported as an absolute path, so that every cargo
# run, script, test and package build below finds what the others built, wherever make started.
TARGET_DIR := $(abspath $(or $(CARGO_TARGET_DIR),$(ROOT)/target))
export CARGO_TARGET_DIR := $(TARGET_DIR)

include $(sort $(wildcard $(ROOT)/mk/*.mk))

.PHONY: demo test dist test-dist
demo: $(DEMO_DEPS)
# Release artifacts (mk/dist.mk): each make file appends its artifact's target to DIST_DEPS and
# the target that installs and runs it to TEST_DIST_DEPS.
dist: $(DIST_DEPS)
	@$(MAKE) --no-print-directory dist-sums
test-dist: dist
	@$(MAKE) --no-print-directory test-dist-run $(TEST_DIST_DEPS)
test: $(TEST_DEPS)
	@echo "make test: all suites passed"
