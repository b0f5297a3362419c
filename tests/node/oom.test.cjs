// Out of memory inside Rust, for real: allocation until WebAssembly's 4 GiB are gone. In the
// unwinding build (-Z oom=panic) that is a JS Error, what the call had allocated is freed on the
// way out, and the instance goes on. Its own file: it leaves 4 GiB of WASM memory behind (WASM
// memory never shrinks), which ends with its process.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');

const k = require(path.join(__dirname, '../../build/unwind/kimchi_handles.js'));

test('unwinding build: allocating without bound is an Error, the blocks are freed, the instance goes on', () => {
  const p = new k.Payload(4096, 9);
  const before = k.ledger().total;
  assert.throws(() => k.allocateWithoutBoundForTest(), { message: /^allocateWithoutBoundForTest panicked: memory allocation of \d+ bytes failed/ });
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
