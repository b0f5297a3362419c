// The calling contract of every exported function, checked from the module's own metadata (so a
// new function is covered the day it is exported): each number parameter refuses what is not a
// whole number in range, each handle parameter refuses what is not a live handle of its class,
// each method refuses a wrong `this`; every refusal is a JS Error that names the function and the
// parameter, and a refused call takes nothing and creates nothing.
'use strict';
const assert = require('node:assert/strict');

const NOT_NUMBERS = ['3', {}, [], 3n, true];
const display = (f) => (!f.class ? f.name : f.kind === 'constructor' ? `new ${f.class}` : `${f.class}.${f.name}`);

/** A value for a failure message (a lookalike's own `toString` may throw). */
function shown(value) {
  if (typeof value === 'bigint') return `${value}n`;
  try {
    return String(value);
  } catch {
    return 'a value String() cannot show';
  }
}

/** An array whose length cannot be read: a proxy whose trap throws. */
const throwingArray = () =>
  new Proxy([], {
    get(target, key) {
      if (key === 'length') throw new Error('a trap that throws');
      return Reflect.get(target, key);
    },
  });

/** Bad values for one parameter kind, with what the message must say. */
function badValues(ty, k, fresh) {
  const optional = ty.k === 'opt';
  const t = optional ? ty.of : ty;
  const bad = [];
  if (t.k === 'int' || t.k === 'num') {
    for (const v of NOT_NUMBERS) bad.push(v);
    if (!optional) bad.push(undefined, null);
    bad.push(NaN);
    if (t.k === 'int') bad.push(1.5, t.min - 1, t.max + 1, Infinity);
  } else if (t.k === 'bool') {
    bad.push(1, 'true', {});
    if (!optional) bad.push(undefined);
  } else if (t.k === 'string') {
    bad.push(3, {}, Symbol('s'));
    if (!optional) bad.push(undefined, null);
  } else if (t.k === 'bytes') {
    // and what only looks like a Uint8Array: a proxy of one, an object made from its prototype
    bad.push('bytes', [1, 2], 7, new Proxy(new Uint8Array(4), {}), Object.create(Uint8Array.prototype));
    if (!optional) bad.push(undefined, null);
  } else if (t.k === 'array') {
    bad.push(7, 'array', {}, throwingArray());
    if (!optional) bad.push(undefined, null);
  } else if (t.k === 'function') {
    bad.push('f', {}, 7);
    if (!optional) bad.push(undefined, null);
  } else if (t.k === 'ref' || t.k === 'take') {
    bad.push({}, 42, '3', { __kh: 123456789 });
    if (!optional) bad.push(undefined, null);
    const other = Object.keys(fresh).find((c) => c !== t.class);
    if (other) bad.push(fresh[other]());
    const gone = fresh[t.class]?.();
    if (gone) {
      gone.dispose();
      bad.push(gone);
    }
  }
  return bad;
}

/** A valid value for a parameter (every one but the parameter under test); `samples[Shape]()`
 * makes a valid plain object of a shape. */
function goodValue(ty, fresh, samples = {}) {
  if (ty.k === 'opt') return undefined;
  switch (ty.k) {
    case 'int':
      return Math.max(ty.min, Math.min(1, ty.max));
    case 'num':
      return 1;
    case 'bool':
      return false;
    case 'string':
      return 'x';
    case 'bytes':
      return new Uint8Array(ty.len ?? 0); // zero bytes: a field element 0, an empty vector
    case 'array':
      return [];
    case 'shape':
      return samples[ty.name]?.();
    case 'function':
      return () => {};
    case 'ref':
    case 'take':
      return fresh[ty.class]();
    default:
      return undefined;
  }
}

function target(k, f) {
  if (!f.class) return k[f.name];
  const C = k[f.class];
  if (f.kind === 'constructor') return (...args) => new C(...args);
  if (f.kind === 'static') return (...args) => C[f.name](...args);
  const proto = Object.getOwnPropertyDescriptor(C.prototype, f.name);
  if (f.kind === 'getter') return (self) => proto.get.call(self);
  if (f.kind === 'setter') return (self, v) => proto.set.call(self, v);
  return (self, ...args) => proto.value.call(self, ...args);
}

/**
 * Checks the contract for every function record of module `k`. `fresh[Class]()` makes a live
 * handle of each class; `skip` names functions not to call (those that end the instance);
 * `samples[Shape]()` makes a valid plain object of a shape parameter. Returns how many refusals
 * were checked.
 */
function checkContract(k, records, fresh, skip = [], samples = {}) {
  let checked = 0;
  const stats = () => k.ledger().total;
  for (const f of records.filter((r) => r.t === 'fn' && !skip.includes(r.name) && !skip.includes(display(r)))) {
    const call = target(k, f);
    const withThis = ['method', 'getter', 'setter'].includes(f.kind);
    for (let i = 0; i < f.params.length; i++) {
      const p = f.params[i];
      for (const bad of badValues(p.ty, k, fresh)) {
        const self = withThis ? fresh[f.class]() : undefined;
        const args = f.params.map((q, j) => (j === i ? bad : goodValue(q.ty, fresh, samples)));
        const handles = [self, ...args].filter((a) => a !== bad && a && typeof a === 'object' && '__kh' in a);
        const ledger = stats();
        const where = `${display(f)}(${p.name} = ${shown(bad)})`;
        assert.throws(
          () => (withThis ? call(self, ...args) : call(...args)),
          (e) => {
            assert.ok(e instanceof Error && !(e instanceof WebAssembly.RuntimeError), `${where}: ${e}`);
            const named = e.message.startsWith(`${display(f)}: ${p.name} `);
            const stateOfHandle = /#\d+ was (disposed|moved|freed|transferred|released)/.test(e.message);
            assert.ok(named || stateOfHandle, `${where}: the message names neither the parameter nor the handle: ${e.message}`);
            return true;
          },
          where,
        );
        for (const h of handles) assert.equal(h.state, 'live', `${where}: a refused call took an argument`);
        assert.equal(stats().created, ledger.created + 0, `${where}: a refused call created a handle`);
        for (const h of handles) h.dispose();
        if (bad instanceof k.Handle && bad.state === 'live') bad.dispose(); // a handle of another class
        checked++;
      }
    }
    if (withThis) {
      const other = Object.keys(fresh).find((c) => c !== f.class);
      const wrong = [undefined, null, 7, {}, { __kh: 123456789 }, ...(other ? [fresh[other]()] : [])];
      for (const self of wrong) {
        const args = f.params.map((q) => goodValue(q.ty, fresh, samples));
        assert.throws(() => call(self, ...args), (e) => e instanceof Error && e.message.startsWith(`${display(f)}: this `), `${display(f)} with this = ${self}`);
        if (self && typeof self === 'object' && '__kh' in self && self.state === 'live') self.dispose();
        for (const a of args) if (a && typeof a === 'object' && '__kh' in a) a.dispose();
        checked++;
      }
    }
  }
  return checked;
}

module.exports = { checkContract };
