// ---- kimchi-handles runtime: the JS half of the release protocol (docs/architecture.md) ----------
//
// A handle object holds one thing: its key, in `__kh`. Rust checks the key, the class and the
// handle's state on every call, so nothing here is trusted for safety: these functions only give
// clear errors early and keep the FinalizationRegistry in step with `dispose()`.

const WRAP = Symbol('kimchi-handles: wrap a key');
const DISPOSE = Symbol.dispose ?? Symbol.for('Symbol.dispose');

/** Set once the instance aborted (a trap in a build that cannot unwind): every later call throws. */
let aborted = null;

// Objects collected while their handle is live: Rust releases the value and reports a leak. A late
// finalizer (the object was released through a proxy, so `unregister` missed it) finds its key
// ended and does nothing, since keys are never reused.
const finalizers = new FinalizationRegistry((key) => {
  if (aborted) return;
  try {
    raw.__kh_rescue(key);
  } catch {
    // A finalizer has nobody to report to; the ledger still counts the handle as live.
  }
});

function describe(value) {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  switch (typeof value) {
    case 'string':
      return `the string ${JSON.stringify(value.length > 20 ? value.slice(0, 20) + '...' : value)}`;
    case 'number':
      return `the number ${value}`;
    case 'bigint':
      return `the bigint ${value}n`;
    case 'boolean':
      return `${value}`;
    case 'function':
      return 'a function';
    case 'symbol':
      return 'a symbol';
  }
  if (Array.isArray(value)) return 'an array';
  const name = Object.getPrototypeOf(value)?.constructor?.name;
  return name && name !== 'Object' ? `a ${name}` : 'an object';
}

function mistyped(fn, param, expected, value) {
  return new TypeError(`${fn}: ${param} must be ${expected}, got ${describe(value)}`);
}

/** The key of a handle argument; the class and state are Rust's to check. */
function keyOf(value, fn, param, cls) {
  if (value !== null && typeof value === 'object') {
    const key = value.__kh;
    if (typeof key === 'number') return key;
  }
  throw mistyped(fn, param, `a ${cls} handle`, value);
}

function num(value, fn, param) {
  if (typeof value !== 'number') throw mistyped(fn, param, 'a number', value);
  return value;
}

function bool(value, fn, param) {
  if (typeof value !== 'boolean') throw mistyped(fn, param, 'a boolean', value);
  return value;
}

function bytes(value, fn, param) {
  if (!(value instanceof Uint8Array)) throw mistyped(fn, param, 'a Uint8Array', value);
  // A proxy, or an object made from the prototype: `instanceof` holds, but it has no bytes.
  if (!ArrayBuffer.isView(value)) {
    throw new TypeError(`${fn}: ${param} must be a Uint8Array, got an object that only looks like one (a proxy, or made from its prototype)`);
  }
  return value;
}

const utf8 = new TextEncoder();

/** A string crosses as its UTF-8 bytes, copied into WASM memory inside the call. */
function str(value, fn, param) {
  if (typeof value !== 'string') throw mistyped(fn, param, 'a string', value);
  return utf8.encode(value);
}

function func(value, fn, param) {
  if (typeof value !== 'function') throw mistyped(fn, param, 'a function', value);
  return value;
}

function alive(fn) {
  if (aborted) {
    throw new Error(
      `this kimchi-handles instance aborted in ${aborted.fn}: ${aborted.message}; ` +
        `every object in it is gone: create a new instance (called: ${fn})`,
    );
  }
}

/** A call's error: a trap means the instance aborted (a panic where unwinding is off). */
function failed(error, fn) {
  // A panic that got out of Rust's frames (every call catches its own; this is for what runs
  // outside them): the frames unwound, so the instance goes on.
  if (typeof WebAssembly.Exception === 'function' && error instanceof WebAssembly.Exception) {
    let message = 'no message';
    try {
      message = raw.__kh_last_panic() ?? message;
    } catch {}
    const e = new Error(`${fn} panicked outside its call: ${message}`);
    e.cause = error;
    return e;
  }
  if (!(error instanceof WebAssembly.RuntimeError)) return error;
  let message = error.message;
  try {
    message = raw.__kh_last_panic() ?? message;
  } catch {
    // The instance may be too broken to answer.
  }
  aborted = { fn, message };
  const e = new Error(`${fn} aborted the kimchi-handles instance: ${message}; create a new instance`);
  e.cause = error;
  return e;
}

// Registration waits until a handle outlives the synchronous code that made it (the next
// microtask) or YOUNG_MAX newer handles: most handles are disposed before that (`using`, create then
// dispose), and never pay for `register` + `unregister`, which cost several times the rest of a
// short handle's life. Until then the young list holds the object, so one dropped meanwhile stays
// reachable until it is registered; finalizers cannot run before then anyway (not inside
// synchronous code). Each key is kept beside its object, as it was when made: rewriting an
// object's `__kh` cannot point its finalizer at another handle.
const YOUNG_MAX = 1024;
const young = [];
const youngKeys = [];
let youngQueued = false;

function registerYoung() {
  try {
    for (let i = 0; i < young.length; i++) {
      const object = young[i];
      if (object === null) continue;
      const key = youngKeys[i];
      let live = true;
      try {
        live = !aborted && raw.__kh_live(key);
      } catch {
        // Registering an ended key is harmless: its finalizer finds nothing to release.
      }
      if (live) finalizers.register(object, key, object);
    }
  } finally {
    young.length = 0;
    youngKeys.length = 0;
  }
}

