# C: the quickstart demo, and the C test harness run plainly and under AddressSanitizer/UBSan.

CC ?= cc
CXX ?= c++
CFLAGS_STRICT := -std=c11 -Wall -Wextra -Wpedantic -Werror -O1 -g
CXXFLAGS_STRICT := -std=c++17 -Wall -Wextra -Wpedantic -Werror
SANITIZE := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
C_BUILD := $(ROOT)/build/c
C_TESTS := test_create test_threads test_sessions test_reliability test_fork test_poller test_surface test_json test_harden test_auth
# Run against the tests' hostile server (tests/hostile) instead of the emulator: test -> scenario.
C_HOSTILE_TESTS := test_hostile:reject-upload test_echo:echo-headers
HOSTILE := $(TARGET_DIR)/debug/gumloop-hostile
WITH_EMULATOR := $(ROOT)/scripts/with-emulator.sh

.PHONY: demo-run test-c c-tests hostile

# Built against the release library, shared, with its directory as the run path.
$(C_BUILD)/quickstart: $(ROOT)/examples/quickstart.c $(ROOT)/include/gumloop.h lib-release
	@mkdir -p $(C_BUILD)
	$(CC) $(CFLAGS_STRICT) -I$(ROOT)/include $< -L$(TARGET_DIR)/release -Wl,-rpath,$(TARGET_DIR)/release -lgumloop -o $@

$(C_BUILD)/stream: $(ROOT)/examples/stream.c $(ROOT)/include/gumloop.h lib-release
	@mkdir -p $(C_BUILD)
	$(CC) $(CFLAGS_STRICT) -I$(ROOT)/include $< -L$(TARGET_DIR)/release -Wl,-rpath,$(TARGET_DIR)/release -lgumloop -o $@

demo-run: $(C_BUILD)/quickstart $(C_BUILD)/stream emulator
	GUMLOOP_ACCESS_TOKEN=gk_personal_ada GUMLOOP_USER_ID=user_ada $(WITH_EMULATOR) \
		sh -c '$(C_BUILD)/quickstart agent_pro && echo "--- streaming a 200-word answer:" && \
		$(C_BUILD)/stream agent_pro "[words:200] [slow:2000] Tell me a story"'

DEMO_DEPS += demo-run

c-tests: lib
	@mkdir -p $(C_BUILD)
	@for t in $(C_TESTS) $(foreach h,$(C_HOSTILE_TESTS),$(firstword $(subst :, ,$(h)))); do \
		$(CC) $(CFLAGS_STRICT) -I$(ROOT)/include -I$(ROOT)/tests/c $(ROOT)/tests/c/$$t.c $(ROOT)/tests/c/harness.c \
			-L$(TARGET_DIR)/debug -Wl,-rpath,$(TARGET_DIR)/debug -lgumloop -lpthread -o $(C_BUILD)/$$t || exit 1; \
		$(CC) $(CFLAGS_STRICT) $(SANITIZE) -I$(ROOT)/include -I$(ROOT)/tests/c $(ROOT)/tests/c/$$t.c $(ROOT)/tests/c/harness.c \
			-L$(TARGET_DIR)/debug -Wl,-rpath,$(TARGET_DIR)/debug -lgumloop -lpthread -o $(C_BUILD)/$$t.asan || exit 1; \
	done
	$(CXX) $(CXXFLAGS_STRICT) -I$(ROOT)/include $(ROOT)/tests/c/test_header.cpp -L$(TARGET_DIR)/debug \
		-Wl,-rpath,$(TARGET_DIR)/debug -lgumloop -o $(C_BUILD)/test_header_cpp
	# The static library links with only the system libraries it names.
	$(CC) $(CFLAGS_STRICT) -I$(ROOT)/include $(ROOT)/examples/quickstart.c $(TARGET_DIR)/debug/libgumloop.a \
		-lpthread -ldl -lm -o $(C_BUILD)/quickstart_static

hostile:
	cd $(ROOT) && $(CARGO) build -p gumloop-hostile

test-c: c-tests emulator hostile
	$(C_BUILD)/test_header_cpp
	@for h in $(C_HOSTILE_TESTS); do \
		t=$${h%%:*}; scenario=$${h#*:}; \
		echo "== $$t (hostile server: $$scenario)"; $(HOSTILE) $$scenario -- $(C_BUILD)/$$t || exit 1; \
		echo "== $$t (hostile server: $$scenario; AddressSanitizer, UBSan, LeakSanitizer)"; \
		ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1 \
			$(HOSTILE) $$scenario -- $(C_BUILD)/$$t.asan || exit 1; \
	done
	@for t in $(C_TESTS); do \
		echo "== $$t"; $(WITH_EMULATOR) $(C_BUILD)/$$t || exit 1; \
		echo "== $$t (AddressSanitizer, UBSan, LeakSanitizer)"; \
		ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1 \
			$(WITH_EMULATOR) $(C_BUILD)/$$t.asan || exit 1; \
	done
	GUMLOOP_ACCESS_TOKEN=gk_personal_ada GUMLOOP_USER_ID=user_ada $(WITH_EMULATOR) $(C_BUILD)/quickstart_static agent_pro > /dev/null
	# The streaming example prints a 200-word answer, word by word.
	$(CC) $(CFLAGS_STRICT) -I$(ROOT)/include $(ROOT)/examples/stream.c -L$(TARGET_DIR)/debug -Wl,-rpath,$(TARGET_DIR)/debug \
		-lgumloop -o $(C_BUILD)/stream_debug
	GUMLOOP_ACCESS_TOKEN=gk_personal_ada GUMLOOP_USER_ID=user_ada $(WITH_EMULATOR) \
		$(C_BUILD)/stream_debug agent_pro "[words:200] stream me" > $(C_BUILD)/stream.out
	@words=$$(head -n 1 $(C_BUILD)/stream.out | wc -w); test "$$words" -eq 200 || \
		{ echo "the streaming example printed $$words words, expected 200"; exit 1; }

	# The approval example: the run pauses, is approved, and its continuation streams.
	$(CC) $(CFLAGS_STRICT) -I$(ROOT)/include $(ROOT)/examples/approval.c -L$(TARGET_DIR)/debug -Wl,-rpath,$(TARGET_DIR)/debug \
		-lgumloop -o $(C_BUILD)/approval_debug
	GUMLOOP_ACCESS_TOKEN=gk_personal_ada GUMLOOP_USER_ID=user_ada $(WITH_EMULATOR) \
		$(C_BUILD)/approval_debug agent_pro "Deploy it [approval]" > $(C_BUILD)/approval.out
	@grep -q '^outcome: accepted$$' $(C_BUILD)/approval.out && grep -q '"finish_reason":"stop"' $(C_BUILD)/approval.out || \
		{ echo "the approval example did not approve and stream:"; cat $(C_BUILD)/approval.out; exit 1; }

TEST_DEPS += test-c
