// Micro-benchmark of the handle machinery on the core's demo build (node --expose-gc micro.mjs):
// create + dispose of small handles against a plain wasm-bindgen class, create + finalize, and
// the cost of the ledger. Prints one JSON object.
//
// Three baselines split the handle's cost, each adding one step: the plain class freed by a
// by-value call (`Plain.release`, the path every handle's release takes through the glue);
// `BareHandle`, a handle's shape (value behind an `Rc`, shell freed by a by-value release) without
// the ledger and registry, so handle minus bare is the bookkeeping; and `__khRelease` on the raw
// glue, a handle without the JS package's wrapper.
import { createRequire } from 'node:module';
import { installHandles } from '../bindings/dist/esm/index.js';

// The classes as users of the JS package get them (dispose frees value and shell at once); the
// raw glue keeps the ~24-byte shell of a disposed handle until the GC, which costs more later.
const raw = createRequire(import.meta.url)('../build/node/kimchi_handles.js');
const g = installHandles(raw);
const COUNT = Number(process.argv[2] ?? 1_000_000);

function time(fn) {
  const t0 = performance.now();
  fn();
  return performance.now() - t0;
}

// Best of 5 runs of each, the loops taking turns, to damp the noise of a shared machine.
function bestOfEach(loops, runs = 5) {
  const best = loops.map(() => Infinity);
  for (let r = 0; r < runs; r++) {
    loops.forEach((fn, i) => { global.gc(); best[i] = Math.min(best[i], time(fn)); });
  }
  return best;
}

const plainLoop = () => { for (let i = 0; i < COUNT; i++) new g.Plain(0).free(); };
// The same plain class freed through a by-value call, as a handle's release is: the glue's share.
const P = raw.Plain;
const plainByValueLoop = () => { for (let i = 0; i < COUNT; i++) P.release(new P(0)); };
const handleLoop = () => { for (let i = 0; i < COUNT; i++) new g.Payload(0).dispose(); };
const B = raw.BareHandle;
const bareLoop = () => { for (let i = 0; i < COUNT; i++) B.release(new B(0)); };
const R = raw.Payload;
const rawHandleLoop = () => { for (let i = 0; i < COUNT; i++) R.__khRelease(new R(0)); };
const usingLoop = () => { for (let i = 0; i < COUNT; i++) { using p = new g.Payload(0); } };
const plainUsingLoop = () => { for (let i = 0; i < COUNT; i++) { using p = new g.Plain(0); } };
const loops = [plainLoop, plainByValueLoop, bareLoop, rawHandleLoop, handleLoop, usingLoop, plainUsingLoop];
for (const warm of loops) warm(); // JIT, allocator
const [plainMs, plainByValueMs, bareMs, rawHandleMs, handleMs, usingMs, plainUsingMs] = bestOfEach(loops);

// Create and drop without dispose; then collect until the finalizer has rescued every one.
g.setLeakCallback(() => {});
const FINALIZE = Math.min(COUNT, 100_000);
const before = g.ledger().classes.Payload.rescued;
const t0 = performance.now();
for (let i = 0; i < FINALIZE; i++) new g.Payload(0);
const createdMs = performance.now() - t0;
while (g.ledger().classes.Payload.rescued - before < FINALIZE) {
  global.gc();
  await new Promise((resolve) => setImmediate(resolve));
}
const finalizeMs = performance.now() - t0;

const LEDGER_READS = 10_000;
const ledgerMs = time(() => { for (let i = 0; i < LEDGER_READS; i++) g.ledger(); });

console.log(JSON.stringify({
  count: COUNT,
  plainCreateFreeMs: plainMs,
  handleCreateDisposeMs: handleMs,
  handleUsingMs: usingMs,
  plainUsingMs,
  usingRatio: usingMs / plainUsingMs,
  ratio: handleMs / plainMs,
  nsPerPlain: (plainMs * 1e6) / COUNT,
  nsPerHandle: (handleMs * 1e6) / COUNT,
  nsPerPlainByValue: (plainByValueMs * 1e6) / COUNT,
  byValueRatio: plainByValueMs / plainMs,
  nsPerBare: (bareMs * 1e6) / COUNT,
  nsPerRawHandle: (rawHandleMs * 1e6) / COUNT,
  bareRatio: bareMs / plainMs,
  // What the ledger and registry cost per create + dispose, and what the JS package's wrapper adds.
  nsBookkeeping: ((rawHandleMs - bareMs) * 1e6) / COUNT,
  nsJsWrapper: ((handleMs - rawHandleMs) * 1e6) / COUNT,
  finalizeCount: FINALIZE,
  finalizeCreateMs: createdMs,
  finalizeTotalMs: finalizeMs,
  usPerLedgerRead: (ledgerMs * 1e3) / LEDGER_READS,
  classesInLedger: Object.keys(g.ledger().classes).length,
}));
