// The package on the demo build, on Node 20 and 24 (no `using` syntax here; see examples/).
import test from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { installHandles, assertNoLeaks, withScope, ledger, leakReport } from 'kimchi-handles';

const require = createRequire(import.meta.url);
const raw = require('kimchi-handles/demo');
const g = installHandles(raw);
const MB = 1024 * 1024;
const memoryMB = () => g.wasmMemoryBytes() / MB;
const live = (c) => ledger(g).classes[c]?.live ?? 0;

async function collectUntil(done, tries = 50) {
  for (let i = 0; i < tries && !done(); i++) {
    global.gc();
    await new Promise((r) => setImmediate(r));
  }
  return done();
}

test('the CommonJS entry point loads the same API', () => {
  const cjs = require('kimchi-handles');
  assert.equal(typeof cjs.installHandles, 'function');
  assert.equal(typeof cjs.assertNoLeaks, 'function');
  const dispose = g.Payload.prototype.dispose;
  const again = installHandles(raw);
  assert.equal(again.Payload.prototype.dispose, dispose, 'installing twice does not patch the class again');
  assert.notEqual(again.withPayload, raw.withPayload, 'the functions come back wrapped each time');
});

test('dispose from a callback of a raw (not installed) module function frees the value, then the shell', async () => {
  const before = live('Payload');
  const p = new g.Payload(4096, 5);
  // The raw function does not mark p busy; Rust borrows it while the callback disposes it.
  assert.equal(raw.withPayload(p, () => p.dispose()), g.expectedChecksum(4096, 5));
  assert.equal(p.state, 'disposed');
  assert.equal(live('Payload'), before, 'the value was released at once');
  assert.notEqual(p.__wbg_ptr, 0, 'the shell waits for the borrowing call to return');
  await new Promise((r) => setTimeout(r, 5));
  assert.equal(p.__wbg_ptr, 0, 'then it is freed');
  assert.doesNotThrow(() => p.dispose());
  assert.throws(() => p.checksum(), { message: `Payload #${p.id} was disposed` });
});

test('dispose frees value and shell, stays idempotent, and later uses name the class and id', () => {
  const p = new g.Payload(1000);
  const id = p.id;
  p.dispose();
  assert.equal(p.__wbg_ptr, 0, 'the shell is freed too');
  assert.doesNotThrow(() => { p.dispose(); p.free(); p[Symbol.dispose](); });
  assert.deepEqual([p.state, p.id, p.byteSize], ['disposed', id, 0]);
  assert.throws(() => p.checksum(), { message: `Payload #${id} was disposed` });
  assert.throws(() => p.length, { message: `Payload #${id} was disposed` });
  assert.throws(() => g.consumePayload(p), { message: `Payload #${id} was disposed` });
  assert.throws(() => p.share(), { message: `Payload #${id} was disposed` });
});

test('a moved handle released later keeps saying where it went', () => {
  const p = new g.Payload(10);
  g.consumePayload(p);
  p[Symbol.dispose]();
  assert.equal(p.state, 'moved');
  assert.throws(() => p.checksum(), { message: `Payload #${p.id} was moved into consumePayload` });
});

test('dispose from a callback while Rust borrows the handle still works', () => {
  const p = new g.Payload(4096, 5);
  assert.equal(g.withPayload(p, () => p.dispose()), g.expectedChecksum(4096, 5));
  assert.equal(p.state, 'disposed');
  p.dispose();
});

test('100,000 small handles disposed leave no shells behind (plain free does the same)', () => {
  for (let i = 0; i < 1000; i++) new g.Payload(0).dispose();
  const start = g.wasmMemoryBytes();
  for (let i = 0; i < 100_000; i++) new g.Payload(0).dispose();
  const grew = g.wasmMemoryBytes() - start;
  console.log(`# 100,000 create/dispose: WASM memory grew ${grew} bytes`);
  assert.equal(grew, 0);
});

test('10,000 x 1 MB create/dispose keep WASM memory flat', () => {
  new g.Payload(MB).dispose();
  const start = memoryMB();
  for (let i = 0; i < 10_000; i++) new g.Payload(MB).dispose();
  assert.ok(memoryMB() - start < 1, `${start} -> ${memoryMB()}`);
});

test('handles never disposed are still rescued by the finalizer', async () => {
  g.setLeakCallback(() => {});
  const before = ledger(g).classes.Payload.rescued;
  (() => { for (let i = 0; i < 10; i++) new g.Payload(100); })();
  assert.ok(await collectUntil(() => ledger(g).classes.Payload.rescued - before === 10));
  g.setLeakCallback(undefined);
});

test('assertNoLeaks passes clean code and reports leaky code with its creation line', async () => {
  assert.equal(assertNoLeaks(g, () => { const p = new g.Payload(10); p.dispose(); return 7; }), 7);
  await assertNoLeaks(g, async () => { const p = new g.Payload(10); await null; p.dispose(); });
  let kept;
  const error = (() => { try { assertNoLeaks(g, function leaky() { kept = new g.PayloadList(3, 100); }); } catch (e) { return e; } })();
  assert.ok(error instanceof Error, 'it threw');
  assert.match(error.message, /^1 handle\(s\) left live \(\d+ bytes\):\n  PayloadList #\d+ \(0\.\d KB\)\n/);
  assert.match(error.message, /at leaky \(.*install\.test\.mjs:\d+:\d+\)/);
  kept.dispose();
  assert.equal(leakReport([]), 'no live handles');
});

test('assertNoLeaks puts the caller\'s debug-origins setting back, also when fn rejects or throws', async () => {
  await assert.rejects(assertNoLeaks(g, async () => { await null; throw new Error('async boom'); }), /async boom/);
  assert.equal(g.setDebugOrigins(false), false, 'off again after the rejection');
  assert.throws(() => assertNoLeaks(g, () => { throw new Error('sync boom'); }), /sync boom/);
  assert.equal(g.setDebugOrigins(true), false, 'off again after the throw');
  assertNoLeaks(g, () => {});
  await assertNoLeaks(g, async () => {});
  assert.equal(g.setDebugOrigins(false), true, 'a caller who had them on keeps them on');
});

test('withScope closes its scope however the function ends', async () => {
  let a, b;
  withScope(g, () => { a = new g.Payload(10); });
  assert.equal(a.state, 'disposed');
  assert.throws(() => withScope(g, () => { b = new g.Payload(10); throw new Error('x'); }), /x/);
  assert.equal(b.state, 'disposed');
  let c;
  await withScope(g, async (scope) => { c = scope.keep(new g.Payload(10)); await null; });
  assert.equal(c.state, 'live');
  c.dispose();
  assert.equal(ledger(g).openScopes, 0);
  assert.equal(live('Payload'), 0);
});
