// The threaded unwinding build: shared memory and a rayon-style set of worker threads, where a
// panic or an out-of-memory on any thread is an Error on that thread, naming the function with
// that call's own message, while the other threads and their handles go on. Its own file: the
// out-of-memory test leaves 4 GiB of shared memory behind (WASM memory never shrinks).
import test from 'node:test';
import assert from 'node:assert/strict';
import { load, spawn as spawnOn } from './threads/pool.mjs';

const instance = await load('threads-unwind');
const { k } = instance;
const spawn = () => spawnOn(instance);

test('a panic on a worker is an Error there; handles made on either thread stay intact and usable', async () => {
  const w = spawn();
  await w.ready;
  const mine = new k.Payload(3000, 5);
  const { token } = await w.ask('createAndKeep', { bytes: 2000, seed: 9 });
  const before = k.ledger().total;
  await w.ask('panics', { tag: 'worker', count: 100 });
  assert.throws(() => k.panicForTest('main'), { message: /^panicForTest panicked: main \(at src\/demo\.rs:\d+\)$/ });
  assert.deepEqual(k.ledger().total, before, 'the panics created and lost nothing, on either thread');
  const theirs = k.Payload.adopt(token);
  assert.equal(theirs.checksum(), k.expectedChecksum(2000, 9), 'a value made on the worker survived its panics');
  assert.equal(mine.checksum(), k.expectedChecksum(3000, 5));
  const made = await w.ask('create', { bytes: 10, seed: 1 });
  const next = k.Payload.adopt(made.token);
  assert.equal(next.checksum(), k.expectedChecksum(10, 1), 'the worker goes on making handles');
  for (const h of [mine, theirs, next]) h.dispose();
  await w.ask('release');
  await w.stop();
});

test('4 threads panicking at once: each Error carries its own call\'s message', async () => {
  const workers = Array.from({ length: 4 }, spawn);
  await Promise.all(workers.map((w) => w.ready));
  const before = k.ledger().total;
  // Panics on the main thread too, between the workers' ones.
  const main = (async () => {
    for (let i = 0; i < 200; i++) {
      assert.throws(() => k.panicForTest(`main ${i}`), { message: new RegExp(`^panicForTest panicked: main ${i} \\(at `) });
      await new Promise((resolve) => setImmediate(resolve));
    }
  })();
  await Promise.all([...workers.map((w, i) => w.ask('panics', { tag: `worker${i}`, count: 2000 })), main]);
  assert.deepEqual(k.ledger().total, before);
  await Promise.all(workers.map((w) => w.stop()));
});

test('out of memory on a worker: an Error there, the main thread\'s handles intact, the memory usable again', async () => {
  const w = spawn();
  await w.ready;
  const mine = new k.Payload(4096, 2);
  const before = k.ledger().total;
  const { message } = await w.ask('outOfMemory');
  assert.match(message ?? 'no error', /^allocateWithoutBoundForTest panicked: memory allocation of \d+ bytes failed$/);
  console.log(`# out of memory on a worker at ${(k.wasmMemoryBytes() / 2 ** 30).toFixed(2)} GiB of shared memory`);
  assert.ok(k.wasmMemoryBytes() > 3.5 * 2 ** 30, 'memory really ran out');
  assert.equal(mine.checksum(), k.expectedChecksum(4096, 2), 'the main thread\'s value is intact');
  assert.deepEqual(k.ledger().total, before);
  // What the worker's call had allocated was freed: about 2 GiB fit again, made on the main thread.
  const big = new k.PayloadList(31, 64 << 20);
  assert.equal(big.length, 31);
  big.dispose();
  const made = await w.ask('create', { bytes: 100, seed: 3 });
  const theirs = k.Payload.adopt(made.token);
  assert.equal(theirs.checksum(), k.expectedChecksum(100, 3), 'the worker goes on');
  theirs.dispose();
  mine.dispose();
  await w.stop();
});

test('out of memory on two workers at once: an Error on each, then the memory is usable again', async () => {
  const workers = [spawn(), spawn()];
  await Promise.all(workers.map((w) => w.ready));
  const before = k.ledger().total;
  const results = await Promise.all(workers.map((w) => w.ask('outOfMemory')));
  console.log(`# two workers out of memory at once: ${results.map((r) => r.message).join(' | ')}`);
  for (const { message } of results) {
    assert.match(message ?? 'no error', /^allocateWithoutBoundForTest panicked: memory allocation of \d+ bytes failed$|^allocateWithoutBoundForTest was not started: WebAssembly memory is full/);
  }
  assert.deepEqual(k.ledger().total, before);
  const big = new k.PayloadList(31, 64 << 20);
  assert.equal(big.length, 31, 'about 2 GiB fit again');
  big.dispose();
  await Promise.all(workers.map((w) => w.stop()));
});

test('memory filled to the last bytes by two workers at once: every refusal is an Error, then all is usable again', async () => {
  const workers = [spawn(), spawn()];
  await Promise.all(workers.map((w) => w.ready));
  const before = k.ledger().total;
  const results = await Promise.all(workers.map((w) => w.ask('fill')));
  const made = results.reduce((s, r) => s + r.made, 0);
  console.log(`# ${made} payloads held by two workers at ${(k.wasmMemoryBytes() / 2 ** 30).toFixed(2)} GiB; failures: ${results.map((r) => r.failures.map((m) => m.replace(/ \(at .*/, '')).join(' | ')).join(' || ')}`);
  for (const { failures } of results) {
    assert.equal(failures.length, 5, 'each size ended in one refusal');
    for (const m of failures) {
      assert.match(m, /^new Payload panicked: memory allocation of \d+ bytes failed$|^no memory left to register another Payload handle|^new Payload was not started: WebAssembly memory is full/);
    }
  }
  for (const { probes } of results) {
    assert.match(probes[0], /^checksumOfBytes (panicked|was not started)|^returned$/, 'bytes in, memory full: an Error or a result');
    assert.match(probes[1], /^panicForTest (panicked|was not started)/, 'a string in, memory full: an Error');
  }
  assert.equal(k.ledger().total.live, before.live + made, 'every payload made is counted, no refused one');
  await Promise.all(workers.map((w) => w.ask('release')));
  assert.equal(k.ledger().total.live, before.live);
  const q = new k.Payload(1 << 30, 4);
  assert.equal(q.checksum(), k.expectedChecksum(1 << 30, 4), 'a 1 GiB value fits again');
  q.dispose();
  await Promise.all(workers.map((w) => w.stop()));
});
