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
//! does count is ArrayBuffer memory. So when live handle bytes have grown by a step since their
//! lowest point after the last nudge, the core allocates one large ArrayBuffer and drops it at
//! once. Its pages are never touched (the allocator maps them lazily), so it costs address space
//! for an instant, not memory; the engine counts it as external memory pressure and runs a full
//! GC, and the finalizers of unreachable handles run at the next turn of the event loop.
//! Measured on Node 24: a 128 MiB nudge started a full GC every time, 64 MiB only every other
//! time.
//!
//! The step is the larger of a minimum (4 MiB by default, `setGcNudge`) and half the live bytes at
//! the last low point, so a program that really keeps a large set of handles alive is not nudged
//! into a full GC for every few megabytes it adds. A nudge cannot help a synchronous loop that never
//! lets the event loop turn (finalizers never run there); that is what scopes and the budget are
//! for.

/// Bytes of the ArrayBuffer a nudge allocates and drops.
pub const NUDGE_ARRAY_BYTES: u64 = 128 << 20;

/// Default minimum growth of live handle bytes between two nudges.
pub const DEFAULT_MIN_STEP: u64 = 4 << 20;

/// When to nudge: kept in the ledger, which sees every change of live bytes.
#[derive(Debug, Clone, Copy)]
pub(crate) struct NudgePolicy {
    /// `None`: nudges are off.
    min_step: Option<u64>,
    /// Lowest live bytes since the last nudge.
    floor: u64,
    /// Nudges so far.
    count: u64,
}

impl Default for NudgePolicy {
    fn default() -> Self {
        Self { min_step: Some(DEFAULT_MIN_STEP), floor: 0, count: 0 }
    }
}

impl NudgePolicy {
    /// After live bytes grew to `live`: whether to nudge now (and if so, counts it).
    #[inline]
    pub(crate) fn after_growth(&mut self, live: u64) -> bool {
        let Some(min_step) = self.min_step else { return false };
        if live <= self.floor.saturating_add(min_step.max(self.floor / 2)) {
            return false;
        }
        self.floor = live;
        self.count += 1;
        true
    }

    /// After live bytes fell to `live`.
    #[inline]
    pub(crate) fn after_shrink(&mut self, live: u64) {
        self.floor = self.floor.min(live);
    }

    pub(crate) fn set_min_step(&mut self, min_step: Option<u64>, live: u64) {
        self.min_step = min_step;
        self.floor = live;
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

    #[test]
    fn nudges_after_each_step_of_growth_from_the_lowest_point() {
        let mut p = NudgePolicy::default();
        assert!(!p.after_growth(4 * MB), "exactly one step is not over it");
        assert!(p.after_growth(4 * MB + 1));
        // Garbage freed by the GC brings the floor down; growth is measured from there.
        p.after_shrink(MB);
        assert!(!p.after_growth(5 * MB));
        assert!(p.after_growth(5 * MB + 1));
        assert_eq!(p.count(), 2);
    }

    #[test]
    fn a_large_live_set_widens_the_step() {
        let mut p = NudgePolicy::default();
        assert!(p.after_growth(100 * MB));
        assert!(!p.after_growth(150 * MB), "half of 100 MB is the step now");
        assert!(p.after_growth(150 * MB + 1));
    }

    #[test]
    fn off_means_never() {
        let mut p = NudgePolicy::default();
        p.set_min_step(None, 0);
        assert!(!p.after_growth(u64::MAX));
        assert_eq!(p.count(), 0);
    }
}
