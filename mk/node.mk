# Node.js: the gumloop-ffi package in bindings/node (TypeScript over koffi), its node:test suite
# and the examples (quickstart.mjs, and one TypeScript program per workflow, type-checked and
# compiled into build/node-example) against the emulator. npm installs exactly what package-lock.json
# names (npm ci); Node.js and npm come from Debian's packages when missing.

NODE_DIR := $(ROOT)/bindings/node
NODE_EXAMPLE_DIR := $(ROOT)/build/node-example

.PHONY: node-tool node-deps test-node

## node-tool: Node.js and npm, from Debian's packages when missing
node-tool:
	@command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 || { echo "installing nodejs npm"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm; }

$(NODE_DIR)/node_modules/.package-lock.json: $(NODE_DIR)/package-lock.json
	cd $(NODE_DIR) && npm ci --no-audit --no-fund
	@touch $@

## node-deps: the package's pinned dependencies (npm ci)
node-deps: node-tool $(NODE_DIR)/node_modules/.package-lock.json

## test-node: build and type-check the package, run its tests and the quickstart
# The tests load the debug library this target builds (not an older release build).
test-node: export GUMLOOP_FFI_LIBRARY := $(LIB_DEBUG)
test-node: node-deps lib emulator
	cd $(NODE_DIR) && npm run --silent build && npm run --silent typecheck
	cd $(ROOT) && scripts/with-emulator.sh sh -c 'cd $(NODE_DIR) && node --test --test-reporter=spec test/'
	@mkdir -p $(NODE_EXAMPLE_DIR)/node_modules
	ln -sfn $(NODE_DIR) $(NODE_EXAMPLE_DIR)/node_modules/gumloop-ffi
	cp $(ROOT)/examples/quickstart.mjs $(NODE_EXAMPLE_DIR)/quickstart.mjs
	cd $(ROOT) && GUMLOOP_ACCESS_TOKEN=gk_personal_ada GUMLOOP_USER_ID=user_ada \
		scripts/with-emulator.sh node $(NODE_EXAMPLE_DIR)/quickstart.mjs agent_pro
	cd $(NODE_DIR) && npm run --silent examples
	echo '{"type":"module"}' > $(NODE_EXAMPLE_DIR)/package.json
	cd $(ROOT) && GUMLOOP_ACCESS_TOKEN=gk_personal_ada GUMLOOP_USER_ID=user_ada NODE_EXAMPLES=$(NODE_EXAMPLE_DIR) \
		scripts/with-emulator.sh sh $(NODE_DIR)/test/examples.sh

TEST_DEPS += test-node
