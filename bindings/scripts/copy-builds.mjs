// Before tsc: copy the WASM builds that exist (make wasm, make kimchi-wasm) into pkg/ for the
// ./demo and ./kimchi entry points, and the types the glue generator wrote from the Rust
// declarations into src/generated.ts (compiled with the helpers).
import { copyFileSync, cpSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';

const root = new URL('../', import.meta.url);
copyFileSync(new URL('../build/node/handles-types.ts', root), new URL('src/generated.ts', root));
rmSync(new URL('pkg/', root), { recursive: true, force: true });
for (const dir of ['node', 'web', 'threads', 'unwind-web', 'kimchi-node', 'kimchi-web', 'kimchi-threads']) {
  const from = new URL(`../build/${dir}/`, root);
  if (!existsSync(from)) continue;
  mkdirSync(new URL('pkg/', root), { recursive: true });
  cpSync(from, new URL(`pkg/${dir}/`, root), { recursive: true });
  // The Node glue is CommonJS; the web and threads glue are ES modules.
  const type = dir.endsWith('node') ? 'commonjs' : 'module';
  writeFileSync(new URL(`pkg/${dir}/package.json`, root), `{ "type": "${type}" }\n`);
  writeFileSync(new URL(`pkg/${dir}/raw/package.json`, root), `{ "type": "${type}" }\n`);
}