function rememberYoung(object, key) {
  if (young.length >= YOUNG_MAX) registerYoung();
  young.push(object);
  youngKeys.push(key);
  if (!youngQueued) {
    youngQueued = true;
    queueMicrotask(() => {
      youngQueued = false;
      registerYoung();
    });
  }
}

/** Drops a released object from the young list; false if it is not among the newest few there. */
function forgetYoung(object) {
  const stop = Math.max(0, young.length - 8);
  for (let i = young.length - 1; i >= stop; i--) {
    if (young[i] !== object) continue;
    young[i] = null;
    while (young.length > 0 && young[young.length - 1] === null) {
      young.pop();
      youngKeys.pop();
    }
    return true;
  }
  return false;
}

/**
 * The handle `key` released through `object`: if `object` was made for that handle, it leaves the
 * young list, or else the FinalizationRegistry. An object whose `__kh` was rewritten to another
 * handle's key keeps its finalizer, which still names the handle it was made for; copies and
 * proxies were never registered.
 */
function released(object, key) {
  if (madeFor(object) !== key) return;
  if (!forgetYoung(object)) finalizers.unregister(object);
}

/** The key of the handle an object was made for (undefined for copies, proxies, other objects). */
let madeFor;

/** What every handle class is: `instanceof Handle` holds for all of them. */
class Handle {
  // Out of reach of JS that rewrites `__kh`: what the finalizer and `released` go by.
  #made;
  constructor(key) {
    this.__kh = key;
    this.#made = key;
    rememberYoung(this, key);
  }
  static {
    madeFor = (object) => (object !== null && typeof object === 'object' && #made in object ? object.#made : undefined);
  }
}

/** An error of a call every class shares (Rust names the class and the call). */
function sharedError(e, fn) {
  // A value's Drop that panicked: Rust names the call `dispose` (it allocates nothing for a
  // panic's message, so not `Class.dispose`); the glue knows the class.
  if (e instanceof Error && e.message.startsWith('dispose panicked: ')) e.message = `${fn}${e.message.slice('dispose'.length)}`;
  return failed(e, fn);
}

/** The methods every class has, bound to the class's id so another class's object is refused. */
function builtins(C, cls, name) {
  const proto = C.prototype;
  const define = (key, value) =>
    Object.defineProperty(proto, key, { value, writable: true, configurable: true, enumerable: false });
  const getter = (key, get) => Object.defineProperty(proto, key, { get, configurable: true, enumerable: false });
  const disposeName = `${name}.dispose`;
  function dispose() {
    if (aborted) return; // the memory is gone with the instance; disposing is moot
    const key = keyOf(this, disposeName, 'this', name);
    try {
      if (raw.__kh_release(key, cls()) !== 0) throw raw.__kh_take_error();
    } catch (e) {
      throw sharedError(e, disposeName);
    }
    released(this, key);
  }
  define('dispose', dispose);
  define('free', dispose);
  define(DISPOSE, dispose);
  getter('id', function () {
    return raw.__kh_id(keyOf(this, `${name}.id`, 'this', name));
  });
  // A builtin that asks Rust about `this`: checked, named in errors.
  const ask = (what, call) => {
    const fn = `${name}.${what}`;
    return function () {
      alive(fn);
      const key = keyOf(this, fn, 'this', name);
      try {
        return call(key, cls());
      } catch (e) {
        throw sharedError(e, fn);
      }
    };
  };
  getter('state', ask('state', (key, c) => raw.__kh_state(key, c)));
  getter('byteSize', ask('byteSize', (key, c) => raw.__kh_bytes(key, c)));
  define('share', ask('share', (key, c) => new C(WRAP, raw.__kh_share(key, c))));
  define('transfer', function () {
    const fn = `${name}.transfer`;
    alive(fn);
    const key = keyOf(this, fn, 'this', name); // read once: the key released is the key transferred
    let token;
    try {
      token = raw.__kh_transfer(key, cls());
    } catch (e) {
      throw sharedError(e, fn);
    }
    released(this, key);
    return token;
  });
  C.adopt = function adopt(token) {
    const fn = `${name}.adopt`;
    alive(fn);
    num(token, fn, 'token');
    try {
      raw.__kh_adopt(token, cls());
    } catch (e) {
      throw sharedError(e, fn);
    }
    return new C(WRAP, token);
  };
}

/** A class's id in this instance, asked once. */
function classId(name) {
  let id = -1;
  return () => (id >= 0 ? id : (id = raw.__kh_class(name)));
}

// Scopes keep their id in closures, not in a property, so a scope cannot be forged or confused.
const scopeFinalizers = new FinalizationRegistry((id) => {
  if (!aborted) raw.__kh_scope_abandon(id);
});

function openScope() {
  alive('openScope');
  const id = raw.__kh_scope_open();
  const scope = {
    get id() {
      return id;
    },
    close() {
      if (aborted) return 0;
      try {
        return raw.__kh_scope_close(id);
      } catch (e) {
        throw failed(e, 'scope.close');
      } finally {
        scopeFinalizers.unregister(scope); // closed even when a value's Drop failed
      }
    },
    keep(handle) {
      alive('scope.keep');
      const key = keyOf(handle, 'scope.keep', 'handle', 'kimchi-handles');
      if (!raw.__kh_scope_keep(id, key)) {
        throw new Error(
          `scope.keep(handle): handle #${raw.__kh_id(key)} is not a live handle of scope #${id} ` +
            '(not live, or created in another scope)',
        );
      }
      return handle;
    },
  };
  scope.free = scope.close;
  scope[DISPOSE] = scope.close;
  scopeFinalizers.register(scope, id, scope);
  return scope;
}
// ---- end of runtime -----------------------------------------------------------------------------
