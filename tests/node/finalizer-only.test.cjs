// For contrast: the same 2,000 x 1 MB synchronous loop with nothing but the FinalizationRegistry.
// Finalizers cannot run inside a synchronous loop, so every payload stays until the loop ends.
// Its own file, so the ~2 GB it leaves in WASM memory (which never shrinks) ends with its process.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { glue, MB, memoryMB, collectUntil, classStats } = require('./support.cjs');

test('finalizer only: memory climbs by the whole loop, then the GC rescues every handle', async () => {
  glue.setLeakCallback(() => {});
  const start = memoryMB();
  for (let i = 0; i < 2000; i++) new glue.Payload(MB);
  const peak = memoryMB();
  console.log(`# finalizer only, 2,000 x 1 MB dropped: WASM memory ${start.toFixed(1)} -> peak ${peak.toFixed(1)} MB`);
  assert.ok(peak - start > 1500, 'nothing could be finalized during the loop');
  assert.ok(await collectUntil(() => classStats('Payload').live === 0, 200), 'all rescued afterwards');
  assert.equal(classStats('Payload').rescued, 2000);
  glue.setLeakCallback(undefined);
});
