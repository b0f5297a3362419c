// Nothing a JS object holds is trusted: copies, forgeries, stale objects, duplicate wrappers,
// proxies, frozen objects and a wrong `this` give a clear Error or do nothing; they never reach a
// freed value, never release another handle's value, and never abort the instance.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { glue, raw, MB, memoryMB, collectUntil, classStats } = require('./support.cjs');
const { Payload, PayloadList, consumePayload, expectedChecksum, openScope } = glue;

// A handle that must stay intact through everything below.
function witness(seed) {
  return { h: new Payload(4096, seed), sum: expectedChecksum(4096, seed) };
}
const intact = (w) => w.h.state === 'live' && w.h.checksum() === w.sum;

test('a handle disposed through a proxy: its late finalizer releases nothing else', async () => {
  const reports = [];
  glue.setLeakCallback((r) => reports.push(r));
  const before = classStats('Payload');
  (() => {
    for (let i = 0; i < 200; i++) {
      const px = new Proxy(new Payload(1000, i % 256), {});
      assert.equal(px.length, 1000, 'methods work through the proxy');
      px.dispose(); // unregisters the proxy, not the target: the target's finalizer stays registered
    }
  })();
  // Values created after: they must survive every late finalizer.
  const others = Array.from({ length: 50 }, (_, i) => witness(i));
  await collectUntil(() => false, 10); // let every late finalizer run
  glue.setLeakCallback(undefined);
  assert.ok(others.every(intact), 'no live handle was touched');
  const after = classStats('Payload');
  assert.equal(after.disposed - before.disposed, 200);
  assert.equal(after.rescued - before.rescued, 0, 'the late finalizers found ended keys');
  assert.equal(reports.length, 0);
  for (const w of others) w.h.dispose();
});

test('frozen, sealed and non-extensible handles work and dispose normally', () => {
  for (const lock of [Object.freeze, Object.seal, Object.preventExtensions]) {
    const p = lock(new Payload(8, 1));
    assert.equal(p.checksum(), expectedChecksum(8, 1));
    const q = p.share();
    p.dispose();
    assert.equal(p.state, 'disposed');
    assert.throws(() => p.length, new RegExp(`Payload #${p.id} was disposed`));
    q.dispose();
  }
});

test('a method or getter of one class called on another class\'s handle is refused, and nothing changes', () => {
  const list = new PayloadList(2, 8);
  assert.throws(() => Payload.prototype.dispose.call(list), { message: `Payload.dispose: this must be a Payload handle, got PayloadList #${list.id}` });
  assert.throws(() => Payload.prototype.checksum.call(list), { message: `Payload.checksum: this must be a Payload handle, got PayloadList #${list.id}` });
  const length = Object.getOwnPropertyDescriptor(Payload.prototype, 'length').get;
  assert.throws(() => length.call(list), /Payload.length: this must be a Payload handle/);
  assert.throws(() => Object.getOwnPropertyDescriptor(Payload.prototype, 'state').get.call(list), /Payload.state: this must be a Payload handle/);
  assert.throws(() => Payload.prototype.share.call(list), /Payload.share: this must be a Payload handle/);
  for (const self of [undefined, null, 42, {}, 'x']) {
    assert.throws(() => Payload.prototype.checksum.call(self), { name: 'TypeError' });
    assert.throws(() => Payload.prototype.dispose.call(self), { name: 'TypeError' });
  }
  assert.equal(list.state, 'live');
  assert.equal(list.length, 2);
  list.dispose();
  // Even once `list` ended, a Payload method does not treat it as a Payload.
  assert.throws(() => Payload.prototype.dispose.call(list), /must be a Payload handle, got PayloadList/);
});

test('scope.keep refuses look-alikes and handles of other scopes', () => {
  const scope = openScope();
  const mine = new Payload(10);
  assert.throws(() => scope.keep({ id: mine.id }), /scope.keep: handle must be a kimchi-handles handle, got an object/);
  assert.throws(() => scope.keep({ __kh: 12345 }), /is not a live handle of scope/);
  assert.throws(() => scope.keep(null), { name: 'TypeError' });
  assert.equal(scope.close(), 1, 'the look-alikes kept nothing');
  assert.equal(mine.state, 'disposed');
});

test('forged objects: no key, a made-up key, another class\'s key, a stale key', () => {
  const w = witness(7);
  const list = new PayloadList(1, 1);
  const blank = Object.create(Payload.prototype);
  assert.throws(() => blank.checksum(), { name: 'TypeError', message: /Payload.checksum: this must be a Payload handle/ });
  assert.throws(() => blank.dispose(), { name: 'TypeError' });
  assert.throws(() => consumePayload(blank), { name: 'TypeError' });
  const madeUp = Object.assign(Object.create(Payload.prototype), { __kh: 123456789 });
  assert.throws(() => madeUp.checksum(), /got an object whose key names no handle of this instance/);
  // A key no handle has now may be a handle released long ago: disposing it is a no-op.
  const before = classStats('Payload');
  assert.doesNotThrow(() => madeUp.dispose());
  assert.deepEqual(classStats('Payload'), before, 'nothing was released');
  const wrong = Object.assign(Object.create(Payload.prototype), { __kh: list.__kh });
  assert.throws(() => consumePayload(wrong), /consumePayload: payload must be a Payload handle, got PayloadList/);
  assert.equal(list.state, 'live', 'a refused consuming call took nothing');
  const gone = new Payload(4, 2);
  const stale = Object.assign(Object.create(Payload.prototype), gone);
  gone.dispose();
  assert.throws(() => stale.checksum(), { message: `Payload.checksum: Payload #${gone.id} was disposed` });
  assert.doesNotThrow(() => stale.dispose(), 'disposing an ended handle through a copy is a no-op');
  assert.ok(intact(w));
  w.h.dispose();
  list.dispose();
});

