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

// Every call that adds memory to a value it was given (an SRS's Lagrange-basis cache, an index
// with its own SRS, a column or a gate appended) asks the memory budget first: with no room left,
// it is refused before anything is computed, the ledger does not move and nothing is taken; with
// room, the same call works and the ledger counts what it added.
for (const f of ['fp', 'fq']) {
  test(`threaded: ${f}: every call that grows a value it was given is refused over the budget first`, () => {
    const k = threaded;
    const log2 = 6;
    const n = 1 << log2;
    const s = setup(k, f, log2); // its SRS has the basis of 2^6 now
    const F = s.F;
    const witnessFor = (x) => k[`sampleSquareWitness${F}`](x, log2);
    const proof = prove(k, f, s, 3, log2);
    const freshSrs = () => k[`caml_${f}_srs_create_parallel`](n); // the same points, no basis yet
    const hasBasis = (srs) => k[`caml_${f}_srs_maybe_lagrange_commitment`](srs, n, 0) != null;
    const basis = k[`caml_${f}_srs_get_lagrange_basis`](s.srs, n);
    const encoded = k[`caml_pasta_${f}_plonk_index_encode`](s.index);
    const serialized = k[`prover_index_${f}_serialize`](s.index);
    using circuit = k[`sampleSquareGates${F}`](log2);
    const gate = k[`caml_pasta_${f}_plonk_gate_vector_get`](circuit, 0);
    const column = () => new Uint8Array(32 * n);
    // Each case: `make` prepares what the call needs while the budget is open (the value to grow
    // and any argument it takes), `call` is the one call under test, `grew` tells whether it
    // added what it adds. Refusals of growth say "growing"; index_create asks for the index and
    // the basis at once, as one new value.
    const srsCase = (what, call, refusal = /^.*growing Wasm\w+Srs \(.* more\) would exceed the memory budget/) => ({
      what, refusal, grows: `Wasm${F}Srs`, make: () => ({ srs: freshSrs() }), call: (c) => call(c.srs), grew: (c) => hasBasis(c.srs),
    });
    const decoded = (what, call) => ({
      what,
      grows: `Wasm${F}Srs`,
      refusal: /growing Wasm\w+Srs \(.* more\) would exceed the memory budget/,
      make: () => {
        const srs = freshSrs();
        return { srs, index: k[`caml_pasta_${f}_plonk_index_decode`](encoded, srs), witness: witnessFor(4) };
      },
      call,
      grew: (c) => hasBasis(c.srs),
    });
    const cases = [
      srsCase('add_lagrange_basis', (v) => k[`caml_${f}_srs_add_lagrange_basis`](v, log2)),
      srsCase('lagrange_commitment', (v) => k[`caml_${f}_srs_lagrange_commitment`](v, n, 1)),
      srsCase('lagrange_commitments_whole_domain_ptr', (v) => k[`caml_${f}_srs_lagrange_commitments_whole_domain_ptr`](v, n)),
      srsCase('get_lagrange_basis', (v) => k[`caml_${f}_srs_get_lagrange_basis`](v, n)),
      srsCase('set_lagrange_basis', (v) => k[`caml_${f}_srs_set_lagrange_basis`](v, n, basis)),
      srsCase('index_create', (v) => k[`caml_pasta_${f}_plonk_index_create`](circuit, 1, [], [], 0, v, false).dispose(), /creating Wasm\w+PlonkIndex .* would exceed the memory budget/),
      srsCase('proof_verify', (v) => assert.equal(k[`caml_pasta_${f}_plonk_proof_verify`]({ ...s.vk, srs: v }, proof), true)),
      srsCase('proof_batch_verify', (v) => assert.equal(k[`caml_pasta_${f}_plonk_proof_batch_verify`]([{ ...s.vk, srs: v }], [proof]), true)),
      decoded('proof_create (decoded index)', (c) => k[`caml_pasta_${f}_plonk_proof_create`](c.index, c.witness, [], new Uint8Array(0), []).dispose()),
      decoded('verifier_index_create (decoded index)', (c) => k[`caml_pasta_${f}_plonk_verifier_index_create`](c.index).srs.dispose()),
      {
        // An index with its own SRS (no handle holds that SRS): the growth is the index's.
        what: 'proof_create (index with its own SRS)',
        grows: `WasmPasta${F}PlonkIndex`,
        refusal: /growing Wasm\w+PlonkIndex \(.* more\) would exceed the memory budget/,
        make: () => ({ index: k[`prover_index_${f}_deserialize`](serialized), witness: witnessFor(5) }),
        call: (c) => k[`caml_pasta_${f}_plonk_proof_create`](c.index, c.witness, [], new Uint8Array(0), []).dispose(),
        grew: (c) => c.witness.state === 'moved',
      },
      {
        what: 'WasmVecVec push',
        grows: `WasmVecVec${F}`,
        refusal: /growing WasmVecVec\w+ \(.* more\) would exceed the memory budget/,
        make: () => ({ vector: new k[`WasmVecVec${F}`](15), column: column() }),
        call: (c) => c.vector.push(c.column),
        grew: (c) => c.vector.length === 1,
      },
      {
        what: 'WasmVecVec set (a longer column)',
        grows: `WasmVecVec${F}`,
        refusal: /growing WasmVecVec\w+ \(.* more\) would exceed the memory budget/,
        make: () => {
          const vector = new k[`WasmVecVec${F}`](1);
          vector.push(new Uint8Array(32));
          return { vector, column: column() };
        },
        call: (c) => c.vector.set(0, c.column),
        grew: (c) => c.vector.get(0).length === 32 * n,
      },
      {
        what: 'gate_vector_add',
        grows: `Wasm${F}GateVector`,
        refusal: /growing Wasm\w+GateVector \(.* more\) would exceed the memory budget/,
        make: () => ({ vector: k[`caml_pasta_${f}_plonk_gate_vector_create`]() }),
        call: (c) => k[`caml_pasta_${f}_plonk_gate_vector_add`](c.vector, gate),
        grew: (c) => k[`caml_pasta_${f}_plonk_gate_vector_len`](c.vector) === 1,
      },
    ];
    const live = () => k.ledger().total.liveBytes;
    const bytesOf = (cls) => k.ledger().classes[cls]?.liveBytes ?? 0;
    for (const { what, refusal, grows, make, call, grew } of cases) {
      const c = make();
      const before = live();
      const grownBefore = bytesOf(grows);
      const handles = k.ledger().total.live;
      k.setMemoryBudget(before + 16); // room for a few bytes, nothing a call here adds
      try {
        assert.throws(() => call(c), (e) => e instanceof Error && refusal.test(e.message), `${what}: refused over the budget`);
        assert.equal(live(), before, `${what}: the ledger did not move`);
        assert.equal(k.ledger().total.live, handles, `${what}: no handle left behind or taken`);
        assert.equal(grew(c), false, `${what}: nothing was computed or added`);
        if (c.witness) assert.equal(c.witness.state, 'live', `${what}: the witness stays with the caller`);
      } finally {
        k.setMemoryBudget(null);
      }
      call(c);
      assert.equal(grew(c), true, `${what}: with room, the call adds it`);
      assert.ok(bytesOf(grows) > grownBefore, `${what}: the ledger counts what the call added to ${grows} (${grownBefore} -> ${bytesOf(grows)})`);
      for (const h of Object.values(c)) if (typeof h?.dispose === 'function') h.dispose();
    }
    proof.dispose();
    s.vk.srs.dispose();
    s.index.dispose();
    s.srs.dispose();
  });
}

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
