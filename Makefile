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

.PHONY: demo test
demo: $(DEMO_DEPS)
test: $(TEST_DEPS)
	@echo "make test: all suites passed"
