// GC nudges: handles left to the finalizer in a loop that lets the event loop turn. The JS engine
// sees only small shells, so on its own it collects late (measured here: once WASM memory has
// grown by some tens of MB) or, when WASM memory grows slowly, not at all. The core's nudge makes
// it collect once the bytes left behind reach a step, and never nudges code that disposes.
// Its own file (own process): the control run leaves its peak in WASM memory, which never shrinks.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { PerformanceObserver, constants } = require('node:perf_hooks');
const { glue, MB, memoryMB, collectUntil, classStats } = require('./support.cjs');

const turn = () => new Promise((resolve) => setImmediate(resolve));

// Full (mark-compact) collections the engine ran, as Node reports them.
let majorGCs = 0;
const observer = new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) if (entry.detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR) majorGCs++;
});
observer.observe({ entryTypes: ['gc'] });

// Drops `count` payloads of 1 MB without disposing any, turning the event loop after each.
async function dropInLoop(count) {
  const start = { memory: memoryMB(), nudges: glue.ledger().gcNudges, gcs: majorGCs };
  let mostWaiting = 0;
  for (let i = 0; i < count; i++) {
    new glue.Payload(MB);
    await turn();
    mostWaiting = Math.max(mostWaiting, classStats('Payload').live);
  }
  await turn(); // let the observer see the last collections
  return {
    growthMB: memoryMB() - start.memory,
    mostWaiting,
    nudges: glue.ledger().gcNudges - start.nudges,
    majorGCs: majorGCs - start.gcs,
  };
}

test('disposing what you create never nudges, however large the values', () => {
  assert.equal(glue.ledger().gcNudgeBytes, 4 * MB, 'on by default, 4 MiB');
  const before = glue.ledger().gcNudges;
  for (let i = 0; i < 30; i++) new glue.Payload(8 * MB).dispose();
  assert.equal(glue.ledger().gcNudges, before);
});

test('undisposed handles: nudges bring full GCs, and far fewer handles wait for the finalizer', async () => {
  glue.setLeakCallback(() => {});
  const nudged = await dropInLoop(400);
  assert.ok(await collectUntil(() => classStats('Payload').live === 0, 100));
  glue.setGcNudge(null);
  const control = await dropInLoop(400);
  assert.ok(await collectUntil(() => classStats('Payload').live === 0, 100));
  glue.setGcNudge(4 * MB);
  glue.setLeakCallback(undefined);
  const line = (name, r) =>
    `# ${name}: at most ${r.mostWaiting} handles waiting, WASM +${r.growthMB.toFixed(1)} MB, ${r.nudges} nudges, ${r.majorGCs} full GCs`;
  console.log(line('nudged', nudged));
  console.log(line('nudges off', control));
  assert.equal(control.nudges, 0);
  // Measured on Node 20 / 24: 57-66 / 36-45 nudges; 38-45 / 20-25 full GCs against 7-10 without.
  assert.ok(nudged.nudges >= 20, `at least a nudge per 20 MB left behind (saw ${nudged.nudges})`);
  assert.ok(nudged.majorGCs > control.majorGCs + 5, 'the nudges made the engine collect');
  assert.ok(nudged.mostWaiting * 1.5 <= control.mostWaiting, 'fewer payloads waited for the finalizer');
});

test('setGcNudge checks its argument and turns nudges off', () => {
  assert.throws(() => glue.setGcNudge(-1), /setGcNudge: bytes must be a whole number from 0 to 9007199254740991, got -1/);
  assert.throws(() => glue.setGcNudge(NaN), /setGcNudge: bytes must be a whole number/);
  assert.throws(() => glue.setGcNudge('8'), { name: 'TypeError', message: /setGcNudge: bytes must be a number/ });
  glue.setGcNudge(null);
  assert.equal(glue.ledger().gcNudgeBytes, null);
  glue.setGcNudge(8 * MB);
  assert.equal(glue.ledger().gcNudgeBytes, 8 * MB);
  glue.setGcNudge(undefined);
  assert.equal(glue.ledger().gcNudgeBytes, null);
  glue.setGcNudge(4 * MB);
});

test.after(() => observer.disconnect());
