// One proving loop in one fresh Node process, in one of three modes, printing a line per proof
// and (with --json) writing its measurements. `make demo` and `make bench` both run this.
//
//   node loop.mjs --mode using|plain|finalizer|finalizer-no-nudge [--n 100] [--k 10] [--json out.json] [--quiet]
//
// The loop is the same in every mode: prove x*x = y on a domain of 2^k rows, read the proof's
// 15 witness commitments, ask the SRS for the Lagrange commitments of the whole domain (what o1js
// does for every recursive proof), and verify. Modes differ only in how objects are released:
//   plain     - kimchi-wasm-style classes, commitments as raw pointers, nothing freed explicitly;
//   using     - handle classes, every object in a `using` declaration;
//   finalizer - handle classes, nothing disposed: the FinalizationRegistry alone, with the event
//               loop turning between proofs (the core's GC nudges keep it bounded);
//   finalizer-no-nudge - the same with the GC nudges off (setGcNudge(null)), for contrast.
import { writeFileSync } from 'node:fs';
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

import { k, memoryMB, setup, proveOnce } from './proving.mjs';

const turnEventLoop = () => new Promise((resolve) => setImmediate(resolve));

const mode = args.mode;
if (!['plain', 'using', 'finalizer', 'finalizer-no-nudge'].includes(mode)) throw new Error(`unknown mode ${mode}`);
const finalizerOnly = mode.startsWith('finalizer');
if (finalizerOnly) k.setLeakCallback(() => {}); // leaks are the point of this mode
if (mode === 'finalizer-no-nudge') k.setGcNudge(null);
const env = setup(mode, K);
if (!args.quiet) console.log(`mode ${mode}: setup of 2^${K} circuit ${env.ms.toFixed(0)} ms, WASM ${memoryMB().toFixed(1)} MB`);
const rows = [];
let leftBehind = 0;
for (let i = 1; i <= N; i++) {
  const t0 = performance.now();
  const [proveMs, boxes] = proveOnce(mode, env, K, i + 1);
  const iterationMs = performance.now() - t0;
  leftBehind += boxes;
  if (finalizerOnly) await turnEventLoop();
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
      (finalizerOnly ? `  rescued ${row.rescued}, GC nudges ${row.gcNudges}` : ''));
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
