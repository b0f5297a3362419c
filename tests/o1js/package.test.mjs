// The o1js package as a user installs it (`make o1js-ours` made the project with npm overrides):
// npm put it under every name o1js's native backend loads, o1js's own loader finds it there on
// every platform o1js names (simulated: this machine is linux-x64), a fresh install from the lock
// file keeps it, and at load it refuses, with one Error saying what to do, another o1js version,
// a module lacking a name o1js reads, and a bad thread count.
//
//   O1JS_PROJECT=.tools/o1js-ours node --test tests/o1js/package.test.mjs
import test from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const project = resolve(process.env.O1JS_PROJECT ?? '.tools/o1js-ours');
const PLATFORMS = ['darwin-arm64', 'darwin-x64', 'linux-x64', 'linux-arm64', 'win32-x64'];
const nativeDir = (p) => join(project, 'node_modules', '@o1js', `native-${p}`);
const work = mkdtempSync(join(tmpdir(), 'kimchi-handles-o1js-'));
test.after(() => rmSync(work, { recursive: true, force: true }));

/** Runs `script` (an ES module's text) in a new Node process: its exit code, stdout and stderr. */
function run(script, env = {}) {
  const file = join(mkdtempSync(join(work, 'run-')), 'main.mjs');
  writeFileSync(file, script);
  const r = spawnSync(process.execPath, [file], { encoding: 'utf8', timeout: 120_000, env: { ...process.env, ...env } });
  return { status: r.status, stdout: r.stdout.trim(), stderr: r.stderr };
}

const installedNames = () =>
  PLATFORMS.map((p) => {
    const manifest = join(nativeDir(p), 'package.json');
    return existsSync(manifest) ? JSON.parse(readFileSync(manifest, 'utf8')).name : null;
  });

test('npm installed the package under every name o1js 2.15.0 loads', () => {
  assert.deepEqual(installedNames(), PLATFORMS.map(() => 'kimchi-handles-o1js'));
  const pkg = JSON.parse(readFileSync(join(nativeDir('linux-x64'), 'package.json'), 'utf8'));
  assert.equal(pkg.peerDependencies.o1js, '2.15.0');
  assert.match(pkg.version, /-o1js\.2\.15\.0$/, 'the version says which o1js it serves');
});

for (const p of PLATFORMS) {
  test(`o1js's own loader finds it as @o1js/native-${p}`, () => {
    const [platform, arch] = p.split('-');
    const backend = pathToFileURL(join(project, 'node_modules/o1js/dist/node/bindings/js/node/native-backend.js')).href;
    const r = run(`
      Object.defineProperty(process, 'platform', { value: ${JSON.stringify(platform)} });
      Object.defineProperty(process, 'arch', { value: ${JSON.stringify(arch)} });
      const { createRequire } = await import('node:module');
      const { wasm } = await import(${JSON.stringify(backend)});
      const srs = wasm.caml_fp_srs_create(4);
      const h = wasm.caml_fp_srs_h(srs);
      srs.dispose();
      console.log(JSON.stringify({ info: wasm.kimchiHandles, from: createRequire(${JSON.stringify(backend)}).resolve('@o1js/native-${p}'), h: typeof h }));
      process.exit(0);`);
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout.split('\n').pop());
    assert.equal(out.info.o1js, '2.15.0');
    assert.ok(out.from.startsWith(nativeDir(p) + '/'), out.from);
    assert.equal(out.h, 'object', 'a call into the module works');
  });
}

/** A copy of the installed package in a new folder's node_modules, beside `o1js` (its manifest only). */
function copyBeside(o1jsVersion, edit = () => {}) {
  const root = mkdtempSync(join(work, 'project-'));
  const target = join(root, 'node_modules', '@o1js', 'native-linux-x64');
  cpSync(nativeDir('linux-x64'), target, { recursive: true });
  mkdirSync(join(root, 'node_modules', 'o1js'), { recursive: true });
  writeFileSync(join(root, 'node_modules', 'o1js', 'package.json'), JSON.stringify({ name: 'o1js', version: o1jsVersion }));
  edit(target);
  return target;
}

const load = (dir, env) =>
  run(`import { createRequire } from 'node:module';
    const k = createRequire(import.meta.url)(${JSON.stringify(dir)});
    console.log(JSON.stringify(k.kimchiHandles)); process.exit(0);`, env);

