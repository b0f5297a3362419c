// o1js 2.15.0 on the installed package, failures caught inside o1js: a prove() that runs out of
// WASM memory (memory filled for real, no budget) or is refused by the memory budget rejects
// with an Error, and the next prove() in the same process works and verifies.
//
//   node --expose-gc o1js/faults.mjs --install .tools/o1js-ours
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { programs } from './programs.mjs';

const { values: args } = parseArgs({ options: { install: { type: 'string' } } });
process.env.O1JS_BACKEND = 'native';
const root = resolve(args.install, 'node_modules');
const o1js = await import(join(root, 'o1js/dist/node/index.js'));
const kimchi = createRequire(join(root, 'o1js/package.json'))('@o1js/native-linux-x64');
assert.ok(kimchi.kimchiHandles, 'o1js loads kimchi-handles-o1js under its native name');
const { Field, verify, Cache } = o1js;
const { Square } = programs(o1js);
const GiB = 2 ** 30;

const t0 = performance.now();
const { verificationKey } = await Square.compile({ cache: Cache.None });
console.log(`# compiled in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
const proveAndVerify = async (x) => {
  const { proof } = await Square.prove(Field(x * x), Field(x));
  return verify(proof, verificationKey);
};
assert.equal(await proveAndVerify(3), true, 'a proof before any failure');

// Rejects with an Error whose message matches `pattern`.
const rejects = async (what, pattern) => {
  let error;
  try {
    await proveAndVerify(4);
  } catch (e) {
    error = e;
  }
  assert.ok(error instanceof Error, `${what}: prove() rejected with an Error (got ${error})`);
  assert.match(error.message, pattern, `${what}: ${error.message}`);
  console.log(`# ${what}: prove() rejected: ${error.message.split('\n')[0].slice(0, 160)}`);
  return error;
};

// 1. The memory budget: no room for anything more.
kimchi.setMemoryBudget(kimchi.ledger().total.liveBytes);
await rejects('over the memory budget', /would exceed the memory budget/);
kimchi.setMemoryBudget(null);
assert.equal(await proveAndVerify(5), true, 'a proof after the budget refusal');

// 2. Memory filled for real: ever smaller witnesses until none fits. The first prove() then runs
// out of memory as o1js hands kimchi the witness; giving back ever more memory, a later one
// gets into the prover and runs out there.
const held = [];
for (const log2 of [16, 12, 8, 3]) {
  for (let x = 2; ; x++) {
    try {
      held.push({ handle: kimchi.sampleSquareWitnessFp(x, log2), bytes: 15 * 32 << log2 });
    } catch {
      break;
    }
  }
}
console.log(`# memory filled: ${held.length} witnesses held, WASM ${(kimchi.wasmMemoryBytes() / GiB).toFixed(2)} GiB`);
assert.ok(kimchi.wasmMemoryBytes() > 3.5 * GiB, 'memory really ran out');
const where = [];
for (let free = 0, step = 32 << 10; where.length === 0 || !where.at(-1).includes('proof_create'); step *= 2) {
  assert.ok(step <= GiB, `a prove() ran out of memory inside the prover (failures: ${where.join(' | ')})`);
  const error = await rejects(`out of WASM memory (${(free / 2 ** 20).toFixed(2)} MB given back)`, /memory allocation of \d+ bytes failed/);
  where.push(error.message.split(' panicked')[0]);
  for (let target = free + step; free < target && held.length > 0; ) {
    const { handle, bytes } = held.pop();
    handle.dispose();
    free += bytes;
  }
}
for (const { handle } of held) handle.dispose();
assert.equal(await proveAndVerify(6), true, 'a proof after running out of memory, in the same process');
assert.equal(await proveAndVerify(7), true, 'and another');
console.log('o1js on kimchi-handles-o1js: out of memory and over budget are Errors from prove(); proving goes on after each');
process.exit(0);
