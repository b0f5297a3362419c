// The core handle classes on the real WASM build, in Node (20 and 24): idempotent release, moved
// shells, clear errors, sharing, borrow safety, the finalizer fallback and flat memory.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { glue, raw, MB, memoryMB, collectUntil, total, classStats } = require('./support.cjs');
const { Payload, PayloadList, Handle, consumePayload, withPayload, expectedChecksum } = glue;

test('free(), dispose() and [Symbol.dispose]() are idempotent, in any mix', () => {
  const before = classStats('Payload');
  for (const order of [['free', 'free'], ['dispose', 'free'], [Symbol.dispose, 'dispose', Symbol.dispose]]) {
    const p = new Payload(1000);
    assert.equal(p.state, 'live');
    assert.ok(p instanceof Payload && p instanceof Handle);
    for (const method of order) p[method]();
    assert.equal(p.state, 'disposed');
    assert.equal(p.byteSize, 0);
  }
  const after = classStats('Payload');
  assert.equal(after.disposed - before.disposed, 3, 'each handle is counted once');
  assert.equal(after.live, before.live);
});

test('use after dispose throws an Error naming the call, the parameter, the class, id and what happened', () => {
  const p = new Payload(10);
  const id = p.id;
  p.dispose();
  assert.equal(p.id, id, 'the id stays readable');
  assert.throws(() => p.checksum(), { name: 'Error', message: `Payload.checksum: Payload #${id} was disposed` });
  assert.throws(() => p.length, { message: `Payload.length: Payload #${id} was disposed` });
  assert.throws(() => consumePayload(p), { message: `consumePayload: payload: Payload #${id} was disposed` });
  assert.throws(() => Payload.doubled(p), { message: `Payload.doubled: payload: Payload #${id} was disposed` });
  assert.throws(() => withPayload(p, () => {}), { message: `withPayload: payload: Payload #${id} was disposed` });
  assert.throws(() => p.share(), { message: `Payload.share: Payload #${id} was disposed` });
  assert.throws(() => p.transfer(), { message: `Payload.transfer: Payload #${id} was disposed` });
  assert.equal(p.byteSize, 0, 'an ended handle holds no bytes');
});

test('a consuming function leaves a moved shell: release is a no-op, use names the consumer', () => {
  const p = new Payload(500, 3);
  assert.equal(consumePayload(p), expectedChecksum(500, 3), 'the consumer got the value');
  assert.equal(p.state, 'moved');
  assert.doesNotThrow(() => { p.free(); p.dispose(); p[Symbol.dispose](); });
  assert.equal(p.state, 'moved');
  assert.throws(() => p.checksum(), { message: `Payload.checksum: Payload #${p.id} was moved into consumePayload` });
  assert.throws(() => consumePayload(p), { message: `consumePayload: payload: Payload #${p.id} was moved into consumePayload` });
});

test('plain wasm-bindgen classes, for contrast, throw on double free and after a by-value move', () => {
  const a = new raw.Plain(10);
  a.free();
  assert.throws(() => a.free(), /null pointer passed to rust/);
  const b = new raw.Plain(10);
  raw.consumePlain(b);
  assert.throws(() => b[Symbol.dispose](), /null pointer passed to rust/);
});

test('ids are unique and stable; the key a JS object holds is not the id', () => {
  const a = new Payload(1);
  const b = new Payload(1);
  assert.equal(b.id, a.id + 1);
  assert.notEqual(a.__kh, a.id);
  assert.ok(Math.abs(a.__kh - b.__kh) > 2 ** 20, 'neighbouring keys are far apart');
  a.dispose();
  b.dispose();
  const c = new Payload(1);
  assert.ok(c.id > b.id, 'never reused');
  c.dispose();
});

test('wrong class, null, undefined and plain objects give clear errors and the instance keeps working', () => {
  const list = new PayloadList(2, 8);
  assert.throws(() => consumePayload(list), { message: `consumePayload: payload must be a Payload handle, got PayloadList #${list.id}` });
  for (const [bad, got] of [[null, 'null'], [undefined, 'undefined'], [{}, 'an object'], [42, 'the number 42'], ['p', 'the string "p"']]) {
    assert.throws(() => consumePayload(bad), { name: 'TypeError', message: `consumePayload: payload must be a Payload handle, got ${got}` });
  }
  assert.equal(list.state, 'live', 'the refused argument is untouched');
  list.dispose();
  assert.throws(() => new Payload(2 ** 31 + 1), /new Payload: 2147483649 bytes is more than 2147483648/);
  assert.throws(() => new PayloadList(2 ** 20, 2 ** 20), /is more than/);
  assert.throws(() => new PayloadList(2, 8).get(7), /index 7 out of range 0..2/);
  const p = new Payload(64, 9);
  assert.equal(p.checksum(), expectedChecksum(64, 9), 'the instance still works');
  p.dispose();
});

