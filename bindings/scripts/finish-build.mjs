// After tsc: mark dist/cjs as CommonJS (the package is "type": "module"), and copy the WASM builds
// that exist (make wasm, make kimchi-wasm) into pkg/ for the ./demo and ./kimchi entry points.
import { cpSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';

const root = new URL('../', import.meta.url);
writeFileSync(new URL('dist/cjs/package.json', root), '{ "type": "commonjs" }\n');
for (const dir of ['node', 'web', 'kimchi-node', 'kimchi-web']) {
  const from = new URL(`../build/${dir}/`, root);
  if (!existsSync(from)) continue;
  mkdirSync(new URL('pkg/', root), { recursive: true });
  cpSync(from, new URL(`pkg/${dir}/`, root), { recursive: true });
  // wasm-bindgen's nodejs glue is CommonJS; its web glue is ESM.
  writeFileSync(new URL(`pkg/${dir}/package.json`, root), `{ "type": "${dir.endsWith('web') ? 'module' : 'commonjs'}" }\n`);
}
