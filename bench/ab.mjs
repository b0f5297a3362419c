// Time of the plain style against handles with `using`, interleaved in one process: proof i of
// each style runs back to back (the order alternates), so drift of a shared machine (clock, other
// load) falls on both alike. The memory modes need a process each (WASM memory never shrinks);
// the time comparison does not, and is fairer this way. Prints one JSON object.
//
//   node ab.mjs [--n 100] [--k 10]
import { parseArgs } from 'node:util';
import { setup, proveOnce } from './proving.mjs';

const { values: args } = parseArgs({ options: { n: { type: 'string', default: '100' }, k: { type: 'string', default: '10' } } });
const N = Number(args.n);
const K = Number(args.k);
const envs = { plain: setup('plain', K), using: setup('using', K) };
const times = { plain: { prove: [], iteration: [] }, using: { prove: [], iteration: [] } };

function once(mode, x) {
  const t0 = performance.now();
  const [proveMs] = proveOnce(mode, envs[mode], K, x);
  times[mode].prove.push(proveMs);
  times[mode].iteration.push(performance.now() - t0);
}

once('plain', 2); // warm-up of both, not recorded below
once('using', 2);
for (const m of Object.values(times)) { m.prove.length = 0; m.iteration.length = 0; }
for (let i = 1; i <= N; i++) {
  const order = i % 2 ? ['plain', 'using'] : ['using', 'plain'];
  for (const mode of order) once(mode, i + 2);
}

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
const summary = (m) => ({ medianProveMs: median(times[m].prove), medianIterationMs: median(times[m].iteration) });
const plain = summary('plain');
const using = summary('using');
console.log(JSON.stringify({
  n: N,
  k: K,
  plain,
  using,
  proveRatio: using.medianProveMs / plain.medianProveMs,
  iterationRatio: using.medianIterationMs / plain.medianIterationMs,
}));
