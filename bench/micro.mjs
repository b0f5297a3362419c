// Micro-benchmark of the handle machinery on the core's demo builds: create + dispose of small
// handles against a plain wasm-bindgen class (`Plain`, in the same module): newest first, with
// `using`, in batches disposed oldest first, and in batches kept past their turn (registered with
// the FinalizationRegistry before they are disposed); create + finalize, reading the ledger, and
// an uncontended lock; in the threaded build the same, plus
// create + dispose per second with 1 and 4 threads at once. Prints one JSON object.
//
//   node --expose-gc micro.mjs [count]
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';

const require = createRequire(import.meta.url);
const COUNT = Number(process.argv[2] ?? 1_000_000);
const root = new URL('../build/', import.meta.url).pathname;

const time = (fn) => {
  const t0 = performance.now();
  fn();
  return performance.now() - t0;
};

// Best of 5 runs of each, the loops taking turns, to damp the noise of a shared machine.
function bestOfEach(loops, runs = 5) {
  const names = Object.keys(loops);
  for (const name of names) loops[name](); // JIT, allocator
  const best = Object.fromEntries(names.map((n) => [n, Infinity]));
  for (let r = 0; r < runs; r++) {
    for (const name of names) {
      global.gc();
      best[name] = Math.min(best[name], time(loops[name]));
    }
  }
  return Object.fromEntries(names.map((n) => [n, (best[n] * 1e6) / COUNT])); // ns per iteration
}

async function finalizeAll(k, count) {
  k.setLeakCallback(() => {});
  const rescued = () => k.ledger().classes.Payload?.rescued ?? 0;
  const before = rescued();
  const t0 = performance.now();
  for (let i = 0; i < count; i++) new k.Payload(0);
  while (rescued() - before < count) {
    global.gc();
    await new Promise((resolve) => setImmediate(resolve));
  }
  k.setLeakCallback(undefined);
  return performance.now() - t0;
}

// Batches of BATCH objects, disposed oldest first: in one synchronous run, and after the batch
// outlived its turn (so every handle is registered with the FinalizationRegistry first).
const BATCH = 1000;
const batch = (make) => Array.from({ length: BATCH }, make);
const oldestFirst = (objects) => { for (const o of objects) o.free(); };

async function bestOfEachAsync(loops, runs = 5) {
  const names = Object.keys(loops);
  for (const name of names) await loops[name]();
  const best = Object.fromEntries(names.map((n) => [n, Infinity]));
  for (let r = 0; r < runs; r++) {
    for (const name of names) {
      global.gc();
      const t0 = performance.now();
      await loops[name]();
      best[name] = Math.min(best[name], performance.now() - t0);
    }
  }
  return Object.fromEntries(names.map((n) => [n, (best[n] * 1e6) / COUNT]));
}

async function measure(k, raw) {
  const ns = bestOfEach({
    plain: () => { for (let i = 0; i < COUNT; i++) new raw.Plain(0).free(); },
    handle: () => { for (let i = 0; i < COUNT; i++) new k.Payload(0).dispose(); },
    plainUsing: () => { for (let i = 0; i < COUNT; i++) { using p = new raw.Plain(0); } },
    handleUsing: () => { for (let i = 0; i < COUNT; i++) { using p = new k.Payload(0); } },
    plainOldestFirst: () => { for (let i = 0; i < COUNT; i += BATCH) oldestFirst(batch(() => new raw.Plain(0))); },
    handleOldestFirst: () => { for (let i = 0; i < COUNT; i += BATCH) oldestFirst(batch(() => new k.Payload(0))); },
    lock: () => k.lockRounds(COUNT),
    empty: () => k.emptyRounds(COUNT),
  });
  const kept = await bestOfEachAsync({
    plain: async () => { for (let i = 0; i < COUNT; i += BATCH) { const b = batch(() => new raw.Plain(0)); await null; oldestFirst(b); } },
    handle: async () => { for (let i = 0; i < COUNT; i += BATCH) { const b = batch(() => new k.Payload(0)); await null; oldestFirst(b); } },
  });
  const finalizeCount = Math.min(COUNT, 100_000);
  const finalizeMs = await finalizeAll(k, finalizeCount);
  const reads = 10_000;
  const ledgerMs = time(() => { for (let i = 0; i < reads; i++) k.ledger(); });
  return {
    nsPerPlain: ns.plain,
    nsPerHandle: ns.handle,
    ratio: ns.handle / ns.plain,
    nsPerPlainUsing: ns.plainUsing,
    nsPerHandleUsing: ns.handleUsing,
    usingRatio: ns.handleUsing / ns.plainUsing,
    nsPerPlainOldestFirst: ns.plainOldestFirst,
    nsPerHandleOldestFirst: ns.handleOldestFirst,
    oldestFirstRatio: ns.handleOldestFirst / ns.plainOldestFirst,
    nsPerPlainKept: kept.plain,
    nsPerHandleKept: kept.handle,
    keptRatio: kept.handle / kept.plain,
    nsPerUncontendedLock: ns.lock - ns.empty,
    finalizeCount,
    finalizeMs,
    usPerLedgerRead: (ledgerMs * 1e3) / reads,
  };
}

// Create + dispose per second on `threads` workers at once, each for `ms` milliseconds.
async function contended(k, module, memory, glue, threads, ms) {
  const source = `
    import { workerData, parentPort } from 'node:worker_threads';
    const k = await import(workerData.glue);
    k.initSync({ module: workerData.module, memory: workerData.memory });
    const flag = new Int32Array(workerData.flag);
    parentPort.postMessage('ready');
    while (Atomics.load(flag, 0) === 0) {}
    let n = 0;
    while (Atomics.load(flag, 0) === 1) { for (let i = 0; i < 1000; i++) new k.Payload(0).dispose(); n += 1000; }
    parentPort.postMessage(n);`;
  const flag = new SharedArrayBuffer(4);
  const workers = Array.from({ length: threads }, () =>
    new Worker(new URL(`data:text/javascript,${encodeURIComponent(source)}`), { workerData: { glue, module, memory, flag } }));
  await Promise.all(workers.map((w) => new Promise((resolve) => w.once('message', resolve))));
  const counts = workers.map((w) => new Promise((resolve) => w.once('message', resolve)));
  const f = new Int32Array(flag);
  Atomics.store(f, 0, 1);
  await new Promise((resolve) => setTimeout(resolve, ms));
  Atomics.store(f, 0, 2);
  const total = (await Promise.all(counts)).reduce((a, b) => a + b, 0);
  await Promise.all(workers.map((w) => w.terminate()));
  return (total * 1000) / ms;
}

const single = await measure(require(`${root}node/kimchi_handles.js`), require(`${root}node/raw/kimchi_handles.js`));

const glue = `file://${root}threads/kimchi_handles.js`;
const threadsK = await import(glue);
const threadsRaw = await import(`file://${root}threads/raw/kimchi_handles.js`);
const module = new WebAssembly.Module(readFileSync(`${root}threads/raw/kimchi_handles_bg.wasm`));
const { memory } = threadsK.initSync({ module });
const threaded = await measure(threadsK, threadsRaw);
threaded.opsPerSecond1Thread = await contended(threadsK, module, memory, glue, 1, 1000);
threaded.opsPerSecond4Threads = await contended(threadsK, module, memory, glue, 4, 1000);

console.log(JSON.stringify({ count: COUNT, node: process.version, single, threaded }, null, 1));