test('a shared value lives until its last handle and counts its bytes once', () => {
  const before = classStats('Payload');
  const a = new Payload(100_000);
  const b = a.share();
  assert.ok(b instanceof Payload);
  assert.notEqual(a.id, b.id);
  const bytes = classStats('Payload').liveBytes - before.liveBytes;
  assert.ok(bytes >= 100_000 && bytes < 100_100, `counted once: ${bytes}`);
  assert.throws(() => consumePayload(a), /cannot be moved into consumePayload: another handle shares it/);
  a.dispose();
  assert.equal(b.length, 100_000);
  assert.equal(classStats('Payload').liveBytes - before.liveBytes, bytes);
  b.dispose();
  assert.equal(classStats('Payload').liveBytes, before.liveBytes);
});

test('disposing from a JS callback while Rust borrows the value is safe', () => {
  const p = new Payload(4096, 5);
  const sum = withPayload(p, () => p.dispose());
  assert.equal(sum, expectedChecksum(4096, 5), 'Rust read intact bytes after the dispose');
  assert.equal(p.state, 'disposed');
  const q = new Payload(16);
  assert.throws(() => withPayload(q, () => { throw new Error('boom'); }), { message: 'withPayload: callback threw: boom' });
  assert.equal(q.state, 'live');
  // Taking a value a running call borrows is refused, and the caller keeps it.
  assert.throws(() => withPayload(q, () => consumePayload(q)), { message: /^withPayload: callback threw: consumePayload: payload: Payload #\d+ cannot be moved into consumePayload: another handle shares it or a running call borrows it$/ });
  assert.equal(q.state, 'live');
  q.dispose();
});

test('a call refused by the memory budget takes nothing', () => {
  const p = new Payload(MB);
  glue.setMemoryBudget(glue.ledger().total.liveBytes + MB);
  try {
    assert.throws(() => Payload.doubled(p), { message: /^Payload\.doubled: creating Payload \(2\.1 MB\) would exceed the memory budget/ });
    assert.equal(p.state, 'live', 'the refused call left its argument with the caller');
    assert.equal(p.length, MB);
  } finally {
    glue.setMemoryBudget(null);
  }
  const d = Payload.doubled(p);
  assert.equal(p.state, 'moved');
  assert.equal(d.length, 2 * MB);
  d.dispose();
});

test('vectors cross as one handle that owns every element', () => {
  const list = new PayloadList(1000, 100);
  assert.equal(list.length, 1000);
  assert.ok(list.byteSize >= 1000 * 100, `deep size ${list.byteSize}`);
  const element = list.get(999);
  assert.equal(element.checksum(), expectedChecksum(100, 999 % 256));
  element.dispose();
  list.dispose();
  assert.equal(list.state, 'disposed');
});

test('the finalizer frees dropped handles and the ledger counts them as rescued', async () => {
  const reports = [];
  glue.setLeakCallback((r) => reports.push(r));
  const before = classStats('Payload');
  (() => { for (let i = 0; i < 20; i++) new Payload(MB); })();
  assert.equal(classStats('Payload').live - before.live, 20);
  const ok = await collectUntil(() => classStats('Payload').rescued - before.rescued >= 20);
  glue.setLeakCallback(undefined);
  assert.ok(ok, `rescued ${classStats('Payload').rescued - before.rescued} of 20`);
  assert.equal(classStats('Payload').live, before.live);
  assert.equal(classStats('Payload').liveBytes, before.liveBytes);
  const mine = reports.filter((r) => r.class === 'Payload' && r.bytes >= MB);
  assert.equal(mine.length, 20, 'the leak callback saw each one');
});

test('10,000 create/dispose rounds of a 1 MB handle keep WASM memory flat', () => {
  new Payload(MB).dispose(); // warm-up: the allocator has its 1 MB block
  const before = classStats('Payload');
  const start = memoryMB();
  for (let i = 0; i < 10_000; i++) {
    const p = new Payload(MB);
    p.dispose();
  }
  const growth = memoryMB() - start;
  console.log(`# 10,000 x 1 MB create/dispose: WASM memory ${start.toFixed(1)} -> ${memoryMB().toFixed(1)} MB`);
  // Memory alone could hide a few leaked payloads in blocks an earlier test freed; the ledger cannot.
  assert.ok(growth < 1, `grew ${growth.toFixed(2)} MB`);
  const after = classStats('Payload');
  assert.deepEqual([after.live, after.liveBytes], [before.live, before.liveBytes]);
  assert.equal(after.disposed - before.disposed, 10_000);
});

test('the ledger returns to zero when everything is released', async () => {
  await collectUntil(() => total().live === 0, 20);
  const t = total();
  assert.equal(t.live, 0, JSON.stringify(glue.liveHandles()));
  assert.equal(t.liveBytes, 0);
  assert.equal(t.created, t.disposed + t.moved + t.rescued);
  assert.ok(glue.ledger().highWaterBytes >= MB);
});
