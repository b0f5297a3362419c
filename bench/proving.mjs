// The proving loop's pieces, on the kimchi module (the threaded build, its rayon pool on one
// worker thread, as o1js runs it on 2 cores): setup of the sample circuit x * x = y on 2^k rows,
// and one iteration as o1js does it for a recursive proof: prove, verify, and ask the SRS for the
// whole domain's Lagrange commitments.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { loadThreaded } = require('../glue/threads-node.cjs');
const build = new URL('../build/kimchi-threads/', import.meta.url).pathname;

export const k = loadThreaded({
  glue: `${build}kimchi_handles_kimchi.js`,
  wasm: `${build}raw/kimchi_handles_kimchi_bg.wasm`,
  threads: 1,
}).module;

export const memoryMB = () => k.wasmMemoryBytes() / 2 ** 20;

export function setup(log2) {
  const t0 = performance.now();
  const srs = k.caml_fp_srs_create_parallel(1 << log2);
  const gates = k.sampleSquareGatesFp(log2);
  const index = k.caml_pasta_fp_plonk_index_create(gates, 1, [], [], 0, srs, false);
  const vk = k.caml_pasta_fp_plonk_verifier_index_create(index);
  gates.dispose();
  return { srs, index, vk, log2, ms: performance.now() - t0 };
}

/** One iteration; returns the proof (the caller decides whether to dispose it) and its time. */
export function proveOnce(env, x) {
  const t0 = performance.now();
  const witness = k.sampleSquareWitnessFp(x, env.log2);
  const proof = k.caml_pasta_fp_plonk_proof_create(env.index, witness, [], new Uint8Array(0), []);
  const proveMs = performance.now() - t0;
  if (!k.caml_pasta_fp_plonk_proof_verify(env.vk, proof)) throw new Error(`proof ${x} did not verify`);
  const basis = k.caml_fp_srs_lagrange_commitments_whole_domain_ptr(env.srs, 1 << env.log2);
  if (basis.length !== 1 << env.log2) throw new Error('a wrong Lagrange basis');
  return { proof, proveMs };
}
