// The kimchi classes on the real WASM build (Node 24, real `using`): a proving loop that leaks
// nothing, per iteration and in WASM memory, and bad input that never aborts the instance.
import test from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';

// `make test-kimchi` builds the module first and runs this file only when the kimchi source is
// there; a missing build is a failure, not a skip.
const gluePath = new URL('../../build/kimchi-node/kimchi_handles_kimchi.js', import.meta.url);
assert.ok(existsSync(gluePath), 'kimchi WASM not built: run `make kimchi-wasm` (needs the proof-systems submodule)');
const k = createRequire(import.meta.url)(gluePath.pathname);
const skip = false;

const MB = 1024 * 1024;
const assertStillProves = (index) => {
  using proof = k.WasmFpProverProof.create(index, index.squareWitness(5));
  assert.equal(k.WasmFpProverProof.verify(index, proof), true, 'the instance still proves');
};
const memoryMB = () => k.wasmMemoryBytes() / MB;
const live = () => { const t = k.ledger().total; return { live: t.live, liveBytes: t.liveBytes }; };

for (const [field, Srs, Index, Proof, count] of [
  ['Fp', 'WasmFpSrs', 'WasmPastaFpPlonkIndex', 'WasmFpProverProof', 30],
  ['Fq', 'WasmFqSrs', 'WasmPastaFqPlonkIndex', 'WasmFqProverProof', 5],
]) {
  test(`${field}: ${count} proofs with using: each verifies, the ledger returns to its level, memory stays flat`, { skip }, () => {
    using srs = k[Srs].create(256);
    using index = k[Index].squareCircuit(srs, 8);
    assert.equal(index.domainSize, 256);
    const before = live();
    const memory = [];
    for (let i = 0; i < count; i++) {
      const t0 = performance.now();
      {
        using witness = index.squareWitness(i + 2);
        using proof = k[Proof].create(index, witness);
        assert.equal(witness.state, 'moved', 'proving took the witness');
        assert.ok(proof.byteSize > 10_000 && proof.byteSize < 40_000, `proof ${proof.byteSize} B`);
        using commitments = proof.witnessCommitments();
        assert.equal(commitments.length, 15);
        assert.equal(k[Proof].verify(index, proof), true);
        assert.equal(proof.state, 'moved', 'verify took the proof');
      }
      assert.deepEqual(live(), before, `after proof ${i + 1} the ledger is back to its level`);
      memory.push(memoryMB());
      if (i % 5 === 4) console.log(`# ${field} proof ${i + 1}: ${(performance.now() - t0).toFixed(0)} ms, WASM ${memoryMB().toFixed(2)} MB, live ${live().live}`);
    }
    // The allocator's high-water mark may still rise over the first proofs (a few pages once, not
    // per proof: 6.31 MB after proof 5, 6.44 MB from proof 8 on); a leak grows with every proof.
    // So: no growth at all over the second half (for Fp, 15 proofs: a leak of 4.4 KB a proof
    // would cross a 64 KiB page).
    const warm = Math.floor(count / 2) - 1;
    const growth = memory.at(-1) - memory[warm];
    console.log(`# ${field}: WASM memory after warm-up ${memory[warm].toFixed(2)} MB -> after proof ${count} ${memory.at(-1).toFixed(2)} MB`);
    assert.ok(growth <= 0, `grew ${growth.toFixed(2)} MB after warm-up`);
  });
}

test('tampered, round-tripped and deserialized proofs', { skip }, () => {
  using srs = k.WasmFpSrs.create(256);
  using index = k.WasmPastaFpPlonkIndex.squareCircuit(srs, 8);
  using proof = k.WasmFpProverProof.create(index, index.squareWitness(7));
  using bad = proof.tampered();
  assert.equal(k.WasmFpProverProof.verify(index, bad), false);
  const bytes = proof.toBytes();
  assert.ok(bytes.length > 3000 && bytes.length < 8000, `${bytes.length} bytes`);
  using back = k.WasmFpProverProof.fromBytes(bytes);
  assert.deepEqual([...back.publicInput.slice(0, 1)], [49]);
  assert.equal(k.WasmFpProverProof.verify(index, back), true);
  // kimchi-wasm's serialize: base64 of the proof alone; deserialize takes its bytes or the string.
  const text = proof.serialize();
  assert.equal(typeof text, 'string');
  const raw = Uint8Array.from(Buffer.from(text, 'base64'));
  for (const input of [text, raw, raw.buffer, [...raw]]) {
    using bare = k.WasmFpProverProof.deserialize(input);
    assert.equal(bare.publicInput.length, 0, 'kimchi-wasm bytes carry no public input');
    assert.throws(() => k.WasmFpProverProof.verify(index, bare), /shape of a proof for this index/);
  }
  assert.throws(() => k.WasmFpProverProof.deserialize('not base64!'), /not base64/);
  assert.throws(() => k.WasmFpProverProof.deserialize(42), /expected a Uint8Array, an ArrayBuffer, an array of bytes or a base64 string/);
  // Index bytes carry their SRS (kimchi-wasm's format): load over it, or over a live SRS.
  const indexBytes = index.serialize();
  using alone = k.WasmPastaFpPlonkIndex.deserialize(indexBytes);
  using shared = k.WasmPastaFpPlonkIndex.deserializeWithSrs(indexBytes, srs);
  assert.equal(alone.byteSize, shared.byteSize + srs.byteSize, 'the SRS inside the bytes is counted in the index');
  for (const loaded of [alone, shared]) {
    assert.equal(k.WasmFpProverProof.verify(loaded, k.WasmFpProverProof.fromBytes(bytes)), true);
  }
  using other = k.WasmFpSrs.create(512);
  assert.throws(() => k.WasmPastaFpPlonkIndex.deserializeWithSrs(indexBytes, other), /made for an SRS of 256 points/);
});

