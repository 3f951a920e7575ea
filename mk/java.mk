# Java: the com.gumloop.ffi package in bindings/java (Java 17, over the C ABI through JNA, JSON by
# Jackson), its JUnit 5 suite and examples/Quickstart.java against the emulator. The JDK, JNA,
# Jackson and JUnit 5 come from Debian's packages, installed with apt-get when missing (the jars
# in /usr/share/java); bindings/java/pom.xml declares the same dependencies for Maven users.

JAVA_DIR := $(ROOT)/bindings/java
JAVA_BUILD := $(ROOT)/build/java
JAVA_SHARE := /usr/share/java
JAVA_DEPS_CP := $(JAVA_SHARE)/jna.jar:$(JAVA_SHARE)/jackson-databind.jar:$(JAVA_SHARE)/jackson-core.jar:$(JAVA_SHARE)/jackson-annotations.jar
JAVA_TEST_CP := $(JAVA_SHARE)/junit-jupiter-api.jar:$(JAVA_SHARE)/junit-platform-commons.jar:$(JAVA_SHARE)/opentest4j.jar:$(JAVA_SHARE)/apiguardian-api.jar
JAVA_LAUNCHER := $(JAVA_SHARE)/junit-platform-console-standalone.jar
JAVAC_FLAGS := --release 17 -Xlint:all -Werror -encoding UTF-8
JAVA_VERSION = $(shell sed -n 's/^version = "\(.*\)"/\1/p' $(ROOT)/Cargo.toml | head -1)
JAVA_JAR := $(JAVA_BUILD)/gumloop-ffi.jar
JAVA_PLATFORM_DIR := linux-x86-64
# The JDK's tools and Debian's packages of the libraries (java-common's paths).
JAVA_PACKAGES := openjdk-17-jdk-headless libjna-java libjackson2-databind-java junit5

.PHONY: test-dist-java java-deps check-java-pom java-jar test-java dist-java bench-java

## java-deps: javac, jar, JNA, Jackson and JUnit 5, from Debian's packages when missing
java-deps:
	@missing=""; command -v javac >/dev/null 2>&1 && command -v jar >/dev/null 2>&1 || missing="openjdk-17-jdk-headless"; \
	for f in jna.jar jackson-databind.jar jackson-core.jar jackson-annotations.jar junit-platform-console-standalone.jar; do \
		[ -f $(JAVA_SHARE)/$$f ] || missing="$$missing libjna-java libjackson2-databind-java junit5"; done; \
	if [ -n "$$missing" ]; then echo "installing $(JAVA_PACKAGES)"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(JAVA_PACKAGES); fi

