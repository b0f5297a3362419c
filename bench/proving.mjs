// The proving steps every benchmark loop shares: the kimchi WASM build, the setup of the square
// circuit, and one iteration (prove, read the witness commitments, ask the SRS for the whole
// domain's Lagrange commitments, verify) in each release style.
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';

const MB = 1024 * 1024;

const gluePath = new URL('../build/kimchi-node/kimchi_handles_kimchi.js', import.meta.url).pathname;
if (!existsSync(gluePath)) {
  console.error(`no kimchi WASM build at ${gluePath}: run make kimchi-wasm (needs the proof-systems submodule)`);
  process.exit(2);
}
export const k = createRequire(import.meta.url)(gluePath);
export const memoryMB = () => k.wasmMemoryBytes() / MB;

export function setup(mode, K) {
  const t0 = performance.now();
  if (mode === 'plain') {
    const srs = k.PlainFpSrs.create(1 << K);
    return { srs, index: k.PlainFpIndex.squareCircuit(srs, K), ms: performance.now() - t0 };
  }
  const srs = k.WasmFpSrs.create(1 << K);
  return { srs, index: k.WasmPastaFpPlonkIndex.squareCircuit(srs, K), ms: performance.now() - t0 };
}

// One proof; returns [ms proving, boxes left behind on purpose (plain mode's raw pointers)].
export function proveOnce(mode, { srs, index }, K, x) {
  if (mode === 'plain') {
    const t0 = performance.now();
    const proof = k.PlainFpProverProof.create(index, x);
    const ms = performance.now() - t0;
    const commitments = proof.witnessCommitments();          // Uint32Array of raw pointers
    const lagrange = srs.lagrangeCommitments(1 << K);         // Uint32Array of raw pointers
    if (!k.PlainFpProverProof.verify(index, proof)) throw new Error('proof did not verify');
    return [ms, commitments.length + lagrange.length];
  }
  if (mode === 'using') {
    using witness = index.squareWitness(x);
    const t0 = performance.now();
    using proof = k.WasmFpProverProof.create(index, witness);
    const ms = performance.now() - t0;
    using commitments = proof.witnessCommitments();
    commitments.coordinates();
    using lagrange = srs.lagrangeCommitments(1 << K);
    if (!k.WasmFpProverProof.verify(index, proof)) throw new Error('proof did not verify');
    return [ms, 0];
  }
  const witness = index.squareWitness(x);
  const t0 = performance.now();
  const proof = k.WasmFpProverProof.create(index, witness);
  const ms = performance.now() - t0;
  proof.witnessCommitments().coordinates();
  srs.lagrangeCommitments(1 << K);
  if (!k.WasmFpProverProof.verify(index, proof)) throw new Error('proof did not verify');
  return [ms, 0];
}
