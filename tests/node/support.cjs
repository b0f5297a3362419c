// Shared by the Node tests: loads the WASM build and gives the GC helpers the tests need.
'use strict';
const path = require('node:path');

const glue = require(path.join(__dirname, '../../build/node/kimchi_handles.js'));

const MB = 1024 * 1024;
const memoryMB = () => glue.wasmMemoryBytes() / MB;

// Finalizers run only after a full GC *and* a return to the event loop (measured on Node 20 and
// 24), so collect, then turn the loop, until `done()` holds or the tries run out.
async function collectUntil(done, tries = 50) {
  if (typeof global.gc !== 'function') throw new Error('run node with --expose-gc');
  for (let i = 0; i < tries && !done(); i++) {
    global.gc();
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return done();
}

const total = () => glue.ledger().total;
const classStats = (name) => glue.ledger().classes[name] ?? { live: 0, liveBytes: 0, created: 0, disposed: 0, moved: 0, rescued: 0 };

module.exports = { glue, MB, memoryMB, collectUntil, total, classStats };
