// The browser side of kimchi-handles-o1js: the kimchi module o1js's patched browser bundle runs on
// (the Vite plugin makes the bundle import this file). On a cross-origin isolated page, the
// threaded build with its rayon pool on workers of its own: in a Web Worker, which may block while
// the pool works, o1js calls it directly; on a page's own thread, which may not block, the calls
// that use the pool go to a host worker on the same memory (as stock o1js does with its own
// worker) while the page's thread spins. Without isolation, the single-threaded build, which
// proves on the calling thread.
import * as threaded from './kimchi/kimchi_handles_kimchi.js';
import * as single from './kimchi-single/kimchi_handles_kimchi.js';
import { decode } from './wire.mjs';
import { POOLED } from './pooled.mjs';

const pkg = { name: 'kimchi-handles-o1js', o1js: '2.15.0' };
let loading;
let workerCount;

/**
 * Sets how many pool workers the threaded module starts (by default as many as the cores), before
 * o1js first needs the module.
 */
export function setWorkerCount(n) {
  if (!Number.isInteger(n) || n < 1 || n > 256) throw new Error(`setWorkerCount: n must be a whole number from 1 to 256, got ${n}`);
  if (loading) throw new Error('setWorkerCount: the module is already loaded; call it before o1js compiles or proves');
  workerCount = n;
}

/** Where this runs: a page's own thread cannot block (`Atomics.wait` is refused there). */
const inWorker = () => typeof WorkerGlobalScope !== 'undefined' && globalThis instanceof WorkerGlobalScope;
const canThread = () => globalThis.crossOriginIsolated === true && typeof SharedArrayBuffer === 'function';
// The page's thread receives results in a shared buffer the host worker grows.
const canGrowShared = () => typeof SharedArrayBuffer.prototype.grow === 'function';

async function compile(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${pkg.name}: could not fetch its WebAssembly module (${url}): HTTP ${response.status}`);
  return WebAssembly.compile(await response.arrayBuffer());
}

/** Starts `threads` pool workers on the module's memory; resolves once each has loaded. */
async function startPool(module, memory, threads) {
  const loaded = [];
  for (let i = 0; i < threads; i++) {
    const worker = new Worker(new URL('./pool-worker.mjs', import.meta.url), { type: 'module', name: `kimchi-handles pool ${i}` });
    loaded.push(
      new Promise((resolve, reject) => {
        worker.onmessage = ({ data }) => (data === 'loaded' ? resolve(worker) : reject(new Error(`${pkg.name}: pool worker ${i}: ${data}`)));
        worker.onerror = (e) => reject(new Error(`${pkg.name}: pool worker ${i} failed to start: ${e.message}`));
      }),
    );
    worker.postMessage({ module, memory });
  }
  return Promise.all(loaded);
}

/**
 * Starts the host worker on the module's memory, which prepares the pool; returns the module's
 * exports with each function that uses the pool replaced by a call to it.
 */
async function hosted(module, memory, threads) {
  const control = new Int32Array(new SharedArrayBuffer(8));
  const results = new SharedArrayBuffer(1 << 16, { maxByteLength: 1 << 30 });
  const host = new Worker(new URL('./host-worker.mjs', import.meta.url), { type: 'module', name: 'kimchi-handles host' });
  await new Promise((resolve, reject) => {
    host.onmessage = ({ data }) => (data.started ? resolve() : reject(new Error(`${pkg.name}: its host worker: ${data.error}`)));
    host.onerror = (e) => reject(new Error(`${pkg.name}: its host worker failed to start: ${e.message}`));
    host.postMessage({ start: { module, memory, threads, control, results } });
  });
  host.onmessage = host.onerror = null;
  const adopt = (name, token) => threaded[name].adopt(token);
  const call = (name) =>
    function (...args) {
      Atomics.store(control, 0, 0);
      // Handles cross as copies of their keys (their own property), values as structured clones.
      host.postMessage({ name, args });
      // A page's thread may not Atomics.wait.
      while (Atomics.load(control, 0) === 0);
      const { ok, error } = decode(new Uint8Array(results, 0, Atomics.load(control, 1)), adopt);
      if (error) {
        const E = { TypeError, RangeError }[error.name] ?? Error;
        throw new E(error.message);
      }
      return ok;
    };
  const k = { ...threaded };
  for (const name of POOLED) if (typeof k[name] === 'function') k[name] = call(name);
  return k;
}

async function load() {
  let k;
  let threads = 0;
  let host = false;
  if (canThread() && (inWorker() || canGrowShared())) {
    const module = await compile(new URL('./kimchi/raw/kimchi_handles_kimchi_bg.wasm', import.meta.url));
    // Asynchronously: a page's thread may not instantiate a large module synchronously.
    const { memory } = await threaded.init({ module_or_path: module, thread_stack_size: 4 << 20 });
    // As many workers as the cores: the thread that calls only waits while the pool works.
    threads = workerCount ?? Math.max(1, navigator.hardwareConcurrency || 1);
    await startPool(module, memory, threads);
    if (inWorker()) {
      threaded.threadPoolPrepare(threads); // blocks until every worker runs a pool thread
      k = threaded;
    } else {
      k = await hosted(module, memory, threads);
      host = true;
    }
  } else {
    await single.init({ module_or_path: await compile(new URL('./kimchi-single/raw/kimchi_handles_kimchi_bg.wasm', import.meta.url)) });
    k = single;
  }
  // o1js cannot dispose what it does not know are handles: the finalizer (with GC nudges) frees
  // them, as intended, so their rescue is counted in the ledger rather than warned about.
  k.setLeakCallback(() => {});
  // A plain object: o1js writes onto it, and its native conversion code is chosen by this flag.
  return { ...k, __kimchi_backend: 'native', kimchiHandles: Object.freeze({ ...pkg, threads, host }) };
}

/** The module, loaded once (a load that failed is tried again on the next call). */
export function kimchiModule() {
  return (loading ??= load().catch((e) => {
    loading = undefined;
    throw e;
  }));
}

// o1js wraps its thread-pool work in these; this module's pool runs from the start.
export async function initThreadPool() {}
export async function exitThreadPool() {}
