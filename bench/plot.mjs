// The benchmark's plot: WASM memory against proof number, one line per mode, as a small SVG.
const COLORS = { using: '#1b7f3b', finalizer: '#1f5fbf', 'finalizer-no-nudge': '#c0392b' };
const LABELS = { using: 'using', finalizer: 'finalizer only, GC nudges on', 'finalizer-no-nudge': 'finalizer only, GC nudges off' };

export function plot(summary) {
  const [W, H, L, B] = [720, 400, 60, 40];
  const modes = Object.entries(summary.modes);
  const all = modes.flatMap(([, m]) => m.rows.map((r) => r.wasmMB));
  const lo = Math.floor(Math.min(...all)) - 1;
  const hi = Math.ceil(Math.max(...all)) + 1;
  const x = (proof) => L + ((proof - 1) / Math.max(1, summary.n - 1)) * (W - L - 20);
  const y = (mb) => H - B - ((mb - lo) / (hi - lo)) * (H - B - 30);
  const out = [`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif" font-size="12">`, `<rect width="${W}" height="${H}" fill="white"/>`];
  out.push(`<text x="${W / 2}" y="18" text-anchor="middle">WASM memory after each proof (x * x = y at 2^${summary.k})</text>`);
  out.push(`<line x1="${L}" y1="${H - B}" x2="${W - 20}" y2="${H - B}" stroke="black"/><line x1="${L}" y1="${H - B}" x2="${L}" y2="30" stroke="black"/>`);
  for (let i = 0; i <= 4; i++) {
    const mb = lo + ((hi - lo) * i) / 4;
    out.push(`<text x="${L - 6}" y="${y(mb) + 4}" text-anchor="end">${mb.toFixed(1)}</text>`);
  }
  out.push(`<text x="${W / 2}" y="${H - 8}" text-anchor="middle">proof</text><text x="14" y="${H / 2}" transform="rotate(-90 14 ${H / 2})" text-anchor="middle">MB</text>`);
  modes.forEach(([mode, m], i) => {
    const points = m.rows.map((r) => `${x(r.proof).toFixed(1)},${y(r.wasmMB).toFixed(1)}`).join(' ');
    out.push(`<polyline fill="none" stroke="${COLORS[mode]}" stroke-width="2" points="${points}"/>`);
    out.push(`<text x="${L + 10}" y="${44 + 16 * i}" fill="${COLORS[mode]}">${LABELS[mode]}</text>`);
  });
  out.push('</svg>');
  return out.join('\n') + '\n';
}
