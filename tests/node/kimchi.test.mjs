// The kimchi module (kimchi-layer/) in Node, on both builds: the threaded one (shared memory, its
// rayon pool on a worker thread) and the single-threaded one. Real proofs of the sample circuit
// (x * x = y), the names o1js reads, every function's calling contract, and memory that stays flat
// over a proving loop.
import test from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';

const require = createRequire(import.meta.url);
const { checkContract } = require('./contract.cjs');
const { loadThreaded } = require('../../glue/threads-node.cjs');
const build = new URL('../../build/', import.meta.url).pathname;

const threaded = loadThreaded({
  glue: `${build}kimchi-threads/kimchi_handles_kimchi.js`,
  wasm: `${build}kimchi-threads/raw/kimchi_handles_kimchi_bg.wasm`,
  threads: 1,
}).module;
const single = require(`${build}kimchi-node/kimchi_handles_kimchi.js`);
const names = JSON.parse(readFileSync(new URL('../../o1js/names.json', import.meta.url), 'utf8'));
const MB = 2 ** 20;

// Classes o1js's conversion code destructures from the module but never uses (its verifier-index
// parts are plain objects, here as in its own native addon).
const UNUSED = /^Wasm(Fp|Fq)(Domain|Shifts|PlonkVerificationEvals|PlonkVerifierIndex|LookupVerifierIndex|LookupSelectors)$/;

function setup(k, f, log2) {
  const F = f === 'fp' ? 'Fp' : 'Fq';
  const srs = k[`caml_${f}_srs_create_parallel`](1 << log2);
  const gates = k[`sampleSquareGates${F}`](log2);
  const index = k[`caml_pasta_${f}_plonk_index_create`](gates, 1, [], [], 0, srs, false);
  const vk = k[`caml_pasta_${f}_plonk_verifier_index_create`](index);
  gates.dispose();
  return { F, srs, index, vk };
}

function prove(k, f, s, x, log2) {
  const witness = k[`sampleSquareWitness${s.F}`](x, log2);
  return k[`caml_pasta_${f}_plonk_proof_create`](s.index, witness, [], new Uint8Array(0), []);
}

for (const [name, k] of [['threaded', threaded], ['single-threaded', single]]) {
  test(`${name}: every name o1js's native backend reads is exported`, () => {
    const missing = [...names.functions, ...names.classes].filter((n) => !UNUSED.test(n) && !(n in k));
    assert.deepEqual(missing, []);
    for (const c of names.classes.filter((n) => !UNUSED.test(n))) assert.equal(typeof k[c], 'function', c);
  });

  test(`${name}: Fp proofs of x * x = y verify, a changed public input does not, and nothing leaks`, () => {
    const s = setup(k, 'fp', 8);
    const before = k.ledger().total;
    for (let i = 0; i < 3; i++) {
      const proof = prove(k, 'fp', s, 3 + i, 8);
      assert.equal(k.caml_pasta_fp_plonk_proof_verify(s.vk, proof), true);
      using scalars = proof.prev_challenges_scalars; // a getter's handle is a copy, the caller's to dispose
      const bad = new k.WasmFpProverProof(proof.commitments, proof.proof, proof.evals, proof.ft_eval1, new Uint8Array(32), scalars, proof.prev_challenges_comms);
      assert.equal(k.caml_pasta_fp_plonk_proof_verify(s.vk, bad), false, 'a proof for another public input');
      bad.dispose();
      proof.dispose();
    }
    const after = k.ledger().total;
    assert.equal(after.live, before.live, JSON.stringify(k.liveHandles()));
    assert.equal(after.liveBytes, before.liveBytes);
    s.vk.srs.dispose();
    for (const h of [s.index, s.srs]) h.dispose();
  });

  test(`${name}: Fq proofs verify too`, () => {
    const s = setup(k, 'fq', 8);
    const proof = prove(k, 'fq', s, 5, 8);
    assert.equal(k.caml_pasta_fq_plonk_proof_verify(s.vk, proof), true);
    assert.equal(k.caml_pasta_fq_plonk_proof_batch_verify([s.vk, s.vk], [proof, proof]), true);
    proof.dispose();
    s.vk.srs.dispose();
    s.index.dispose();
    s.srs.dispose();
  });
}

