// Line charts of per-proof figures, drawn with uPlot (installed from npm by `make demo-web`,
// served under /vendor/uplot/): axes with units, a legend that shows each series' value at the
// cursor and hides a series on click, distinct dashes so that lines lying on each other stay
// visible.
import uPlot from '/vendor/uplot/uPlot.esm.js';

const DASHES = [[], [10, 6], [2, 4], [14, 4, 2, 4]];

/**
 * A chart in `parent`: `x` and `y` are axis labels, `unit` follows each value in the legend,
 * `series` the lines (`{ label, color }`). Returns `set(columns)`, where `columns[i]` holds the
 * values of series i by x = 1, 2, ... (missing: null).
 */
export function chart(parent, { title, x, y, unit, digits = 1, series, width = 720, height = 260 }) {
  const value = (_, v) => (v == null ? '–' : `${v.toFixed(digits)}${unit ? ` ${unit}` : ''}`);
  const plot = new uPlot(
    {
      title,
      width,
      height,
      scales: { x: { time: false } },
      axes: [
        { label: x, incrs: [1, 2, 5, 10, 20, 50, 100] },
        { label: y, size: 60 },
      ],
      series: [
        { label: x, value: (_, v) => (v == null ? '–' : String(v)) },
        ...series.map(({ label, color }, i) => ({
          label,
          stroke: color,
          width: 2,
          dash: DASHES[i % DASHES.length],
          points: { show: true, size: 5, fill: color },
          value,
          spanGaps: false,
        })),
      ],
      legend: { live: true },
    },
    [[], ...series.map(() => [])],
    parent,
  );
  return function set(columns) {
    const n = Math.max(0, ...columns.map((c) => c.length));
    const xs = Array.from({ length: n }, (_, i) => i + 1);
    plot.setData([xs, ...columns.map((c) => xs.map((_, i) => c[i] ?? null))]);
  };
}
