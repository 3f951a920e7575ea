# The library: build, header generation and its drift check, Rust tests and lints.

CBINDGEN_VERSION := 0.29.4
TOOLS := $(ROOT)/.tools
CBINDGEN := $(TOOLS)/bin/cbindgen
LIB_DEBUG := $(TARGET_DIR)/debug/libgumloop.so
LIB_RELEASE := $(TARGET_DIR)/release/libgumloop.so

.PHONY: lib lib-release cbindgen header check-header check-no-openssl test-rust lint

# Each build gets the link its SONAME names (programs linked with -lgumloop look for it).
lib:
	cd $(ROOT) && $(CARGO) build -p gumloop-ffi
	@$(ROOT)/scripts/soname-link.sh $(dir $(LIB_DEBUG)) >/dev/null

lib-release:
	cd $(ROOT) && $(CARGO) build --release -p gumloop-ffi
	@$(ROOT)/scripts/soname-link.sh $(dir $(LIB_RELEASE)) >/dev/null

# cbindgen at exactly the pinned version, installed into .tools when missing or different.
cbindgen:
	@if ! "$(CBINDGEN)" --version 2>/dev/null | grep -qx "cbindgen $(CBINDGEN_VERSION)"; then \
		echo "installing cbindgen $(CBINDGEN_VERSION) into .tools"; \
		env -u CARGO_TARGET_DIR $(CARGO) install cbindgen --version $(CBINDGEN_VERSION) --locked --root "$(TOOLS)" --force; \
	fi

header: cbindgen
	cd $(ROOT) && "$(CBINDGEN)" --config cbindgen.toml --output include/gumloop.h --quiet .
	cp $(ROOT)/include/gumloop.h $(ROOT)/bindings/go/gumloop.h

# Fails when the committed header differs from a fresh generation.
check-header: cbindgen
	@cd $(ROOT) && tmp=$$(mktemp) && "$(CBINDGEN)" --config cbindgen.toml --output "$$tmp" --quiet . && \
	if cmp -s "$$tmp" include/gumloop.h; then echo "include/gumloop.h is up to date"; rm -f "$$tmp"; \
	else diff -u include/gumloop.h "$$tmp" | head -40; rm -f "$$tmp"; \
		echo "include/gumloop.h differs from what cbindgen generates: run 'make header' and commit"; exit 1; fi

# TLS is rustls: neither the dependency tree nor the built library may bring in OpenSSL.
check-no-openssl: lib-release
	@if cd $(ROOT) && $(CARGO) tree -p gumloop-ffi -e normal --prefix none | grep -E '^openssl(-sys)? v'; then \
		echo "OpenSSL is in the library's dependency tree"; exit 1; fi
	@if ldd $(LIB_RELEASE) | grep -Ei 'libssl|libcrypto'; then \
		echo "libgumloop.so links OpenSSL"; exit 1; fi
	@echo "no OpenSSL in the dependency tree or the linked libraries"

lint:
	cd $(ROOT) && $(CARGO) fmt --all -- --check
	cd $(ROOT) && $(CARGO) clippy --workspace --all-targets -- -D warnings

test-rust: emulator
	cd $(ROOT) && $(CARGO) test -p gumloop-ffi

TEST_DEPS += check-header check-no-openssl lint test-rust
