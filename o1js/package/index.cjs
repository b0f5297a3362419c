// o1js's native backend on the kimchi-handles module. Installed under o1js's native package names
// (@o1js/native-<platform>-<arch>, by package-manager overrides), so o1js loads it with
// `O1JS_BACKEND=native` or `setBackend('native')`. o1js requires it synchronously and then only
// reads names from the object; it starts no thread pool for this backend, so the module's own
// pool starts here.
'use strict';
const { availableParallelism } = require('node:os');
const { join } = require('node:path');
const { loadThreaded } = require('./threads-node.cjs');
const { checkO1jsVersion, missingNames } = require('./load-checks.cjs');
const pkg = require('./package.json');

const O1JS = pkg.peerDependencies.o1js;
checkO1jsVersion(pkg, O1JS, __dirname);

// Worker threads of the rayon pool: as many as the cores. On Node the thread that calls into
// kimchi only waits while the pool works (o1js's WebAssembly backend starts one fewer than the
// cores; both counts are measured side by side in the repository's o1js table).
function workerCount(setting) {
  if (setting === undefined || setting === '') return availableParallelism();
  const n = Number(setting);
  if (!Number.isInteger(n) || n < 1 || n > 256) {
    throw new Error(`KIMCHI_HANDLES_THREADS must be a whole number from 1 to 256, got ${JSON.stringify(setting)}`);
  }
  return n;
}
const threads = workerCount(process.env.KIMCHI_HANDLES_THREADS);

let kimchi;
try {
  kimchi = loadThreaded({
    glue: join(__dirname, 'kimchi/kimchi_handles_kimchi.js'),
    wasm: join(__dirname, 'kimchi/raw/kimchi_handles_kimchi_bg.wasm'),
    threads,
  }).module;
} catch (e) {
  // The module is an ES module loaded with `require`, which older Node versions refuse.
  if (e?.code !== 'ERR_REQUIRE_ESM') throw e;
  throw new Error(`${pkg.name} needs a Node.js that can require ES modules (20.19 or later, 22.12 or later); this is ${process.version}${process.execArgv.includes('--no-experimental-require-module') ? ' run with --no-experimental-require-module' : ''}`);
}
const missing = missingNames(kimchi, require('./names.json'));
if (missing.length > 0) {
  throw new Error(`${pkg.name} ${pkg.version}: its module lacks ${missing.length} names o1js ${O1JS} reads (${missing.join(', ')}); this package is broken, rebuild it`);
}
// o1js cannot dispose what it does not know are handles: here the finalizer (with GC nudges) is
// what frees them, as intended, so their rescue is counted in the ledger rather than warned about.
kimchi.setLeakCallback(() => {});
// An ES module's namespace cannot take new properties; o1js writes two onto this object.
module.exports = { ...kimchi, kimchiHandles: Object.freeze({ version: pkg.version, o1js: O1JS, threads }) };
