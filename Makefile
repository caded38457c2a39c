# Thin wrapper around CMake/Ninja. `make demo` and `make test` are the README's two set-up commands.
BUILD ?= build
JOBS ?= $(shell nproc)
CMAKE_FLAGS ?= -DCMAKE_BUILD_TYPE=Release

.PHONY: deps configure build demo test bench format clean

deps:
	@bash tools/install-deps.sh

configure: deps
	@if [ ! -f $(BUILD)/build.ninja ]; then cmake -S . -B $(BUILD) -G Ninja $(CMAKE_FLAGS); fi

build: configure
	cmake --build $(BUILD) -j $(JOBS)

demo: build
	bash tools/demo.sh $(BUILD)

test: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS) --timeout 900

bench: build
	bash tools/bench.sh $(BUILD)

format:
	find sim tests bench workloads -name "*.cpp" -o -name "*.h" -o -name "*.c" | xargs clang-format -i

clean:
	rm -rf $(BUILD)
