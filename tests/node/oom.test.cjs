// Out of memory inside Rust, for real: allocation until WebAssembly's 4 GiB are gone. In the
// unwinding build (feature `unwind`: a failed allocation panics) that is a JS Error, what the
// call had allocated is freed on the way out, and the instance goes on. Its own file: it leaves 4 GiB of WASM memory behind (WASM
// memory never shrinks), which ends with its process.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');

const k = require(path.join(__dirname, '../../build/unwind/kimchi_handles.js'));

test('unwinding build: allocating without bound is an Error, the blocks are freed, the instance goes on', () => {
  const p = new k.Payload(4096, 9);
  const before = k.ledger().total;
  assert.throws(() => k.allocateWithoutBoundForTest(), { message: /^allocateWithoutBoundForTest panicked: memory allocation of \d+ bytes failed$/ });
  console.log(`# out of memory at ${(k.wasmMemoryBytes() / 2 ** 30).toFixed(2)} GiB of WASM memory`);
  assert.ok(k.wasmMemoryBytes() > 3.5 * 2 ** 30, 'memory really ran out');
  assert.equal(p.checksum(), k.expectedChecksum(4096, 9), 'earlier values are intact');
  assert.deepEqual(k.ledger().total, before);
  // The blocks were freed: nearly 2 GiB fit again.
  const big = new k.PayloadList(31, 64 << 20);
  assert.equal(big.length, 31);
  big.dispose();
  p.dispose();
});

test('unwinding build: memory filled to the last bytes by live handles: every refusal is an Error, then all is usable again', () => {
  const before = k.ledger().total;
  const held = [];
  const failures = [];
  // Ever smaller values until even the smallest does not fit: the last failures come with only a
  // few bytes left, where the panic that reports them must not fail in turn.
  for (const bytes of [64 << 20, 1 << 20, 16 << 10, 256, 16]) {
    for (;;) {
      try {
        held.push(new k.Payload(bytes));
      } catch (e) {
        failures.push(e.message);
        break;
      }
    }
  }
  console.log(`# ${held.length} payloads held at ${(k.wasmMemoryBytes() / 2 ** 30).toFixed(2)} GiB; failures: ${failures.map((m) => m.replace(/ \(at .*/, '')).join(' | ')}`);
  assert.equal(failures.length, 5);
  // An allocation that failed inside the call, the registry unable to grow, or (once less than the
  // reserve kept for recovering is free) the call refused before it starts.
  for (const m of failures) {
    assert.match(m, /^new Payload panicked: memory allocation of \d+ bytes failed$|^no memory left to register another Payload handle|^new Payload was not started: WebAssembly memory is full/);
  }
  // The last failure leaves only a few bytes free; it is still an Error (the reserve released by
  // the failed allocation is what formats it).
  assert.match(failures.at(-1), /of 16 bytes failed|was not started|no memory left/, 'the smallest value refused too');
  assert.ok(k.wasmMemoryBytes() > 3.9 * 2 ** 30);
  // Bytes and strings are copied into WASM memory inside the call, so with no memory left they
  // are refused like anything else, instead of aborting the instance on the way in.
  const pattern = (n, seed) => Uint8Array.from({ length: n }, (_, i) => ((i * 31) + seed) & 255);
  for (const call of [
    () => k.checksumOfBytes(pattern(1 << 20, 1)),
    () => k.checksumOfBytes(pattern(100, 1)),
    () => k.panicForTest('x'.repeat(100_000)),
    () => k.panicForTest('y'),
  ]) {
    assert.throws(call, (e) => e instanceof Error && /^(checksumOfBytes|panicForTest) (panicked|was not started)/.test(e.message), 'an Error, not an abort');
  }
  assert.equal(k.ledger().total.live, before.live + held.length, 'every payload made is counted, no refused one');
  for (const p of held) p.dispose();
  assert.deepEqual(k.ledger().total.live, before.live);
  const q = new k.Payload(1 << 30, 4);
  assert.equal(q.checksum(), k.expectedChecksum(1 << 30, 4), 'a 1 GiB value fits again');
  q.dispose();
  assert.equal(k.checksumOfBytes(pattern(1 << 20, 1)), k.expectedChecksum(1 << 20, 1), 'bytes go in again');
});
