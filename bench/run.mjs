// The benchmark: the proving loop in its four modes (each in a fresh Node process, same circuit,
// same N) for memory, the plain and `using` styles interleaved (each in its own worker) for time,
// then the micro-benchmark. Writes results/bench.json and prints the README's tables.
//
//   node run.mjs [--n 100] [--k 10]
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { parseArgs } from 'node:util';

const { values: args } = parseArgs({ options: { n: { type: 'string', default: '100' }, k: { type: 'string', default: '10' } } });
const here = new URL('./', import.meta.url).pathname;
const results = `${here}results/`;
mkdirSync(results, { recursive: true });
const WARM_UP = 10;

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
// Least-squares slope of memory against proof number, over proofs after `from`.
function slope(rows, from = WARM_UP) {
  const pts = rows.filter((r) => r.proof > from);
  const mx = pts.reduce((s, r) => s + r.proof, 0) / pts.length;
  const my = pts.reduce((s, r) => s + r.wasmMB, 0) / pts.length;
  const num = pts.reduce((s, r) => s + (r.proof - mx) * (r.wasmMB - my), 0);
  const den = pts.reduce((s, r) => s + (r.proof - mx) ** 2, 0);
  return den === 0 ? 0 : num / den;
}

const modes = {};
for (const mode of ['plain', 'using', 'finalizer', 'finalizer-no-nudge']) {
  const out = `${results}${mode}.tmp`;
  console.error(`running ${mode}: ${args.n} proofs at 2^${args.k} ...`);
  execFileSync(process.execPath, [`${here}loop.mjs`, '--mode', mode, '--n', args.n, '--k', args.k, '--json', out, '--quiet'], { stdio: 'inherit' });
  const r = JSON.parse(readFileSync(out, 'utf8'));
  modes[mode] = {
    slopeMBPerProof: slope(r.rows),
    // A bounded mode may climb for a while and then stay flat: the second half shows which.
    slopeSecondHalfMBPerProof: slope(r.rows, Math.floor(r.rows.length / 2)),
    peakMB: Math.max(...r.rows.map((row) => row.wasmMB)),
    firstMB: r.rows[0].wasmMB,
    lastMB: r.rows.at(-1).wasmMB,
    liveHandlesAtEnd: mode === 'plain' ? null : r.rows.at(-1).liveHandles,
    rescuedByFinalizer: mode === 'plain' ? null : r.rows.at(-1).rescued,
    gcNudges: mode === 'plain' ? null : r.rows.at(-1).gcNudges,
    rawBoxesNeverFreed: r.leftBehind,
    medianProveMs: median(r.rows.map((row) => row.proveMs)),
    medianIterationMs: median(r.rows.map((row) => row.iterationMs)),
    setupMs: r.setupMs,
    rows: r.rows,
  };
}
console.error(`running plain and using interleaved for time: ${args.n} proofs each ...`);
const ab = JSON.parse(execFileSync(process.execPath, [`${here}ab.mjs`, '--n', args.n, '--k', args.k], { encoding: 'utf8' }));
console.error('running the micro-benchmark ...');
const micro = JSON.parse(execFileSync(process.execPath, ['--expose-gc', `${here}micro.mjs`, '1000000'], { encoding: 'utf8' }));
const summary = {
  date: new Date().toISOString(),
  node: process.version,
  n: Number(args.n),
  k: Number(args.k),
  warmUpProofs: WARM_UP,
  modes,
  // From the interleaved run (ab.mjs): the fair comparison of time.
  interleaved: ab,
  proveTimeRatioUsingVsPlain: ab.proveRatio.median,
  iterationTimeRatioUsingVsPlain: ab.iterationRatio.median,
  micro,
};
writeFileSync(`${results}bench.json`, JSON.stringify(summary, null, 1));

