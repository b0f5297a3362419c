// The package adopted with pnpm and with Yarn, as its README documents: o1js/project.mjs writes
// each manager's overrides (pnpm's `pnpm.overrides`, Yarn's `resolutions`) and runs its install
// from the npm registry; o1js's own loader must then find the package under every name.
//
//   O1JS_PACKAGE=build/.../kimchi-handles-o1js-X.tgz node --test tests/o1js/package-managers.test.mjs
import test from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const root = new URL('../../', import.meta.url).pathname;
const tgz = resolve(process.env.O1JS_PACKAGE);
const work = mkdtempSync(join(tmpdir(), 'kimchi-handles-pm-'));
test.after(() => rmSync(work, { recursive: true, force: true }));

for (const manager of ['pnpm', 'yarn']) {
  test(`${manager}: the documented overrides install it under every name, and o1js loads it`, () => {
    const dir = join(root, '.tools', `o1js-${manager}`);
    const json = join(work, `${manager}.json`);
    execFileSync(process.execPath, [`${root}o1js/project.mjs`, '--dir', dir, '--package', tgz, '--o1js', '2.15.0', '--manager', manager, '--json', json], { stdio: 'inherit' });
    const { installed } = JSON.parse(readFileSync(json, 'utf8'));
    assert.equal(installed.length, 5);
    for (const i of installed) assert.match(i.package, /^kimchi-handles-o1js@/, i.name);
    const backend = pathToFileURL(join(dir, 'node_modules/o1js/dist/node/bindings/js/node/native-backend.js')).href;
    const script = join(work, `${manager}.mjs`);
    writeFileSync(script, `const { wasm } = await import(${JSON.stringify(backend)});
      const srs = wasm.caml_fp_srs_create(4); srs.dispose();
      console.log(JSON.stringify(wasm.kimchiHandles)); process.exit(0);`);
    const info = JSON.parse(execFileSync(process.execPath, [script], { encoding: 'utf8', timeout: 120_000 }).trim().split('\n').pop());
    assert.equal(info.o1js, '2.15.0');
  });
}