test('with another o1js version beside it, it refuses to load, naming the version that works', () => {
  for (const version of ['2.14.0', '2.15.1', '3.0.0']) {
    const r = load(copyBeside(version));
    assert.notEqual(r.status, 0, `o1js ${version}`);
    assert.match(r.stderr, new RegExp(`kimchi-handles-o1js \\S+ works with o1js 2\\.15\\.0 only, but the o1js at \\S+ is ${version.replace(/\./g, '\\.')}: install o1js@2\\.15\\.0`));
  }
  const r = load(copyBeside('2.15.0'));
  assert.equal(r.status, 0, r.stderr);
  assert.equal(JSON.parse(r.stdout).o1js, '2.15.0');
});

test('a module lacking a name o1js reads is refused at load, with the names', () => {
  const dir = copyBeside('2.15.0', (target) => {
    const names = JSON.parse(readFileSync(join(target, 'names.json'), 'utf8'));
    names.functions.push('caml_pasta_fp_plonk_proof_not_there');
    names.classes.push('WasmFpNotThere');
    writeFileSync(join(target, 'names.json'), JSON.stringify(names));
  });
  const r = load(dir);
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /its module lacks 2 names o1js 2\.15\.0 reads \(caml_pasta_fp_plonk_proof_not_there, WasmFpNotThere\)/);
});

test('KIMCHI_HANDLES_THREADS sets the worker count; anything but a whole number from 1 to 256 is refused', () => {
  const dir = copyBeside('2.15.0');
  for (const n of ['1', '2', '3']) {
    const r = load(dir, { KIMCHI_HANDLES_THREADS: n });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).threads, Number(n));
  }
  for (const bad of ['0', '-1', '1.5', 'two', '257', ' ']) {
    const r = load(dir, { KIMCHI_HANDLES_THREADS: bad });
    assert.notEqual(r.status, 0, bad);
    assert.match(r.stderr, /KIMCHI_HANDLES_THREADS must be a whole number from 1 to 256, got/, bad);
  }
});

test('its types: the module\'s functions and `kimchiHandles`, for a TypeScript consumer', () => {
  const dir = mkdtempSync(join(work, 'types-'));
  mkdirSync(join(dir, 'node_modules', '@o1js'), { recursive: true });
  symlinkSync(nativeDir('linux-x64'), join(dir, 'node_modules', '@o1js', 'native-linux-x64'));
  writeFileSync(join(dir, 'main.cts'), `import kimchi = require('@o1js/native-linux-x64');
const srs = kimchi.caml_fp_srs_create(4);
srs.dispose();
const info: { version: string; o1js: string; threads: number } = kimchi.kimchiHandles;
// @ts-expect-error: the module has no such function
kimchi.notThere();
// @ts-expect-error: a handle is not a number
const n: number = kimchi.caml_fp_srs_create(4);
export { info, n };
`);
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({
    compilerOptions: { module: 'node16', moduleResolution: 'node16', strict: true, noEmit: true, target: 'ES2022', lib: ['ES2022', 'esnext.disposable', 'dom'], types: [] },
    files: ['main.cts'],
  }));
  const tsc = new URL('../../.tools/pm/node_modules/typescript/bin/tsc', import.meta.url).pathname;
  const r = spawnSync(process.execPath, [tsc, '-p', dir], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stdout + r.stderr);
});

test('a Node.js that cannot require ES modules gets an Error that says which Node it needs', () => {
  const dir = copyBeside('2.15.0');
  const r = spawnSync(process.execPath, ['--no-experimental-require-module', '-e', `require(${JSON.stringify(dir)})`], { encoding: 'utf8', timeout: 60_000 });
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /kimchi-handles-o1js needs a Node\.js that can require ES modules \(20\.19 or later, 22\.12 or later\)/);
});

test('a fresh install from the lock file (npm ci) keeps it under every name', () => {
  execFileSync('npm', ['ci', '--no-audit', '--no-fund', '--silent'], { cwd: project, stdio: 'inherit' });
  assert.deepEqual(installedNames(), PLATFORMS.map(() => 'kimchi-handles-o1js'));
});