## check-java-pom: bindings/java/pom.xml names Cargo.toml's version and Debian's JNA and Jackson versions
check-java-pom: java-deps
	@pom=$(JAVA_DIR)/pom.xml; \
	grep -q "<artifactId>gumloop-ffi</artifactId>" $$pom && \
	sed -n '/<artifactId>gumloop-ffi<\/artifactId>/{n;p}' $$pom | grep -q "<version>$(JAVA_VERSION)</version>" || \
		{ echo "$$pom: the version is not Cargo.toml's $(JAVA_VERSION)"; exit 1; }; \
	for dep in "jna:$$(dpkg-query -W -f='$${Version}' libjna-java)" "jackson-databind:$$(dpkg-query -W -f='$${Version}' libjackson2-databind-java)"; do \
		name=$${dep%%:*}; version=$${dep#*:}; version=$${version%%-*}; \
		sed -n "/<artifactId>$$name<\/artifactId>/{n;p}" $$pom | grep -q "<version>$$version</version>" || \
			{ echo "$$pom: $$name is not $$version, the version the build uses"; exit 1; }; done

## java-jar: the package's classes in build/java/gumloop-ffi.jar (no library inside: it is found
## through GUMLOOP_FFI_LIBRARY or the checkout's build)
java-jar: java-deps
	@rm -rf $(JAVA_BUILD)/classes && mkdir -p $(JAVA_BUILD)/classes
	javac $(JAVAC_FLAGS) -cp $(JAVA_DEPS_CP) -d $(JAVA_BUILD)/classes $$(find $(JAVA_DIR)/src/main/java -name '*.java')
	@printf 'version=%s\n' "$(JAVA_VERSION)" > $(JAVA_BUILD)/classes/com/gumloop/ffi/gumloop-ffi.properties
	@printf 'Implementation-Title: gumloop-ffi\nImplementation-Version: %s\nAutomatic-Module-Name: com.gumloop.ffi\n' \
		"$(JAVA_VERSION)" > $(JAVA_BUILD)/MANIFEST.MF
	jar --create --file $(JAVA_JAR) --manifest $(JAVA_BUILD)/MANIFEST.MF -C $(JAVA_BUILD)/classes .

## test-java: the JUnit 5 suite and examples/Quickstart.java (from a jar bundling the library,
## outside the checkout), against the emulator
test-java: check-java-pom java-jar lib emulator
	@# Every public item is documented, and the documentation is well formed.
	javadoc -quiet -Xdoclint:all -Werror -cp $(JAVA_DEPS_CP) -d $(JAVA_BUILD)/javadoc \
		$$(find $(JAVA_DIR)/src/main/java -name '*.java') >/dev/null
	@rm -rf $(JAVA_BUILD)/test-classes && mkdir -p $(JAVA_BUILD)/test-classes
	javac $(JAVAC_FLAGS) -cp $(JAVA_JAR):$(JAVA_DEPS_CP):$(JAVA_TEST_CP) -d $(JAVA_BUILD)/test-classes \
		$$(find $(JAVA_DIR)/src/test/java -name '*.java')
	cd $(ROOT) && env -u GUMLOOP_ACCESS_TOKEN -u GUMLOOP_API_KEY -u GUMLOOP_USER_ID GUMLOOP_FFI_LIBRARY=$(TARGET_DIR)/debug/libgumloop.so \
		scripts/with-emulator.sh java -jar $(JAVA_LAUNCHER) --disable-banner --details=tree \
		--fail-if-no-tests --config junit.jupiter.execution.timeout.default=120s --class-path $(JAVA_JAR):$(JAVA_DEPS_CP):$(JAVA_BUILD)/test-classes --select-package com.gumloop.ffi
	@rm -rf $(JAVA_BUILD)/bundle && mkdir -p $(JAVA_BUILD)/bundle/$(JAVA_PLATFORM_DIR)
	strip --strip-debug -o $(JAVA_BUILD)/bundle/$(JAVA_PLATFORM_DIR)/libgumloop.so $(TARGET_DIR)/debug/libgumloop.so
	cp $(JAVA_JAR) $(JAVA_BUILD)/gumloop-ffi-bundled.jar
	jar --update --file $(JAVA_BUILD)/gumloop-ffi-bundled.jar -C $(JAVA_BUILD)/bundle $(JAVA_PLATFORM_DIR)
	@# The quickstart runs from a directory outside the checkout, with the library only in the jar.
	cd $(ROOT) && away=$$(mktemp -d) && trap 'rm -rf "$$away"' EXIT && \
		cp $(JAVA_BUILD)/gumloop-ffi-bundled.jar "$$away/gumloop-ffi.jar" && cp examples/Quickstart.java "$$away/" && \
		GUMLOOP_ACCESS_TOKEN=gk_personal_ada GUMLOOP_USER_ID=user_ada scripts/with-emulator.sh \
		sh -c "cd '$$away' && env -u CARGO_TARGET_DIR -u GUMLOOP_FFI_LIBRARY java -cp gumloop-ffi.jar:$(JAVA_DEPS_CP) Quickstart.java agent_pro"

## dist-java: dist/java/gumloop-ffi-VERSION.jar, bundling the stripped release library at
## linux-x86-64/libgumloop.so (where JNA looks on the class path), and its pom beside it. With
## mk/dist.mk the library is its release build ($(DIST_LIB), glibc floor); without, Cargo's.
ifdef DIST_LIB
JAVA_RELEASE_DEP := release-lib
JAVA_RELEASE_LIB = $(DIST_LIB)/libgumloop.so
else
JAVA_RELEASE_DEP := lib-release
JAVA_RELEASE_LIB = $(TARGET_DIR)/release/libgumloop.so
endif
JAVA_DIST_DIR := $(ROOT)/dist/java

dist-java: check-java-pom java-jar $(JAVA_RELEASE_DEP)
	@rm -rf $(JAVA_BUILD)/dist $(JAVA_DIST_DIR) && mkdir -p $(JAVA_BUILD)/dist/$(JAVA_PLATFORM_DIR) $(JAVA_DIST_DIR)
	strip --strip-unneeded -o $(JAVA_BUILD)/dist/$(JAVA_PLATFORM_DIR)/libgumloop.so $(JAVA_RELEASE_LIB)
	cp $(JAVA_JAR) $(JAVA_DIST_DIR)/gumloop-ffi-$(JAVA_VERSION).jar
	jar --update --file $(JAVA_DIST_DIR)/gumloop-ffi-$(JAVA_VERSION).jar -C $(JAVA_BUILD)/dist $(JAVA_PLATFORM_DIR)
	cp $(JAVA_DIR)/pom.xml $(JAVA_DIST_DIR)/gumloop-ffi-$(JAVA_VERSION).pom
	@echo "built $(JAVA_DIST_DIR)/gumloop-ffi-$(JAVA_VERSION).jar"

## bench-java: the time from a JVM's start to its first call's result, through a jar bundling
## the debug library (build test-java first), run from outside the checkout (not part of make test)
bench-java: java-jar lib emulator
	@rm -rf $(JAVA_BUILD)/bench && mkdir -p $(JAVA_BUILD)/bench
	javac $(JAVAC_FLAGS) -cp $(JAVA_JAR):$(JAVA_DEPS_CP) -d $(JAVA_BUILD)/bench $(JAVA_DIR)/bench/FirstCall.java
	cd $(ROOT) && away=$$(mktemp -d) && trap 'rm -rf "$$away"' EXIT && \
		cp $(JAVA_BUILD)/gumloop-ffi-bundled.jar "$$away/gumloop-ffi.jar" && cp $(JAVA_BUILD)/bench/FirstCall.class "$$away/" && \
		GUMLOOP_ACCESS_TOKEN=gk_personal_ada GUMLOOP_USER_ID=user_ada scripts/with-emulator.sh sh -c \
		"cd '$$away' && for i in 1 2 3 4 5; do env -u CARGO_TARGET_DIR -u GUMLOOP_FFI_LIBRARY java -cp gumloop-ffi.jar:$(JAVA_DEPS_CP):. FirstCall; done"

## test-dist-java: the jar of make dist, copied where no checkout is, runs the quickstart with
## the library it bundles (no GUMLOOP_FFI_LIBRARY, no Cargo target directory)
test-dist-java: dist-java java-deps emulator
	cd $(ROOT) && away=$$(mktemp -d) && trap 'rm -rf "$$away"' EXIT && \
		cp $(JAVA_DIST_DIR)/gumloop-ffi-$(JAVA_VERSION).jar examples/Quickstart.java "$$away/" && \
		GUMLOOP_ACCESS_TOKEN=gk_personal_ada GUMLOOP_USER_ID=user_ada scripts/with-emulator.sh \
		sh -c "cd '$$away' && env -u CARGO_TARGET_DIR -u GUMLOOP_FFI_LIBRARY \
			java -cp gumloop-ffi-$(JAVA_VERSION).jar:$(JAVA_DEPS_CP) Quickstart.java agent_pro"

TEST_DEPS += test-java

# make dist (mk/dist.mk) builds every artifact in DIST_DEPS; make test-dist runs TEST_DIST_DEPS.
DIST_DEPS += dist-java
TEST_DIST_DEPS += test-dist-java
