// o1js 2.15.0 on stock kimchi-wasm and on kimchi-handles-o1js (the package, installed with npm
// overrides), side by side on this machine: each program compiled and proven in a fresh process
// per configuration, the recursive one N times. On ours, the recursive program also runs with the
// other worker count (as many as the cores, or one fewer) and on the aborting build. Writes
// bench/results/o1js.json and bench/results/o1js.md (the tables the README links to).
//
//   node --expose-gc o1js/compare.mjs [--proofs 10] [--square-proofs 3] [--render]
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { fixed as f, median, ratio, slope, span, steps } from './stats.mjs';

const { values: args } = parseArgs({
  options: {
    proofs: { type: 'string', default: '10' },
    'square-proofs': { type: 'string', default: '3' },
    // Only write the table again from results/o1js.json.
    render: { type: 'boolean', default: false },
  },
});
const root = new URL('../', import.meta.url).pathname;
const results = `${root}bench/results/`;
mkdirSync(results, { recursive: true });
const cores = availableParallelism();

// The configurations: which install, which backend, and the package's worker threads (unset: its default).
const configs = {
  stock: { install: '.tools/o1js-stock', backend: 'wasm', label: 'stock kimchi-wasm' },
  ours: { install: '.tools/o1js-ours', backend: 'native', label: 'kimchi-handles-o1js' },
  oursOtherThreads: { install: '.tools/o1js-ours', backend: 'native', label: 'kimchi-handles-o1js' },
  oursAborting: { install: '.tools/o1js-ours-abort', backend: 'native', label: 'kimchi-handles-o1js, aborting build' },
};

function run(which, program, proofs, threads) {
  const c = configs[which];
  const out = `${results}o1js-${which}-${program}.tmp.json`;
  console.error(`${c.label}${threads ? `, ${threads} workers` : ''}, ${program}: compile and ${proofs} proofs ...`);
  const extra = threads ? ['--threads', String(threads)] : [];
  execFileSync(
    process.execPath,
    ['--expose-gc', `${root}o1js/run.mjs`, '--install', `${root}${c.install}`, '--backend', c.backend, '--program', program, '--proofs', String(proofs), '--json', out, ...extra],
    { stdio: ['ignore', 'inherit', 'inherit'] },
  );
  return { which, label: c.label, ...JSON.parse(readFileSync(out, 'utf8')) };
}

const describe = (r) => ({
  label: r.label,
  threads: r.threads,
  compileMs: r.compileMs,
  wasmMBAfterCompile: r.wasmMBAfterCompile,
  mbPerProofAfterTwo: steps(r).length >= 2 ? slope(r.rows, 3) : null,
  medianProveMs: median(r.rows.map((row) => row.proveMs)),
  medianStepMs: steps(r).length ? median(steps(r).map((row) => row.proveMs)) : null,
  medianModuleObjectsPerProof: median((steps(r).length ? steps(r) : r.rows).map((row) => row.moduleObjects)),
  peakWasmMB: Math.max(r.wasmMBAfterCompile, ...r.rows.map((row) => row.wasmMB)),
  wasmMBAfterLast: r.rows.at(-1)?.wasmMB,
  verificationKey: r.verificationKey.hash,
  allVerified: r.rows.every((row) => row.verified),
  rows: r.rows,
});

const summary = args.render
  ? JSON.parse(readFileSync(`${results}o1js.json`, 'utf8'))
  : { date: new Date().toISOString(), node: process.version, cores, programs: {} };
// The install figures come from the last `make o1js-ours` (the package as it is now), also when
// only rendering: they do not depend on the proving runs.
const project = `${results}o1js-project.tmp.json`;
if (existsSync(project)) summary.install = JSON.parse(readFileSync(project, 'utf8'));
if (!args.render) {
  for (const [program, proofs] of [['square', Number(args['square-proofs'])], ['recursive', Number(args.proofs)]]) {
    const stock = run('stock', program, proofs);
    const ours = run('ours', program, proofs);
    const runs = [stock, ours];
    const entry = { proofs, runs: {} };
    if (program === 'recursive') {
      // The other worker count: as many as the cores, or one fewer, whichever the default is not.
      const other = ours.threads === cores ? cores - 1 : cores;
      const oursOther = other >= 1 ? run('oursOtherThreads', program, proofs, other) : null;
      const aborting = run('oursAborting', program, proofs, ours.threads);
      if (oursOther) runs.push(oursOther);
      runs.push(aborting);
      entry.oursOverStock = ratio(ours, stock);
      entry.otherThreadsOverDefault = oursOther && ratio(oursOther, ours);
      entry.unwindingOverAborting = ratio(ours, aborting);
    }
    for (const r of runs) entry.runs[r.which] = describe(r);
    entry.sameVerificationKey = runs.every((r) => r.verificationKey.hash === stock.verificationKey.hash && r.verificationKey.data === stock.verificationKey.data);
    entry.allVerified = runs.every((r) => r.rows.every((row) => row.verified));
    summary.programs[program] = entry;
  }
}

