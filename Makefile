# SPDX-License-Identifier: BSD-2-Clause
# Top-level entry points. Every target sets itself up (installs missing Debian packages)
# and then drives CMake; nothing needs a manual step first.
#
#   make demo                 set up, build, run the demo
#   make test                 set up, build, run the whole test suite (CTest)
#   make bench                set up, build, run the benchmark (results in build/bench/)
#   make asan                 the test suite under AddressSanitizer + UBSan (build-asan/)
#   make cross                cross-compile for aarch64 (build-aarch64/)
#   make test-aarch64         run the suite on the aarch64 build under qemu-aarch64
#   make install PREFIX=dir   install headers, libraries, tools, TA dev kit, pkg-config
#   make fuzz                 build and briefly run the libFuzzer targets (clang)

PREFIX ?= /usr/local
BUILD ?= build
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
CMAKE_FLAGS ?=
CTEST_FLAGS ?=
FUZZ_SECONDS ?= 60

.PHONY: all setup setup-cross configure build demo test bench asan cross test-aarch64 \
        install fuzz clean

all: build

setup:
	@bash scripts/setup-deps.sh

setup-cross:
	@bash scripts/setup-deps.sh --cross

$(BUILD)/CMakeCache.txt: | setup
	cmake -S . -B $(BUILD) $(CMAKE_FLAGS)

configure: setup
	cmake -S . -B $(BUILD) $(CMAKE_FLAGS)

build: configure
	cmake --build $(BUILD) -j $(JOBS)

demo: build
	@bash scripts/demo.sh $(BUILD)

test: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS) $(CTEST_FLAGS)

bench: build
	@bash bench/run.sh $(BUILD)

asan: setup
	cmake -S . -B build-asan -DTZM_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug $(CMAKE_FLAGS)
	cmake --build build-asan -j $(JOBS)
	cd build-asan && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  ctest --output-on-failure -j $(JOBS) $(CTEST_FLAGS)

cross: setup-cross
	cmake -S . -B build-aarch64 -DCMAKE_TOOLCHAIN_FILE=cmake/toolchain-aarch64.cmake $(CMAKE_FLAGS)
	cmake --build build-aarch64 -j $(JOBS)

test-aarch64: cross
	cd build-aarch64 && TZM_INSECURE_NO_SANDBOX=1 ctest --output-on-failure -j $(JOBS) $(CTEST_FLAGS)

install: build
	cmake --install $(BUILD) --prefix $(PREFIX)

fuzz: setup
	CC=clang cmake -S . -B build-fuzz -DTZM_FUZZ=ON -DCMAKE_BUILD_TYPE=Debug $(CMAKE_FLAGS)
	cmake --build build-fuzz -j $(JOBS)
	cd build-fuzz && TZM_FUZZ_SECONDS=$(FUZZ_SECONDS) ctest --output-on-failure -L fuzz $(CTEST_FLAGS)

clean:
	rm -rf $(BUILD) build-asan build-aarch64 build-fuzz
