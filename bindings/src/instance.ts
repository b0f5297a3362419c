// A fresh instance of a module built for Node (its own memory, registry and ledger): what a program
// does after an instance aborted (a panic where the build cannot unwind), or to isolate work.
// Node's modules are looked up when called, not imported, so that this package loads in browsers.

/**
 * Loads `gluePath` (a module's generated Node glue, e.g. `.../kimchi_handles_kimchi.js`) again,
 * with its own WebAssembly instance. The handles of other instances stay theirs: passing one to
 * this instance is refused like any unknown handle. Node only: in a browser, call the web build's
 * `init()` on a new import of the module instead.
 */
export function freshInstance<M = unknown>(gluePath: string): M {
  const node = typeof process === 'object' ? process.getBuiltinModule : undefined;
  if (typeof node !== 'function') {
    throw new Error('freshInstance: needs Node 20.16 or later (in a browser, import the web build again and call its init())');
  }
  const { createRequire } = node('node:module');
  const { dirname, basename, join } = node('node:path');
  const require = createRequire(gluePath);
  const raw = join(dirname(gluePath), 'raw', basename(gluePath));
  for (const file of [gluePath, raw]) delete require.cache[require.resolve(file)];
  return require(gluePath) as M;
}
