// Time of the plain style against handles with `using`, interleaved: each style proves in its own
// worker thread (its own WASM instance and heap, so plain's leak does not grow the heap the
// handles run in), and the main thread asks them in turn, one proof at a time, alternating which
// goes first. Drift of a shared machine (clock, other load) then falls on both alike. Prints one
// JSON object: medians per style and the per-pair ratios with their spread.
//
//   node ab.mjs [--n 100] [--k 10]
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { parseArgs } from 'node:util';

if (!isMainThread) {
  const { setup, proveOnce } = await import('./proving.mjs');
  const { mode, k: K } = workerData;
  const env = setup(mode, K);
  parentPort.on('message', (x) => {
    const t0 = performance.now();
    const [proveMs] = proveOnce(mode, env, K, x);
    parentPort.postMessage({ proveMs, iterationMs: performance.now() - t0 });
  });
  parentPort.postMessage('ready');
} else {
  const { values: args } = parseArgs({ options: { n: { type: 'string', default: '100' }, k: { type: 'string', default: '10' } } });
  const N = Number(args.n);
  const K = Number(args.k);
  const start = (mode) =>
    new Promise((resolve, reject) => {
      const worker = new Worker(new URL(import.meta.url), { workerData: { mode, k: K } });
      worker.once('error', reject);
      worker.once('message', () => resolve(worker));
    });
  const ask = (worker, x) => new Promise((resolve) => { worker.once('message', resolve); worker.postMessage(x); });
  const workers = { plain: await start('plain'), using: await start('using') };
  const rows = [];
  for (let i = 0; i <= N; i++) {
    const order = i % 2 ? ['plain', 'using'] : ['using', 'plain'];
    const row = {};
    for (const mode of order) row[mode] = await ask(workers[mode], i + 2);
    if (i > 0) rows.push(row); // proof 0 of each is a warm-up
  }
  for (const worker of Object.values(workers)) await worker.terminate();

  const sorted = (xs) => [...xs].sort((a, b) => a - b);
  const quantile = (xs, q) => sorted(xs)[Math.min(xs.length - 1, Math.floor(q * xs.length))];
  const median = (xs) => quantile(xs, 0.5);
  const of = (mode, key) => rows.map((r) => r[mode][key]);
  const ratios = (key) => rows.map((r) => r.using[key] / r.plain[key]);
  const spread = (xs) => ({ median: median(xs), q1: quantile(xs, 0.25), q3: quantile(xs, 0.75) });
  console.log(JSON.stringify({
    n: N,
    k: K,
    plain: { medianProveMs: median(of('plain', 'proveMs')), medianIterationMs: median(of('plain', 'iterationMs')) },
    using: { medianProveMs: median(of('using', 'proveMs')), medianIterationMs: median(of('using', 'iterationMs')) },
    // Ratio of each pair (using / plain), proved back to back: median and quartiles.
    proveRatio: spread(ratios('proveMs')),
    iterationRatio: spread(ratios('iterationMs')),
    rows,
  }));
}
