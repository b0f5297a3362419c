// Every exported function of the demo module, from its metadata: numbers, handles and `this` are
// checked in one place, and a refused call takes nothing (see contract.cjs).
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { glue, records } = require('./support.cjs');
const { checkContract } = require('./contract.cjs');

test('every function refuses bad arguments with an error naming the parameter, and takes nothing', () => {
  const fresh = { Payload: () => new glue.Payload(8), PayloadList: () => new glue.PayloadList(1, 1) };
  const before = glue.ledger().total.live;
  // panicForTest ends the instance where panics abort.
  const checked = checkContract(glue, records(), fresh, ['panicForTest']);
  console.log(`# ${checked} refusals checked`);
  assert.ok(checked > 150, `${checked}`);
  assert.equal(glue.ledger().total.live, before, 'every handle the check made was released');
  const p = new glue.Payload(64, 1);
  assert.equal(p.checksum(), glue.expectedChecksum(64, 1), 'the instance works after all of it');
  p.dispose();
});
