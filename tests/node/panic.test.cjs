// A panic inside Rust, in the two kinds of build. Unwinding (nightly, panic=unwind): a JS Error
// naming the function, and the instance lives on with its handles intact. Aborting (the stable
// build): the instance ends, and every later call says so instead of failing at random; a fresh
// instance is one call away.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const { freshInstance } = require('../../bindings/dist/cjs/index.js');

const unwinding = require(path.join(__dirname, '../../build/unwind/kimchi_handles.js'));
const abortingPath = path.join(__dirname, '../../build/node/kimchi_handles.js');

test('unwinding build: a panic is an Error naming the function; handles and ledger are intact', () => {
  const k = unwinding;
  const p = new k.Payload(1000, 3);
  const before = k.ledger().total;
  for (let i = 0; i < 100; i++) {
    assert.throws(() => k.panicForTest(`boom ${i}`), { name: 'Error', message: new RegExp(`^panicForTest panicked: boom ${i} \\(at src/demo.rs:\\d+\\)$`) });
  }
  assert.equal(p.checksum(), k.expectedChecksum(1000, 3), 'the value survived');
  assert.deepEqual(k.ledger().total, before, 'nothing was created or lost');
  const q = new k.Payload(10);
  assert.equal(q.length, 10, 'the next call works');
  q.dispose();
  p.dispose();
});

test('unwinding build: a panic\'s message comes back whole (any characters), a very long one cut', () => {
  const k = unwinding;
  const text = 'héllo ✓ 😀 \u{10FFFF} "quoted"\n';
  const escape = (x) => x.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  assert.throws(() => k.panicForTest(text), { message: new RegExp(`^panicForTest panicked: ${escape(text)} \\(at src/demo\\.rs:\\d+\\)$`, 'u') });
  let long;
  try {
    k.panicForTest('z'.repeat(1_000_000));
  } catch (e) {
    long = e.message;
  }
  assert.match(long, /^panicForTest panicked: z+…$/, 'cut, with no location');
  assert.ok(long.length < 2100, `a message of ${long.length} characters`);
  const q = new k.Payload(10);
  q.dispose();
});

test('bytes from JS: copied in whole, checked, taking nothing on refusal', () => {
  for (const k of [unwinding, require(abortingPath)]) {
    const pattern = (n, seed) => Uint8Array.from({ length: n }, (_, i) => ((i * 31) + seed) & 255);
    for (const n of [0, 1, 1000, 1 << 20]) assert.equal(k.checksumOfBytes(pattern(n, 5)), k.expectedChecksum(n, 5), `${n} bytes`);
    assert.equal(k.checksumOfBytes(pattern(64, 3).subarray(16, 48)), k.checksumOfBytes(pattern(64, 3).slice(16, 48)), 'a view reads its own bytes');
    for (const bad of ['abc', [1, 2], null, undefined, 3, {}, new Uint16Array(2)]) {
      assert.throws(() => k.checksumOfBytes(bad), { message: /^checksumOfBytes: bytes must be a Uint8Array, got / });
    }
  }
});

test('aborting build: the first panic ends the instance, every later call names it, a fresh instance works', () => {
  const k = freshInstance(abortingPath);
  const p = new k.Payload(100, 1);
  assert.throws(() => k.panicForTest('boom'), { message: /^panicForTest aborted the kimchi-handles instance: boom \(at src\/demo\.rs:\d+\); create a new instance$/ });
  const gone = /^this kimchi-handles instance aborted in panicForTest: boom \(at src\/demo\.rs:\d+\); every object in it is gone: create a new instance \(called: /;
  assert.throws(() => new k.Payload(10), { message: gone });
  assert.throws(() => p.checksum(), { message: gone });
  assert.throws(() => k.ledger(), { message: gone });
  assert.doesNotThrow(() => p.dispose(), 'disposing is a no-op: the memory went with the instance');
  const fresh = freshInstance(abortingPath);
  assert.notEqual(fresh, k);
  const q = new fresh.Payload(100, 1);
  assert.equal(q.checksum(), fresh.expectedChecksum(100, 1));
  q.dispose();
  assert.throws(() => new k.Payload(1), { message: gone }, 'the old one stays aborted');
});

test('unwinding build: a value whose Drop panics: dispose() throws naming the class, the finalizer warns; the handle ends either way', async () => {
  const k = unwinding;
  const before = k.ledger().total;
  const d = new k.PanicOnDrop('drop failed');
  assert.throws(() => d.dispose(), { name: 'Error', message: /^PanicOnDrop\.dispose panicked: drop failed \(at src\/demo\.rs:\d+\)$/ });
  assert.equal(d.state, 'disposed', 'released before its value was dropped');
  assert.doesNotThrow(() => d.dispose(), 'and disposing again is the usual no-op');
  const s = k.openScope();
  new k.PanicOnDrop('drop failed in a scope');
  assert.throws(() => s.close(), { message: /^Scope\.close panicked: drop failed in a scope/ });

  // The finalizer has no caller: it warns, and the instance goes on.
  const warnings = [];
  const warn = console.warn;
  console.warn = (m) => warnings.push(String(m));
  k.setLeakCallback(() => {});
  try {
    (() => { new k.PanicOnDrop('drop failed in the finalizer'); })();
    for (let i = 0; i < 50 && warnings.length === 0; i++) {
      global.gc();
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  } finally {
    console.warn = warn;
    k.setLeakCallback(undefined);
  }
  assert.deepEqual(warnings.map((w) => w.replace(/ \(at .*/, '')), ['kimchi-handles: the finalizer panicked: drop failed in the finalizer']);
  const after = k.ledger();
  assert.deepEqual([after.total.live, after.total.liveBytes], [before.live, before.liveBytes], 'nothing left live');
  assert.deepEqual([after.classes.PanicOnDrop.disposed, after.classes.PanicOnDrop.rescued], [2, 1]);
  const q = new k.Payload(10);
  assert.equal(q.length, 10, 'the next call works');
  q.dispose();
});
