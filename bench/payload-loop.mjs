// The demo without kimchi: the same loop as loop.mjs on the core's demo build, with payloads of
// the sizes kimchi's objects had in the 2025 report (a 5 MB proof, 15 witness commitments, the
// Lagrange commitments of a 2^10 domain), disposed with `using` or, with --leak, never.
//
//   node payload-loop.mjs [--n 100] [--leak]
import { createRequire } from 'node:module';
import { parseArgs } from 'node:util';

const { values: args } = parseArgs({ options: { n: { type: 'string', default: '100' }, leak: { type: 'boolean', default: false } } });
const g = createRequire(import.meta.url)('../build/node/kimchi_handles.js');
const MB = 1024 * 1024;
const COMMITMENT_BYTES = 96; // one Pasta point and its vector header, as in kimchi's PolyComm

function iteration() {
  if (args.leak) {
    const proof = new g.Payload(5 * MB);
    new g.PayloadList(15, COMMITMENT_BYTES);
    new g.PayloadList(1024, COMMITMENT_BYTES);
    proof.checksum();
    return;
  }
  using proof = new g.Payload(5 * MB);
  using commitments = new g.PayloadList(15, COMMITMENT_BYTES);
  using lagrange = new g.PayloadList(1024, COMMITMENT_BYTES);
  g.consumePayload(proof); // "verify" takes the proof, as kimchi-wasm's does
}

g.setLeakCallback(() => {});
const N = Number(args.n);
for (let i = 1; i <= N; i++) {
  const t0 = performance.now();
  iteration();
  const ms = performance.now() - t0;
  console.log(`payload ${String(i).padStart(3)}  WASM ${(g.wasmMemoryBytes() / MB).toFixed(2).padStart(8)} MB  ${String(g.ledger().total.live).padStart(4)} live handles  ${ms.toFixed(0).padStart(5)} ms`);
}
const t = g.ledger().total;
console.log(`done: ${N} iterations, WASM ${(g.wasmMemoryBytes() / MB).toFixed(1)} MB, live handles ${t.live}, ` +
  `created ${t.created}, disposed ${t.disposed}, moved ${t.moved}, rescued ${t.rescued}` +
  (args.leak ? ' (--leak: nothing disposed, nothing could be finalized inside the loop)' : ''));
