// A user's o1js project on this module, made the way a user makes one: a package.json with o1js
// and the overrides that put the packed kimchi-handles-o1js under every name o1js's native backend
// loads, then the package manager's install. Nothing is copied into node_modules by hand. Prints
// (and with --json writes) the commands a user types and the package's sizes.
//
//   node o1js/project.mjs --dir .tools/o1js-ours --package build/.../kimchi-handles-o1js-X.tgz
//        --o1js 2.15.0 [--manager npm|pnpm|yarn] [--json out.json]
//
// pnpm and yarn are run from .tools/pm (make o1js-pm installs them from npm).
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const { values: args } = parseArgs({
  options: {
    dir: { type: 'string' },
    package: { type: 'string' },
    o1js: { type: 'string' },
    manager: { type: 'string', default: 'npm' },
    json: { type: 'string' },
  },
});
// Every name o1js 2.15.0's native backend may load (`@o1js/native`'s optional dependencies).
const PLATFORMS = ['darwin-arm64', 'darwin-x64', 'linux-x64', 'linux-arm64', 'win32-x64'];

const dir = resolve(args.dir);
const tgz = resolve(args.package);
mkdirSync(dir, { recursive: true });
const spec = `file:${relative(dir, tgz)}`;
const overrides = Object.fromEntries(PLATFORMS.map((p) => [`@o1js/native-${p}`, spec]));
const base = { name: 'o1js-on-kimchi-handles', private: true, type: 'module', dependencies: { o1js: args.o1js } };
const pm = join(fileURLToPath(new URL('../.tools/pm/node_modules/', import.meta.url)));
// Each manager's own place for overrides, and its install command.
const managers = {
  npm: { manifest: { ...base, overrides }, install: ['npm', ['install', '--no-audit', '--no-fund', '--silent']], lock: 'package-lock.json' },
  // pnpm leaves out o1js's `@o1js/native` (o1js lists it twice, once as a missing folder), so it
  // is named too: then its optional dependencies, the platform names, are installed and overridden.
  pnpm: {
    manifest: { ...base, pnpm: { overrides: { '@o1js/native': args.o1js, ...overrides } } },
    install: [process.execPath, [join(pm, 'pnpm/bin/pnpm.cjs'), 'install', '--silent']],
    lock: 'pnpm-lock.yaml',
  },
  // Yarn (berry) with node_modules, from the npm registry.
  yarn: {
    manifest: { ...base, resolutions: overrides },
    files: { '.yarnrc.yml': 'nodeLinker: node-modules\nnpmRegistryServer: "https://registry.npmjs.org"\nenableTelemetry: false\n' },
    install: [process.execPath, [join(pm, '@yarnpkg/cli-dist/bin/yarn.js'), 'install', '--mode=skip-build']],
    lock: 'yarn.lock',
  },
};
const manager = managers[args.manager];
if (!manager) throw new Error(`--manager must be one of ${Object.keys(managers).join(', ')}, got ${args.manager}`);
writeFileSync(join(dir, 'package.json'), JSON.stringify(manager.manifest, null, 2) + '\n');
for (const [name, text] of Object.entries(manager.files ?? {})) writeFileSync(join(dir, name), text);
// A new tarball under the same name must not meet the old one's integrity in the lock file.
// Nor the managers' records of what node_modules holds.
for (const file of [manager.lock, 'node_modules/.package-lock.json', 'node_modules/.modules.yaml', 'node_modules/.yarn-state.yml']) {
  rmSync(join(dir, file), { force: true });
}
rmSync(join(dir, 'node_modules', '@o1js'), { recursive: true, force: true });

const commands = ['npm pack', `${args.manager} install`, 'O1JS_BACKEND=native node main.js'];
const t0 = performance.now();
execFileSync(manager.install[0], manager.install[1], { cwd: dir, stdio: ['ignore', 'ignore', 'inherit'] });
const installMs = performance.now() - t0;

// Where o1js's native backend looks: resolved from its own file, as its loader does.
const loader = createRequire(join(realpathSync(join(dir, 'node_modules', 'o1js')), 'dist/node/bindings/js/node/native-backend.js'));
const installed = PLATFORMS.map((p) => {
  let manifest = null;
  try {
    manifest = loader.resolve(`@o1js/native-${p}/package.json`);
  } catch {}
  const pkg = manifest ? JSON.parse(readFileSync(manifest, 'utf8')) : null;
  return { name: `@o1js/native-${p}`, package: pkg && `${pkg.name}@${pkg.version}`, dir: manifest && dirname(manifest) };
});
const wrong = installed.filter((i) => !i.package?.startsWith('kimchi-handles-o1js@'));
if (wrong.length) throw new Error(`not installed as kimchi-handles-o1js: ${wrong.map((w) => `${w.name} (${w.package})`).join(', ')}`);

const unpacked = (path) =>
  Number(execFileSync('du', ['-sb', path], { encoding: 'utf8' }).split('\t')[0]);
const result = {
  commands,
  packageBytes: statSync(tgz).size,
  unpackedBytes: unpacked(installed.find((i) => i.name === '@o1js/native-linux-x64').dir),
  installMs,
  installed,
};
console.log(`o1js project (${args.manager}) at ${relative(process.cwd(), dir)}: ${installed.length} names -> ${installed[0].package}; ` +
  `package ${(result.packageBytes / 2 ** 20).toFixed(1)} MB packed, ${(result.unpackedBytes / 2 ** 20).toFixed(1)} MB installed per name`);
if (args.json) writeFileSync(args.json, JSON.stringify(result, null, 1));
