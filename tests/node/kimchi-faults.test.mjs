// Failures inside the kimchi module. The unwinding builds (kimchi-wasm-unwind, threaded and
// single-threaded): a panic and an allocation that cannot be met are JS Errors naming the
// function, a real proof verifies
// right after, the ledger is what it was; memory filled for real (witnesses nobody disposes, no
// budget) refuses each further call cleanly, a proof that runs out of memory half-way is an Error
// that leaves its witness with the caller, and after disposing, the instance proves again. The
// aborting build: the instance ends with the first panic, every later call says so, and a fresh
// instance proves. Its own file: it leaves 4 GiB of WASM memory behind.
import test from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';

const require = createRequire(import.meta.url);
const { loadThreaded } = require('../../glue/threads-node.cjs');
const { freshInstance } = require('../../bindings/dist/cjs/index.js');
const build = new URL('../../build/', import.meta.url).pathname;

const k = loadThreaded({
  glue: `${build}kimchi-threads-unwind/kimchi_handles_kimchi.js`,
  wasm: `${build}kimchi-threads-unwind/raw/kimchi_handles_kimchi_bg.wasm`,
  threads: 1,
}).module;
const GiB = 2 ** 30;

function setup(k, log2) {
  const srs = k.caml_fp_srs_create(1 << log2);
  const gates = k.sampleSquareGatesFp(log2);
  const index = k.caml_pasta_fp_plonk_index_create(gates, 1, [], [], 0, srs, false);
  gates.dispose();
  return { log2, srs, index, vk: k.caml_pasta_fp_plonk_verifier_index_create(index) };
}

function proveAndVerify(k, s, x) {
  const proof = k.caml_pasta_fp_plonk_proof_create(s.index, k.sampleSquareWitnessFp(x, s.log2), [], new Uint8Array(0), []);
  const ok = k.caml_pasta_fp_plonk_proof_verify(s.vk, proof);
  proof.dispose();
  return ok;
}

const ledgerTotal = (k) => {
  const { live, liveBytes } = k.ledger().total;
  return { live, liveBytes };
};

test('unwinding build: a panic and an unbounded allocation are Errors naming the function; a proof verifies after each; the ledger is unchanged', () => {
  const s = setup(k, 8);
  const before = ledgerTotal(k);
  assert.throws(() => k.panicForTest('boom'), { name: 'Error', message: /^panicForTest panicked: boom \(at src\/faults\.rs:\d+\)$/ });
  assert.equal(proveAndVerify(k, s, 3), true);
  assert.throws(() => k.allocateWithoutBoundForTest(), { message: /^allocateWithoutBoundForTest panicked: memory allocation of \d+ bytes failed$/ });
  console.log(`# the unbounded allocation failed at ${(k.wasmMemoryBytes() / GiB).toFixed(2)} GiB of WASM memory`);
  assert.ok(k.wasmMemoryBytes() > 3.5 * GiB, 'memory really ran out');
  assert.equal(proveAndVerify(k, s, 4), true);
  assert.deepEqual(ledgerTotal(k), before);
  s.vk.srs.dispose();
  s.index.dispose();
  s.srs.dispose();
});

