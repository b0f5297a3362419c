// The demo page's o1js mode: the o1js app (o1js/web-app/, built by `make demo-web` stock and with
// the plugin) runs in a frame, stock first and then on this module, one after the other so that
// they do not share the CPU; each proof's row is plotted as it arrives. A run ends when its app
// reports the end or an error (stock's worker may die of "memory access out of bounds"); its frame
// is then removed, which ends its workers.
import { chart } from './chart.mjs';

const params = new URLSearchParams(location.search);
const proofs = Number(params.get('proofs') ?? 10);
const program = params.get('program') ?? 'recursive';
const RUNS = [
  { key: 'stock', label: "stock o1js (its own kimchi-wasm)", color: '#c0392b', path: '/o1js/stock/' },
  { key: 'ours', label: 'o1js on kimchi-handles-o1js', color: '#1b7f3b', path: '/o1js/ours/' },
];
const rows = { stock: [], ours: [] };
const status = document.getElementById('status');
const series = RUNS.map(({ label, color }) => ({ label, color }));
const memory = chart(document.getElementById('memory'), { title: 'WASM memory after each proof', x: 'proof', y: 'WASM memory (MB)', unit: 'MB', series });
const time = chart(document.getElementById('time'), { title: 'Time of each proof', x: 'proof', y: 'seconds', unit: 's', series, height: 200 });
const draw = () => {
  memory(RUNS.map(({ key }) => rows[key].map((r) => r.wasmMB)));
  time(RUNS.map(({ key }) => rows[key].map((r) => r.proveMs / 1000)));
};

function run({ key, label, path }) {
  const frame = document.createElement('iframe');
  frame.src = `${path}?in=worker&program=${program}&proofs=${proofs}`;
  return new Promise((resolve) => {
    const onMessage = ({ source, data }) => {
      if (source !== frame.contentWindow || !data?.o1jsApp) return;
      const { row, result } = data.o1jsApp;
      if (row) {
        rows[key].push(row);
        status.textContent = `${label}: proof ${row.proof} of ${proofs} in ${(row.proveMs / 1000).toFixed(1)} s, ${row.verified ? 'verified' : 'NOT verified'}, WASM ${row.wasmMB.toFixed(1)} MB`;
        draw();
      }
      if (result) {
        removeEventListener('message', onMessage);
        frame.remove();
        resolve({ error: result.error ?? null, compileMs: result.compileMs ?? null });
      }
    };
    addEventListener('message', onMessage);
    document.body.append(frame);
  });
}

const ended = {};
for (const r of RUNS) {
  status.textContent = `${r.label}: compiling`;
  ended[r.key] = await run(r);
}
const summary = RUNS.map(({ key, label }) => {
  const r = rows[key];
  const growth = r.length > 2 ? (r.at(-1).wasmMB - r[1].wasmMB) / (r.length - 2) : NaN;
  return `${label}: ${r.length} proofs${ended[key].error ? ` (then it failed: ${ended[key].error.split('\n')[0]})` : ''}, ${growth.toFixed(2)} MB per proof after the second`;
});
status.textContent = summary.join('; ');
window.__results = { rows, ended, crossOriginIsolated: self.crossOriginIsolated, charts: document.querySelectorAll('.uplot').length };
