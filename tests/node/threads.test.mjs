// The threaded build (shared memory, worker threads): one registry and one ledger for the whole
// instance. Handles made on one thread are adopted, used, disposed and finalized on another, and
// four threads running random programs at once leave the ledger exact.
import test from 'node:test';
import assert from 'node:assert/strict';
import { load, spawn as spawnOn } from './threads/pool.mjs';

const instance = await load('threads');
const { k } = instance;
const spawn = () => spawnOn(instance);

const stats = () => k.ledger().classes.Payload ?? { live: 0, liveBytes: 0, created: 0, disposed: 0, moved: 0, rescued: 0 };

async function collectMain(done, tries = 50) {
  for (let i = 0; i < tries && !done(); i++) {
    globalThis.gc();
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return done();
}

test('created on a worker, adopted, used and disposed on the main thread', async () => {
  const w = spawn();
  await w.ready;
  const before = stats();
  const { token, id } = await w.ask('create', { bytes: 5000, seed: 7 });
  assert.equal(stats().live - before.live, 1, 'one ledger for the instance: the worker\'s handle counts here');
  const p = k.Payload.adopt(token);
  assert.equal(p.id, id, 'a transfer keeps the handle\'s id');
  assert.equal(p.checksum(), k.expectedChecksum(5000, 7));
  assert.throws(() => k.Payload.adopt(token), /is not waiting to be adopted/);
  p.dispose();
  assert.equal(stats().live, before.live);
  assert.equal(stats().disposed - before.disposed, 1);
  await w.ask('destroy');
  await w.worker.terminate();
});

test('a handle adopted from a worker and dropped is finalized on the main thread', async () => {
  const w = spawn();
  await w.ready;
  k.setLeakCallback(() => {});
  const before = stats();
  const { token } = await w.ask('create', { bytes: 100_000, seed: 1 });
  (() => { k.Payload.adopt(token); })(); // dropped at once
  assert.ok(await collectMain(() => stats().rescued - before.rescued === 1), 'rescued by the main thread\'s finalizer');
  assert.equal(stats().liveBytes, before.liveBytes);
  k.setLeakCallback(undefined);
  await w.ask('destroy');
  await w.worker.terminate();
});

test('a value shared across threads stays intact while either side disposes', async () => {
  const w = spawn();
  await w.ready;
  const { token } = await w.ask('createAndKeep', { bytes: 4096, seed: 3 });
  const mine = k.Payload.adopt(token);
  await w.ask('release'); // the worker disposes its handle
  assert.equal(mine.checksum(), k.expectedChecksum(4096, 3), 'the value lives while a handle on another thread holds it');
  mine.dispose();
  await w.ask('destroy');
  await w.worker.terminate();
});

test('4 threads, 100,000 random steps at once, handles moving between threads: the ledger is exact', async () => {
  const before = stats();
  const workers = Array.from({ length: 4 }, spawn);
  await Promise.all(workers.map((w) => w.ready));
  const rounds = 20;
  const stepsPerRound = 100_000 / 4 / rounds;
  for (let round = 0; round < rounds; round++) {
    const outgoing = await Promise.all(
      workers.map((w, i) => w.ask('random', { seed: 1000 * round + i, steps: stepsPerRound, peers: 3 })),
    );
    // Each thread's transfers go to the next thread.
    await Promise.all(workers.map((w, i) => w.ask('adopt', { tokens: outgoing[(i + 3) % 4].outgoing })));
  }
  await Promise.all(workers.map((w) => w.ask('release')));
  const counts = await Promise.all(workers.map((w) => w.ask('counts')));
  const sum = (key) => counts.reduce((s, c) => s + c[key], 0);
  // Dropped handles are rescued by their own thread's finalizer: make every thread collect.
  for (let i = 0; i < 100 && stats().rescued - before.rescued < sum('dropped'); i++) {
    await Promise.all(workers.map((w) => w.ask('gc')));
  }
  const after = stats();
  const delta = (key) => after[key] - before[key];
  console.log(`# 4 threads: ${JSON.stringify(Object.fromEntries(Object.keys(counts[0]).map((key) => [key, sum(key)])))}`);
  assert.equal(delta('created'), sum('created'));
  assert.equal(delta('moved'), sum('moved'));
  assert.equal(delta('disposed'), sum('disposed'));
  assert.equal(delta('rescued'), sum('dropped'));
  assert.equal(sum('adopted'), sum('transferredOut'));
  assert.ok(sum('moved') > 1000 && sum('refusedTakes') > 100 && sum('dropped') > 1000, 'every kind of step happened');
  assert.equal(after.live, before.live);
  assert.equal(after.liveBytes, before.liveBytes);
  assert.equal(after.created, after.live + after.disposed + after.moved + after.rescued);
  await Promise.all(workers.map((w) => w.ask('destroy')));
  await Promise.all(workers.map((w) => w.worker.terminate()));
});
