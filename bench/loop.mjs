// One proving loop in one fresh Node process, in one of three modes, printing a line per proof
// and (with --json) writing its measurements. `make demo` and `make bench` both run this.
//
//   node loop.mjs --mode using|plain|finalizer [--n 100] [--k 10] [--json out.json] [--quiet]
//
// The loop is the same in every mode: prove x*x = y on a domain of 2^k rows, read the proof's
// 15 witness commitments, ask the SRS for the Lagrange commitments of the whole domain (what o1js
// does for every recursive proof), and verify. Modes differ only in how objects are released:
//   plain     - kimchi-wasm-style classes, commitments as raw pointers, nothing freed explicitly;
//   using     - handle classes, every object in a `using` declaration;
//   finalizer - handle classes, nothing disposed: the FinalizationRegistry alone, with the event
//               loop turning between proofs (the core's GC nudges keep it bounded).
import { createRequire } from 'node:module';
import { existsSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

const { values: args } = parseArgs({
  options: {
    mode: { type: 'string', default: 'using' },
    n: { type: 'string', default: '100' },
    k: { type: 'string', default: '10' },
    json: { type: 'string' },
    quiet: { type: 'boolean', default: false },
  },
});
const N = Number(args.n);
const K = Number(args.k);
const MB = 1024 * 1024;

const gluePath = new URL('../build/kimchi-node/kimchi_handles_kimchi.js', import.meta.url).pathname;
if (!existsSync(gluePath)) {
  console.error(`no kimchi WASM build at ${gluePath}: run make kimchi-wasm (needs the proof-systems submodule)`);
  process.exit(2);
}
const k = createRequire(import.meta.url)(gluePath);
const memoryMB = () => k.wasmMemoryBytes() / MB;
const turnEventLoop = () => new Promise((resolve) => setImmediate(resolve));

function setup(mode) {
  const t0 = performance.now();
  if (mode === 'plain') {
    const srs = k.PlainFpSrs.create(1 << K);
    return { srs, index: k.PlainFpIndex.squareCircuit(srs, K), ms: performance.now() - t0 };
  }
  const srs = k.WasmFpSrs.create(1 << K);
  return { srs, index: k.WasmPastaFpPlonkIndex.squareCircuit(srs, K), ms: performance.now() - t0 };
}

// One proof; returns [ms proving, boxes left behind on purpose (plain mode's raw pointers)].
function proveOnce(mode, { srs, index }, x) {
  if (mode === 'plain') {
    const t0 = performance.now();
    const proof = k.PlainFpProverProof.create(index, x);
    const ms = performance.now() - t0;
    const commitments = proof.witnessCommitments();          // Uint32Array of raw pointers
    const lagrange = srs.lagrangeCommitments(1 << K);         // Uint32Array of raw pointers
    if (!k.PlainFpProverProof.verify(index, proof)) throw new Error('proof did not verify');
    return [ms, commitments.length + lagrange.length];
  }
  if (mode === 'using') {
    using witness = index.squareWitness(x);
    const t0 = performance.now();
    using proof = k.WasmFpProverProof.create(index, witness);
    const ms = performance.now() - t0;
    using commitments = proof.witnessCommitments();
    commitments.coordinates();
    using lagrange = srs.lagrangeCommitments(1 << K);
    if (!k.WasmFpProverProof.verify(index, proof)) throw new Error('proof did not verify');
    return [ms, 0];
  }
  const witness = index.squareWitness(x);
  const t0 = performance.now();
  const proof = k.WasmFpProverProof.create(index, witness);
  const ms = performance.now() - t0;
  proof.witnessCommitments().coordinates();
  srs.lagrangeCommitments(1 << K);
  if (!k.WasmFpProverProof.verify(index, proof)) throw new Error('proof did not verify');
  return [ms, 0];
}

const mode = args.mode;
if (!['plain', 'using', 'finalizer'].includes(mode)) throw new Error(`unknown mode ${mode}`);
if (mode === 'finalizer') k.setLeakCallback(() => {}); // leaks are the point of this mode
const env = setup(mode);
if (!args.quiet) console.log(`mode ${mode}: setup of 2^${K} circuit ${env.ms.toFixed(0)} ms, WASM ${memoryMB().toFixed(1)} MB`);
const rows = [];
let leftBehind = 0;
for (let i = 1; i <= N; i++) {
  const t0 = performance.now();
  const [proveMs, boxes] = proveOnce(mode, env, i + 1);
  const iterationMs = performance.now() - t0;
  leftBehind += boxes;
  if (mode === 'finalizer') await turnEventLoop();
  const ledger = mode === 'plain' ? null : k.ledger();
  const row = {
    proof: i,
    wasmMB: memoryMB(),
    liveHandles: ledger?.total.live ?? null,
    liveMB: ledger ? ledger.total.liveBytes / MB : null,
    rescued: ledger?.total.rescued ?? null,
    gcNudges: ledger?.gcNudges ?? null,
    proveMs,
    iterationMs,
  };
  rows.push(row);
  if (!args.quiet) {
    const live = mode === 'plain' ? `${leftBehind} raw boxes never freed` : `${row.liveHandles} live handles (${row.liveMB.toFixed(2)} MB)`;
    console.log(`proof ${String(i).padStart(3)}  WASM ${row.wasmMB.toFixed(2).padStart(8)} MB  ${live.padEnd(36)} ${proveMs.toFixed(0).padStart(6)} ms` +
      (mode === 'finalizer' ? `  rescued ${row.rescued}, GC nudges ${row.gcNudges}` : ''));
  }
}
const result = { mode, n: N, k: K, setupMs: env.ms, rows, leftBehind, ledger: mode === 'plain' ? null : k.ledger() };
if (args.json) writeFileSync(args.json, JSON.stringify(result));
if (!args.quiet) {
  const last = rows.at(-1);
  console.log(`done: ${N} proofs, WASM ${rows[0].wasmMB.toFixed(2)} MB after the first -> ${last.wasmMB.toFixed(2)} MB after the last; ` +
    (mode === 'plain'
      ? `${leftBehind} commitment boxes never freed`
      : mode === 'using'
        ? `live handles ${last.liveHandles} (the SRS and the index)`
        : `live handles ${last.liveHandles} (the SRS, the index and garbage not yet finalized), ${last.rescued} rescued by the finalizer, ${last.gcNudges} GC nudges`));
}