const lines = [
  `o1js 2.15.0 from npm on Node ${summary.node}, this machine (${summary.cores} cores), one run each, the proofs of each program in a row (generated by o1js/compare.mjs, which \`make o1js\` runs, on ${summary.date.slice(0, 10)}). Stock runs o1js's own kimchi-wasm (its pool: one worker fewer than the cores); ours is o1js with \`O1JS_BACKEND=native\` on the package kimchi-handles-o1js, installed with npm overrides.`,
  '',
  '| program | kimchi module | worker threads | compile s | WASM MB after compile | peak WASM MB | median proof s | WASM MB/proof after the first two | module objects per proof | same verification key | all proofs verify |',
  '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
];
for (const [program, p] of Object.entries(summary.programs)) {
  for (const [which, r] of Object.entries(p.runs)) {
    const threads = which === 'stock' ? `${r.threads}` : `${r.threads}${which === 'ours' || which === 'oursAborting' ? ' (default)' : ''}`;
    lines.push(
      `| ${program} (${p.proofs} proofs) | ${r.label} | ${threads} | ${f(r.compileMs / 1000, 1)} | ${f(r.wasmMBAfterCompile, 1)} | ${f(r.peakWasmMB, 1)} | ${f(r.medianProveMs / 1000, 1)} | ${f(r.mbPerProofAfterTwo, 3)} | ${r.medianModuleObjectsPerProof} | ${p.sameVerificationKey ? 'yes' : 'NO'} | ${r.allVerified ? 'yes' : 'NO'} |`,
    );
  }
}
const rec = summary.programs.recursive;
if (rec) {
  lines.push('', 'Recursive step proofs, proof time per pair (proof number by proof number, after the first two):', '');
  lines.push(`- ours (the default, ${rec.runs.ours.threads} workers) / stock (${rec.runs.stock.threads}): ${span(rec.oursOverStock)};`);
  const workers = (n) => `${n} worker thread${n === 1 ? '' : 's'}`;
  // Ours with stock's thread count, against stock: the comparison at equal threads.
  const same = Object.entries(rec.runs).find(([which, r]) => which.startsWith('ours') && which !== 'oursAborting' && r.threads === rec.runs.stock.threads);
  if (same) lines.push(`- ours / stock, both on ${workers(same[1].threads)}: ${span(ratio(same[1], rec.runs.stock))};`);
  if (rec.runs.oursOtherThreads) {
    lines.push(`- ours on ${workers(rec.runs.oursOtherThreads.threads)} / on ${workers(rec.runs.ours.threads)} (the default): ${span(rec.otherThreadsOverDefault)};`);
  }
  lines.push(`- the unwinding build (the package's) / the aborting build: ${span(rec.unwindingOverAborting)}.`);
}
const install = summary.install;
if (install) {
  lines.push(
    '',
    `From \`npm pack\` to a verified recursive proof in a fresh project: ${install.commands.length} commands a user types (${install.commands.map((c) => `\`${c}\``).join(', ')}) and one edit of package.json (the overrides, ${install.installed.length} names). ` +
      `The package: ${f(install.packageBytes / 2 ** 20, 1)} MB packed, ${f(install.unpackedBytes / 2 ** 20, 1)} MB installed under each name; \`npm install\` of it took ${f(install.installMs / 1000, 1)} s (o1js already in the npm cache).`,
  );
}
writeFileSync(`${results}o1js.json`, JSON.stringify(summary, null, 1));
writeFileSync(`${results}o1js.md`, lines.join('\n') + '\n');
console.log(lines.join('\n'));
