// The page: runs the proving loop in a worker once per mode (one after another, so they do not
// share the CPU), and plots WASM memory and live handles as the rows arrive.
import { chart } from './chart.mjs';

const params = new URLSearchParams(location.search);
const n = Number(params.get('n') ?? 30);
const k = Number(params.get('k') ?? 8);
// The domain whose Lagrange commitments each iteration asks for: o1js asks for those of a 2^14
// domain (16,384 commitments) for its recursive proofs.
const r = Number(params.get('r') ?? 14);
const MODES = ['using', 'finalizer', 'leak'];
const COLORS = { using: '#1b7f3b', finalizer: '#1f5fbf', leak: '#c0392b' };
const LABELS = { using: 'handles with using', finalizer: 'handles left to the finalizer (GC nudges on)', leak: 'baseline: commitments never freed' };
const rows = Object.fromEntries(MODES.map((m) => [m, []]));
const status = document.getElementById('status');
const threads = self.crossOriginIsolated ? 'threaded build (cross-origin isolated)' : 'single-threaded build (no COOP/COEP)';

const series = MODES.map((m) => ({ label: LABELS[m], color: COLORS[m] }));
const memory = chart(document.getElementById('memory'), { title: 'WASM memory after each proof', x: 'proof', y: 'WASM memory (MB)', unit: 'MB', series });
const handles = chart(document.getElementById('handles'), { title: 'Live handles after each proof', x: 'proof', y: 'live handles', unit: '', digits: 0, series, height: 200 });
const draw = () => {
  memory(MODES.map((m) => rows[m].map((r) => r.wasmMB)));
  handles(MODES.map((m) => rows[m].map((r) => r.live)));
};

async function run(mode) {
  const worker = new Worker('worker.mjs', { type: 'module' });
  await new Promise((resolve, reject) => {
    worker.onerror = (e) => reject(new Error(e.message));
    worker.onmessage = ({ data }) => {
      if (data.failure) return reject(new Error(data.failure));
      if (data.done) return resolve();
      rows[mode].push(data);
      status.textContent = `${threads}: ${mode}, proof ${data.proof} of ${n} (${data.ms.toFixed(0)} ms), WASM ${data.wasmMB.toFixed(1)} MB, ${data.live} live handles`;
      draw();
    };
    worker.postMessage({ mode, n, k, r });
  });
  worker.terminate();
}

async function checkFaults() {
  const worker = new Worker('worker.mjs', { type: 'module' });
  const reply = await new Promise((resolve, reject) => {
    worker.onerror = (e) => reject(new Error(e.message));
    worker.onmessage = ({ data }) => (data.failure ? reject(new Error(data.failure)) : resolve(data.faults));
    worker.postMessage({ mode: 'faults', k });
  });
  worker.terminate();
  return reply;
}

if (params.has('faults')) {
  // The fault check alone (the unwinding build, threaded): what the browser test reads.
  try {
    window.__results = { faults: await checkFaults(), threaded: self.crossOriginIsolated };
    status.textContent = `unwinding build: ${JSON.stringify(window.__results.faults)}`;
  } catch (e) {
    window.__results = { failure: String(e.stack ?? e) };
  }
} else try {
  for (const mode of MODES) await run(mode);
  status.textContent = `${threads}: done, ${n} proofs per mode at 2^${k}`;
  window.__results = { rows, threaded: self.crossOriginIsolated, n, k, r, charts: document.querySelectorAll('.uplot').length };
} catch (e) {
  status.textContent = `failed: ${e.message}`;
  window.__results = { failure: String(e.stack ?? e) };
}