test('unwinding build: memory filled by witnesses nobody disposes: clean refusals, a proof out of memory half-way takes nothing, then proving works again', () => {
  const s = setup(k, 10);
  const witness = k.sampleSquareWitnessFp(5, 10);
  const before = ledgerTotal(k);
  const held = [];
  const failures = [];
  // Ever smaller witnesses (31 MB at 2^16 down to 4 KB at 2^3) until none fits.
  for (const log2 of [16, 12, 8, 3]) {
    for (let x = 2; ; x++) {
      try {
        held.push(k.sampleSquareWitnessFp(x, log2));
      } catch (e) {
        failures.push(e.message);
        break;
      }
    }
  }
  console.log(`# ${held.length} witnesses held, ${(k.ledger().total.liveBytes / GiB).toFixed(2)} GiB, WASM ${(k.wasmMemoryBytes() / GiB).toFixed(2)} GiB; ` +
    `refusals: ${failures.map((m) => m.replace(/ \(at .*|: WebAssembly memory is full.*|:.*/, '')).join(' | ')}`);
  for (const m of failures) {
    assert.match(m, /^sampleSquareWitnessFp (panicked: memory allocation of \d+ bytes failed$|was not started: WebAssembly memory is full)|^no memory left to register another WasmVecVecFp handle/);
  }
  // The proof needs megabytes: it is refused before it starts, or fails half-way; either way the
  // witness is still the caller's.
  assert.throws(() => k.caml_pasta_fp_plonk_proof_create(s.index, witness, [], new Uint8Array(0), []), (e) => {
    console.log(`# the proof with memory full: ${e.message}`);
    return /^caml_pasta_fp_plonk_proof_create (panicked: memory allocation of \d+ bytes failed$|was not started: WebAssembly memory is full)/.test(e.message);
  });
  assert.equal(witness.state, 'live');
  // Bytes and a string brought in with memory full: copied inside the call, so each is an Error
  // like any other (copied in before the call, a failed allocation would abort the instance).
  for (const call of [
    () => k.caml_pasta_fp_plonk_proof_create(s.index, witness, [], new Uint8Array(1 << 20), []),
    () => k.caml_pasta_fp_plonk_index_read(undefined, s.srs, 'p'.repeat(1 << 20)),
  ]) {
    assert.throws(call, (e) => {
      console.log(`# with memory full: ${e.message.slice(0, 160)}`);
      return e instanceof Error && !/aborted/.test(e.message);
    });
  }
  assert.equal(witness.state, 'live');
  for (const w of held.splice(0, held.length)) w.dispose();
  assert.deepEqual(ledgerTotal(k), before, 'every witness made is disposed; nothing else was left live');
  const proof = k.caml_pasta_fp_plonk_proof_create(s.index, witness, [], new Uint8Array(0), []);
  assert.equal(witness.state, 'moved');
  assert.equal(k.caml_pasta_fp_plonk_proof_verify(s.vk, proof), true);
  proof.dispose();
  assert.equal(proveAndVerify(k, s, 7), true);
  s.vk.srs.dispose();
  s.index.dispose();
  s.srs.dispose();
});

test('unwinding single-threaded build: a panic and an unbounded allocation are Errors; a proof verifies after each', {
  skip: existsSync(`${build}kimchi-unwind-node/kimchi_handles_kimchi.js`) ? false : 'no single-threaded unwinding build (make kimchi-wasm-unwind)',
}, () => {
  const u = freshInstance(`${build}kimchi-unwind-node/kimchi_handles_kimchi.js`);
  const s = setup(u, 8);
  const before = ledgerTotal(u);
  assert.throws(() => u.panicForTest('boom'), { message: /^panicForTest panicked: boom \(at src\/faults\.rs:\d+\)$/ });
  assert.equal(proveAndVerify(u, s, 3), true);
  assert.throws(() => u.allocateWithoutBoundForTest(), { message: /^allocateWithoutBoundForTest panicked: memory allocation of \d+ bytes failed$/ });
  assert.ok(u.wasmMemoryBytes() > 3.5 * GiB, 'memory really ran out');
  assert.equal(proveAndVerify(u, s, 4), true);
  assert.deepEqual(ledgerTotal(u), before);
  for (const h of [s.vk.srs, s.index, s.srs]) h.dispose();
});

test('aborting build: the first panic ends the instance, every later call names it, a fresh instance proves', () => {
  const glue = `${build}kimchi-node/kimchi_handles_kimchi.js`;
  const a = freshInstance(glue);
  const s = setup(a, 6);
  assert.throws(() => a.panicForTest('boom'), { message: /^panicForTest aborted the kimchi-handles instance: boom \(at src\/faults\.rs:\d+\); create a new instance$/ });
  const gone = /^this kimchi-handles instance aborted in panicForTest: boom .*create a new instance \(called: /;
  assert.throws(() => a.sampleSquareWitnessFp(3, 6), { message: gone });
  assert.throws(() => a.caml_pasta_fp_plonk_proof_verify(s.vk, s.index), { message: gone });
  assert.doesNotThrow(() => s.index.dispose(), 'disposing is a no-op: the memory went with the instance');
  const b = freshInstance(glue);
  assert.equal(proveAndVerify(b, setup(b, 6), 3), true);
});
