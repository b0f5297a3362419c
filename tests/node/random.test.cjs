// Random programs on the WASM build (the native proptest model, smaller, through JS and the real GC):
// every operation either works or throws a clear Error, the instance never aborts, the ledger equals
// a JS model after every step, and in the end every handle is accounted for.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { glue, collectUntil, classStats } = require('./support.cjs');
const { rng } = require('./rng.cjs');
const { Payload, PayloadList, openScope, consumePayload, withPayload, expectedChecksum } = glue;

function run(seed, steps) {
  const random = rng(seed);
  const pick = (n) => Math.floor(random() * n);
  const base = classStats('Payload');
  const model = { live: base.live, disposed: base.disposed, moved: base.moved, created: base.created, dropped: 0 };
  // Each handle: { h, value, scope, state }; values: { owners, seed, bytes }.
  const handles = [];
  const dropped = [];
  const scopes = [];
  const state = (x) => x.state;
  const newHandle = (h, value) => {
    model.created++; model.live++;
    handles.push({ h, value, scope: scopes.at(-1)?.id, state: 'live' });
  };
  const end = (x, how) => {
    x.state = how; model.live--;
    model[how === 'moved' ? 'moved' : 'disposed']++;
    x.value.owners--;
  };
  for (let step = 0; step < steps; step++) {
    const x = handles.length ? handles[pick(handles.length)] : undefined;
    const op = pick(11);
    const where = `seed ${seed} step ${step} op ${op}`;
    if (op === 0 || !x) {
      const bytes = pick(5000);
      const s = pick(256);
      newHandle(new Payload(bytes, s), { owners: 1, seed: s, bytes });
    } else if (op === 1) {
      if (x.state === 'live') newHandle(x.h.share(), (x.value.owners++, x.value));
      else assert.throws(() => x.h.share(), new RegExp(`Payload #${x.h.id} was`), where);
    } else if (op === 2) {
      if (x.state === 'live') assert.equal(x.h.checksum(), expectedChecksum(x.value.bytes, x.value.seed), where);
      else assert.throws(() => x.h.checksum(), new RegExp(`Payload #${x.h.id} was (disposed|moved|freed)`), where);
    } else if (op === 3) {
      if (x.state === 'live' && x.value.owners === 1) {
        assert.equal(consumePayload(x.h), expectedChecksum(x.value.bytes, x.value.seed), where);
        end(x, 'moved');
      } else assert.throws(() => consumePayload(x.h), /was (disposed|moved)|cannot be moved/, where);
    } else if (op === 4 || op === 5) {
      const live = x.state === 'live';
      [() => x.h.dispose(), () => x.h.free(), () => x.h[Symbol.dispose]()][pick(3)]();
      if (live) end(x, 'disposed');
    } else if (op === 6) {
      if (x.state === 'live') {
        const sum = withPayload(x.h, () => x.h.dispose());
        assert.equal(sum, expectedChecksum(x.value.bytes, x.value.seed), where);
        end(x, 'disposed');
      }
    } else if (op === 7) {
      // Drop the JS reference: the finalizer will rescue it some time later.
      handles.splice(handles.indexOf(x), 1);
      // It leaves the model's live count; until the GC (or its scope) releases it, the ledger may
      // still count it, so the check below allows up to `dropped` extra live handles.
      if (x.state === 'live') { x.state = 'dropped'; model.live--; model.dropped++; dropped.push(x); }
    } else if (op === 8) {
      scopes.push(openScope());
    } else if (op === 9 && scopes.length) {
      const s = scopes.pop();
      const members = handles.filter((y) => y.scope === s.id && y.state === 'live');
      // Dropped members not yet rescued are released by the scope too.
      const droppedHere = dropped.filter((y) => y.scope === s.id).length;
      const closed = s.close();
      assert.ok(closed >= members.length && closed <= members.length + droppedHere, `${where}: closed ${closed}`);
      for (const y of members) end(y, 'disposed');
    } else if (op === 10) {
      for (const bad of [null, undefined, {}, 7]) assert.throws(() => consumePayload(bad), /consumePayload: payload must be a Payload handle/, where);
      const list = new PayloadList(1, 1);
      assert.throws(() => consumePayload(list), /consumePayload: payload must be a Payload handle, got PayloadList/, where);
      list.dispose(); // so a closing scope counts only the modelled handles
    }
    const now = classStats('Payload');
    // Dropped handles are live (or were released by their scope, or rescued) until the GC runs.
    assert.equal(now.created, model.created, where);
    assert.equal(now.moved, model.moved, where);
    // Every ending the model did not make is a dropped handle's (by its scope or the finalizer).
    const unmodelled = now.disposed - model.disposed + now.rescued - base.rescued;
    assert.ok(unmodelled >= 0 && unmodelled <= model.dropped, `${where}: ${unmodelled} endings of ${model.dropped} dropped`);
    assert.ok(now.live >= model.live && now.live <= model.live + model.dropped, where);
    assert.equal(now.created, now.live + now.disposed + now.moved + now.rescued, where);
    for (const y of handles) assert.equal(state(y.h), y.state, `${where} handle #${y.h.id} scope ${y.scope}`);
  }
  for (const s of scopes.reverse()) s.close();
  for (const y of handles) y.h.dispose();
}

test('random programs: clear errors, no abort, ledger consistent, every handle accounted for', async () => {
  glue.setLeakCallback(() => {}); // the drops are deliberate here
  for (const seed of [1, 2, 3, 4, 5]) run(seed, 600);
  assert.ok(await collectUntil(() => classStats('Payload').live === 0, 200), JSON.stringify(classStats('Payload')));
  glue.setLeakCallback(undefined);
  const s = classStats('Payload');
  assert.equal(s.liveBytes, 0);
  assert.equal(s.created, s.disposed + s.moved + s.rescued);
  assert.ok(s.rescued > 0 && s.moved > 0 && s.disposed > 0, JSON.stringify(s));
  console.log(`# 3,000 random steps: ${JSON.stringify(s)}`);
});
