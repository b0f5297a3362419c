// The names of the kimchi module that o1js's native backend reads, derived from an installed
// o1js: `kimchi_ffi.X` in its js_of_ocaml bundle, `napi.X` and `caml_${f}_srs_X` (for fp and fq)
// in its conversion code, and the kimchi names its proof-system files use. Writes them to
// o1js/names.json (or, with --check, exits 1 if they differ from it): the list the port's tests
// compare with what the module exports.
//
//   node o1js/names.mjs --install .tools/o1js-stock [--check]
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const { values: args } = parseArgs({ options: { install: { type: 'string' }, check: { type: 'boolean' } } });
const dist = resolve(args.install, 'node_modules/o1js/dist/node');
const read = (path) => readFileSync(join(dist, path), 'utf8');
const names = new Set();
const add = (re, text, expand = (m) => [m[1]]) => {
  for (const m of text.matchAll(re)) for (const name of expand(m)) names.add(name);
};

add(/kimchi_ffi\.([A-Za-z_0-9]+)/g, read('bindings/compiled/node_bindings/o1js_node.bc.cjs'));
const native = 'bindings/crypto/native';
for (const file of readdirSync(join(dist, native)).filter((f) => /^napi-.*\.js$/.test(f))) {
  const text = read(join(native, file));
  add(/\bnapi\.([A-Za-z_0-9]+)/g, text);
  add(/caml_\$\{[a-z]+\}_srs_([a-z_]+)/g, text, (m) => ['fp', 'fq'].map((f) => `caml_${f}_srs_${m[1]}`));
}
for (const file of ['lib/proof-system/prover-keys.js', 'lib/proof-system/zkfunction.js']) {
  add(/\b(caml_[a-z0-9_]+|Wasm[A-Za-z]+)\b/g, read(file));
}
// Names o1js defines itself (field, curve and bigint helpers in plain JS) or writes (`__x`).
const own = /^(__|caml_(bigint_256|pallas|vesta)_(?!affine_one)|caml_(fp|fq)_vector_)/;
const sorted = [...names].filter((n) => !own.test(n)).sort();
const result = {
  functions: sorted.filter((n) => !/^[A-Z]/.test(n)),
  classes: sorted.filter((n) => /^[A-Z]/.test(n)),
};
const path = new URL('names.json', import.meta.url);
const text = JSON.stringify(result, null, 1) + '\n';
if (args.check) {
  const same = readFileSync(path, 'utf8') === text;
  console.log(same ? 'o1js/names.json is up to date' : 'o1js/names.json differs from what this o1js reads');
  process.exit(same ? 0 : 1);
}
writeFileSync(path, text);
console.log(`${result.functions.length} functions, ${result.classes.length} classes`);
