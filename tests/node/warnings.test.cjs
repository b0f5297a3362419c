// The default leak warning (no leak callback set) of a handle whose value another handle still
// shares: the rescue frees nothing, and the warning says so rather than "0 B". Its own file: the
// warning is shown once per class and thread.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { glue, collectUntil, classStats } = require('./support.cjs');
const { Payload, expectedChecksum } = glue;

test('a rescued handle whose value is still shared: the warning says nothing was freed', async () => {
  const warnings = [];
  const warn = console.warn;
  console.warn = (m) => warnings.push(String(m));
  let kept;
  try {
    kept = (() => new Payload(1000, 3).share())(); // the first handle is dropped, its share kept
    await collectUntil(() => classStats('Payload').rescued === 1);
  } finally {
    console.warn = warn;
  }
  assert.equal(warnings.length, 1, warnings.join('\n'));
  assert.match(warnings[0], /^kimchi-handles: Payload #\d+ \(nothing freed yet: another handle or value still holds its value\) was rescued: nothing disposed it/);
  assert.equal(kept.checksum(), expectedChecksum(1000, 3));
  kept.dispose();
  assert.equal(classStats('Payload').live, 0);
});
