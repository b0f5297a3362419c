// ?in=worker (the default, as zkApp templates do) runs o1js in a Web Worker; ?in=page on the
// page's own thread. ?program=square|recursive&proofs=N; ?workers=N sets kimchi-handles' pool. The result lands in `window.__results`
// (and on the page) for the tests and the benchmark.
import './count.js';

const params = new URLSearchParams(location.search);
const where = params.get('in') ?? 'worker';
const job = { program: params.get('program') ?? 'square', proofs: Number(params.get('proofs') ?? 1), workers: Number(params.get('workers') ?? 0) };
document.getElementById('where').textContent = where === 'page' ? "on the page's thread" : 'in a Web Worker';
const show = (result) => {
  window.__results = result;
  document.getElementById('out').textContent = JSON.stringify(result, (k, v) => (k === 'data' ? `${v.slice(0, 40)}...` : v), 2);
};

// Rows as they come, so that a run that dies part-way (its worker ended by an error) still reports.
const done = [];
let at = {};
const failed = (error) => show({ error, rows: done, ...at });

if (where === 'page') {
  import('./prove.js')
    .then(({ run }) => run(job, (row, more) => (done.push(row), (at = more))))
    .then(show, (e) => failed(String(e?.stack ?? e)));
} else {
  const worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
  worker.onmessage = ({ data }) => {
    if (data.progress) {
      done.push(data.progress);
      const { progress, ...more } = data;
      at = more;
    } else if (data.error) failed(data.error);
    else show(data);
  };
  worker.onerror = (e) => failed(`worker: ${e.message}`);
  worker.postMessage(job);
}