test('threaded: 20 proofs with `using`: WASM memory flat after warm-up, the same live handles after each', () => {
  const k = threaded;
  const s = setup(k, 'fp', 8);
  const live = k.ledger().total.live;
  const rows = [];
  for (let i = 1; i <= 20; i++) {
    {
      using proof = prove(k, 'fp', s, i, 8);
      assert.equal(k.caml_pasta_fp_plonk_proof_verify(s.vk, proof), true);
      // What o1js asks for each recursive proof: the whole domain's Lagrange commitments, as data.
      assert.equal(k.caml_fp_srs_lagrange_commitments_whole_domain_ptr(s.srs, 1 << 8).length, 256);
    }
    assert.equal(k.ledger().total.live, live, `proof ${i}`);
    rows.push(k.wasmMemoryBytes() / MB);
  }
  console.log(`# 20 proofs at 2^8: WASM ${rows[0].toFixed(2)} MB after proof 1, ${rows[4].toFixed(2)} after 5, ${rows[19].toFixed(2)} after 20`);
  // The pool's threads allocate in parallel, so the allocator may take a page or two more once;
  // a leak of one proof's commitments (256 points, ~18 KB) a proof would be over 250 KB here.
  assert.ok(rows[19] - rows[4] <= 0.125, `no growth from proof 5 to 20 beyond two 64 KiB pages: ${rows.map((x) => x.toFixed(2))}`);
  s.vk.srs.dispose();
  s.index.dispose();
  s.srs.dispose();
});

test('threaded: a proof refused over the memory budget takes nothing', () => {
  const k = threaded;
  const s = setup(k, 'fp', 8);
  const witness = k.sampleSquareWitnessFp(3, 8);
  k.setMemoryBudget(k.ledger().total.liveBytes + 1000);
  try {
    assert.throws(() => k.caml_pasta_fp_plonk_proof_create(s.index, witness, [], new Uint8Array(0), []), /would exceed the memory budget/);
    assert.equal(witness.state, 'live', 'the witness stays with the caller');
  } finally {
    k.setMemoryBudget(null);
  }
  const proof = k.caml_pasta_fp_plonk_proof_create(s.index, witness, [], new Uint8Array(0), []);
  assert.equal(witness.state, 'moved');
  assert.equal(k.caml_pasta_fp_plonk_proof_verify(s.vk, proof), true);
  proof.dispose();
  s.vk.srs.dispose();
  s.index.dispose();
  s.srs.dispose();
});

test('threaded: every function refuses bad arguments naming the parameter, and takes nothing', () => {
  const k = threaded;
  const srs = { fp: k.caml_fp_srs_create(1 << 4), fq: k.caml_fq_srs_create(1 << 4) };
  const fresh = {};
  for (const f of ['fp', 'fq']) {
    const F = f === 'fp' ? 'Fp' : 'Fq';
    fresh[`Wasm${F}Srs`] = () => srs[f].share();
    fresh[`Wasm${F}GateVector`] = () => k[`sampleSquareGates${F}`](3);
    fresh[`WasmVecVec${F}`] = () => k[`sampleSquareWitness${F}`](2, 3);
    fresh[`WasmPasta${F}PlonkIndex`] = () => {
      const gates = k[`sampleSquareGates${F}`](3);
      const index = k[`caml_pasta_${f}_plonk_index_create`](gates, 1, [], [], 0, srs[f], false);
      gates.dispose();
      return index;
    };
  }
  const s = setup(k, 'fp', 4);
  fresh.WasmFpProverProof = () => prove(k, 'fp', s, 2, 4);
  const t = setup(k, 'fq', 4);
  fresh.WasmFqProverProof = () => prove(k, 'fq', t, 2, 4);
  // Valid plain objects for the shape parameters, from a real gate vector, index and proof.
  const samples = { NapiWire: () => ({ row: 0, col: 0 }) };
  for (const [f, F, setup_] of [['fp', 'Fp', s], ['fq', 'Fq', t]]) {
    using proof = fresh[`Wasm${F}ProverProof`]();
    using gates = k[`sampleSquareGates${F}`](3);
    const gate = k[`caml_pasta_${f}_plonk_gate_vector_get`](gates, 0);
    const { commitments, proof: opening, evals } = proof;
    Object.assign(samples, {
      [`Wasm${F}Gate`]: () => gate,
      [`Wasm${F}PlonkVerifierIndex`]: () => setup_.vk,
      [`Wasm${F}ProverCommitments`]: () => commitments,
      [`Wasm${F}OpeningProof`]: () => opening,
      [`Wasm${F}ProofEvaluationsObject`]: () => evals,
    });
  }
  const records = require("./support.cjs").records(`${build}kimchi-threads/raw/kimchi_handles_kimchi_bg.wasm`);
  const before = k.ledger().total.live;
  // The pool is prepared once; the worker is already running.
  const checked = checkContract(k, records, fresh, ['threadPoolPrepare', 'threadPoolWorker'], samples);
  console.log(`# ${checked} refusals checked`);
  assert.ok(checked > 500, `${checked}`);
  assert.equal(k.ledger().total.live, before);
  for (const h of [s.vk.srs, s.index, s.srs, t.vk.srs, t.index, t.srs, srs.fp, srs.fq]) h.dispose();
});
