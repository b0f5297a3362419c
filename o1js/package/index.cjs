// o1js's native backend on the kimchi-handles module: this file takes the place of
// @o1js/native-linux-x64's index.js (`make o1js` installs it there, beside the threaded build).
// o1js requires the package synchronously and then only reads names from the object; it starts
// no thread pool for this backend, so the module's own pool starts here, with as many workers as
// o1js's WebAssembly backend starts (one fewer than the cores).
'use strict';
const { availableParallelism } = require('node:os');
const { join } = require('node:path');
const { loadThreaded } = require('./threads-node.cjs');

const { module: kimchi } = loadThreaded({
  glue: join(__dirname, 'kimchi/kimchi_handles_kimchi.js'),
  wasm: join(__dirname, 'kimchi/raw/kimchi_handles_kimchi_bg.wasm'),
  threads: Math.max(1, availableParallelism() - 1),
});
// o1js cannot dispose what it does not know are handles: here the finalizer (with GC nudges) is
// what frees them, as intended, so their rescue is counted in the ledger rather than warned about.
kimchi.setLeakCallback(() => {});
// An ES module's namespace cannot take new properties; o1js writes two onto this object.
module.exports = { ...kimchi };
