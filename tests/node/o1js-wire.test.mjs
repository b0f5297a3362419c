// The form in which a result crosses from kimchi-handles-o1js's host worker to a page's thread
// (o1js/package/wire.mjs): every kind of value the module returns comes back equal, handles come
// back through `adopt` with their class and token, and what cannot cross is refused by name.
import test from 'node:test';
import assert from 'node:assert/strict';
import { decode, encode } from '../../o1js/package/wire.mjs';

class Handle {
  constructor(cls, token) {
    Object.assign(this, { cls, token });
  }
}
const handle = (v) => (v instanceof Handle ? [v.cls, v.token] : undefined);
const adopt = (cls, token) => ({ adopted: cls, token });
const roundTrip = (v) => decode(encode(v, handle), adopt);

test('plain data of every kind comes back equal', () => {
  const point = { x: new Uint8Array(32).fill(7), y: new Uint8Array(32).fill(9), infinity: false };
  const values = [
    undefined, null, true, false, 0, -0, 1.5, -(2 ** 53), NaN, Infinity, '', 'caml_fp_srs', 'ünï€ødé', 12345678901234567890n, -3n,
    new Uint8Array(0), new Uint8Array([0, 255, 1]), [], [1, [2, [3]]], {}, { unshifted: [point, point], shifted: null },
    { nested: { deeper: { list: [true, null, undefined, 'x'] } }, 'key with spaces': 1 },
  ];
  for (const v of values) assert.deepEqual(roundTrip(v), v, `value ${String(v)}`);
});

test('a handle anywhere in a result comes back through adopt, with its class and token', () => {
  const out = roundTrip({ ok: [new Handle('WasmFpSrs', 2 ** 40 + 3), { inner: new Handle('WasmVecVecFq', 7) }] });
  assert.deepEqual(out, { ok: [{ adopted: 'WasmFpSrs', token: 2 ** 40 + 3 }, { inner: { adopted: 'WasmVecVecFq', token: 7 } }] });
});

test('bytes larger than the first buffer, and bytes read from a shared buffer, come back as copies', () => {
  const big = new Uint8Array(1 << 20).map((_, i) => i % 251);
  const encoded = encode({ big }, handle);
  const shared = new Uint8Array(new SharedArrayBuffer(encoded.length));
  shared.set(encoded);
  const out = decode(shared, adopt);
  assert.deepEqual(out.big, big);
  assert.ok(!(out.big.buffer instanceof SharedArrayBuffer), 'the next call reuses the shared buffer');
  shared.fill(0);
  assert.equal(out.big[1], 1);
});

test('what cannot cross is refused by name', () => {
  for (const [v, name] of [
    [new Map(), 'Map'],
    [new Uint32Array(2), 'Uint32Array'],
    [() => 1, 'Function'],
    [Object.create(null), 'object'],
    [{ deep: [new Date(0)] }, 'Date'],
  ]) {
    assert.throws(() => encode(v, handle), { name: 'TypeError', message: `kimchi-handles-o1js: a result of type ${name} cannot cross threads` });
  }
});

test('a corrupt result is an Error, not a wrong value', () => {
  const bytes = encode([1, 2], handle);
  bytes[0] = 99;
  assert.throws(() => decode(bytes, adopt), { message: 'kimchi-handles-o1js: a result that crossed threads is corrupt (tag 99 at byte 0)' });
});
