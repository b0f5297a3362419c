// o1js 2.15.0 on this module, the short check `make test` runs: the square program compiled on
// stock o1js and on this module gives the same verification key, and a proof made on this module
// verifies (the full comparison is compare.mjs).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import assert from 'node:assert/strict';

const root = new URL('../', import.meta.url).pathname;
const run = (install, backend, proofs) => {
  const out = `/tmp/kimchi-handles-o1js-${backend}.json`;
  execFileSync(process.execPath, ['--expose-gc', `${root}o1js/run.mjs`, '--install', `${root}.tools/${install}`, '--backend', backend, '--program', 'square', '--proofs', String(proofs), '--json', out], { stdio: 'inherit' });
  return JSON.parse(readFileSync(out, 'utf8'));
};
const stock = run('o1js-stock', 'wasm', 0);
const ours = run('o1js-ours', 'native', 1);
assert.equal(ours.verificationKey.hash, stock.verificationKey.hash, 'the same verification key hash');
assert.equal(ours.verificationKey.data, stock.verificationKey.data, 'the same verification key');
assert.ok(ours.rows.length === 1 && ours.rows[0].verified, 'the proof verifies');
console.log('o1js on this module: same verification key as stock, the proof verifies');
