# Kizuna: `make run` starts the demo, `make test` runs every test.
BUILD_DIR ?= build
BUILD_TYPE ?= RelWithDebInfo
JOBS ?= $(shell nproc)
KIZUNA := $(BUILD_DIR)/src/server/kizuna
export CCACHE_BASEDIR := $(CURDIR)
export CCACHE_DIR ?= $(HOME)/.cache/ccache

FUZZ_SECONDS ?= 60

.PHONY: all deps configure build test run bench fuzz clean

all: build

deps:
	@bash scripts/install-deps.sh

$(BUILD_DIR)/build.ninja:
	cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=$(BUILD_TYPE)

configure: deps $(BUILD_DIR)/build.ninja

build: configure web
	cmake --build $(BUILD_DIR) -j $(JOBS)

# The web app (web/): `npm ci` when the lock file changes, `vite build` when a source
# changes. web/dist/index.html is rewritten by every build, so it serves as the stamp.
WEB_SOURCES := $(shell find web/src web/public -type f 2>/dev/null) \
  web/index.html web/portal.html web/package.json web/tsconfig.json web/vite.config.ts
web: web/dist/index.html

web/node_modules/.package-lock.json: web/package-lock.json
	cd web && npm ci --no-audit --no-fund
	@touch $@

web/dist/index.html: web/node_modules/.package-lock.json $(WEB_SOURCES)
	cd web && npm run build

test: build
	cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS) --timeout 600

run: build
	$(KIZUNA) --data ./data serve --demo --listen 127.0.0.1:8080

bench: build
	bash bench/run.sh $(BUILD_DIR)

# libFuzzer with clang: each target runs FUZZ_SECONDS on a copy of its corpus.
fuzz: deps
	CXX=clang++ cmake -S . -B build-fuzz -G Ninja -DKIZUNA_FUZZ=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo
	cmake --build build-fuzz -j $(JOBS)
	for t in text request mime markdown; do \
	  len=4096; [ $$t = mime ] && len=65536; \
	  mkdir -p build-fuzz/corpus/$$t && cp -n tests/fuzz/corpus/$$t/* build-fuzz/corpus/$$t/; \
	  build-fuzz/tests/fuzz/fuzz_$$t -max_total_time=$(FUZZ_SECONDS) -max_len=$$len \
	    build-fuzz/corpus/$$t tests/fuzz/corpus/$$t || exit 1; \
	done

clean:
	rm -rf $(BUILD_DIR)
