# The official SDK's OAuth requests against the library's, field by field (tests/sdk_wire).
#
#   make test-sdk-wire   a venv (.venv-sdk) with the SDK pinned, then pytest against the emulator

SDK_VENV := $(ROOT)/.venv-sdk
SDK_PY := $(SDK_VENV)/bin/python
SDK_REQUIREMENTS := $(ROOT)/tests/sdk_wire/requirements.txt
SDK_STAMP := $(SDK_VENV)/.gumloop-requirements

.PHONY: test-sdk-wire

$(SDK_STAMP): $(SDK_REQUIREMENTS)
	@test -x $(SDK_PY) || $(PYTHON3) -m venv $(SDK_VENV)
	@echo '*' > $(SDK_VENV)/.gitignore
	$(SDK_PY) -m pip --disable-pip-version-check install --quiet --no-deps -r $(SDK_REQUIREMENTS)
	@cp $(SDK_REQUIREMENTS) $@

test-sdk-wire: $(SDK_STAMP) lib emulator
	cd $(ROOT) && GUMLOOP_FFI_LIBRARY=$(LIB_DEBUG) scripts/with-emulator.sh \
		$(SDK_PY) -m pytest tests/sdk_wire -q -p no:cacheprovider

TEST_DEPS += test-sdk-wire
