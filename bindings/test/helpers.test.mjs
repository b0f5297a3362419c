// The package's helpers on the demo build, on Node 20 and 24 (no `using` syntax here; see
// examples/), through both entry points.
import test from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { assertNoLeaks, withScope, leakReport } from 'kimchi-handles';
import * as g from 'kimchi-handles/demo';

const require = createRequire(import.meta.url);
const live = (c) => g.ledger().classes[c]?.live ?? 0;

test('the CommonJS entry points load the same API and the same instance', () => {
  const cjs = require('kimchi-handles');
  assert.equal(typeof cjs.assertNoLeaks, 'function');
  assert.equal(typeof cjs.withScope, 'function');
  assert.equal(require('kimchi-handles/demo').Payload, g.Payload);
});

test('assertNoLeaks passes clean code and reports leaky code with its creation line', async () => {
  assert.equal(assertNoLeaks(g, () => { const p = new g.Payload(10); p.dispose(); return 7; }), 7);
  await assertNoLeaks(g, async () => { const p = new g.Payload(10); await null; p.dispose(); });
  let kept;
  const error = (() => { try { assertNoLeaks(g, function leaky() { kept = new g.PayloadList(3, 100); }); } catch (e) { return e; } })();
  assert.ok(error instanceof Error, 'it threw');
  assert.match(error.message, /^1 handle\(s\) left live \(\d+ bytes\):\n  PayloadList #\d+ \(0\.\d KB\)\n/);
  assert.match(error.message, /at leaky \(.*helpers\.test\.mjs:\d+:\d+\)/);
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
  assert.equal(g.ledger().openScopes, 0);
  assert.equal(live('Payload'), 0);
});

test('leakReport lists class, id, size and creation stack', () => {
  const text = leakReport([
    { class: 'WasmFpProverProof', id: 17, bytes: 5_000_000, origin: '    at prove (app.js:3:9)' },
    { class: 'Payload', id: 3, bytes: 2500, origin: null },
  ]);
  assert.equal(text, '  WasmFpProverProof #17 (5.0 MB)\n        at prove (app.js:3:9)\n  Payload #3 (2.5 KB)');
});
