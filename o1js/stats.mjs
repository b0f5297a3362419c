// The figures both o1js comparisons (Node and browser) compute from their runs' rows.

export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

export const quartiles = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return [s[Math.floor((s.length - 1) / 4)], s[Math.ceil((3 * (s.length - 1)) / 4)]];
};

/** Least-squares slope of WASM memory against proof number, from proof `from` on. */
export function slope(rows, from) {
  const pts = rows.filter((r) => r.proof >= from);
  const mx = pts.reduce((s, r) => s + r.proof, 0) / pts.length;
  const my = pts.reduce((s, r) => s + r.wasmMB, 0) / pts.length;
  const num = pts.reduce((s, r) => s + (r.proof - mx) * (r.wasmMB - my), 0);
  const den = pts.reduce((s, r) => s + (r.proof - mx) ** 2, 0);
  return den === 0 ? 0 : num / den;
}

/** The proofs after the first two (warm-up: the allocator's high-water mark, the base proof). */
export const steps = (r) => r.rows.filter((row) => row.proof >= 3);

/**
 * Proof time of run `a` over run `b`, proof by proof after the first two (the runs are in a row,
 * not interleaved: pairs by proof number).
 */
export function ratio(a, b) {
  const [as, bs] = [steps(a), steps(b)];
  const pairs = as.slice(0, bs.length).map((row, i) => row.proveMs / bs[i].proveMs);
  return pairs.length ? { median: median(pairs), quartiles: quartiles(pairs), pairs: pairs.length } : null;
}

export const fixed = (x, d = 2) => (x == null || Number.isNaN(x) ? 'n/a' : x.toFixed(d));
export const span = (r) =>
  r ? `median ${fixed(r.median, 3)}, quartiles ${fixed(r.quartiles[0], 3)} to ${fixed(r.quartiles[1], 3)} (${r.pairs} pairs)` : 'n/a';
