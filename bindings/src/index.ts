// kimchi-handles for JavaScript and TypeScript: helpers for any WASM module built with
// kimchi-handles (the demo build, the kimchi module). The classes themselves need nothing from
// here: the glue generated with them makes `dispose()` idempotent, checks every call and counts
// every handle. This package adds what tests and applications do with the ledger.
//
// The types of the ledger, live handles, scopes and handles are the ones the glue generator wrote
// from the Rust declarations: one source for both languages.
import type { ClassStats, Handle, HandleScope, LedgerSnapshot, LiveHandle } from './generated.js';

export type { ClassStats, Handle, HandleScope, LedgerSnapshot, LiveHandle };
export { freshInstance } from './instance.js';
/** A handle the garbage collector freed, as `setLeakCallback` reports it. */
export type LeakReport = LiveHandle;

/** The functions every kimchi-handles WASM module exports. */
export interface HandlesModule {
  ledger(): LedgerSnapshot;
  liveHandles(): LiveHandle[];
  openScope(): HandleScope;
  setMemoryBudget(bytes?: number | null): void;
  setGcNudge(bytes?: number | null): void;
  setLeakCallback(callback?: ((report: LeakReport) => unknown) | null): void;
  /** Returns the previous setting. */
  setDebugOrigins(on: boolean): boolean;
  resetHighWater(): void;
  wasmMemoryBytes(): number;
}

/** Runs `fn` inside a scope that is closed however `fn` ends (for runtimes without `using`). */
export function withScope<T>(module: HandlesModule, fn: (scope: HandleScope) => T): T {
  const scope = module.openScope();
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
  const size = (b: number) => (b >= 1e6 ? `${(b / 1e6).toFixed(1)} MB` : `${(b / 1e3).toFixed(1)} KB`);
  return handles
    .map((h) => `  ${h.class} #${h.id} (${size(h.bytes)})` + (h.origin ? `\n${h.origin.replace(/^/gm, '    ')}` : ''))
    .join('\n');
}

/**
 * Runs `fn` (sync or async) and throws if it left handles live that were not live before, listing
 * each with its class, id, size and (with `debugOrigins`, the default) where it was created.
 */
export function assertNoLeaks<T>(module: HandlesModule, fn: () => T, options: { debugOrigins?: boolean } = {}): T {
  const debug = options.debugOrigins ?? true;
  const before = new Set(module.liveHandles().map((h) => h.id));
  // Put back whatever the caller had, however `fn` ends (a rejected promise included).
  const previous = debug ? module.setDebugOrigins(true) : undefined;
  const restore = () => {
    if (debug) module.setDebugOrigins(previous === true);
  };
  const check = () => {
    const left = module.liveHandles().filter((h) => !before.has(h.id));
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
