// ?in=worker (the default, as zkApp templates do) runs o1js in a Web Worker; ?in=page on the
// page's own thread. ?program=square|recursive&proofs=N; ?workers=N sets kimchi-handles' pool. The result lands in `window.__results`
// (and on the page) for the tests and the benchmark.
import './count.js';
import { takeLongestGap } from './responsive.js';

const params = new URLSearchParams(location.search);
const where = params.get('in') ?? 'worker';
const job = { program: params.get('program') ?? 'square', proofs: Number(params.get('proofs') ?? 1), workers: Number(params.get('workers') ?? 0) };
document.getElementById('where').textContent = where === 'page' ? "on the page's thread" : 'in a Web Worker';
// In a frame (the demo page's o1js mode), each row and the end also go to the page around it.
const report = (message) => window.parent !== window && window.parent.postMessage({ o1jsApp: message }, location.origin);
const show = (result) => {
  window.__results = result;
  report({ result });
  document.getElementById('out').textContent = JSON.stringify(result, (k, v) => (k === 'data' ? `${v.slice(0, 40)}...` : v), 2);
};

// Rows as they come, so that a run that dies part-way (its worker ended by an error) still reports.
// Each row gets the longest time the page's thread was held since the row before (the proof and
// its verification; the first, the compile too).
const done = [];
let at = {};
const failed = (error) => show({ error, rows: done, ...at });
const withGap = (row) => {
  const out = { ...row, pageHeldMs: takeLongestGap() };
  report({ row: out });
  return out;
};
const finished = (result) => show({ ...result, rows: done });

if (where === 'page') {
  Promise.all([import('./prove.js'), import('./workers.js')])
    .then(([{ run }, { setWorkers }]) => (setWorkers(job.workers), run(job, (row, more) => (done.push(withGap(row)), (at = more)))))
    .then(finished, (e) => failed(String(e?.stack ?? e)));
} else {
  const worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
  worker.onmessage = ({ data }) => {
    if (data.progress) {
      done.push(withGap(data.progress));
      const { progress, ...more } = data;
      at = more;
    } else if (data.error) failed(data.error);
    else finished(data);
  };
  worker.onerror = (e) => failed(`worker: ${e.message}`);
  worker.postMessage(job);
}
