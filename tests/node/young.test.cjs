// Young handles: an object is registered with the FinalizationRegistry only once it outlives the
// code that made it (the next microtask) or 1,024 newer handles. Whatever the order of creation,
// disposal and dropping, every handle ends exactly once: disposed ones are never rescued, dropped
// ones always are, and nothing a caller does to an object points its finalizer elsewhere.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { glue, collectUntil, classStats } = require('./support.cjs');
const { Payload, expectedChecksum } = glue;

const YOUNG_MAX = 1024;

// Counts of the Payload class from now on, and the leak reports meanwhile.
function watch() {
  const before = classStats('Payload');
  const reports = [];
  glue.setLeakCallback((r) => reports.push(r));
  return {
    reports,
    delta() {
      const now = classStats('Payload');
      return Object.fromEntries(['live', 'created', 'disposed', 'moved', 'rescued'].map((k) => [k, now[k] - before[k]]));
    },
    stop: () => glue.setLeakCallback(undefined),
  };
}

const settled = (w, created) => () => {
  const d = w.delta();
  return d.live === 0 && d.created === created;
};

test('dropped in one synchronous run, within and past the young list: every handle is rescued', async () => {
  for (const count of [3, YOUNG_MAX - 1, YOUNG_MAX, YOUNG_MAX + 1, 5 * YOUNG_MAX + 7]) {
    const w = watch();
    for (let i = 0; i < count; i++) new Payload(16, i % 256);
    assert.ok(await collectUntil(settled(w, count), 200), `${count}: all rescued`);
    assert.deepEqual(w.delta(), { live: 0, created: count, disposed: 0, moved: 0, rescued: count });
    assert.equal(w.reports.length, count);
    w.stop();
  }
});

test('disposed in any order, then dropped: none is rescued, and those left live are', async () => {
  // Newest first (the young list's fast path), oldest first, and a shuffle that leaves every third.
  const orders = {
    newestFirst: (n) => [...Array(n).keys()].reverse(),
    oldestFirst: (n) => [...Array(n).keys()],
    shuffledSkippingThirds: (n) => [...Array(n).keys()].filter((i) => i % 3 !== 0).sort(() => Math.random() - 0.5),
  };
  for (const [name, order] of Object.entries(orders)) {
    for (const count of [10, 2 * YOUNG_MAX + 5]) {
      const w = watch();
      (() => {
        const made = Array.from({ length: count }, (_, i) => new Payload(16, i % 256));
        for (const i of order(count)) made[i].dispose();
      })();
      const disposed = order(count).length;
      assert.ok(await collectUntil(settled(w, count), 200), `${name} ${count}: settled`);
      assert.deepEqual(w.delta(), { live: 0, created: count, disposed, moved: 0, rescued: count - disposed }, `${name} ${count}`);
      assert.equal(w.reports.length, count - disposed);
      w.stop();
    }
  }
});

test('a handle that outlives its turn is registered: dropped later it is rescued, disposed later it is not', async () => {
  const w = watch();
  let kept = Array.from({ length: 20 }, (_, i) => new Payload(16, i));
  await null; // the microtask that registers them has run by the next turn
  await new Promise((resolve) => setImmediate(resolve));
  for (const p of kept.slice(0, 10)) p.dispose();
  kept = null;
  assert.ok(await collectUntil(settled(w, 20), 200));
  assert.deepEqual(w.delta(), { live: 0, created: 20, disposed: 10, moved: 0, rescued: 10 });
  w.stop();
});

test('rewriting __kh before registration does not point the finalizer at another handle', async () => {
  const victim = new Payload(4096, 7);
  const w = watch();
  (() => {
    for (let i = 0; i < 50; i++) {
      const p = new Payload(16, i);
      p.__kh = victim.__kh; // the object now acts for the victim, as a copied key does
    }
  })();
  assert.ok(await collectUntil(settled(w, 50), 200));
  assert.deepEqual(w.delta(), { live: 0, created: 50, disposed: 0, moved: 0, rescued: 50 }, 'each rescued its own value');
  assert.equal(victim.state, 'live');
  assert.equal(victim.checksum(), expectedChecksum(4096, 7));
  victim.dispose();
  w.stop();
});

test('disposed through a proxy, frozen, transferred or consumed while young: each ends once', async () => {
  const others = Array.from({ length: 20 }, (_, i) => new Payload(4096, i));
  const w = watch();
  let adopted;
  (() => {
    new Proxy(new Payload(16, 1), {}).dispose();
    Object.freeze(new Payload(16, 2)); // dropped: rescued
    const frozen = Object.freeze(new Payload(16, 3));
    frozen.dispose();
    adopted = Payload.adopt(new Payload(16, 4).transfer()); // the first object ended, its value goes on
    glue.consumePayload(new Payload(16, 5));
  })();
  assert.equal(adopted.state, 'live');
  await collectUntil(() => false, 10);
  const d = w.delta();
  // created counts objects (the adopted one is the transferred handle going on, not a new one)
  assert.deepEqual(d, { live: 1, created: 5, disposed: 2, moved: 1, rescued: 1 });
  assert.equal(w.reports.length, 1);
  adopted.dispose();
  w.stop();
  for (const [i, p] of others.entries()) {
    assert.equal(p.checksum(), expectedChecksum(4096, i), 'no other handle was touched');
    p.dispose();
  }
});
