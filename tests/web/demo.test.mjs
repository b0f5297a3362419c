// The `make demo-web` page in headless Chromium, in both builds: served with COOP/COEP it runs the
// threaded build (the rayon pool on a worker), without them the single-threaded one. In both, every
// proof verifies; with `using` the memory and the live handles stay flat after warm-up; the
// finalizer alone keeps them bounded; the baseline (commitments boxed and never freed, as
// kimchi-wasm under o1js) grows by the commitments' size every proof.
import test from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { serve } from '../../web/serve.mjs';
import { chromiumAbsent, pageResults } from '../../bindings/test/chromium.mjs';

const build = new URL('../../build/', import.meta.url).pathname;
const missing = ['kimchi-web', 'kimchi-threads', 'kimchi-threads-unwind'].filter((b) => !existsSync(`${build}${b}/kimchi_handles_kimchi.js`));
const skip = chromiumAbsent()
  ? `demo page test skipped: ${chromiumAbsent()}`
  : missing.length ? `demo page test skipped: no ${missing.join(' or ')} build (make kimchi-wasm; needs the proof-systems submodule)` : false;
if (skip) console.log(`# ${skip}`);

// 8 proofs a mode on a 2^6 circuit; the commitments of a 2^10 domain (1,024 of them) each time
// (the page's default, 2^14 as o1js asks for, spends a minute per mode on the Lagrange basis).
const [N, K, R] = [8, 6, 10];
const WARM = 3; // the allocator's high-water mark settles over the first proofs

async function run(isolation, query = `n=${N}&k=${K}&r=${R}`) {
  const server = await serve({ isolation });
  try {
    return await pageResults(`http://127.0.0.1:${server.address().port}/?${query}`, { timeout: 600_000 });
  } finally {
    server.close();
  }
}

function check(r, threaded) {
  assert.equal(r.failure, undefined, r.failure);
  assert.equal(r.threaded, threaded);
  assert.equal(r.charts, 2, 'the memory and live-handle charts are drawn');
  const growth = (rows, key) => rows.at(-1)[key] - rows[WARM - 1][key];
  for (const [mode, rows] of Object.entries(r.rows)) {
    assert.equal(rows.length, N, mode);
    assert.ok(rows.every((row) => row.verified === true), `${mode}: every proof verifies`);
  }
  const { using, finalizer, leak } = r.rows;
  assert.equal(growth(using, 'wasmMB'), 0, `using: WASM memory flat after warm-up: ${using.map((x) => x.wasmMB.toFixed(1))}`);
  assert.ok(using.every((row) => row.live === using[0].live), `using: live handles constant: ${using.map((x) => x.live)}`);
  // Nothing disposed: the garbage of a few proofs may wait for the collector, never all of it.
  assert.ok(finalizer.at(-1).live < using[0].live + N, `finalizer: live handles bounded: ${finalizer.map((x) => x.live)}`);
  // 2^R commitments of one point (two 32-byte coordinates) at least, every proof, never freed;
  // half of that as the bound, since memory grows in 64 KiB pages and starts with some free room.
  const perProof = growth(leak, 'wasmMB') / (N - WARM);
  const line = (rows) => rows.map((x) => x.wasmMB.toFixed(2)).join(' ');
  console.log(`# ${threaded ? 'threaded' : 'single-threaded'}, WASM MB per proof: using ${line(using)}; finalizer ${line(finalizer)}; baseline ${line(leak)} (+${perProof.toFixed(2)} MB/proof)`);
  assert.ok(perProof >= (2 ** R * 64) / 2 / 2 ** 20, `baseline: WASM memory grows every proof: ${leak.map((x) => x.wasmMB.toFixed(2))}`);
}

test('demo page, threaded build (cross-origin isolated): proofs verify, using is flat, the baseline leaks', { skip, timeout: 900_000 }, async () => {
  check(await run(true), true);
});

test('demo page, single-threaded build (no COOP/COEP): the same', { skip, timeout: 900_000 }, async () => {
  check(await run(false), false);
});

test('the unwinding threaded build in Chromium: a panic and an out-of-memory inside kimchi are Errors, and the instance proves after each', { skip, timeout: 300_000 }, async () => {
  const r = await run(true, `faults=1&k=${K}`);
  assert.equal(r.failure, undefined, r.failure);
  assert.equal(r.threaded, true);
  const f = r.faults;
  console.log(`# unwinding build in Chromium: ${f.panic} | ${f.oom} at ${f.memoryGiB.toFixed(2)} GiB`);
  assert.match(f.panic, /^panicForTest panicked: boom \(at src\/faults\.rs:\d+\)$/);
  assert.equal(f.verifiedAfterPanic, true, JSON.stringify(f));
  assert.match(f.oom, /^allocateWithoutBoundForTest panicked: memory allocation of \d+ bytes failed$/);
  assert.ok(f.memoryGiB > 3, `memory really ran out (${f.memoryGiB.toFixed(2)} GiB)`);
  assert.equal(f.verifiedAfterOom, true);
  assert.equal(f.sameLedger, true, `the same live handles and bytes: ${JSON.stringify(f)}`);
});