test('a copy of a live handle acts for that handle only; dropping copies frees nothing', async () => {
  const w = witness(9);
  (() => {
    for (let i = 0; i < 100; i++) {
      const copy = Object.assign(Object.create(Payload.prototype), w.h);
      assert.equal(copy.checksum(), w.sum);
    }
  })();
  await collectUntil(() => false, 5);
  assert.ok(intact(w), 'collected copies did not release the value (o1js issue 2870)');
  w.h.dispose();
});

test('transfer and adopt: one object per transfer, never a second owner', () => {
  const p = new Payload(16, 4);
  const token = p.transfer();
  assert.equal(p.state, 'moved');
  assert.throws(() => p.length, new RegExp(`Payload #${p.id} was transferred`));
  const q = Payload.adopt(token);
  assert.equal(q.checksum(), expectedChecksum(16, 4));
  assert.throws(() => Payload.adopt(token), /is not waiting to be adopted/);
  assert.throws(() => Payload.adopt(q.__kh), /is not waiting to be adopted/);
  assert.throws(() => PayloadList.adopt(q.__kh), /must be a PayloadList handle, got Payload/);
  assert.throws(() => Payload.adopt('1'), { name: 'TypeError' });
  q.dispose();
});

test('10,000 hostile calls in a row leave the instance fully usable', () => {
  const w = witness(11);
  const list = new PayloadList(3, 3);
  const before = classStats('Payload');
  const memory = memoryMB();
  const keys = [w.h.__kh, list.__kh, 0, -1, 2 ** 53, 1.5, NaN];
  let errors = 0;
  for (let i = 0; i < 10_000; i++) {
    const key = i % 3 === 0 ? Math.floor(Math.random() * 2 ** 53) : keys[i % keys.length];
    const forged = Object.assign(Object.create(Payload.prototype), { __kh: key });
    const calls = [
      () => (key === w.h.__kh ? forged.length : forged.checksum()),
      () => (key === w.h.__kh ? 0 : consumePayload(forged)),
      () => (key === w.h.__kh ? 0 : forged.dispose()),
      () => Payload.prototype.dispose.call(list),
      () => list.get(i),
      () => new Payload(-i - 1),
    ];
    try {
      calls[i % calls.length]();
    } catch (e) {
      assert.ok(e instanceof Error && !(e instanceof WebAssembly.RuntimeError), String(e));
      errors++;
    }
  }
  assert.ok(errors > 8000, `${errors} errors`);
  assert.ok(intact(w));
  assert.equal(list.length, 3);
  const after = classStats('Payload');
  assert.equal(after.created, before.created, 'no handle was made');
  assert.equal(after.live, before.live);
  assert.ok(memoryMB() - memory < 1, 'no memory lost');
  const fresh = new Payload(MB, 3);
  assert.equal(fresh.checksum(), expectedChecksum(MB, 3));
  fresh.dispose();
  w.h.dispose();
  list.dispose();
});

test('a proxy whose traps throw gives their error, and the instance goes on', () => {
  const h = new Payload(4);
  const evil = new Proxy(h, { get() { throw new Error('trap'); } });
  assert.throws(() => consumePayload(evil), { message: 'trap' });
  assert.equal(h.state, 'live');
  h.dispose();
});

test('an object that only looks like a Uint8Array (a proxy, or made from its prototype) is refused by name', () => {
  const lookalikes = [new Proxy(new Uint8Array(4), {}), Object.create(Uint8Array.prototype)];
  const message = /^checksumOfBytes: bytes must be a Uint8Array, got an object that only looks like one/;
  for (const v of lookalikes) {
    assert.throws(() => glue.checksumOfBytes(v), { name: 'TypeError', message });
    // Past the glue, straight to Rust: the same refusal, from Rust's own check.
    assert.throws(() => {
      const r = raw.__kh__checksumOfBytes(v);
      if (r !== r) throw raw.__kh_take_error();
    }, { message });
  }
  assert.equal(glue.checksumOfBytes(new Uint8Array([1, 2, 3])), 1091, 'the instance goes on');
});

test('an array whose elements cannot be read (a proxy whose traps throw) is an error naming the element', () => {
  const call = (v) => {
    const r = raw.__kh__checksumOfBytes(v); // bytes inside plain data may be an array of numbers
    if (r !== r) throw raw.__kh_take_error();
    return r;
  };
  const trap = (name) =>
    new Proxy([1, 2, 3], {
      get(target, key) {
        if (key === name) throw new Error('a trap that throws');
        return Reflect.get(target, key);
      },
    });
  assert.equal(call([1, 2, 3]), 1091);
  assert.throws(() => call(trap('1')), { message: 'checksumOfBytes: bytes[1] could not be read: reading it threw "a trap that throws"' });
  assert.throws(() => call(trap('length')), { message: 'checksumOfBytes: bytes could not be read: reading it threw "a trap that throws"' });
  assert.equal(glue.checksumOfBytes(new Uint8Array([1, 2, 3])), 1091, 'the instance goes on');
});