test('an index keeps its SRS counted after the SRS handle is disposed', { skip }, () => {
  const before = live();
  const srs = k.WasmFpSrs.create(256);
  using index = k.WasmPastaFpPlonkIndex.squareCircuit(srs, 8);
  const withBoth = live();
  srs.dispose();
  assert.equal(live().live, withBoth.live - 1, 'one handle fewer');
  assert.equal(live().liveBytes, withBoth.liveBytes, 'the index still holds the SRS: its bytes stay');
  {
    using proof = k.WasmFpProverProof.create(index, index.squareWitness(8));
    assert.equal(k.WasmFpProverProof.verify(index, proof), true);
  }
  index.dispose();
  assert.deepEqual(live(), before, 'the SRS went with the last index');
});

test('a load that fails after kimchi computed a Lagrange basis leaves the SRS measured', { skip }, () => {
  using srs = k.WasmFpSrs.create(512);
  using index = k.WasmPastaFpPlonkIndex.squareCircuit(srs, 8);
  const indexBytes = index.serialize();
  // Another SRS of 512 points: the first two points swapped (MessagePack: [g, h], g an array16 of
  // 35-byte points from byte 4). Same size, so loading gets as far as the rebuild and its basis.
  const bytes = srs.serialize();
  assert.deepEqual([...bytes.slice(0, 4)], [0x92, 0xdc, 0x02, 0x00]);
  const first = bytes.slice(4, 39);
  bytes.copyWithin(4, 39, 74);
  bytes.set(first, 39);
  using other = k.WasmFpSrs.deserialize(bytes);
  const before = other.byteSize;
  assert.throws(() => k.WasmPastaFpPlonkIndex.deserializeWithSrs(indexBytes, other), /do not rebuild to the index they describe/);
  assert.ok(other.byteSize > before, 'the basis computed for the failed load is counted');
  const measured = other.byteSize;
  using basis = other.lagrangeCommitments(256); // remeasures; the basis was already cached
  assert.equal(other.byteSize, measured, 'nothing was left unmeasured');
});

// kimchi-wasm's index bytes are MessagePack [prover_index, srs], each a byte array written as an
// array of integers. These read and write that outer layer, to change bytes of the stored index.
function unpackIndexBytes(bytes) {
  assert.equal(bytes[0], 0x92, 'an array of two');
  assert.equal(bytes[1], 0xdd, 'prover_index: an array32');
  const count = new DataView(bytes.buffer, bytes.byteOffset + 2, 4).getUint32(0);
  const inner = new Uint8Array(count);
  let at = 6;
  for (let i = 0; i < count; i++) inner[i] = bytes[at] === 0xcc ? bytes[(at += 2) - 1] : bytes[at++];
  return { inner, rest: bytes.slice(at) };
}
function packIndexBytes(inner, rest) {
  const out = [0x92, 0xdd, ...new Uint8Array(new Uint32Array([inner.length]).buffer).reverse()];
  for (const b of inner) b < 0x80 ? out.push(b) : out.push(0xcc, b);
  return Uint8Array.from([...out, ...rest]);
}

