// The threaded builds' tests share this: load a build on the main thread, and spawn workers that
// join its shared memory and run what the test asks (./worker.mjs).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The build in build/<name>/ on this thread: its glue module, compiled module and memory. */
export async function load(name) {
  const dir = fileURLToPath(new URL(`../../../build/${name}/`, import.meta.url));
  const glue = pathToFileURL(`${dir}kimchi_handles.js`).href;
  const k = await import(glue);
  const module = new WebAssembly.Module(readFileSync(`${dir}raw/kimchi_handles_bg.wasm`));
  const { memory } = k.initSync({ module });
  assert.ok(memory.buffer instanceof SharedArrayBuffer, 'the threaded build runs on shared memory');
  return { k, glue, module, memory };
}

/** A worker on the same instance: `ask(op, args)` runs one step there; `stop()` ends it. */
export function spawn({ glue, module, memory }) {
  const worker = new Worker(new URL('./worker.mjs', import.meta.url), { workerData: { glue, module, memory } });
  let next = 0;
  const pending = new Map();
  const ready = new Promise((resolve, reject) => {
    // A worker that dies (a trap: the instance aborted on it) fails what waits on it.
    worker.on('error', (e) => {
      reject(e);
      for (const { reject: fail } of pending.values()) fail(e);
      pending.clear();
    });
    worker.on('message', (m) => {
      if (m.ready) return resolve();
      const { resolve: ok, reject: fail } = pending.get(m.id);
      pending.delete(m.id);
      if (m.error) fail(new Error(m.error));
      else ok(m.result);
    });
  });
  const ask = (op, args = {}) =>
    new Promise((resolve, reject) => {
      const id = next++;
      pending.set(id, { resolve, reject });
      worker.postMessage({ id, op, args });
    });
  const stop = async () => {
    await ask('destroy');
    await worker.terminate();
  };
  return { worker, ready, ask, stop };
}
