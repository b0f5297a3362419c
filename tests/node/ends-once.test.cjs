// Whatever a JS caller does to the handle objects it holds (rewrites or deletes their keys, swaps
// their prototypes, copies, proxies or freezes them, disposes, shares, transfers, consumes, drops
// them, in any order), every handle of the instance still ends exactly once: once nothing holds
// them and the collector has run, none is live, and each one created is counted as disposed,
// moved or rescued once. Random programs over every such operation, seeded so that a failure
// names the seed that reproduces it.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { glue, collectUntil, classStats } = require('./support.cjs');
const { rng } = require('./rng.cjs');
const { Payload, PayloadList, openScope, consumePayload, withPayload } = glue;

// Every refusal is an Error the caller can catch; a trap (the instance aborting) is not.
function attempt(f, where) {
  try {
    return f();
  } catch (e) {
    assert.ok(e instanceof Error && !(e instanceof WebAssembly.RuntimeError), `${where}: ${e}`);
    return undefined;
  }
}

// The things a caller may do to one object `x` of `objects` (which it may replace or extend).
const OPERATIONS = [
  (x, o, r) => o.push(new Payload(r.pick(64), r.pick(256))),
  (x, o) => o.push(x.share()),
  (x, o) => o.push(Payload.adopt(x.transfer())),
  (x) => consumePayload(x),
  (x) => x.dispose(),
  (x) => x.free(),
  (x) => x[Symbol.dispose](),
  (x) => withPayload(x, () => x.dispose()),
  (x) => x.checksum(),
  // Plain property writes: another object's key, a made-up one, not a number, none at all.
  (x, o, r) => (x.__kh = r.any(o)?.__kh),
  (x, o, r) => (x.__kh = r.pick(2 ** 40)),
  (x) => (x.__kh = String(x.__kh)),
  (x) => delete x.__kh,
  (x, o, r) => {
    const keys = [x.__kh, r.any(o)?.__kh];
    let i = 0;
    Object.defineProperty(x, '__kh', { get: () => keys[i++ % 2], configurable: true });
  },
  (x) => Object.setPrototypeOf(x, PayloadList.prototype),
  (x) => Object.setPrototypeOf(x, Payload.prototype),
  (x) => Object.freeze(x),
  // Copies and wrappers, which act for the handle but were never registered for finalization.
  (x, o) => o.push(Object.assign(Object.create(Payload.prototype), x)),
  (x, o) => o.push({ ...x }),
  (x, o) => o.push(new Proxy(x, {})),
  // Dropping it (the collector may free it some time later).
  (x, o) => o.splice(o.indexOf(x), 1),
  (x, o) => {
    const scope = openScope();
    o.push(new Payload(8, 1), new Payload(8, 2));
    if (x.__kh !== undefined) attempt(() => scope.keep(x), 'keep');
    scope.close();
  },
];

function run(seed, steps) {
  const random = rng(seed);
  const r = { pick: (n) => Math.floor(random() * n), any: (o) => o[Math.floor(random() * o.length)] };
  const objects = [];
  for (let step = 0; step < steps; step++) {
    const op = objects.length ? r.pick(OPERATIONS.length) : 0;
    const x = r.any(objects);
    attempt(() => OPERATIONS[op](x, objects, r), `seed ${seed} step ${step} operation ${op}`);
  }
  // The caller disposes what it still holds, as well as it can, and lets go of the rest.
  for (const x of objects) attempt(() => x.dispose(), `seed ${seed} end`);
}

test('whatever JS does to its handle objects, every handle ends exactly once', async () => {
  glue.setLeakCallback(() => {}); // the drops are deliberate here
  const before = classStats('Payload');
  for (let seed = 1; seed <= 20; seed++) run(seed, 300);
  const settled = await collectUntil(() => classStats('Payload').live === before.live, 300);
  glue.setLeakCallback(undefined);
  const s = classStats('Payload');
  assert.ok(settled, `handles left live for good: ${s.live - before.live} (${JSON.stringify(s)})`);
  assert.equal(s.created - before.created, s.disposed - before.disposed + (s.moved - before.moved) + (s.rescued - before.rescued));
  assert.ok(s.rescued > before.rescued && s.moved > before.moved, JSON.stringify(s));
  console.log(`# 6,000 random steps: ${JSON.stringify(s)}`);
});
