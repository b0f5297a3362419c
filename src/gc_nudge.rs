//! GC nudges: keep memory bounded when handles are left to the finalizer.
//!
//! The problem: a handle's JS object is a few dozen bytes, while the Rust value it owns may be
//! megabytes of WASM memory. The JS engine sees only the small object, so it feels no pressure to
//! run the full collection that would let the FinalizationRegistry free the value. Measured here:
//! a proving loop that never disposes (and lets the event loop turn between proofs) got no full
//! GC at all in 100 proofs, and WASM memory, which never shrinks, grew with every proof.
//!
//! Native addons solve this by reporting their external memory to V8
//! (`napi_adjust_external_memory`); WASM has no such call. The one portable signal a JS engine
//! does count is ArrayBuffer memory. So when handle bytes are piling up (below), the core
//! allocates one large ArrayBuffer and keeps no reference to it: the engine counts it as external
//! memory pressure and runs a full GC (which also frees the buffer), and the finalizers of
//! unreachable handles run at the next turn of the event loop. On Linux (measured here) the
//! buffer's pages are mapped lazily and never touched, so it costs address space until that GC,
//! not resident memory; an allocator that commits eagerly would pay its size for that moment.
//! Measured on Node 24: a 128 MiB buffer started a full GC every time, 64 MiB only every other
//! time.
//!
//! What triggers a nudge is garbage, not activity: bytes that do not come back. Before each growth
//! of live handle bytes the policy looks at the *valley*, the lowest live bytes since the previous
//! growth. A program that disposes what it creates returns to the same valley every time, however
//! large its values, and is never nudged. Handles left to the finalizer raise the valley, and once
//! it is a step above the valley at the last nudge, the core nudges. The step is the larger of a
//! minimum (4 MiB by default, `setGcNudge`) and half that base, so a program that really keeps a
//! growing set of handles alive is nudged a few times as it grows, not every few megabytes. A nudge
//! cannot help a synchronous loop that never lets the event loop turn (finalizers never run
//! there); that is what scopes and the budget are for.

/// Bytes of the ArrayBuffer a nudge allocates and keeps no reference to.
pub const NUDGE_ARRAY_BYTES: u64 = 128 << 20;

/// Default minimum rise of the valley (bytes left behind) between two nudges.
pub const DEFAULT_MIN_STEP: u64 = 4 << 20;

/// When to nudge: kept in the ledger, which sees every change of live bytes.
#[derive(Debug, Clone, Copy)]
pub(crate) struct NudgePolicy {
    /// `None`: nudges are off.
    min_step: Option<u64>,
    /// The valley at the last nudge, lowered when a later valley is lower: garbage is counted
    /// from here.
    base: u64,
    /// Lowest live bytes since the last growth (`u64::MAX`: no fall since).
    valley: u64,
    /// Nudges so far.
    count: u64,
}

impl Default for NudgePolicy {
    fn default() -> Self {
        Self { min_step: Some(DEFAULT_MIN_STEP), base: 0, valley: u64::MAX, count: 0 }
    }
}

impl NudgePolicy {
    /// Live bytes (now `live`) are about to grow: whether to nudge (and if so, counts it).
    #[inline]
    pub(crate) fn before_growth(&mut self, live: u64) -> bool {
        let valley = self.valley.min(live);
        self.valley = u64::MAX;
        self.base = self.base.min(valley);
        let Some(min_step) = self.min_step else { return false };
        if valley <= self.base.saturating_add(min_step.max(self.base / 2)) {
            return false;
        }
        self.base = valley;
        self.count += 1;
        true
    }

    /// Live bytes fell to `live`.
    #[inline]
    pub(crate) fn after_fall(&mut self, live: u64) {
        self.valley = self.valley.min(live);
    }

    pub(crate) fn set_min_step(&mut self, min_step: Option<u64>, live: u64) {
        self.min_step = min_step;
        self.base = live;
        self.valley = u64::MAX;
    }

    pub(crate) fn min_step(&self) -> Option<u64> {
        self.min_step
    }

    pub(crate) fn count(&self) -> u64 {
        self.count
    }
}

/// Asks the JS engine for a full collection (see the module docs). Call it outside any borrow of
/// the core's state: it calls JS.
pub(crate) fn nudge() {
    crate::platform::allocate_and_drop_array_buffer(NUDGE_ARRAY_BYTES);
}

#[cfg(test)]
mod tests {
    use super::*;

    const MB: u64 = 1 << 20;

    /// Creates values of `size` one after another (live bytes start at `live`), each released
    /// before the next when `dispose` is set; returns the nudges.
    fn run(p: &mut NudgePolicy, mut live: u64, size: u64, rounds: usize, dispose: bool) -> u64 {
        let before = p.count();
        for _ in 0..rounds {
            p.before_growth(live);
            live += size;
            if dispose {
                live -= size;
                p.after_fall(live);
            }
        }
        p.count() - before
    }

    #[test]
    fn disposing_what_you_create_never_nudges_however_large_the_values() {
        let mut p = NudgePolicy::default();
        assert_eq!(run(&mut p, 0, 50 * MB, 100, true), 0);
    }

    #[test]
    fn bytes_that_do_not_come_back_nudge_once_per_step() {
        let mut p = NudgePolicy::default();
        // 1 MB left behind each round: the valley rises 1 MB at a time.
        assert_eq!(run(&mut p, 0, MB, 4, false), 0, "valleys 0..3 MB: under one step");
        assert!(p.before_growth(4 * MB + 1), "a valley over 4 MiB above the base");
        // The finalizer frees the garbage: the valley falls back and becomes the base.
        p.after_fall(0);
        assert!(!p.before_growth(0));
        assert!(!p.before_growth(4 * MB), "measured from the new, lower base");
        assert_eq!(p.count(), 1);
    }

    #[test]
    fn a_large_live_set_widens_the_step() {
        let mut p = NudgePolicy::default();
        assert!(p.before_growth(100 * MB));
        assert!(!p.before_growth(150 * MB), "half of 100 MB is the step now");
        assert!(p.before_growth(150 * MB + 1));
    }

    #[test]
    fn off_means_never() {
        let mut p = NudgePolicy::default();
        p.set_min_step(None, 0);
        assert!(!p.before_growth(u64::MAX));
        assert_eq!(p.count(), 0);
    }
}
