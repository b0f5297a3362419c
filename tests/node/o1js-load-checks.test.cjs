// The o1js package's checks at load, without kimchi (they run in CI too): which o1js is found
// from where the package is installed, the refusal of another version, and the names o1js reads
// that a module lacks (the classes o1js never uses excepted).
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { mkdirSync, mkdtempSync, rmSync, writeFileSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const { findO1js, checkO1jsVersion, missingNames } = require('../../o1js/package/load-checks.cjs');

const root = mkdtempSync(join(tmpdir(), 'kimchi-handles-load-checks-'));
test.after(() => rmSync(root, { recursive: true, force: true }));
const manifest = (dir, pkg) => {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), typeof pkg === 'string' ? pkg : JSON.stringify(pkg));
  return dir;
};
const pkg = { name: 'kimchi-handles-o1js', version: '0.2.0-o1js.2.15.0' };

test('o1js is found beside the package (hoisted), around it (nested inside o1js), or not at all', () => {
  const hoisted = join(root, 'a', 'node_modules');
  manifest(join(hoisted, 'o1js'), { name: 'o1js', version: '2.15.0' });
  const beside = manifest(join(hoisted, '@o1js', 'native-linux-x64'), pkg);
  assert.deepEqual(findO1js(beside), { dir: join(hoisted, 'o1js'), version: '2.15.0' });

  const o1js = manifest(join(root, 'b', 'node_modules', 'o1js'), { name: 'o1js', version: '2.14.0' });
  const nested = manifest(join(o1js, 'node_modules', '@o1js', 'native-darwin-arm64'), pkg);
  assert.deepEqual(findO1js(nested), { dir: o1js, version: '2.14.0' });

  // Other packages' manifests, a malformed one and a package named otherwise are passed over.
  const lonely = manifest(join(root, 'c', 'node_modules', '@o1js', 'native-win32-x64'), pkg);
  manifest(join(root, 'c', 'node_modules', 'o1js'), '{ not json');
  manifest(join(root, 'c'), { name: 'my-app', version: '1.0.0' });
  assert.equal(findO1js(lonely), null);
});

test('another o1js version is refused with the one that works; the same version or none passes', () => {
  const hoisted = join(root, 'd', 'node_modules');
  const o1js = manifest(join(hoisted, 'o1js'), { name: 'o1js', version: '2.16.0' });
  const dir = manifest(join(hoisted, '@o1js', 'native-linux-arm64'), pkg);
  assert.throws(() => checkO1jsVersion(pkg, '2.15.0', dir), {
    message: `kimchi-handles-o1js 0.2.0-o1js.2.15.0 works with o1js 2.15.0 only, but the o1js at ${o1js} is 2.16.0: install o1js@2.15.0, or remove the overrides of @o1js/native-* from your package.json to use o1js's own backend.`,
  });
  manifest(o1js, { name: 'o1js', version: '2.15.0' });
  assert.equal(checkO1jsVersion(pkg, '2.15.0', dir).version, '2.15.0');
  assert.equal(checkO1jsVersion(pkg, '2.15.0', mkdtempSync(join(tmpdir(), 'kimchi-handles-none-'))), null);
});

test('missing names: functions and classes the module lacks, except the classes o1js never uses', () => {
  const names = {
    functions: ['caml_fp_srs_create', 'caml_pasta_fp_plonk_proof_create'],
    classes: ['WasmFpSrs', 'WasmFpDomain', 'WasmFqPlonkVerifierIndex', 'WasmFpPolyComm'],
  };
  const module = { caml_fp_srs_create() {}, WasmFpSrs: class {}, caml_pasta_fp_plonk_proof_create: 7 };
  assert.deepEqual(missingNames(module, names), ['caml_pasta_fp_plonk_proof_create', 'WasmFpPolyComm']);
  assert.deepEqual(missingNames({ ...module, caml_pasta_fp_plonk_proof_create() {}, WasmFpPolyComm: class {} }, names), []);
});
