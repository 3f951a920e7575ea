# Python: the gumloop_ffi package (bindings/python) and its pytest suite (tests/python).
# Included by the root Makefile, which defines ROOT and CARGO.
#
#   make test-python   venv (.venv), fresh wheel installed into it, mypy --strict, pytest
#   make python-wheel  the platform wheel, into build/python/

PYTHON3 ?= python3
PY_VENV := $(ROOT)/.venv
PY := $(PY_VENV)/bin/python
PY_PIP := $(PY) -m pip --disable-pip-version-check
# Pinned tools; changing a pin rebuilds the venv's tool set. The official SDK (`gumloop`) is
# there for tests/python/test_official_sdk.py; its version and its dependencies are pinned by
# the bench's list (the one place for them), given as constraints.
PY_TOOLS := pytest==9.2.0 mypy==2.4.1 setuptools==84.2.1 gumloop \
	opentelemetry-api==1.45.2 opentelemetry-sdk==1.45.2
PY_TOOLS_PINS := $(ROOT)/benches/requirements.txt
PY_TOOLS_STAMP := $(PY_VENV)/.gumloop-tools
PY_WHEEL_DIR := $(ROOT)/build/python

.PHONY: python-venv python-install python-wheel test-python

$(PY_TOOLS_STAMP): $(ROOT)/mk/python.mk $(PY_TOOLS_PINS)
	@test -x $(PY) || $(PYTHON3) -m venv $(PY_VENV)
	@echo '*' > $(PY_VENV)/.gitignore
	$(PY_PIP) install --quiet --constraint $(PY_TOOLS_PINS) $(PY_TOOLS)
	@echo "$(PY_TOOLS)" > $@

python-venv: $(PY_TOOLS_STAMP)

# A fresh build on every run, so the installed wheel always matches the source. cargo runs in
# lib-release (its output visible here); the package's own build step then finds it up to date.
python-install: python-venv lib-release
	rm -rf $(ROOT)/bindings/python/build
	cd $(ROOT) && CARGO=$(CARGO) $(PY_PIP) install --quiet --no-build-isolation --no-deps \
		--force-reinstall ./bindings/python

python-wheel: python-venv lib-release
	rm -rf $(ROOT)/bindings/python/build
	cd $(ROOT) && CARGO=$(CARGO) $(PY_PIP) wheel --no-build-isolation --no-deps \
		--wheel-dir $(PY_WHEEL_DIR) ./bindings/python

# The suite imports the installed package (never the source tree) and runs against the
# emulator; pytest's own exit status (5 when no test ran) fails the target.
test-python: python-install emulator
	cd $(ROOT) && $(PY) -m mypy --strict --cache-dir $(PY_VENV)/.mypy_cache \
		bindings/python/src/gumloop_ffi tests/python examples/*.py
	cd $(ROOT) && env -u GUMLOOP_FFI_LIBRARY scripts/with-emulator.sh \
		$(PY) -m pytest tests/python -q -p no:cacheprovider

TEST_DEPS += test-python
