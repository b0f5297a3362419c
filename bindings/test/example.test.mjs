// The TypeScript example compiles under `strict` (its `using` declarations type-check against the
// generated classes) and runs on this Node: native `using` on 24, tsc's downlevelled form on 20.
import test from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';

const here = new URL('../', import.meta.url).pathname;

test('the TypeScript example compiles strictly and runs without leaks', () => {
  execFileSync(process.execPath, [`${here}node_modules/typescript/bin/tsc`, '-p', `${here}examples/tsconfig.json`], { stdio: 'inherit' });
  const out = execFileSync(process.execPath, ['--expose-gc', `${here}test/.tmp/examples/proving-loop.js`], { encoding: 'utf8' });
  const result = JSON.parse(out.trim().split('\n').at(-1));
  // 20 proofs (moved into "verify"), 20 commitment lists, the scope's list and the kept payload.
  assert.deepEqual(result, { proofs: 20, live: 0, created: 42, disposed: 22, moved: 20 });
});

test('misusing a handle is a type error under strict', () => {
  const bad = `${here}test/.tmp/bad.ts`;
  execFileSync('mkdir', ['-p', `${here}test/.tmp`]);
  execFileSync('sh', ['-c', `cat > ${bad} <<'EOF'
import { Payload } from 'kimchi-handles/demo';
using p = new Payload(10);
const n: string = p.length;
EOF`]);
  const tsc = () => execFileSync(process.execPath, [`${here}node_modules/typescript/bin/tsc`, '--noEmit', '--strict', '--target', 'ES2022',
    '--lib', 'ES2022,esnext.disposable', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--types', 'node', '--rootDir', `${here}test/.tmp`, bad], { encoding: 'utf8' });
  assert.throws(tsc, (e) => /Type 'number' is not assignable to type 'string'/.test(e.stdout));
});

test('`using proof = WasmFpProverProof.deserialize(bytes)` type-checks under strict', {
  skip: existsSync(`${here}pkg/kimchi-node/kimchi_handles_kimchi.d.ts`) ? false : 'no kimchi build in pkg/ (needs the proof-systems submodule)',
}, () => {
  mkdirSync(`${here}test/.tmp`, { recursive: true });
  const file = `${here}test/.tmp/kimchi-types.ts`;
  writeFileSync(file, `import { WasmFpProverProof, WasmPastaFpPlonkIndex, caml_pasta_fp_plonk_proof_verify, caml_pasta_fp_plonk_verifier_index_create } from 'kimchi-handles/kimchi';
export function check(bytes: Uint8Array, index: WasmPastaFpPlonkIndex): boolean {
  using proof = WasmFpProverProof.deserialize(bytes);
  const vk = caml_pasta_fp_plonk_verifier_index_create(index);
  using srs = vk.srs; // the verifier index is data; its SRS is a handle
  const n: number = proof.commitments.w_comm.length;
  return n === 15 && srs.state === 'live' && caml_pasta_fp_plonk_proof_verify(vk, proof);
}
`);
  execFileSync(process.execPath, [`${here}node_modules/typescript/bin/tsc`, '--noEmit', '--strict', '--target', 'ES2022',
    '--lib', 'ES2022,esnext.disposable', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--types', 'node',
    '--rootDir', `${here}test/.tmp`, file], { encoding: 'utf8' });
});
