// kimchi-handles for JavaScript and TypeScript: make any WASM module built with kimchi-handles
// (the demo build, the kimchi layer, a kimchi-wasm rebuilt on it) free memory on dispose, throw
// clear errors afterwards, and report leaks in tests.

/** Counters of one class, or of all classes in `Ledger.total`. */
export interface ClassStats {
  live: number;
  liveBytes: number;
  created: number;
  disposed: number;
  moved: number;
  rescued: number;
}

export interface Ledger {
  classes: Record<string, ClassStats>;
  total: ClassStats;
  highWaterBytes: number;
  budgetBytes: number | null;
  openScopes: number;
  /** Times the core nudged the JS engine into a full GC (handle bytes were piling up). */
  gcNudges: number;
  /** The step the bytes handles leave behind must rise by between nudges; `null` when off. */
  gcNudgeBytes: number | null;
}

export interface LiveHandle {
  class: string;
  id: number;
  bytes: number;
  /** Creation stack, when `setDebugOrigins(true)` was on at creation. */
  origin: string | null;
}

export interface LeakReport extends LiveHandle {}

/** A scope from `openScope()`: `using scope = openScope()` disposes what the block created. */
export interface HandleScope extends Disposable {
  readonly id: number;
  /** Disposes the scope's live handles; returns how many. Closing twice is a no-op. */
  close(): number;
  /**
   * Moves `handle` to the parent scope (or to the caller) and returns it. Throws if `handle` is not
   * a live handle of this scope.
   */
  keep<T>(handle: T): T;
}

/** Every handle class: `using h = ...` works, and release is idempotent. */
export interface Handle extends Disposable {
  readonly id: number;
  readonly state: 'live' | 'disposed' | 'moved';
  readonly byteSize: number;
  dispose(): void;
  free(): void;
}

/** The functions every kimchi-handles WASM module exports. */
export interface HandlesModule {
  ledger(): object;
  liveHandles(): unknown[];
  openScope(): unknown;
  setMemoryBudget(bytes?: number | null): void;
  setGcNudge(bytes?: number | null): void;
  setLeakCallback(callback?: Function | null): void;
  /** Returns the previous setting. */
  setDebugOrigins(on: boolean): boolean;
  resetHighWater(): void;
  wasmMemoryBytes(): number;
}

/** Why a released handle is gone: its id alone means "disposed". */
type Tomb = number | { id: number; state: 'disposed' | 'moved'; message: string };

function tombOf(shell: Shell): { id: number; state: 'disposed' | 'moved'; message: string } | undefined {
  const t = shell.__wbg_ptr === 0 ? shell.__khTomb : undefined;
  if (typeof t !== 'number') return t;
  return { id: t, state: 'disposed', message: `${shell.constructor.name} #${t} was disposed` };
}
type Shell = {
  __wbg_ptr: number;
  __khTomb?: Tomb;
  __khBusy?: number;
  dispose(): void;
  id: number;
  state: string;
};
type HandleClass = { name: string; prototype: object; __khRelease(h: unknown): number };

const installed = new WeakSet<object>();

function isHandleClass(value: unknown): value is HandleClass {
  return typeof value === 'function' && typeof (value as Partial<HandleClass>).__khRelease === 'function';
}

function isShell(a: unknown): a is Shell {
  return a !== null && typeof a === 'object' && '__wbg_ptr' in a;
}

// Runs `call` with `self` and the handle arguments marked busy: Rust borrows them for the call, so
// a `dispose()` from a callback inside it must not free their shells yet (wasm-bindgen would
// refuse and leak). A released handle among them throws its own message instead of wasm-bindgen's
// "null pointer passed to rust".
function guarded<R>(self: unknown, args: ArrayLike<unknown>, call: () => R): R {
  const busy: Shell[] = [];
  for (const a of [self, ...Array.from(args)]) {
    if (!isShell(a)) continue;
    const tomb = tombOf(a);
    if (tomb) throw new Error(tomb.message);
    busy.push(a);
  }
  for (const a of busy) a.__khBusy = (a.__khBusy ?? 0) + 1;
  try {
    return call();
  } finally {
    for (const a of busy) a.__khBusy = (a.__khBusy ?? 1) - 1;
  }
}

function wrapFunction<F extends (...args: never[]) => unknown>(fn: F): F {
  return function (this: unknown, ...args: never[]) {
    return guarded(undefined, args, () => fn.apply(this, args));
  } as F;
}

// What wasm-bindgen throws when a by-value call meets an object that a running call borrows.
const BORROWED = /attempted to take ownership of Rust value while it was borrowed/;

