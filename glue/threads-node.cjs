// Loads a threaded kimchi-handles module in Node, synchronously: the instance on a new shared
// memory on this thread, and `threads` worker threads that join the same memory and run the
// module's rayon pool. The workers start first and wait in `threadPoolWorker()`; then
// `threadPoolPrepare(n)` builds the pool, which returns once every worker runs a thread of it
// (workers load on their own threads, so this one may block meanwhile).
'use strict';
const { readFileSync } = require('node:fs');
const { pathToFileURL } = require('node:url');
const { Worker } = require('node:worker_threads');

// A worker: join the memory, then run one pool thread for the life of the pool.
const WORKER = `
const { workerData } = require('node:worker_threads');
import(workerData.glue).then((k) => {
  k.initSync({ module: workerData.module, memory: workerData.memory, thread_stack_size: workerData.stackSize });
  k.threadPoolWorker();
});`;

/**
 * @param {{ glue: string, wasm: string, threads: number, stackSize?: number }} options
 *   glue: the generated ES module (web target) of a threaded build; wasm: its raw .wasm.
 * @returns {{ module: object, memory: WebAssembly.Memory, workers: Worker[] }}
 */
function loadThreaded({ glue, wasm, threads, stackSize = 4 << 20 }) {
  // `require` of an ES module without top-level await is synchronous (Node 20.19 and later).
  const k = require(glue);
  const wasmModule = new WebAssembly.Module(readFileSync(wasm));
  const { memory } = k.initSync({ module: wasmModule, thread_stack_size: stackSize });
  const workers = [];
  if (threads > 0) {
    const glueUrl = pathToFileURL(glue).href;
    for (let i = 0; i < threads; i++) {
      const worker = new Worker(WORKER, { eval: true, workerData: { glue: glueUrl, module: wasmModule, memory, stackSize } });
      worker.unref(); // the pool never ends; it must not keep the process alive
      workers.push(worker);
    }
    k.threadPoolPrepare(threads);
  }
  return { module: k, memory, workers };
}

module.exports = { loadThreaded };
