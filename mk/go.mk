# Go: the cgo package in bindings/go, its tests and examples/quickstart.go against the emulator.
# Go comes from Debian's packages (installed with apt-get when missing); the package has no
# module dependencies, and GOPROXY=off makes sure nothing is ever downloaded.

GO ?= go
GO_DIR := $(ROOT)/bindings/go
GO_LIB_DIR = $(TARGET_DIR)/debug
GO_ENV = GOPROXY=off GOFLAGS=-count=1 CGO_ENABLED=1 \
	CGO_LDFLAGS="-L$(GO_LIB_DIR) -Wl,-rpath,$(GO_LIB_DIR)"

.PHONY: go-tool test-go

## go-tool: the Go toolchain, from Debian's golang-go when missing
go-tool:
	@command -v $(GO) >/dev/null 2>&1 || { echo "installing golang-go"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq golang-go; }

## test-go: go vet, gofmt, the Go tests and the Go quickstart, against the emulator
test-go: go-tool lib emulator
	@unformatted=$$(cd $(GO_DIR) && gofmt -l . ../../examples/quickstart.go); \
		if [ -n "$$unformatted" ]; then echo "gofmt would change: $$unformatted"; exit 1; fi
	cd $(GO_DIR) && $(GO_ENV) $(GO) vet ./...
	cd $(ROOT) && $(GO_ENV) scripts/with-emulator.sh sh -c 'cd $(GO_DIR) && $(GO) test -v ./...' \
		| grep -vE '^=== (RUN|PAUSE|CONT)'; test "$${PIPESTATUS[0]}" -eq 0
	cd $(ROOT) && $(GO_ENV) GUMLOOP_ACCESS_TOKEN=gk_personal_ada GUMLOOP_USER_ID=user_ada \
		scripts/with-emulator.sh sh -c 'cd $(GO_DIR) && $(GO) run ../../examples/quickstart.go agent_pro'

TEST_DEPS += test-go
