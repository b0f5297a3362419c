// One proving loop in one fresh Node process, printing a line per proof and (with --json) writing
// its measurements. `make demo` and `make bench` both run it.
//
//   node --expose-gc loop.mjs --mode using|finalizer|finalizer-no-nudge [--n 100] [--k 10] [--json out.json] [--quiet]
//
// The loop is the same in every mode (see proving.mjs); they differ in how proofs are released:
//   using     - each proof in a `using` declaration;
//   finalizer - nothing disposed: the FinalizationRegistry alone, the event loop turning between
//               proofs (the core's GC nudges keep it bounded);
//   finalizer-no-nudge - the same with the GC nudges off, for contrast.
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { k, memoryMB, setup, proveOnce } from './proving.mjs';

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
const mode = args.mode;
if (!['using', 'finalizer', 'finalizer-no-nudge'].includes(mode)) throw new Error(`unknown mode ${mode}`);
const finalizerOnly = mode !== 'using';
if (finalizerOnly) k.setLeakCallback(() => {}); // leaks are the point of these modes
if (mode === 'finalizer-no-nudge') k.setGcNudge(null);

const env = setup(Number(args.k));
if (!args.quiet) console.log(`mode ${mode}: setup of the 2^${env.log2} circuit ${env.ms.toFixed(0)} ms, WASM ${memoryMB().toFixed(1)} MB`);
const rows = [];
for (let i = 1; i <= N; i++) {
  const t0 = performance.now();
  let proveMs;
  if (mode === 'using') {
    using run = proveOnce(env, i + 1).proof;
    proveMs = performance.now() - t0;
  } else {
    ({ proveMs } = proveOnce(env, i + 1));
    await new Promise((resolve) => setImmediate(resolve));
  }
  const iterationMs = performance.now() - t0;
  const ledger = k.ledger();
  const row = {
    proof: i,
    wasmMB: memoryMB(),
    liveHandles: ledger.total.live,
    liveMB: ledger.total.liveBytes / 2 ** 20,
    rescued: ledger.total.rescued,
    gcNudges: ledger.gcNudges,
    proveMs,
    iterationMs,
  };
  rows.push(row);
  if (!args.quiet) {
    console.log(`proof ${String(i).padStart(3)}  WASM ${row.wasmMB.toFixed(2).padStart(8)} MB  ${`${row.liveHandles} live handles (${row.liveMB.toFixed(2)} MB)`.padEnd(30)} ${proveMs.toFixed(0).padStart(6)} ms` +
      (finalizerOnly ? `  rescued ${row.rescued}, GC nudges ${row.gcNudges}` : ''));
  }
}
if (args.json) writeFileSync(args.json, JSON.stringify({ mode, n: N, k: env.log2, setupMs: env.ms, rows }));
if (!args.quiet) {
  const last = rows.at(-1);
  console.log(`done: ${N} proofs, WASM ${rows[0].wasmMB.toFixed(2)} MB after the first -> ${last.wasmMB.toFixed(2)} MB after the last; ` +
    `${last.liveHandles} live handles (the SRS, the index, the verifier index's SRS${finalizerOnly ? ', and garbage not yet finalized' : ''})` +
    (finalizerOnly ? `, ${last.rescued} rescued by the finalizer, ${last.gcNudges} GC nudges` : ''));
}
process.exit(0); // the pool's worker never ends
