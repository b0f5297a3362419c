// A TypeScript user of the package: strict mode, `using`, a scope, and a leak check.
// Compiled by tsc (test/example.test.mjs) and run on Node 20 (downlevelled `using`) and Node 24.
import * as g from 'kimchi-handles/demo';
import { assertNoLeaks } from 'kimchi-handles';

function proveOnce(i: number): number {
  using proof = new g.Payload(100_000, i % 256); // stands for a WasmFpProverProof
  using commitments = new g.PayloadList(15, 96);
  if (commitments.length !== 15) throw new Error('expected 15 commitments');
  return g.consumePayload(proof); // "verify" takes the proof; the `using` exit is then a no-op
}

const sums = assertNoLeaks(g, () => {
  const out: number[] = [];
  for (let i = 0; i < 20; i++) out.push(proveOnce(i));
  {
    using scope = g.openScope();
    new g.PayloadList(1024, 96); // a temporary nobody disposes: the scope does
    const kept = scope.keep(new g.Payload(10));
    kept.dispose();
  }
  return out;
});

const { total } = g.ledger();
console.log(JSON.stringify({ proofs: sums.length, live: total.live, created: total.created, disposed: total.disposed, moved: total.moved }));
