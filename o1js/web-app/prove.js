// One of the two programs with o1js 2.15.0 (x * x = y, or the recursive one whose every step
// verifies the previous proof): compile, then prove and verify `proofs` times, a row per proof
// (also given to `onProof` as each is made, so that a run that dies part-way still reports).
import { counter } from './count.js';
import * as o1js from 'o1js';
import { programs, proveNext } from './programs.mjs';

export async function run({ program = 'square', proofs = 1 } = {}, onProof = () => {}) {
  const started = performance.now();
  const { verify, Cache } = o1js;
  const { Square, Recursive } = programs(o1js);
  const zkProgram = program === 'recursive' ? Recursive : Square;
  const t0 = performance.now();
  const { verificationKey } = await zkProgram.compile({ cache: Cache.None });
  const compileMs = performance.now() - t0;
  const kimchi = globalThis.kimchi_wasm;
  const wasmMB = () =>
    (kimchi.wasmMemoryBytes?.() ?? kimchi.get_memory_byte_length?.() ?? kimchi.memory?.buffer?.byteLength ?? NaN) / 2 ** 20;
  const wasmMBAfterCompile = wasmMB();
  const threads = kimchi.kimchiHandles?.threads ?? Math.max(1, (navigator.hardwareConcurrency ?? 1) - 1);
  const rows = [];
  let previous;
  let firstProofMs;
  for (let i = 1; i <= proofs; i++) {
    const objects = counter.registered;
    const start = performance.now();
    const proof = await proveNext(o1js, { Square, Recursive }, zkProgram, previous);
    const proveMs = performance.now() - start;
    firstProofMs ??= performance.now() - started;
    const verified = await verify(proof, verificationKey);
    const row = { proof: i, proveMs, verified, wasmMB: wasmMB(), moduleObjects: counter.registered - objects, liveHandles: kimchi.ledger?.().total.live ?? null };
    rows.push(row);
    onProof(row, { compileMs, wasmMBAfterCompile, threads, verificationKey: { hash: verificationKey.hash.toString(), data: verificationKey.data } });
    previous = proof;
    await new Promise((resolve) => setTimeout(resolve, 0)); // let finalizers run, as an app's event loop would
  }
  return {
    refusals: kimchi.kimchiHandles ? refusals(kimchi) : null,
    program,
    crossOriginIsolated: globalThis.crossOriginIsolated === true,
    kimchiHandles: kimchi.kimchiHandles ?? null,
    backend: kimchi.__kimchi_backend ?? null,
    threads,
    verificationKey: { hash: verificationKey.hash.toString(), data: verificationKey.data },
    compileMs,
    wasmMBAfterCompile,
    timeToFirstProofMs: firstProofMs,
    rows,
  };
}

// Bad calls to this module, where o1js runs: each is an Error that says what was wrong, and the
// module goes on working (a copy of a made-up handle key, a negative SRS size).
function refusals(kimchi) {
  const message = (f) => {
    try {
      f();
      return 'no error';
    } catch (e) {
      return `${e.constructor.name}: ${e.message}`;
    }
  };
  const messages = [
    message(() => kimchi.caml_fp_srs_create_parallel(-1)),
    message(() => kimchi.caml_fp_srs_lagrange_commitment({ __kh: 12345 }, 8, 0)),
  ];
  const srs = kimchi.caml_fp_srs_create_parallel(2);
  const commitment = kimchi.caml_fp_srs_lagrange_commitment(srs, 4, 1);
  const afterwards = { srsState: srs.state, commitmentPoints: commitment.unshifted.length };
  srs.dispose();
  return { messages, afterwards, srsStateDisposed: srs.state };
}
