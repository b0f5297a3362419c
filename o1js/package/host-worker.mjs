// The worker that runs the heavy calls of o1js imported on a page's own thread: it joins the
// module's memory (one instance, one registry of handles for every thread), prepares the rayon
// pool (which blocks, as a page's thread may not), and then runs each call the page posts. A
// handle argument arrives as a copy of its key, which acts for the page's handle and is never
// registered for finalization here; a handle result is transferred to the page. The answer goes
// into shared memory, since the page waits by spinning and cannot receive a message.
import * as k from './kimchi/kimchi_handles_kimchi.js';
import { encode } from './wire.mjs';

const DONE = 1;
let control;
let results;

// Classes by their export names (a bundler may rename the classes themselves).
const classes = new Map(Object.entries(k).flatMap(([name, C]) => (typeof C === 'function' && C.prototype instanceof k.Handle ? [[C.prototype, name]] : [])));
const handle = (v) => (v instanceof k.Handle ? [classes.get(Object.getPrototypeOf(v)), v.transfer()] : undefined);

function answer(bytes) {
  if (results.byteLength < bytes.length) results.grow(bytes.length);
  new Uint8Array(results).set(bytes);
  Atomics.store(control, 1, bytes.length);
  Atomics.store(control, 0, DONE);
}

onmessage = ({ data }) => {
  if (data.start) {
    try {
      ({ control, results } = data.start);
      k.initSync({ module: data.start.module, memory: data.start.memory, thread_stack_size: 4 << 20 });
      k.setLeakCallback(() => {}); // results are transferred at once; arguments are not this thread's
      k.threadPoolPrepare(data.start.threads); // blocks until every pool worker runs a pool thread
      postMessage({ started: true });
    } catch (e) {
      postMessage({ started: false, error: String(e?.message ?? e) });
    }
    return;
  }
  const { name, args } = data;
  let bytes;
  try {
    bytes = encode({ ok: k[name](...args) }, handle);
  } catch (e) {
    bytes = encode({ error: { name: e?.name ?? 'Error', message: String(e?.message ?? e) } }, () => undefined);
  }
  answer(bytes);
};
