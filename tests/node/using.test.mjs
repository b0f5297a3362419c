// Real `using` (Node 24 and later; Node 20 cannot parse this file, so the Makefile runs it on 24).
import test from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';

const { glue, classStats } = createRequire(import.meta.url)('./support.cjs');
const { Payload, consumePayload, openScope } = glue;

test('using disposes at block exit', () => {
  let escaped;
  {
    using p = new Payload(1000);
    escaped = p;
    assert.equal(p.state, 'live');
  }
  assert.equal(escaped.state, 'disposed');
});

test('using disposes when the block throws, and the original error propagates', () => {
  let escaped;
  assert.throws(() => {
    using p = new Payload(1000);
    escaped = p;
    throw new Error('inside the block');
  }, { message: 'inside the block' });
  assert.equal(escaped.state, 'disposed');
});

test('using + consume does not throw at block exit', () => {
  const before = classStats('Payload');
  let escaped;
  assert.doesNotThrow(() => {
    using p = new Payload(1000);
    escaped = p;
    consumePayload(p);
  });
  assert.equal(escaped.state, 'moved');
  const after = classStats('Payload');
  assert.deepEqual([after.moved - before.moved, after.disposed - before.disposed, after.live - before.live], [1, 0, 0]);
});

test('using + explicit dispose inside the block does not throw', () => {
  assert.doesNotThrow(() => {
    using p = new Payload(10);
    p.dispose();
  });
});

test('await using works with handles too', async () => {
  let escaped;
  {
    await using p = new Payload(10);
    escaped = p;
  }
  assert.equal(escaped.state, 'disposed');
});

test('DisposableStack adopts handles', () => {
  const stack = new DisposableStack();
  const a = stack.use(new Payload(10));
  const b = stack.use(new Payload(10));
  consumePayload(b);
  stack.dispose();
  assert.deepEqual([a.state, b.state], ['disposed', 'moved']);
});

test('using scope = openScope() disposes every handle made in the block except the kept ones', () => {
  let temp, kept;
  {
    using scope = openScope();
    temp = new Payload(100);
    kept = scope.keep(new Payload(100));
  }
  assert.deepEqual([temp.state, kept.state], ['disposed', 'live']);
  kept.dispose();
});