const f = (x, d = 2) => (x === null ? 'n/a' : x.toFixed(d));
console.log(`\nProving loop: ${args.n} proofs of x*x = y at 2^${args.k}, WASM in ${process.version} (growth fitted after ${WARM_UP} warm-up proofs)\n`);
console.log('| mode | MB/proof after warm-up | MB/proof, second half | WASM MB first -> last | peak MB | live handles at end | rescued by finalizer | GC nudges | boxes never freed | median proof ms | median iteration ms |');
console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
const names = {
  plain: 'plain (kimchi-wasm style, nothing freed)',
  using: 'handles with `using`',
  finalizer: 'handles, finalizer only (GC nudges on, the default)',
  'finalizer-no-nudge': 'handles, finalizer only, GC nudges off',
};
for (const [mode, m] of Object.entries(modes)) {
  const tracked = (x) => x ?? 'not tracked';
  console.log(`| ${names[mode]} | ${f(m.slopeMBPerProof, 3)} | ${f(m.slopeSecondHalfMBPerProof, 3)} | ${f(m.firstMB)} -> ${f(m.lastMB)} | ${f(m.peakMB)} | ${tracked(m.liveHandlesAtEnd)} | ${tracked(m.rescuedByFinalizer)} | ${tracked(m.gcNudges)} | ${m.rawBoxesNeverFreed} | ${f(m.medianProveMs, 0)} | ${f(m.medianIterationMs, 0)} |`);
}
console.log(`\n(The times above come from separate processes run one after the other; for time, read the next table.)`);
console.log(`\nTime, ${ab.n} proofs of each style interleaved, each style in its own worker (\`bench/ab.mjs\`):\n`);
console.log('| | median proof ms | median iteration ms |');
console.log('| --- | --- | --- |');
console.log(`| plain | ${f(ab.plain.medianProveMs, 1)} | ${f(ab.plain.medianIterationMs, 1)} |`);
console.log(`| handles with \`using\` | ${f(ab.using.medianProveMs, 1)} | ${f(ab.using.medianIterationMs, 1)} |`);
const ratioText = (x) => `${f(x.median, 3)} (quartiles ${f(x.q1, 3)} to ${f(x.q3, 3)})`;
console.log(`| using / plain, per pair | ${ratioText(ab.proveRatio)} | ${ratioText(ab.iterationRatio)} |\n`);
console.log(`Micro-benchmark (${micro.count.toLocaleString('en')} handles, best of 5):\n`);
console.log('| what | plain wasm-bindgen class | handle class | ratio |');
console.log('| --- | --- | --- | --- |');
console.log(`| create + free() / dispose() | ${f(micro.nsPerPlain, 0)} ns | ${f(micro.nsPerHandle, 0)} ns | ${f(micro.ratio)}x |`);
console.log(`| the same plain class, freed by a by-value call as handles are (\`Plain.release\`) | ${f(micro.nsPerPlain, 0)} ns | ${f(micro.nsPerPlainByValue, 0)} ns | ${f(micro.byValueRatio)}x |`);
console.log(`| the same, bare shell: a handle's shape without ledger and registry (\`BareHandle\`) | ${f(micro.nsPerPlain, 0)} ns | ${f(micro.nsPerBare, 0)} ns | ${f(micro.bareRatio)}x |`);
console.log(`| of the handle's time: ledger and registry (raw \`__khRelease\` minus bare) | | ${f(micro.nsBookkeeping, 0)} ns | |`);
console.log(`| of the handle's time: the JS package's \`dispose()\` wrapper | | ${f(micro.nsJsWrapper, 0)} ns | |`);
console.log(`| create + \`using\` | ${f(micro.plainUsingMs * 1e6 / micro.count, 0)} ns | ${f(micro.handleUsingMs * 1e6 / micro.count, 0)} ns | ${f(micro.usingRatio)}x |`);
console.log(`| create ${micro.finalizeCount.toLocaleString('en')} and drop, until the finalizer rescued all | | ${f(micro.finalizeTotalMs, 0)} ms | |`);
console.log(`| read the ledger (\`ledger()\`, ${micro.classesInLedger} class) | | ${f(micro.usPerLedgerRead, 1)} µs | |`);
