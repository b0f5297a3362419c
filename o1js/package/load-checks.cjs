// What the adapter checks before o1js gets the module: that the o1js installed beside it is the
// version this package was made for, and that the module exports every name that o1js reads.
// Both fail at load with one Error saying what to do, instead of deep inside a proof.
'use strict';
const { existsSync, readFileSync } = require('node:fs');
const { dirname, join } = require('node:path');

// Classes o1js's conversion code destructures from the module but never uses (its verifier-index
// parts are plain objects, here as in its own native addon).
const UNUSED = /^Wasm(Fp|Fq)(Domain|Shifts|PlonkVerificationEvals|PlonkVerifierIndex|LookupVerifierIndex|LookupSelectors)$/;

/**
 * The o1js this package is installed for: the nearest `o1js` package above `from` (o1js requires
 * this package from its own dependencies, so it is an ancestor's `node_modules/o1js`, or an
 * ancestor itself when npm nests the package inside o1js). `null` when there is none.
 * @returns {{ dir: string, version: string } | null}
 */
function findO1js(from) {
  for (let dir = from; ; dir = dirname(dir)) {
    for (const candidate of [dir, join(dir, 'node_modules', 'o1js')]) {
      const manifest = join(candidate, 'package.json');
      if (!existsSync(manifest)) continue;
      let pkg;
      try {
        pkg = JSON.parse(readFileSync(manifest, 'utf8'));
      } catch {
        continue;
      }
      if (pkg.name === 'o1js') return { dir: candidate, version: String(pkg.version) };
    }
    if (dirname(dir) === dir) return null;
  }
}

/** Throws unless the o1js found from `from` is `expected` (or none is found). */
function checkO1jsVersion(pkg, expected, from) {
  const found = findO1js(from);
  if (found && found.version !== expected) {
    throw new Error(
      `${pkg.name} ${pkg.version} works with o1js ${expected} only, but the o1js at ${found.dir} is ` +
        `${found.version}: install o1js@${expected}, or remove the overrides of @o1js/native-* from ` +
        `your package.json to use o1js's own backend.`,
    );
  }
  return found;
}

/** The names o1js reads (`names`: { functions, classes }) that `module` does not export. */
function missingNames(module, names) {
  const missing = [];
  for (const name of names.functions) if (typeof module[name] !== 'function') missing.push(name);
  for (const name of names.classes) if (!UNUSED.test(name) && typeof module[name] !== 'function') missing.push(name);
  return missing;
}

module.exports = { findO1js, checkO1jsVersion, missingNames };
