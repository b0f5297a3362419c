// A thread of the kimchi module's rayon pool in a browser: joins the instance's memory, says so,
// then runs a pool thread for the life of the pool.
import * as k from './kimchi/kimchi_handles_kimchi.js';

onmessage = ({ data: { module, memory } }) => {
  try {
    k.initSync({ module, memory, thread_stack_size: 4 << 20 });
  } catch (e) {
    postMessage(String(e?.message ?? e));
    return;
  }
  postMessage('loaded'); // the thread that made this worker may now block until it runs a pool thread
  k.threadPoolWorker();
};
