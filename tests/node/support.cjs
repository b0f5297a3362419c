// Shared by the Node tests: loads the WASM build (the generated classes, and wasm-bindgen's raw
// module beside them for the plain class) and gives the GC helpers the tests need.
'use strict';
const path = require('node:path');
const fs = require('node:fs');

const dir = path.join(__dirname, '../../build/node');
const glue = require(path.join(dir, 'kimchi_handles.js'));
const raw = require(path.join(dir, 'raw/kimchi_handles.js'));

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

/** The metadata records of the module (what the glue was generated from). */
function records(wasmPath = path.join(dir, 'raw/kimchi_handles_bg.wasm')) {
  const module = new WebAssembly.Module(fs.readFileSync(wasmPath));
  return WebAssembly.Module.customSections(module, 'kimchi_handles')
    .map((s) => Buffer.from(s).toString('utf8'))
    .join('')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line));
}

module.exports = { glue, raw, MB, memoryMB, collectUntil, total, classStats, records };
