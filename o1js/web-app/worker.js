// o1js in a Web Worker: run what the page asks, and post the result back.
import './count.js';
import { run } from './prove.js';
import { setWorkers } from './workers.js';

onmessage = ({ data }) => {
  setWorkers(data.workers);
  const progress = (row, at) => postMessage({ progress: row, ...at });
  run(data, progress).then(postMessage, (e) => postMessage({ error: String(e?.stack ?? e) }));
};
