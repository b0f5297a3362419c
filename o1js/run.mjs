// One o1js run in this process: compile a program, then prove (and verify) it N times, printing a
// line per proof and writing JSON. Which o1js and which kimchi module come from the arguments:
//
//   node --expose-gc run.mjs --install <dir with node_modules/o1js> --backend wasm|native
//        --program square|recursive --proofs N [--threads N] [--json out.json]
//
// --backend native makes o1js load @o1js/native-linux-x64 from that install, where the project
// made by o1js/project.mjs has kimchi-handles-o1js; wasm is o1js's own kimchi-wasm. --threads sets
// the package's worker threads (KIMCHI_HANDLES_THREADS).
import { createRequire } from 'node:module';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { programs, proveNext } from './programs.mjs';

const { values: args } = parseArgs({
  options: {
    install: { type: 'string' },
    backend: { type: 'string', default: 'wasm' },
    program: { type: 'string', default: 'square' },
    proofs: { type: 'string', default: '3' },
    threads: { type: 'string' },
    json: { type: 'string' },
  },
});
process.env.O1JS_BACKEND = args.backend;
if (args.threads) process.env.KIMCHI_HANDLES_THREADS = args.threads;

// Objects of the kimchi module's classes: wasm-bindgen registers every object of its classes with
// a FinalizationRegistry, and so do kimchi-handles' handle objects; plain data registers nothing.
let registered = 0;
const register = FinalizationRegistry.prototype.register;
FinalizationRegistry.prototype.register = function (...a) {
  registered++;
  return register.apply(this, a);
};

const root = resolve(args.install, 'node_modules');
const require = createRequire(join(root, 'o1js/package.json'));
const o1js = await import(join(root, 'o1js/dist/node/index.js'));
const { verify, Cache } = o1js;
const { Square, Recursive } = programs(o1js);

// The module o1js loaded (the same instance: both come from the require cache).
const kimchi =
  args.backend === 'native'
    ? () => require('@o1js/native-linux-x64')
    : () => require(join(root, 'o1js/dist/node/bindings/compiled/node_bindings/kimchi_wasm.cjs'));
const wasmMB = () => {
  const k = kimchi();
  const bytes = typeof k.wasmMemoryBytes === 'function' ? k.wasmMemoryBytes() : k.__wasm.memory.buffer.byteLength;
  return bytes / 2 ** 20;
};
const ledger = () => (typeof kimchi().ledger === 'function' ? kimchi().ledger().total : null);

const MB = (x) => x.toFixed(2);
const program = args.program === 'recursive' ? Recursive : Square;
const t0 = performance.now();
// No cache: both backends compute everything (o1js's cache files are the same for both, so a
// warm cache would make the second run's compile look fast).
const { verificationKey } = await program.compile({ cache: Cache.None });
const compileMs = performance.now() - t0;
const wasmMBAfterCompile = wasmMB();
const rows = [];
console.log(`# ${args.backend} ${args.program}: compiled in ${(compileMs / 1000).toFixed(1)} s, WASM ${MB(wasmMB())} MB, vk hash ${verificationKey.hash.toString().slice(0, 16)}...`);

let previous;
for (let i = 1; i <= Number(args.proofs); i++) {
  const objects = registered;
  const start = performance.now();
  const proof = await proveNext(o1js, { Square, Recursive }, program, previous);
  const proveMs = performance.now() - start;
  const ok = await verify(proof, verificationKey);
  const row = {
    proof: i,
    proveMs,
    verified: ok,
    wasmMB: wasmMB(),
    moduleObjects: registered - objects,
    handles: ledger(),
  };
  rows.push(row);
  console.log(`proof ${i}: ${(proveMs / 1000).toFixed(1)} s, verified ${ok}, WASM ${MB(row.wasmMB)} MB, ${row.moduleObjects} module objects${row.handles ? `, ${row.handles.live} live handles` : ''}`);
  if (!ok) process.exitCode = 1;
  previous = proof;
  await new Promise((resolve) => setImmediate(resolve)); // let finalizers run, as an app's event loop would
}

const result = {
  backend: args.backend,
  // The package's worker threads; stock o1js starts one fewer than the cores.
  threads: kimchi().kimchiHandles?.threads ?? Math.max(1, (await import('node:os')).availableParallelism() - 1),
  program: args.program,
  node: process.version,
  compileMs,
  wasmMBAfterCompile,
  verificationKey: { hash: verificationKey.hash.toString(), data: verificationKey.data },
  rows,
};
if (args.json) writeFileSync(args.json, JSON.stringify(result));
process.exit(process.exitCode ?? 0);
