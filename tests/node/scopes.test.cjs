// Scopes, leak reports and the memory budget: safety for call sites that cannot be fixed one by
// one. Explicit close() here so the file runs on Node 20; using.test.mjs covers `using scope`.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { glue, MB, memoryMB, collectUntil, classStats } = require('./support.cjs');
const { Payload, PayloadList, openScope, consumePayload } = glue;

test('nested scopes: inner handles die with the inner scope, kept ones move to the parent', () => {
  const outer = openScope();
  const a = new Payload(10);
  const inner = openScope();
  const b = new Payload(10);
  const c = inner.keep(new Payload(10));
  assert.equal(inner.close(), 1);
  assert.deepEqual([a.state, b.state, c.state], ['live', 'disposed', 'live']);
  assert.throws(() => b.length, { message: `Payload.length: Payload #${b.id} was disposed when its scope closed (keep it with scope.keep(handle))` });
  assert.equal(outer.close(), 2, 'a and the kept c');
  assert.deepEqual([a.state, c.state], ['disposed', 'disposed']);
});

test('keep at the outermost scope hands the handle to the caller', () => {
  const scope = openScope();
  const h = scope.keep(new Payload(10));
  scope.close();
  assert.equal(h.state, 'live');
  h.dispose();
  const other = openScope();
  assert.throws(() => other.keep({}), /scope.keep: handle must be a kimchi-handles handle, got an object/);
  const mine = new Payload(10);
  assert.throws(() => other.keep({ id: mine.id }), /scope.keep: handle must be a kimchi-handles handle/);
  assert.equal(other.close(), 1, 'the look-alike object kept nothing');
});

test('keep refuses a handle that is not in the scope, instead of doing nothing', () => {
  const outer = openScope();
  const inner = openScope();
  const h = new Payload(10);
  assert.throws(() => outer.keep(h), new RegExp(`handle #${h.id} is not a live handle of scope #${outer.id}`));
  const gone = new Payload(10);
  gone.dispose();
  assert.throws(() => inner.keep(gone), new RegExp(`handle #${gone.id} is not a live handle of scope #${inner.id}`));
  assert.equal(inner.close(), 1);
  assert.equal(h.state, 'disposed', 'the refused keep left h in the inner scope');
  outer.close();
});

test('closing twice is a no-op; closing out of order throws and changes nothing', () => {
  const outer = openScope();
  const inner = openScope();
  const h = new Payload(10);
  assert.throws(() => outer.close(), new RegExp(`scope #${outer.id} cannot close while scope #${inner.id}, opened inside it, is still open`));
  assert.equal(h.state, 'live', 'nothing was released by the refused close');
  assert.equal(inner.close(), 1);
  assert.equal(inner.close(), 0);
  assert.doesNotThrow(() => inner[Symbol.dispose]());
  assert.equal(outer.close(), 0);
});

test('handles disposed or moved inside a scope are skipped when it closes', () => {
  const before = classStats('Payload');
  const scope = openScope();
  const disposed = new Payload(10);
  disposed.dispose();
  const moved = new Payload(10);
  consumePayload(moved);
  const live = new Payload(10);
  assert.equal(scope.close(), 1);
  const after = classStats('Payload');
  assert.deepEqual(
    [after.disposed - before.disposed, after.moved - before.moved, after.live - before.live],
    [2, 1, 0],
    'each handle counted once',
  );
  assert.equal(live.state, 'disposed');
});

test('a scope held across an await also collects handles other tasks create meanwhile', async () => {
  const scope = openScope();
  const mine = new Payload(10);
  let theirs;
  const other = (async () => {
    await null;
    theirs = new Payload(10); // created while our scope is the innermost one
  })();
  await other;
  scope.close();
  assert.deepEqual([mine.state, theirs.state], ['disposed', 'disposed']);
});

test('2,000 x 1 MB handles dropped without dispose: a scope per iteration keeps memory flat', () => {
  new Payload(MB).dispose();
  const start = memoryMB();
  for (let i = 0; i < 2000; i++) {
    const scope = openScope();
    try {
      new Payload(MB); // dropped on the floor, never disposed
    } finally {
      scope.close();
    }
  }
  const growth = memoryMB() - start;
  console.log(`# scope per iteration, 2,000 x 1 MB dropped: WASM memory ${start.toFixed(1)} -> ${memoryMB().toFixed(1)} MB`);
  assert.ok(growth < 1, `grew ${growth.toFixed(2)} MB`);
});

test('with a 256 MB budget and no scope, the error comes before the budget is passed; dispose and continue', () => {
  const budget = 256 * MB;
  glue.setMemoryBudget(budget);
  const held = [];
  let error;
  try {
    for (let i = 0; i < 2000; i++) held.push(new Payload(MB));
  } catch (e) {
    error = e;
  }
  const ledger = glue.ledger();
  console.log(`# budget 256 MB: refused after ${held.length} handles, live ${(ledger.total.liveBytes / MB).toFixed(1)} MB, WASM ${memoryMB().toFixed(1)} MB`);
  assert.ok(error instanceof Error);
  assert.match(error.message, /^new Payload: creating Payload \(1\.0 MB\) would exceed the memory budget: .* live of 268\.4 MB \(live: Payload: \d+ live/);
  assert.ok(ledger.total.liveBytes <= budget, 'never above the budget');
  assert.ok(held.length >= 250 && held.length <= 256, `${held.length} handles fit`);
  for (const h of held) h.dispose();
  assert.doesNotThrow(() => new Payload(MB).dispose(), 'the program continues after disposing');
  assert.throws(() => new PayloadList(300, MB), /would exceed the memory budget/, 'sizes known up front are checked before allocating');
  glue.setMemoryBudget(null);
  assert.equal(glue.ledger().budgetBytes, null);
});

test('a forgotten handle is reported by the leak callback with its creation stack', async () => {
  const reports = [];
  glue.setLeakCallback((r) => reports.push(r));
  glue.setDebugOrigins(true);
  let id;
  (function forgetOne() { id = new Payload(321).id; })();
  glue.setDebugOrigins(false);
  const found = await collectUntil(() => reports.some((r) => r.id === id));
  glue.setLeakCallback(undefined);
  assert.ok(found, 'the finalizer reported it');
  const report = reports.find((r) => r.id === id);
  assert.equal(report.class, 'Payload');
  assert.ok(report.bytes >= 321);
  assert.match(report.origin, /forgetOne .*scopes\.test\.cjs:\d+/, report.origin);
});

test('without a callback, the default warning names the class once, with running totals', async () => {
  const warnings = [];
  const warn = console.warn;
  console.warn = (m) => warnings.push(String(m));
  try {
    (() => { for (let i = 0; i < 3; i++) new PayloadList(1, 10); })();
    await collectUntil(() => classStats('PayloadList').live === 0);
  } finally {
    console.warn = warn;
  }
  const mine = warnings.filter((w) => w.includes('PayloadList #'));
  assert.equal(mine.length, 1, warnings.join('\n'));
  assert.match(mine[0], /was rescued: nothing disposed it, and its object was collected; \d+ of \d+ PayloadList handles so far were rescued\./);
});
