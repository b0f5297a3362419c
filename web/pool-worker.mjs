// A thread of the kimchi module's rayon pool: joins the instance's memory, then runs the pool
// thread for the life of the pool.
onmessage = async ({ data: { module, memory, dir } }) => {
  const k = await import(`${dir}/kimchi_handles_kimchi.js`);
  k.initSync({ module, memory, thread_stack_size: 4 << 20 });
  postMessage('loaded'); // the page's worker may now block until this one runs a pool thread
  k.threadPoolWorker();
};
