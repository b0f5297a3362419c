// A fresh instance of a module built for Node (its own memory, registry and ledger): what a program
// does after an instance aborted (a panic where the build cannot unwind), or to isolate work.
import { createRequire } from 'node:module';
import { dirname, basename, join } from 'node:path';

/**
 * Loads `gluePath` (a module's generated Node glue, e.g. `.../kimchi_handles_kimchi.js`) again,
 * with its own WebAssembly instance. The handles of other instances stay theirs: passing one to
 * this instance is refused like any unknown handle.
 */
export function freshInstance<M = unknown>(gluePath: string): M {
  const require = createRequire(gluePath);
  const raw = join(dirname(gluePath), 'raw', basename(gluePath));
  for (const file of [gluePath, raw]) delete require.cache[require.resolve(file)];
  return require(gluePath) as M;
}
