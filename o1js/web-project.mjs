// A zkApp's web project on this module, made as a zkApp developer makes one: o1js 2.15.0 and
// Vite from npm, the packed kimchi-handles-o1js as a dependency, the plugin in vite.config
// (o1js/web-app/ is the app), then `npm install` and `vite build`. With --stock, the same app
// without the plugin: o1js on its own kimchi-wasm.
//
//   node o1js/web-project.mjs --dir .tools/o1js-web --package build/.../kimchi-handles-o1js-X.tgz [--stock]
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const { values: args } = parseArgs({
  options: { dir: { type: 'string' }, package: { type: 'string' }, stock: { type: 'boolean', default: false } },
});
const here = new URL('./', import.meta.url).pathname;
const dir = resolve(args.dir);
mkdirSync(dir, { recursive: true });
rmSync(join(dir, 'dist'), { recursive: true, force: true });
cpSync(join(here, 'web-app'), dir, { recursive: true });
cpSync(join(here, 'programs.mjs'), join(dir, 'programs.mjs'));
const dependencies = { o1js: '2.15.0', vite: '8.4.1' };
if (args.stock) {
  // The stock page: the same app, no plugin; o1js's own bundle needs the same isolation headers.
  writeFileSync(join(dir, 'vite.config.mjs'), `import { defineConfig } from 'vite';
const headers = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };
export default defineConfig({ build: { target: 'esnext' }, base: './', worker: { format: 'es' }, server: { headers }, preview: { headers } });
`);
  writeFileSync(join(dir, 'workers.js'), '// Stock o1js: its pool has one worker fewer than the cores.\nexport function setWorkers() {}\n');
} else {
  dependencies['kimchi-handles-o1js'] = `file:${relative(dir, resolve(args.package))}`;
  // A repacked tarball under the same name must be installed anew.
  for (const f of ['package-lock.json', 'node_modules/.package-lock.json']) rmSync(join(dir, f), { force: true });
  rmSync(join(dir, 'node_modules', 'kimchi-handles-o1js'), { recursive: true, force: true });
}
writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'zkapp-on-kimchi-handles', private: true, type: 'module', dependencies }, null, 2) + '\n');
execFileSync('npm', ['install', '--no-audit', '--no-fund', '--silent'], { cwd: dir, stdio: 'inherit' });
const t0 = performance.now();
execFileSync(process.execPath, [join(dir, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'], { cwd: dir, stdio: 'inherit' });
console.log(`web project at ${relative(process.cwd(), dir)} built in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
