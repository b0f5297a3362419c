// Bytes given as a view of the instance's own WASM memory (reachable through the raw module): the
// copy Rust makes may grow that memory, which detaches the view. The copy must still read the
// right bytes, and nothing may be lost. Its own file: it needs a memory no other test has used.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { glue, raw, MB } = require('./support.cjs');

const memory = raw.__wasm.memory;

// Where a live payload's bytes start in WASM memory: its pattern steps by 31 from byte to byte.
function findPayload(bytes) {
  const view = new Uint8Array(memory.buffer);
  let run = 0;
  for (let i = 1; i < view.length; i++) {
    run = ((view[i] - view[i - 1]) & 255) === 31 ? run + 1 : 0;
    if (run === bytes - 1) return i - run;
  }
  throw new Error('the payload was not found in WASM memory');
}

// The demo's checksum, in JS.
const checksum = (bytes) => bytes.reduce((acc, b) => (((acc << 5) | (acc >>> 27)) ^ b) >>> 0, 0);

test('a view of WASM memory is read right when the copy grows memory, and nothing leaks', () => {
  const size = 64 * MB;
  const payload = new glue.Payload(size, 9);
  const start = findPayload(size);
  const length = size - 4096;
  for (let round = 0; round < 5; round++) {
    const before = memory.buffer.byteLength;
    const view = new Uint8Array(memory.buffer, start + 2048, length);
    const expected = checksum(view.slice());
    assert.equal(glue.checksumOfBytes(view), expected, `round ${round}`);
    if (round === 0) assert.ok(memory.buffer.byteLength > before, 'the first copy grew memory (detaching the view)');
    else assert.equal(memory.buffer.byteLength, before, `round ${round}: the last copy was freed, so memory is flat`);
  }
  // A view detached before the call is empty.
  const detached = new Uint8Array(memory.buffer, start, 16);
  memory.grow(1);
  assert.equal(glue.checksumOfBytes(detached), 0);
  assert.equal(payload.checksum(), glue.expectedChecksum(size, 9));
  payload.dispose();
});
