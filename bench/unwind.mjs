// The unwinding kimchi build against the aborting one: the same proofs, interleaved (one from
// each in turn, so drift of the machine falls on both alike), each instance with its rayon pool
// on one worker thread. Prints one JSON object.
//
//   node unwind.mjs [--k 10] [--proofs 20]
import { createRequire } from 'node:module';
import { statSync } from 'node:fs';
import { parseArgs } from 'node:util';

const { values: args } = parseArgs({ options: { k: { type: 'string', default: '10' }, proofs: { type: 'string', default: '20' } } });
const require = createRequire(import.meta.url);
const { loadThreaded } = require('../glue/threads-node.cjs');
const build = new URL('../build/', import.meta.url).pathname;
const log2 = Number(args.k);

function instance(dir) {
  const wasm = `${build}${dir}/raw/kimchi_handles_kimchi_bg.wasm`;
  const k = loadThreaded({ glue: `${build}${dir}/kimchi_handles_kimchi.js`, wasm, threads: 1 }).module;
  const srs = k.caml_fp_srs_create_parallel(1 << log2);
  const gates = k.sampleSquareGatesFp(log2);
  const index = k.caml_pasta_fp_plonk_index_create(gates, 1, [], [], 0, srs, false);
  return {
    wasmBytes: statSync(wasm).size,
    times: [],
    prove(x) {
      const t0 = performance.now();
      const proof = k.caml_pasta_fp_plonk_proof_create(index, k.sampleSquareWitnessFp(x, log2), [], new Uint8Array(0), []);
      this.times.push(performance.now() - t0);
      proof.dispose();
    },
  };
}

const abort = instance('kimchi-threads');
const unwind = instance('kimchi-threads-unwind');
abort.prove(1);
unwind.prove(1); // warm-up, not counted
abort.times.length = unwind.times.length = 0;
for (let i = 0; i < Number(args.proofs); i++) {
  // Alternate which goes first, so neither always follows the other.
  const pair = i % 2 ? [unwind, abort] : [abort, unwind];
  for (const b of pair) b.prove(i + 2);
}
const sorted = (xs) => [...xs].sort((a, b) => a - b);
const at = (xs, q) => sorted(xs)[Math.round(q * (xs.length - 1))];
const ratios = unwind.times.map((t, i) => t / abort.times[i]);
console.log(JSON.stringify({
  proofs: abort.times.length,
  k: log2,
  abort: { wasmBytes: abort.wasmBytes, medianProveMs: at(abort.times, 0.5), times: abort.times },
  unwind: { wasmBytes: unwind.wasmBytes, medianProveMs: at(unwind.times, 0.5), times: unwind.times },
  ratio: { median: at(ratios, 0.5), q1: at(ratios, 0.25), q3: at(ratios, 0.75) },
}));
process.exit(0);
