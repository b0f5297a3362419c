// A user's o1js project on this module, made the way a user makes one: a package.json with o1js
// and the overrides that put the packed kimchi-handles-o1js under every name o1js's native backend
// loads, then `npm install`. Nothing is copied into node_modules by hand. Prints (and with --json
// writes) the commands a user types and the package's sizes.
//
//   node o1js/project.mjs --dir .tools/o1js-ours --package build/.../kimchi-handles-o1js-X.tgz --o1js 2.15.0
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const { values: args } = parseArgs({
  options: { dir: { type: 'string' }, package: { type: 'string' }, o1js: { type: 'string' }, json: { type: 'string' } },
});
// Every name o1js 2.15.0's native backend may load (`@o1js/native`'s optional dependencies).
export const PLATFORMS = ['darwin-arm64', 'darwin-x64', 'linux-x64', 'linux-arm64', 'win32-x64'];

const dir = resolve(args.dir);
const tgz = resolve(args.package);
mkdirSync(dir, { recursive: true });
const spec = `file:${relative(dir, tgz)}`;
const project = {
  name: 'o1js-on-kimchi-handles',
  private: true,
  type: 'module',
  dependencies: { o1js: args.o1js },
  overrides: Object.fromEntries(PLATFORMS.map((p) => [`@o1js/native-${p}`, spec])),
};
writeFileSync(join(dir, 'package.json'), JSON.stringify(project, null, 2) + '\n');
// A new tarball under the same name must not meet the old one's integrity in the lock file.
rmSync(join(dir, 'package-lock.json'), { force: true });
for (const p of PLATFORMS) rmSync(join(dir, 'node_modules', '@o1js', `native-${p}`), { recursive: true, force: true });

const commands = ['npm pack', 'npm install', 'O1JS_BACKEND=native node main.js'];
const t0 = performance.now();
execFileSync('npm', ['install', '--no-audit', '--no-fund', '--silent'], { cwd: dir, stdio: 'inherit' });
const installMs = performance.now() - t0;

const installed = PLATFORMS.map((p) => {
  const manifest = join(dir, 'node_modules', '@o1js', `native-${p}`, 'package.json');
  const pkg = existsSync(manifest) ? JSON.parse(readFileSync(manifest, 'utf8')) : null;
  return { name: `@o1js/native-${p}`, package: pkg && `${pkg.name}@${pkg.version}` };
});
const wrong = installed.filter((i) => !i.package?.startsWith('kimchi-handles-o1js@'));
if (wrong.length) throw new Error(`not installed as kimchi-handles-o1js: ${wrong.map((w) => `${w.name} (${w.package})`).join(', ')}`);

const unpacked = (path) =>
  Number(execFileSync('du', ['-sb', path], { encoding: 'utf8' }).split('\t')[0]);
const result = {
  commands,
  packageBytes: statSync(tgz).size,
  unpackedBytes: unpacked(join(dir, 'node_modules', '@o1js', 'native-linux-x64')),
  installMs,
  installed,
};
console.log(`o1js project at ${relative(process.cwd(), dir)}: ${installed.length} names -> ${installed[0].package}; ` +
  `package ${(result.packageBytes / 2 ** 20).toFixed(1)} MB packed, ${(result.unpackedBytes / 2 ** 20).toFixed(1)} MB installed per name`);
if (args.json) writeFileSync(args.json, JSON.stringify(result, null, 1));