function patchClass(C: HandleClass, releaseInfo: () => unknown): void {
  const proto = C.prototype as Record<PropertyKey, unknown>;
  // Release: free the value *and* the shell (wasm-bindgen then unregisters the finalizer), remember
  // why for later errors, and do nothing the second time.
  const rustDispose = proto.dispose as (this: Shell) => void;
  function release(this: Shell): void {
    if (this.__wbg_ptr === 0) return;
    if (this.__khBusy) {
      // A running Rust call borrows this object (dispose from a callback): release the value
      // now; the shell stays for that call, and a later dispose or the finalizer frees it.
      rustDispose.call(this);
      return;
    }
    // Frees value and shell in one call. The common case returns just the id (the message is
    // written only if it is ever needed); minus the id means the handle was already moved or
    // released by its scope, and the module keeps the reason for us.
    const ptr = this.__wbg_ptr;
    let id: number;
    try {
      id = C.__khRelease(this);
    } catch (e) {
      if (this.__wbg_ptr !== 0 || !BORROWED.test(String((e as Error)?.message))) throw e;
      // A call through the raw module (not the functions `installHandles` returns) borrows this
      // object, so nothing marked it busy and Rust refused to take the shell. wasm-bindgen has
      // already dropped the pointer; the shell is intact and still ours, so take it back, release
      // the value now as in the busy case, and free the shell once that call has returned.
      this.__wbg_ptr = ptr;
      rustDispose.call(this);
      setTimeout(() => release.call(this), 0);
      return;
    }
    this.__khTomb = id > 0 ? id : (releaseInfo() as Tomb);
  }
  proto.free = release;
  proto.dispose = release;
  proto[Symbol.dispose] = release;

  const answersFromTomb: Record<string, (t: { id: number; state: string }) => unknown> = {
    id: (t) => t.id,
    state: (t) => t.state,
    byteSize: () => 0,
  };
  for (const name of Object.getOwnPropertyNames(proto)) {
    if (name === 'constructor' || name === 'free' || name === 'dispose' || name.startsWith('__')) continue;
    const d = Object.getOwnPropertyDescriptor(proto, name);
    if (!d) continue;
    const fromTomb = answersFromTomb[name];
    if (d.get) {
      const get = d.get;
      Object.defineProperty(proto, name, {
        ...d,
        get(this: Shell) {
          const tomb = tombOf(this);
          if (tomb) {
            if (fromTomb) return fromTomb(tomb);
            throw new Error(tomb.message);
          }
          return get.call(this);
        },
      });
    } else if (typeof d.value === 'function') {
      const method = d.value as (...args: unknown[]) => unknown;
      proto[name] = function (this: Shell, ...args: unknown[]) {
        return guarded(this, args, () => method.apply(this, args));
      };
    }
  }
  for (const name of Object.getOwnPropertyNames(C)) {
    const d = Object.getOwnPropertyDescriptor(C, name);
    if (d && typeof d.value === 'function' && !name.startsWith('__') && d.writable) {
      (C as unknown as Record<string, unknown>)[name] = wrapFunction(d.value);
    }
  }
}

/**
 * Prepares a kimchi-handles WASM module (its wasm-bindgen glue) for use: every handle class's
 * `dispose()` / `free()` / `[Symbol.dispose]()` then frees the value and its shell at once and
 * stays idempotent, and every later use throws `"<Class> #<id> was disposed"` (or "was moved into
 * <fn>"). Returns the module's exports with the functions wrapped the same way. Idempotent.
 *
 * Without it, the classes are still safe: dispose frees the value and the ~24-byte shell waits for
 * the garbage collector.
 */
export function installHandles<G extends object>(glue: G): G {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(glue)) {
    if (isHandleClass(value)) {
      if (!installed.has(value)) patchClass(value, (glue as { releaseInfo: () => unknown }).releaseInfo);
      installed.add(value);
      out[name] = value;
    } else if (typeof value === 'function' && !/^[A-Z]/.test(name)) {
      out[name] = wrapFunction(value as (...args: never[]) => unknown);
    } else {
      out[name] = value;
    }
  }
  return out as G;
}

/** The ledger with its types. */
export function ledger(glue: HandlesModule): Ledger {
  return glue.ledger() as Ledger;
}

export function liveHandles(glue: HandlesModule): LiveHandle[] {
  return glue.liveHandles() as LiveHandle[];
}

export function openScope(glue: HandlesModule): HandleScope {
  return glue.openScope() as HandleScope;
}

/** Runs `fn` inside a scope that is closed however `fn` ends (for runtimes without `using`). */
export function withScope<T>(glue: HandlesModule, fn: (scope: HandleScope) => T): T {
  const scope = openScope(glue);
  let async = false;
  try {
    const result = fn(scope);
    if (result instanceof Promise) {
      async = true;
      return result.finally(() => scope.close()) as T;
    }
    return result;
  } finally {
    if (!async) scope.close();
  }
}

/** A readable list of handles: one line each, with creation stacks when recorded. */
export function leakReport(handles: LiveHandle[]): string {
  if (handles.length === 0) return 'no live handles';
  const kb = (b: number) => (b >= 1e6 ? `${(b / 1e6).toFixed(1)} MB` : `${(b / 1e3).toFixed(1)} KB`);
  return handles
    .map((h) => `  ${h.class} #${h.id} (${kb(h.bytes)})` + (h.origin ? `\n${h.origin.replace(/^/gm, '    ')}` : ''))
    .join('\n');
}

/**
 * Runs `fn` (sync or async) and throws if it left handles live that were not live before, listing
 * each with its class, id, size and (with `debugOrigins`, the default) where it was created.
 */
export function assertNoLeaks<T>(glue: HandlesModule, fn: () => T, options: { debugOrigins?: boolean } = {}): T {
  const debug = options.debugOrigins ?? true;
  const before = new Set(liveHandles(glue).map((h) => h.id));
  // Put back whatever the caller had, however `fn` ends (a rejected promise included).
  const previous = debug ? glue.setDebugOrigins(true) : undefined;
  const restore = () => {
    if (debug) glue.setDebugOrigins(previous === true);
  };
  const check = () => {
    const left = liveHandles(glue).filter((h) => !before.has(h.id));
    if (left.length > 0) {
      const bytes = left.reduce((sum, h) => sum + h.bytes, 0);
      throw new Error(`${left.length} handle(s) left live (${bytes} bytes):\n${leakReport(left)}`);
    }
  };
  let result: T;
  try {
    result = fn();
  } catch (e) {
    restore();
    throw e;
  }
  if (result instanceof Promise) {
    return result.then(
      (v) => (restore(), check(), v),
      (e) => {
        restore();
        throw e;
      },
    ) as T;
  }
  restore();
  check();
  return result;
}
