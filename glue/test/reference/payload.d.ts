/** What every handle class is: `using h = ...` works, and release is idempotent. */
export abstract class Handle implements Disposable {
  /** The handle's id, as error messages and leak reports show it. */
  readonly id: number;
  readonly state: 'live' | 'disposed' | 'moved';
  /** Deep bytes of the value while live, else 0. */
  readonly byteSize: number;
  /** Releases the value now. Again, or after a move, it does nothing. */
  dispose(): void;
  /** Same as `dispose()`. */
  free(): void;
  [Symbol.dispose](): void;
  /** Ends this handle as "transferred"; another thread gets it back with `Class.adopt(token)`. */
  transfer(): number;
}

/** A scope from `openScope()`: `using scope = openScope()` disposes what the block created. */
export interface HandleScope extends Disposable {
  readonly id: number;
  /** Disposes the scope's live handles; returns how many. Closing twice is a no-op. */
  close(): number;
  free(): number;
  /** Moves `handle` to the parent scope (or to the caller) and returns it; throws if it is not a live handle of this scope. */
  keep<T extends object>(handle: T): T;
}

/** Opens a scope inside the innermost open one of this thread. */
export function openScope(): HandleScope;

/**
 * Counters of one class (or of all classes, in `LedgerSnapshot::total`).
 */
export interface ClassStats {
  /**
   * Handles that still own (or share) a value.
   */
  live: number;
  /**
   * Deep bytes of the values of this class that are still alive (held by handles, or kept by
   * other values, as a prover index keeps its SRS).
   */
  liveBytes: number;
  /**
   * Handles ever created, shares included.
   */
  created: number;
  /**
   * Handles released by `dispose()`, `free()`, `using` or a closing scope.
   */
  disposed: number;
  /**
   * Handles whose value a Rust function took by value.
   */
  moved: number;
  /**
   * Handles dropped without dispose: freed by the FinalizationRegistry (in WASM) or by `Drop`.
   */
  rescued: number;
}

/**
 * A copy of the ledger at one moment.
 */
export interface LedgerSnapshot {
  /**
   * Counters per class, by JS class name.
   */
  classes: Record<string, ClassStats>;
  /**
   * The sum over all classes.
   */
  total: ClassStats;
  /**
   * The most live bytes ever held at once (see `resetHighWater`).
   */
  highWaterBytes: number;
  /**
   * The memory budget in force, if any.
   */
  budgetBytes: number | null;
  /**
   * Scopes open on the calling thread.
   */
  openScopes: number;
  /**
   * Times the core nudged the JS engine into a full GC (handle bytes were piling up).
   */
  gcNudges: number;
  /**
   * The step the bytes handles leave behind must rise by between nudges; null when off.
   */
  gcNudgeBytes: number | null;
}

/**
 * A live handle, as `liveHandles()` lists it; also what a leak report says of a handle the
 * garbage collector freed.
 */
export interface LiveHandle {
  /**
   * The JS class name.
   */
  class: string;
  /**
   * The handle's id (as in error messages).
   */
  id: number;
  /**
   * Deep bytes of its value (0 in a leak report when another handle still shares the value).
   */
  bytes: number;
  /**
   * Where it was created, when `setDebugOrigins(true)` was on at the time.
   */
  origin: string | null;
}

/**
 * A Rust-owned byte buffer of a chosen size, filled with a pattern so reads are checkable.
 */
export class Payload extends Handle {
  /**
   * A payload of `bytes` bytes (at most 2^31). Checks the memory budget before allocating.
   */
  constructor(bytes: number, seed?: number | null);
  /**
   * Reads every byte (proves the value is intact).
   */
  checksum(): number;
  /**
   * Takes `payload` and returns a new payload twice as long (its bytes, then them again). The
   * budget is checked before anything is taken, so a refused call leaves `payload` live.
   */
  static doubled(payload: Payload): Payload;
  /**
   * Its length in bytes.
   */
  get length(): number;
  /** A second handle to the same value; the value lives until the last of them is released. */
  share(): Payload;
  /** The handle a `transfer()` on another thread of this instance handed over. */
  static adopt(token: number): Payload;
}

/**
 * Takes ownership of the payload's bytes (the way kimchi-wasm's verify takes a proof) and returns
 * their checksum. The JS object stays valid in state "moved".
 */
export function consumePayload(payload: Payload): number;

/**
 * The ledger: live handles and bytes per class, how handles ended, the budget and GC nudges.
 */
export function ledger(): LedgerSnapshot;

/**
 * Every live handle, oldest first (with its creation stack when debug origins were on).
 */
export function liveHandles(): LiveHandle[];
