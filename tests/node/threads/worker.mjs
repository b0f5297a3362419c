// A worker thread of the threaded build: it joins the instance's shared memory and runs what the
// main thread asks (see ../threads.test.mjs).
import { parentPort, workerData } from 'node:worker_threads';
import { rng } from '../rng.cjs';

const k = await import(workerData.glue);
const exports = k.initSync({ module: workerData.module, memory: workerData.memory });
k.setLeakCallback(() => {}); // drops are deliberate here

const held = []; // { h, seed, bytes }
const counts = { created: 0, disposed: 0, moved: 0, dropped: 0, transferredOut: 0, adopted: 0, borrowed: 0, refusedTakes: 0 };

function randomSteps(seed, steps, peers) {
  const random = rng(seed);
  const pick = (n) => Math.floor(random() * n);
  const outgoing = [];
  for (let step = 0; step < steps; step++) {
    const x = held.length ? held[pick(held.length)] : undefined;
    const op = x ? pick(8) : 0;
    if (op === 0) {
      const bytes = pick(2000);
      const s = pick(256);
      held.push({ h: new k.Payload(bytes, s), seed: s, bytes });
      counts.created++;
    } else if (op === 1) {
      held.push({ ...x, h: x.h.share() });
      counts.created++;
    } else if (op === 2) {
      if (x.h.checksum() !== k.expectedChecksum(x.bytes, x.seed)) throw new Error(`seed ${seed} step ${step}: value corrupted`);
      counts.borrowed++;
    } else if (op === 3) {
      try {
        if (k.consumePayload(x.h) !== k.expectedChecksum(x.bytes, x.seed)) throw new Error('consumed a corrupted value');
        counts.moved++;
      } catch (e) {
        // Another handle, here or on another thread, shares the value: refused, nothing taken.
        if (!/cannot be moved into consumePayload/.test(e.message)) throw e;
        if (x.h.state !== 'live') throw new Error('a refused take changed the handle');
        counts.refusedTakes++;
        x.h.dispose();
        counts.disposed++;
      }
      held.splice(held.indexOf(x), 1);
    } else if (op === 4) {
      x.h.dispose();
      counts.disposed++;
      held.splice(held.indexOf(x), 1);
    } else if (op === 5) {
      held.splice(held.indexOf(x), 1); // dropped: the finalizer of this thread rescues it later
      counts.dropped++;
    } else if (op === 6 && peers > 0) {
      // Share the value with another thread: a share moves there, the original stays here.
      const copy = x.h.share();
      counts.created++;
      outgoing.push({ token: copy.transfer(), seed: x.seed, bytes: x.bytes });
      counts.transferredOut++;
    } else {
      if (x.h.length !== x.bytes) throw new Error('wrong length');
    }
  }
  return outgoing;
}

parentPort.on('message', async ({ id, op, args }) => {
  let result;
  try {
    if (op === 'create') {
      const p = new k.Payload(args.bytes, args.seed);
      result = { token: p.transfer(), id: p.id };
    } else if (op === 'createAndKeep') {
      const p = new k.Payload(args.bytes, args.seed);
      held.push({ h: p, seed: args.seed, bytes: args.bytes });
      result = { token: p.share().transfer() };
      counts.created += 2;
    } else if (op === 'random') {
      result = { outgoing: randomSteps(args.seed, args.steps, args.peers) };
    } else if (op === 'adopt') {
      for (const t of args.tokens) {
        held.push({ h: k.Payload.adopt(t.token), seed: t.seed, bytes: t.bytes });
        counts.adopted++;
      }
      result = {};
    } else if (op === 'release') {
      for (const x of held.splice(0)) {
        x.h.dispose();
        counts.disposed++;
      }
      result = {};
    } else if (op === 'gc') {
      for (let i = 0; i < 3; i++) {
        globalThis.gc();
        await new Promise((resolve) => setImmediate(resolve));
      }
      result = {};
    } else if (op === 'counts') {
      result = counts;
    } else if (op === 'checksum') {
      const p = k.Payload.adopt(args.token);
      result = { sum: p.checksum() };
      p.dispose();
    } else if (op === 'panics') {
      // Panics in a row, each with its own message: every Error must carry this thread's message.
      for (let i = 0; i < args.count; i++) {
        const message = `${args.tag} ${i}`;
        try {
          k.panicForTest(message);
          throw new Error('panicForTest returned');
        } catch (e) {
          if (!e.message.startsWith(`panicForTest panicked: ${message} (at `)) throw new Error(`${args.tag}: got "${e.message}"`);
        }
      }
      result = {};
    } else if (op === 'outOfMemory') {
      try {
        k.allocateWithoutBoundForTest();
        result = { message: null };
      } catch (e) {
        result = { message: e.message };
      }
    } else if (op === 'fill') {
      // Ever smaller values until even the smallest does not fit; the handles are kept.
      const failures = [];
      let made = 0;
      for (const bytes of [64 << 20, 1 << 20, 16 << 10, 256, 16]) {
        for (;;) {
          try {
            held.push({ h: new k.Payload(bytes), seed: 0, bytes });
            made++;
            counts.created++;
          } catch (e) {
            failures.push(e instanceof Error ? e.message : `not an Error: ${Object.prototype.toString.call(e)} ${e?.constructor?.name} ${String(e)}`);
            break;
          }
        }
      }
      // With memory full, calls that bring bytes or a string in: an Error each, never an abort.
      const probes = [];
      for (const call of [() => k.checksumOfBytes(new Uint8Array(1 << 20)), () => k.panicForTest('p'.repeat(50_000))]) {
        try {
          call();
          probes.push('returned');
        } catch (e) {
          probes.push(e instanceof Error ? e.message.slice(0, 200) : `not an Error: ${Object.prototype.toString.call(e)}`);
        }
      }
      result = { made, failures, probes };
    } else if (op === 'destroy') {
      exports.__wbindgen_thread_destroy();
      result = {};
    }
    parentPort.postMessage({ id, result });
  } catch (e) {
    parentPort.postMessage({ id, error: e.stack ?? String(e) });
  }
});
parentPort.postMessage({ ready: true });
