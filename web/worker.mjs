// One mode of the proving loop, in a worker (a worker may block, as the threaded build's pool
// needs; the page's main thread may not). Posts a row per proof.
async function load(unwind) {
  if (!self.crossOriginIsolated) {
    const k = await import('/build/kimchi-web/kimchi_handles_kimchi.js');
    await k.default();
    return k;
  }
  // The unwinding build (for the fault check) or the aborting one the demo runs.
  const dir = unwind ? '/build/kimchi-threads-unwind' : '/build/kimchi-threads';
  const k = await import(`${dir}/kimchi_handles_kimchi.js`);
  const module = await WebAssembly.compileStreaming(fetch(`${dir}/raw/kimchi_handles_kimchi_bg.wasm`));
  const { memory } = k.initSync({ module, thread_stack_size: 4 << 20 });
  // The rayon pool's one thread, in a worker of its own. A nested worker loads through this one,
  // so this thread blocks (threadPoolPrepare waits for the pool) only once that worker has loaded.
  const pool = new Worker('pool-worker.mjs', { type: 'module' });
  const loaded = new Promise((resolve, reject) => {
    pool.onmessage = resolve;
    pool.onerror = (e) => reject(new Error(`the pool's worker failed: ${e.message}`));
  });
  pool.postMessage({ module, memory, dir });
  await loaded;
  k.threadPoolPrepare(1);
  return k;
}

// The unwinding build in a browser: a panic and an out-of-memory inside kimchi are Errors, and
// the same instance proves after each, with the ledger as it was (the page's ?faults=1).
async function faults(log2) {
  if (!self.crossOriginIsolated) throw new Error('the fault check runs the threaded unwinding build: serve the page with COOP/COEP');
  const k = await load(true);
  const srs = k.caml_fp_srs_create(1 << log2);
  const gates = k.sampleSquareGatesFp(log2);
  const index = k.caml_pasta_fp_plonk_index_create(gates, 1, [], [], 0, srs, false);
  const vk = k.caml_pasta_fp_plonk_verifier_index_create(index);
  const prove = (x) => {
    const proof = k.caml_pasta_fp_plonk_proof_create(index, k.sampleSquareWitnessFp(x, log2), [], new Uint8Array(0), []);
    const ok = k.caml_pasta_fp_plonk_proof_verify(vk, proof);
    proof.dispose();
    return ok;
  };
  const live = () => { const { live, liveBytes } = k.ledger().total; return JSON.stringify({ live, liveBytes }); };
  const before = live();
  const r = {};
  try { k.panicForTest('boom'); } catch (e) { r.panic = e.message; }
  r.verifiedAfterPanic = prove(3);
  try { k.allocateWithoutBoundForTest(); } catch (e) { r.oom = e.message; }
  r.memoryGiB = k.wasmMemoryBytes() / 2 ** 30;
  r.verifiedAfterOom = prove(4);
  r.sameLedger = live() === before;
  return r;
}

onmessage = async ({ data: { mode, n, k: log2, r } }) => {
  if (mode === 'faults') {
    try {
      postMessage({ faults: await faults(log2) });
    } catch (e) {
      postMessage({ failure: String(e.stack ?? e) });
    }
    return;
  }
  try {
    const k = await load(false);
    k.setLeakCallback(() => {});
    // The SRS is as large as the domain whose Lagrange commitments each iteration asks for.
    const srs = k.caml_fp_srs_create(1 << Math.max(log2, r));
    const gates = k.sampleSquareGatesFp(log2);
    const index = k.caml_pasta_fp_plonk_index_create(gates, 1, [], [], 0, srs, false);
    const vk = k.caml_pasta_fp_plonk_verifier_index_create(index);
    for (let i = 1; i <= n; i++) {
      const t0 = performance.now();
      const proof = k.caml_pasta_fp_plonk_proof_create(index, k.sampleSquareWitnessFp(i + 1, log2), [], new Uint8Array(0), []);
      const verified = k.caml_pasta_fp_plonk_proof_verify(vk, proof);
      if (mode === 'leak') k.sampleLeakLagrangeCommitmentsFp(srs, 1 << r);
      else k.caml_fp_srs_lagrange_commitments_whole_domain_ptr(srs, 1 << r);
      if (mode !== 'finalizer') proof.dispose();
      const ms = performance.now() - t0;
      // Let finalizers run, as an application's event loop would.
      await new Promise((resolve) => setTimeout(resolve, 0));
      postMessage({ proof: i, verified, ms, wasmMB: k.wasmMemoryBytes() / 2 ** 20, live: k.ledger().total.live });
    }
    postMessage({ done: true });
  } catch (e) {
    postMessage({ failure: String(e.stack ?? e) });
  }
};
