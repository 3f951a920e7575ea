# The C and C++ workflow examples (examples/*.c, examples/workflows.cpp), each built with the
# strict flags under AddressSanitizer/UBSan against the debug library and run against the
# emulator, with its output checked. Part of `make test`.

EXAMPLES_BUILD := $(ROOT)/build/examples
EXAMPLES_ENV := GUMLOOP_ACCESS_TOKEN=gk_personal_ada GUMLOOP_USER_ID=user_ada \
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1
EXAMPLES_C := upload queue artifacts

.PHONY: test-examples-c

## test-examples-c: upload and attach, the queue, artifacts (C); the four workflows (C++)
test-examples-c: lib emulator
	@mkdir -p $(EXAMPLES_BUILD)
	@for e in $(EXAMPLES_C); do \
		$(CC) $(CFLAGS_STRICT) $(SANITIZE) -I$(ROOT)/include $(ROOT)/examples/$$e.c -L$(TARGET_DIR)/debug \
			-Wl,-rpath,$(TARGET_DIR)/debug -lgumloop -o $(EXAMPLES_BUILD)/$$e || exit 1; \
	done
	$(CXX) $(CXXFLAGS_STRICT) -g $(SANITIZE) -I$(ROOT)/include $(ROOT)/examples/workflows.cpp -L$(TARGET_DIR)/debug \
		-Wl,-rpath,$(TARGET_DIR)/debug -lgumloop -o $(EXAMPLES_BUILD)/workflows
	@printf 'Quarterly numbers: up 4%%.\n' > $(EXAMPLES_BUILD)/notes.txt
	@rm -f $(EXAMPLES_BUILD)/report.txt $(EXAMPLES_BUILD)/artifact.out
	cd $(EXAMPLES_BUILD) && $(EXAMPLES_ENV) $(WITH_EMULATOR) sh -c '\
		set -e; \
		./upload agent_pro notes.txt > upload.out; \
		./queue agent_pro "[slow:60000] Draft the report" > queue.out; \
		./artifacts agent_pro "[artifact:report.txt] Write it" report.txt > artifacts.out; \
		./workflows agent_pro upload notes.txt > cpp-upload.out; \
		./workflows agent_pro queue "[slow:60000] Draft it" > cpp-queue.out; \
		./workflows agent_pro artifacts "[artifact:summary.txt] Write it" > cpp-artifacts.out; \
		./workflows agent_pro approval "Deploy it [approval]" > cpp-approval.out'
	@cd $(EXAMPLES_BUILD) && \
	grep -q '^uploaded: sessions/.*/files/notes.txt$$' upload.out && grep -q '^state: completed$$' upload.out && \
	grep -q '^queued: 1 message(s), first: Then email it to the whole company$$' queue.out && \
	grep -q '^sent; the session is processing$$' queue.out && \
	grep -q '^saved [1-9][0-9]* bytes to report.txt$$' artifacts.out && grep -q '^Artifact report.txt of session' report.txt && \
	grep -q '^state: completed$$' cpp-upload.out && grep -q '^sent; the session is processing$$' cpp-queue.out && \
	grep -q '^outcome: accepted$$' cpp-approval.out && grep -q '"finish_reason":"stop"' cpp-approval.out && \
	grep -q '^Artifact .* of session' artifact.out || \
		{ echo "a workflow example printed something unexpected:"; tail -n +1 *.out; exit 1; }
	@echo "the C and C++ workflow examples ran as documented"

TEST_DEPS += test-examples-c