test('index bytes with a huge length inside the stored evaluations: an error or an index, never an abort', { skip }, () => {
  using srs = k.WasmFpSrs.create(256);
  using index = k.WasmPastaFpPlonkIndex.squareCircuit(srs, 8);
  const { inner, rest } = unpackIndexBytes(index.serialize());
  assert.deepEqual(packIndexBytes(inner, rest), index.serialize(), 'the outer layer round-trips');
  // Each evaluation is ark-serialize bytes in a MessagePack bin32 (0xc6, 4 bytes of size), starting
  // with its 64-bit little-endian length: 2048 for d8. Each such length made 2^28 larger: it still
  // fits a 32-bit usize, and 2^28 elements of 32 bytes overflow what wasm32 can allocate.
  const at = [];
  for (let i = 5; i + 8 <= inner.length; i++) {
    if (inner[i - 5] === 0xc6 && inner[i] === 0 && inner[i + 1] === 8 && inner.subarray(i + 2, i + 8).every((b) => b === 0)) at.push(i);
  }
  assert.ok(at.length >= 20, `found ${at.length} lengths`);
  const before = live();
  const outcomes = { loaded: 0, refused: 0 };
  for (const i of at.slice(0, 12)) {
    const changed = inner.slice();
    changed[i + 3] = 0x10;
    try {
      using loaded = k.WasmPastaFpPlonkIndex.deserializeWithSrs(packIndexBytes(changed, rest), srs);
      outcomes.loaded++;
    } catch (e) {
      assert.ok(!(e instanceof WebAssembly.RuntimeError), `byte ${i}: the instance aborted: ${e}`);
      outcomes.refused++;
    }
  }
  console.log(`# huge lengths in index bytes: ${JSON.stringify(outcomes)}`);
  assert.deepEqual(live(), before);
  assertStillProves(index);
});

test('index bytes whose domain size needs 33 bits: an error, not an abort', { skip }, () => {
  using srs = k.WasmFpSrs.create(256);
  using index = k.WasmPastaFpPlonkIndex.squareCircuit(srs, 8);
  const { inner, rest } = unpackIndexBytes(index.serialize());
  // The d1 domain: ark-serialize bytes in a MessagePack bin8 (0xc4, size), starting with its
  // 64-bit size, 256. Made 2^32 + 256, which a 32-bit usize cannot hold.
  const at = inner.findIndex((_, i) => i >= 2 && inner[i - 2] === 0xc4 && [0, 1, 0, 0, 0, 0, 0, 0].every((b, j) => inner[i + j] === b));
  assert.ok(at > 0, 'found the domain');
  inner[at + 4] = 1;
  const before = live();
  assert.throws(() => k.WasmPastaFpPlonkIndex.deserializeWithSrs(packIndexBytes(inner, rest), srs), (e) =>
    !(e instanceof WebAssembly.RuntimeError) && /prover index bytes are inconsistent: 256 gates, domain 4294967552/.test(e.message));
  assert.deepEqual(live(), before);
  assertStillProves(index);
});

test('an SRS whose size is not a power of two proves and verifies', { skip }, () => {
  using srs = k.WasmFpSrs.create(300);
  using index = k.WasmPastaFpPlonkIndex.squareCircuit(srs, 8);
  using proof = k.WasmFpProverProof.create(index, index.squareWitness(5));
  assert.equal(k.WasmFpProverProof.verify(index, proof), true);
});

test('Lagrange commitments of a whole domain come back as one handle with flat coordinates', { skip }, () => {
  using srs = k.WasmFpSrs.create(1024);
  const before = live();
  {
    using basis = srs.lagrangeCommitments(1024);
    assert.equal(basis.length, 1024);
    assert.equal(basis.coordinates().length, 1024 * 64);
    assert.deepEqual([...new Set(basis.chunkCounts())], [1]);
    using one = basis.get(5);
    using copy = k.WasmFpPolyComm.fromCoordinates(one.coordinates(), one.infinity());
    assert.deepEqual(copy.coordinates(), one.coordinates());
  }
  // The SRS now caches the basis: only its own size grew; no commitment handle is left.
  const after = live();
  assert.equal(after.live, before.live);
  assert.ok(after.liveBytes > before.liveBytes, 'the cached basis is counted in the SRS');
});

