# libgumloop: the two commands every checkout supports are `make demo` and `make test`.
# Each part of the project keeps its targets in mk/<part>.mk; this file only ties them together.

SHELL := /bin/bash
.DEFAULT_GOAL := demo
ROOT := $(abspath $(dir $(lastword $(MAKEFILE_LIST))))
CARGO ?= cargo

include $(sort $(wildcard $(ROOT)/mk/*.mk))

.PHONY: demo test
demo: $(DEMO_DEPS)
test: $(TEST_DEPS)
	@echo "make test: all suites passed"
