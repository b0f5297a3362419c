// The page: runs the proving loop in a worker once per mode (one after another, so they do not
// share the CPU), and plots WASM memory and live handles as the rows arrive.
const params = new URLSearchParams(location.search);
const n = Number(params.get('n') ?? 30);
const k = Number(params.get('k') ?? 8);
// The domain whose Lagrange commitments each iteration asks for: o1js asks for those of a 2^14
// domain (16,384 commitments) for its recursive proofs.
const r = Number(params.get('r') ?? 14);
const MODES = ['using', 'finalizer', 'leak'];
const COLORS = { using: '#1b7f3b', finalizer: '#1f5fbf', leak: '#c0392b' };
const rows = Object.fromEntries(MODES.map((m) => [m, []]));
const status = document.getElementById('status');
const threads = self.crossOriginIsolated ? 'threaded build (cross-origin isolated)' : 'single-threaded build (no COOP/COEP)';

function draw(id, key, unit) {
  const svg = document.getElementById(id);
  const [W, H, L, B] = [720, Number(svg.getAttribute('height')), 50, 25];
  const values = MODES.flatMap((m) => rows[m].map((r) => r[key]));
  if (values.length === 0) return;
  const lo = Math.min(...values);
  const hi = Math.max(lo + 1, ...values);
  const x = (p) => L + ((p - 1) / Math.max(1, n - 1)) * (W - L - 10);
  const y = (v) => H - B - ((v - lo) / (hi - lo)) * (H - B - 10);
  const lines = MODES.map((m) => `<polyline fill="none" stroke="${COLORS[m]}" stroke-width="2" points="${rows[m].map((r) => `${x(r.proof)},${y(r[key])}`).join(' ')}"/>`);
  svg.innerHTML = `<text x="${L}" y="12" font-size="12">${unit}</text><text x="${L - 5}" y="${y(hi) + 4}" text-anchor="end" font-size="11">${hi.toFixed(1)}</text>` +
    `<text x="${L - 5}" y="${y(lo) + 4}" text-anchor="end" font-size="11">${lo.toFixed(1)}</text>` +
    `<line x1="${L}" y1="${H - B}" x2="${W - 10}" y2="${H - B}" stroke="black"/><text x="${W / 2}" y="${H - 5}" font-size="11" text-anchor="middle">proof</text>` + lines.join('');
}

async function run(mode) {
  const worker = new Worker('worker.mjs', { type: 'module' });
  await new Promise((resolve, reject) => {
    worker.onerror = (e) => reject(new Error(e.message));
    worker.onmessage = ({ data }) => {
      if (data.failure) return reject(new Error(data.failure));
      if (data.done) return resolve();
      rows[mode].push(data);
      status.textContent = `${threads}: ${mode}, proof ${data.proof} of ${n} (${data.ms.toFixed(0)} ms), WASM ${data.wasmMB.toFixed(1)} MB, ${data.live} live handles`;
      draw('memory', 'wasmMB', 'WASM MB');
      draw('handles', 'live', 'live handles');
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
  window.__results = { rows, threaded: self.crossOriginIsolated, n, k, r };
} catch (e) {
  status.textContent = `failed: ${e.message}`;
  window.__results = { failure: String(e.stack ?? e) };
}