test('300 fuzzed proof byte strings in WASM: errors or false, never an abort, nothing leaked', { skip }, () => {
  using srs = k.WasmFpSrs.create(256);
  using index = k.WasmPastaFpPlonkIndex.squareCircuit(srs, 8);
  const good = (() => { using p = k.WasmFpProverProof.create(index, index.squareWitness(3)); return p.toBytes(); })();
  const before = live();
  let seed = 12345;
  const random = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
  const outcomes = { error: 0, rejected: 0, sameProof: 0 };
  for (let run = 0; run < 300; run++) {
    const bytes = run % 3 === 0 ? Uint8Array.from({ length: Math.floor(random() * 6000) }, () => random() * 256) : good.slice();
    if (run % 3 !== 0) for (let j = 0; j < 1 + (run % 3); j++) bytes[Math.floor(random() * bytes.length)] = random() * 256;
    try {
      using proof = k.WasmFpProverProof.fromBytes(bytes);
      const same = proof.toBytes().every((b, i) => b === good[i]);
      const ok = k.WasmFpProverProof.verify(index, proof);
      assert.equal(ok, same, `run ${run}: only an unchanged proof verifies`);
      outcomes[ok ? 'sameProof' : 'rejected']++;
    } catch (e) {
      assert.ok(e instanceof Error && !(e instanceof WebAssembly.RuntimeError), `run ${run}: ${e}`);
      if (e.code === 'ERR_ASSERTION') throw e;
      outcomes.error++;
    }
  }
  console.log(`# 300 fuzzed proofs in WASM: ${JSON.stringify(outcomes)}`);
  assert.deepEqual(live(), before);
  assertStillProves(index);
});

test('bad input gives JS errors, never an abort, and leaks nothing', { skip }, () => {
  using srs = k.WasmFpSrs.create(256);
  using index = k.WasmPastaFpPlonkIndex.squareCircuit(srs, 8);
  const before = live();
  const good = (() => { using p = k.WasmFpProverProof.create(index, index.squareWitness(3)); return p.toBytes(); })();
  for (const bytes of [new Uint8Array(0), good.slice(0, 100), good.slice(0, good.length - 1), new Uint8Array(5000).fill(0xff)]) {
    assert.throws(() => k.WasmFpProverProof.fromBytes(bytes), /malformed proof bytes/);
    assert.throws(() => k.WasmFpProverProof.deserialize(bytes), /malformed proof bytes/);
  }
  assert.throws(() => k.WasmPastaFpPlonkIndex.deserialize(good), /malformed prover index bytes/);
  assert.throws(() => k.WasmPastaFpPlonkIndex.deserializeWithSrs(good, srs), /malformed prover index bytes/);
  assert.throws(() => k.WasmFpSrs.deserialize(good.slice(0, 10)), /malformed SRS bytes/);
  // The class checks of wasm-bindgen's glue: the messages users see for a wrong argument.
  using witness = index.squareWitness(3);
  assert.throws(() => k.WasmFpProverProof.create(srs, witness), /expected instance of WasmPastaFpPlonkIndex/);
  assert.throws(() => k.WasmFpProverProof.verify(index, null), /expected instance of WasmFpProverProof/);
  assert.throws(() => k.WasmFpProverProof.verify(index, {}), /expected instance of WasmFpProverProof/);
  using fqSrs = k.WasmFqSrs.create(256);
  assert.throws(() => k.WasmPastaFpPlonkIndex.squareCircuit(fqSrs, 8), /expected instance of WasmFpSrs/);
  assert.throws(() => k.WasmPastaFpPlonkIndex.squareCircuit(srs, 9), /larger than the SRS/);
  using short = k.WasmFpWitness.fromBytes(10, new Uint8Array(15 * 10 * 32));
  assert.throws(() => k.WasmFpProverProof.create(index, short), /has 10 rows; this index needs 253/);
  assert.equal(short.state, 'live', 'a rejected witness stays with the caller');
  assert.throws(() => k.WasmFpWitness.fromBytes(1, new Uint8Array(15 * 32).fill(0xff)), /canonical field element/);
  // 15 columns x 2^27 rows x 32 bytes is 15 * 2^32: it wraps to 0 in 32-bit arithmetic.
  assert.throws(() => k.WasmFpWitness.fromBytes(2 ** 27, new Uint8Array(0)), /does not take 0 bytes/);
  // kimchi asserts more than one gate: a one-gate circuit would abort the instance.
  // MessagePack: the 13 gates of 2^4 rows start with the array header 0x9d; 0x91 says one gate
  // (rmp-serde reads the first and ignores the rest).
  const oneGate = k.WasmPastaFpPlonkIndex.squareGates(4);
  assert.equal(oneGate[0], 0x9d);
  oneGate[0] = 0x91;
  assert.throws(() => k.WasmPastaFpPlonkIndex.create(oneGate, 0, srs), /at least 2 gates, got 1/);
  assert.throws(() => k.WasmFpPolyComm.fromCoordinates(new Uint8Array(64).fill(1), new Uint8Array(1)), /not on the curve/);
  short.dispose();
  fqSrs.dispose();
  witness.dispose();
  assert.deepEqual(live(), before, 'every failed call left the ledger as it was');
  using proof = k.WasmFpProverProof.create(index, index.squareWitness(4));
  assert.equal(k.WasmFpProverProof.verify(index, proof), true, 'the instance still proves');
});
