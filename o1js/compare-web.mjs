// o1js 2.15.0 in headless Chromium, stock against kimchi-handles-o1js (through its Vite plugin),
// the recursive program (each step verifies the previous proof) proven N times in a Web Worker of
// a cross-origin isolated page: stock with its pool (one worker fewer than the cores), ours with
// the same number of workers and with its default (as many as the cores); then ours without
// isolation (the single-threaded fallback, a few proofs, for the record), and stock and ours with
// o1js on the page's own thread (a few proofs: how long that thread is held). Each run in a fresh
// browser. Writes bench/results/o1js-web.json and bench/results/o1js-web.md.
//
//   node o1js/compare-web.mjs --package build/.../kimchi-handles-o1js-X.tgz [--proofs 10] [--render]
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { pageResults } from '../bindings/test/chromium.mjs';
import { serve } from '../web/serve.mjs';
import { fixed as f, median, ratio, slope, span, steps } from './stats.mjs';

const { values: args } = parseArgs({
  options: {
    package: { type: 'string' },
    proofs: { type: 'string', default: '10' },
    'fallback-proofs': { type: 'string', default: '3' },
    'page-proofs': { type: 'string', default: '4' },
    render: { type: 'boolean', default: false },
    // Runs finished by an earlier invocation (kept in bench/results/o1js-web-<run>.tmp.json) are
    // reused, not run again: a run that ended the browser badly need not cost the others.
    resume: { type: 'boolean', default: false },
  },
});
const root = new URL('../', import.meta.url).pathname;
const results = `${root}bench/results/`;
const cores = availableParallelism();

function build(name, extra) {
  const dir = `${root}.tools/${name}`;
  execFileSync(process.execPath, [`${root}o1js/web-project.mjs`, '--dir', dir, ...extra], { stdio: 'inherit' });
  return `${dir}/dist`;
}

// A run of stock that dies part-way is a result (its rows so far and the error); one of ours is not.
// Each finished run is saved at once, for --resume.
async function browse(key, label, dist, options) {
  const saved = `${results}o1js-web-${key}.tmp.json`;
  if (args.resume && existsSync(saved)) {
    console.error(`${label}: reusing ${saved}`);
    return JSON.parse(readFileSync(saved, 'utf8'));
  }
  const r = await run(label, dist, options);
  writeFileSync(saved, JSON.stringify(r));
  return r;
}

async function run(label, dist, { isolation = true, workers = 0, proofs, mayFail = false, where = 'worker' }) {
  console.error(`${label}: the recursive program, ${proofs} proofs in Chromium ...`);
  const server = await serve({ dir: dist, isolation });
  try {
    const url = `http://127.0.0.1:${server.address().port}/?in=${where}&program=recursive&proofs=${proofs}&workers=${workers}`;
    // Time enough for a slow machine: 5 minutes, and 2 a proof.
    const timeout = (5 + 2 * proofs) * 60_000;
    const r = await pageResults(url, { timeout }).catch((e) => {
      if (!mayFail) throw e;
      const why = e.name === 'TimeoutError' ? `no result within ${timeout / 60_000} minutes (hung)` : `the browser failed: ${e.message.split('\n')[0]}`;
      return { error: why, rows: [] };
    });
    r.rows ??= [];
    if (r.error && !mayFail) throw new Error(`${label}: ${r.error}`);
    if (r.error) console.error(`  ended after ${r.rows.length} proofs: ${r.error}`);
    for (const row of r.rows) console.error(`  proof ${row.proof}: ${f(row.proveMs / 1000, 1)} s, WASM ${f(row.wasmMB)} MB, ${row.moduleObjects} module objects, verified ${row.verified}`);
    return { label, isolation, where, ...r };
  } finally {
    server.close();
  }
}

const describe = (r) => ({
  label: r.label,
  error: r.error ?? null,
  threads: r.threads,
  // A run that ended part-way reports no page state: it was served as `isolation` says.
  crossOriginIsolated: r.crossOriginIsolated ?? r.isolation,
  compileMs: r.compileMs,
  timeToFirstProofMs: r.timeToFirstProofMs,
  wasmMBAfterCompile: r.wasmMBAfterCompile,
  peakWasmMB: r.rows.length ? Math.max(r.wasmMBAfterCompile, ...r.rows.map((row) => row.wasmMB)) : null,
  mbPerProofAfterTwo: steps(r).length >= 2 ? slope(r.rows, 3) : null,
  medianProveMs: r.rows.length ? median((steps(r).length ? steps(r) : r.rows).map((row) => row.proveMs)) : null,
  // The longest time the page's thread went without running its event loop, over the proofs.
  pageHeldMs: r.rows.length ? Math.max(...r.rows.map((row) => row.pageHeldMs)) : null,
  where: r.where,
  medianModuleObjectsPerProof: r.rows.length ? median((steps(r).length ? steps(r) : r.rows).map((row) => row.moduleObjects)) : null,
  verificationKey: r.verificationKey,
  allVerified: r.rows.length > 0 && r.rows.every((row) => row.verified),
  rows: r.rows,
});

