# Installing libgumloop like a native library, and testing the installed tree.
# Included by the root Makefile (ROOT, CARGO).
#
#   make install [PREFIX=/usr/local] [DESTDIR=] [LIBDIR=] [INCLUDEDIR=] [LIBRARY_TYPES=]
#                       builds the release library and installs the shared library
#                       (libgumloop.so.VERSION, its SONAME link, libgumloop.so), libgumloop.a,
#                       gumloop.h and gumloop.hpp, gumloop.pc and the CMake package
#   make install-build  only the build (run it as yourself, then `sudo make install-files`)
#   make install-files  only the copy, from an earlier install-build
#   make uninstall      removes those files (same variables)
#   make test-install   installs into a temporary prefix and builds and runs the examples from
#                       it with pkg-config (shared and --static) and CMake; part of `make test`
#   make test-cpp       the C++ API's tests, plainly and under ASan/UBSan; part of `make test`
#
# LIBRARY_TYPES is "shared static" (default), "shared" or "static".

PREFIX ?= /usr/local
DESTDIR ?=
LIBDIR ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
PKGCONFIGDIR ?= $(LIBDIR)/pkgconfig
CMAKEDIR ?= $(LIBDIR)/cmake/gumloop
LIBRARY_TYPES ?= shared static
INSTALL_OUT := $(TARGET_DIR)/release
# What the static library needs, as rustc printed it for the last install-build.
INSTALL_NATIVE_LIBS := $(INSTALL_OUT)/gumloop-native-static-libs.txt
INSTALL_VERSION = $(shell sed -n 's/^version = "\(.*\)"/\1/p' $(ROOT)/Cargo.toml | head -n 1)
INSTALL_ENV = DESTDIR="$(DESTDIR)" PREFIX="$(PREFIX)" LIBDIR="$(LIBDIR)" INCLUDEDIR="$(INCLUDEDIR)" \
	PKGCONFIGDIR="$(PKGCONFIGDIR)" CMAKEDIR="$(CMAKEDIR)" LIBRARY_TYPES="$(LIBRARY_TYPES)" \
	BUILD_OUT="$(INSTALL_OUT)" VERSION="$(INSTALL_VERSION)"
CPP_BUILD := $(ROOT)/build/cpp
WITH_DEBUG_EMULATOR = GUMLOOP_EMULATOR_BIN=$(TARGET_DIR)/debug/gumloop-emulator $(ROOT)/scripts/with-emulator.sh
INSTALL_TEST := $(ROOT)/build/install-test

.PHONY: install install-build install-files uninstall install-tools test-install test-cpp check-exports

# The release build, asking rustc which system libraries the static library needs. rustc says so
# only when it links; when cargo finds the crate fresh, the list saved last time still holds.
install-build:
	@mkdir -p $(INSTALL_OUT)
	@set -o pipefail; cd $(ROOT) && $(CARGO) rustc --release -p gumloop-ffi --lib \
		-- --print native-static-libs 2>&1 | tee $(INSTALL_OUT)/gumloop-install-build.log
	@libs=$$(sed -n 's/^note: native-static-libs: //p' $(INSTALL_OUT)/gumloop-install-build.log); \
	if [ -n "$$libs" ]; then echo "$$libs" > $(INSTALL_NATIVE_LIBS); \
	elif [ ! -s $(INSTALL_NATIVE_LIBS) ]; then \
		echo "rebuilding gumloop-ffi to learn what the static library needs"; \
		cd $(ROOT) && $(CARGO) clean --release -p gumloop-ffi && $(MAKE) --no-print-directory install-build; \
	fi
	@echo "the static library needs: $$(cat $(INSTALL_NATIVE_LIBS))"

install-files:
	@test -s $(INSTALL_NATIVE_LIBS) || { echo "run 'make install-build' first"; exit 1; }
	@$(INSTALL_ENV) NATIVE_STATIC_LIBS="$$(cat $(INSTALL_NATIVE_LIBS))" $(ROOT)/scripts/install.sh install

install: install-build
	@$(MAKE) --no-print-directory install-files

uninstall:
	@$(INSTALL_ENV) $(ROOT)/scripts/install.sh uninstall

# cmake and pkg-config, installed with apt-get when missing.
install-tools:
	@missing=""; \
	command -v cmake >/dev/null 2>&1 || missing="$$missing cmake"; \
	command -v pkg-config >/dev/null 2>&1 || missing="$$missing pkg-config"; \
	if [ -n "$$missing" ]; then \
		echo "installing:$$missing"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	fi

## check-exports: the debug library exports exactly the header's functions
check-exports: lib
	$(ROOT)/scripts/check-exports.sh $(TARGET_DIR)/debug/libgumloop.so $(ROOT)/include/gumloop.h

test-install: install-build install-tools emulator
	CARGO="$(CARGO)" MAKE="$(MAKE)" CC="$(CC)" CXX="$(CXX)" \
		GUMLOOP_EMULATOR_BIN=$(TARGET_DIR)/debug/gumloop-emulator \
		$(ROOT)/tests/install/test-install.sh $(INSTALL_TEST)

# The C++ tests (tests/cpp/NAME.cpp) link the debug library; every C function must have its C++
# counterpart.
CPP_TESTS := test_gumloop test_poller test_surface test_coverage test_auth test_json
test-cpp: lib emulator
	$(ROOT)/scripts/check-hpp-coverage.sh $(ROOT)/include/gumloop.h $(ROOT)/include/gumloop.hpp
	@mkdir -p $(CPP_BUILD)
	$(CC) $(CFLAGS_STRICT) -I$(ROOT)/include -c $(ROOT)/tests/c/harness.c -o $(CPP_BUILD)/harness.o
	$(CC) $(CFLAGS_STRICT) $(SANITIZE) -I$(ROOT)/include -c $(ROOT)/tests/c/harness.c -o $(CPP_BUILD)/harness.asan.o
	@set -e; for t in $(CPP_TESTS); do \
		for variant in plain asan; do \
			flags=""; obj=harness.o; out=$$t; \
			if [ $$variant = asan ]; then flags="$(SANITIZE)"; obj=harness.asan.o; out=$$t.asan; fi; \
			$(CXX) $(CXXFLAGS_STRICT) -g $$flags -I$(ROOT)/include -I$(ROOT)/tests/c -I$(ROOT)/tests/cpp \
				$(ROOT)/tests/cpp/$$t.cpp $(CPP_BUILD)/$$obj -L$(TARGET_DIR)/debug -Wl,-rpath,$(TARGET_DIR)/debug \
				-lgumloop -lpthread -o $(CPP_BUILD)/$$out; \
			echo "== $$t ($$variant)"; \
			ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1 \
				$(WITH_DEBUG_EMULATOR) $(CPP_BUILD)/$$out; \
		done; \
	done

TEST_DEPS += check-exports test-cpp test-install
