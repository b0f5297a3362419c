// Reference test of the glue, as wasm-bindgen's own `crates/cli/tests/reference` are: the module one
// handle class generates (the demo's `Payload`, from its Rust declaration through the macros'
// metadata to the generator) is compared with the files in reference/, which pin the JS half of
// the release protocol. After an intended change: UPDATE_REFERENCE=1 node --test glue/test/reference.test.mjs
import test from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { generateDts, nodeModule, readRecords } from '../generate.mjs';

const wasm = new URL('../../build/node/raw/kimchi_handles_bg.wasm', import.meta.url);
const here = new URL('reference/', import.meta.url);

// The class, its members, the one function that takes it, and the module functions every module has.
const records = readRecords(readFileSync(wasm)).filter(
  (r) => r.name === 'Payload' || r.class === 'Payload' || r.name === 'consumePayload' || (r.t === 'fn' && !r.class && r.raw.startsWith('__kh__') && ['ledger', 'liveHandles'].includes(r.name)) || r.t === 'shape' || r.t === 'states',
);

for (const [file, text] of [
  ['payload.js', nodeModule(records, './raw/kimchi_handles.js')],
  ['payload.d.ts', generateDts(records)],
]) {
  test(`the generated ${file} matches reference/${file}`, () => {
    const path = new URL(file, here);
    if (process.env.UPDATE_REFERENCE) writeFileSync(path, text);
    assert.equal(text, readFileSync(path, 'utf8'), `regenerate with UPDATE_REFERENCE=1 if the change is intended`);
  });
}

test('a class method refused on another class, a key read once, results wrapped: the protocol in the output', () => {
  const js = nodeModule(records, './raw/kimchi_handles.js');
  assert.match(js, /const self = keyOf\(this, "Payload\.checksum", 'this', "Payload"\);/);
  assert.match(js, /return new Payload\(WRAP, r\);/);
  assert.match(js, /if \(r !== r\) throw raw\.__kh_take_error\(\);/);
  assert.match(js, /builtins\(Payload, classId\("Payload"\), "Payload"\);/);
});