let summary;
if (args.render) {
  summary = JSON.parse(readFileSync(`${results}o1js-web.json`, 'utf8'));
} else {
  const proofs = Number(args.proofs);
  const stockDist = build('o1js-web-stock', ['--stock']);
  const oursDist = build('o1js-web', ['--package', resolve(args.package)]);
  const chromium = execFileSync('/usr/bin/chromium', ['--version'], { encoding: 'utf8' }).trim();
  // Stock sometimes ends its worker at a step proof here ("memory access out of bounds"), or
  // hangs (its page thread spinning): a run that gives no result within its time is recorded so.
  const stock = await browse('stock', 'stock o1js', stockDist, { proofs, mayFail: true });
  if (!Number.isInteger(stock.threads)) throw new Error(`stock o1js reported no pool size: ${JSON.stringify(stock).slice(0, 200)}`);
  const same = await browse('same', `kimchi-handles-o1js, ${stock.threads} worker${stock.threads === 1 ? '' : 's'}`, oursDist, { proofs, workers: stock.threads });
  const byDefault = await browse('default', 'kimchi-handles-o1js, default workers', oursDist, { proofs });
  const fallback = await browse('fallback', 'kimchi-handles-o1js without isolation', oursDist, { proofs: Number(args['fallback-proofs']), isolation: false });
  const pageProofs = Number(args['page-proofs']);
  const stockPage = await browse('stock-page', "stock o1js on the page's thread", stockDist, { proofs: pageProofs, mayFail: true, where: 'page' });
  const oursPage = await browse('ours-page', "kimchi-handles-o1js on the page's thread", oursDist, { proofs: pageProofs, where: 'page' });
  const runs = { stock, same, byDefault, fallback, stockPage, oursPage };
  summary = {
    date: new Date().toISOString(),
    chromium,
    cores,
    proofs,
    runs: Object.fromEntries(Object.entries(runs).map(([k, r]) => [k, describe(r)])),
    sameOverStock: ratio(same, stock),
    defaultOverStock: ratio(byDefault, stock),
    pageOverStockPage: ratio(oursPage, stockPage),
    sameVerificationKey: Object.values(runs).every((r) => !r.verificationKey || (r.verificationKey.hash === stock.verificationKey?.hash && r.verificationKey.data === stock.verificationKey?.data)),
  };
  // The rows' keys carry the data (long strings): keep their hashes only.
  for (const r of Object.values(summary.runs)) r.verificationKey = r.verificationKey?.hash ?? null;
}

const lines = [
  `o1js 2.15.0 from npm in headless ${summary.chromium}, built with Vite, this machine (${summary.cores} cores); the recursive program (each step verifies the previous proof) proven in a Web Worker (or, where it says so, on the page's own thread), each run in a fresh browser, the proofs in a row (generated by o1js/compare-web.mjs, which \`make o1js-web\` runs, on ${summary.date.slice(0, 10)}). Stock is o1js's own bundle; ours is the same app with kimchi-handles-o1js's Vite plugin. o1js disposes nothing in either.`,
  '',
  "| kimchi module | o1js runs in | cross-origin isolated | pool workers | proofs | compile s | time to first proof s | median proof s (after the first two) | page's thread held at most, s | WASM MB after compile | peak WASM MB | WASM MB/proof after the first two | module objects per proof | all proofs verify |",
  '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
];
const s = (ms, d = 1) => f(ms == null ? null : ms / 1000, d);
for (const r of Object.values(summary.runs)) {
  const proved = r.rows.length > 0;
  lines.push(
    `| ${r.label} | ${r.where === 'page' ? "the page's thread" : 'a Web Worker'} | ${r.crossOriginIsolated ? 'yes' : 'no'} | ${r.threads === 0 ? '0 (single-threaded)' : (r.threads ?? 'n/a')} | ${r.rows.length}${r.error ? ' (then ended)' : ''} | ${s(r.compileMs)} | ${s(r.timeToFirstProofMs)} | ${s(r.medianProveMs)} | ${s(r.pageHeldMs, 2)} | ${f(r.wasmMBAfterCompile, 1)} | ${f(r.peakWasmMB, 1)} | ${f(r.mbPerProofAfterTwo, 3)} | ${r.medianModuleObjectsPerProof ?? 'n/a'} | ${!proved ? 'n/a (no proof)' : r.allVerified ? 'yes' : 'NO'} |`,
  );
}
lines.push(
  '',
  `Same verification key in every run: ${summary.sameVerificationKey ? 'yes' : 'NO'}. Proof time per pair (proof number by proof number, after the first two):`,
  '',
  `- ours / stock, the same pool workers (${summary.runs.same.threads}): ${span(summary.sameOverStock)};`,
  `- ours with its default (${summary.runs.byDefault.threads} workers) / stock (${summary.runs.stock.threads}): ${span(summary.defaultOverStock)};`,
  `- o1js on the page's thread, ours (${summary.runs.oursPage.threads} workers) / stock (${summary.runs.stockPage.threads ?? 'n/a'}): ${span(summary.pageOverStockPage)}.`,
  '',
  "On the page's own thread o1js calls kimchi synchronously, so the thread waits (spinning: it may not block) for every call the pool runs, in stock as in ours, and o1js's own work between those calls holds it too: a zkApp that must stay responsive runs o1js in a Web Worker.",
);
for (const r of Object.values(summary.runs)) {
  // The first line of the error (its stack follows it in the JSON).
  if (r.error) lines.push('', `${r.label} ended after ${r.rows.length} proof${r.rows.length === 1 ? '' : 's'}: \`${r.error.split('\n')[0]}\`.`);
}
writeFileSync(`${results}o1js-web.json`, JSON.stringify(summary, null, 1));
writeFileSync(`${results}o1js-web.md`, lines.join('\n') + '\n');
console.log(lines.join('\n'));
