//! The live-handle ledger: per class, how many handles exist and how many bytes they hold, and how
//! every handle that is gone ended (disposed, moved into Rust, or rescued by the finalizer).
//! Plain data: the [instance](crate::instance) owns the one ledger and locks it.
//!
//! Invariant, per class and in total: `created == live + disposed + moved + rescued`.
//! Bytes are counted per value, not per handle: a value shared by two handles counts once, and its
//! bytes leave the ledger when the value itself is dropped or moved out.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::abi::{CallError, IntoJs};
use crate::deep_size::human_bytes;
use crate::ending::{Counter, Ending};
use crate::error::HandleError;
use crate::gc_nudge::NudgePolicy;

/// A class's place in the ledger (classes are never removed, so an id stays valid).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ClassId(pub(crate) u32);

/// Counters of one class (or of all classes, in [`LedgerSnapshot::total`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, crate::Shape)]
pub struct ClassStats {
    /// Handles that still own (or share) a value.
    pub live: u64,
    /// Deep bytes of the values of this class that are still alive (held by handles, or kept by
    /// other values, as a prover index keeps its SRS).
    pub live_bytes: u64,
    /// Handles ever created, shares included.
    pub created: u64,
    /// Handles released by `dispose()`, `free()`, `using` or a closing scope.
    pub disposed: u64,
    /// Handles whose value a Rust function took by value.
    pub moved: u64,
    /// Handles dropped without dispose: freed by the FinalizationRegistry (in WASM) or by `Drop`.
    pub rescued: u64,
}

/// A copy of the ledger at one moment.
#[derive(Debug, Clone, Default, PartialEq, Eq, crate::Shape)]
pub struct LedgerSnapshot {
    /// Counters per class, by JS class name.
    pub classes: BTreeMap<&'static str, ClassStats>,
    /// The sum over all classes.
    pub total: ClassStats,
    /// The most live bytes ever held at once (see `resetHighWater`).
    pub high_water_bytes: u64,
    /// The memory budget in force, if any.
    pub budget_bytes: Option<u64>,
    /// Scopes open on the calling thread.
    pub open_scopes: u64,
    /// Times the core nudged the JS engine into a full GC (handle bytes were piling up).
    pub gc_nudges: u64,
    /// The step the bytes handles leave behind must rise by between nudges; null when off.
    pub gc_nudge_bytes: Option<u64>,
}

impl IntoJs for BTreeMap<&'static str, ClassStats> {
    type Abi = wasm_bindgen::JsValue;
    type Ret = Result<wasm_bindgen::JsValue, wasm_bindgen::JsValue>;
    const KIND: &'static str = "{\"k\":\"record\",\"of\":{\"k\":\"shape\",\"name\":\"ClassStats\"}}";
    fn into_js(self) -> Result<Self::Abi, CallError> {
        let object = js_sys::Object::new();
        for (name, stats) in self {
            crate::abi::set_field(&object, name, &stats.into_value()?);
        }
        Ok(object.into())
    }
    fn ret(result: Result<Self::Abi, CallError>) -> Self::Ret {
        crate::abi::result_return(result)
    }
    fn into_value(self) -> Result<wasm_bindgen::JsValue, CallError> {
        self.into_js()
    }
}

#[derive(Default)]
pub(crate) struct Ledger {
    // A short list scanned by id: programs have a few dozen classes at most.
    classes: Vec<(&'static str, ClassStats)>,
    live_bytes: u64,
    high_water_bytes: u64,
    budget: Option<u64>,
    pub(crate) nudge: NudgePolicy,
    // Never read: the target of a branch that cannot happen, which keeps `at` panic-free.
    spare: ClassStats,
}

impl Ledger {
    /// The id of a class, added on first use.
    pub(crate) fn intern(&mut self, name: &'static str) -> ClassId {
        let index = match self.classes.iter().position(|(n, _)| std::ptr::eq(*n, name) || *n == name) {
            Some(index) => index,
            None => {
                self.classes.push((name, ClassStats::default()));
                self.classes.len() - 1
            }
        };
        ClassId(index as u32)
    }

    /// The id of a class already registered under `name`.
    pub(crate) fn find(&self, name: &str) -> Option<ClassId> {
        self.classes.iter().position(|(n, _)| *n == name).map(|i| ClassId(i as u32))
    }

    pub(crate) fn class_count(&self) -> usize {
        self.classes.len()
    }

    /// The JS name of a class ("?" for an id this ledger never gave, which callers never pass).
    pub(crate) fn name(&self, class: ClassId) -> &'static str {
        self.classes.get(class.0 as usize).map_or("?", |(n, _)| n)
    }

    #[inline]
    fn at(&mut self, class: ClassId) -> &mut ClassStats {
        match self.classes.get_mut(class.0 as usize) {
            Some((_, stats)) => stats,
            None => &mut self.spare,
        }
    }

    /// The error for a value that does not fit, or `None` (also when no budget is set).
    #[inline]
    pub(crate) fn over_budget(&self, class: ClassId, bytes: usize, growing: bool) -> Option<HandleError> {
        let budget = self.budget?;
        (self.live_bytes.saturating_add(bytes as u64) > budget)
            .then(|| self.budget_error(class, bytes, budget, growing))
    }

    // The rare path, out of line.
    #[cold]
    #[inline(never)]
    fn budget_error(&self, class: ClassId, bytes: usize, budget: u64, growing: bool) -> HandleError {
        HandleError::BudgetExceeded {
            growing,
            class: self.name(class),
            bytes,
            live_bytes: self.live_bytes as usize,
            budget: budget as usize,
            summary: summary(&self.classes),
        }
    }

    /// Live bytes of `class` change from `old` to `new`; returns whether to nudge the GC (only
    /// when they grow, see [`gc_nudge`](crate::gc_nudge)).
    #[inline]
    pub(crate) fn resize(&mut self, class: ClassId, old: u64, new: u64) -> bool {
        let nudge = new > old && self.nudge.before_growth(self.live_bytes);
        let c = self.at(class);
        c.live_bytes = c.live_bytes.saturating_sub(old).saturating_add(new);
        self.live_bytes = self.live_bytes.saturating_sub(old).saturating_add(new);
        self.high_water_bytes = self.high_water_bytes.max(self.live_bytes);
        if new < old {
            self.nudge.after_fall(self.live_bytes);
        }
        nudge
    }

    /// A new value and its first handle: checks the budget, then counts the handle and the bytes.
    /// Returns whether to nudge the GC once the lock is released.
    #[inline]
    pub(crate) fn admit(&mut self, class: ClassId, bytes: usize) -> Result<bool, HandleError> {
        if let Some(error) = self.over_budget(class, bytes, false) {
            return Err(error);
        }
        self.handle_created(class);
        Ok(self.resize(class, 0, bytes as u64))
    }

    /// A new handle for a value already in the ledger (a share).
    #[inline]
    pub(crate) fn handle_created(&mut self, class: ClassId) {
        let c = self.at(class);
        c.created += 1;
        c.live += 1;
    }

    /// A handle ended (a transfer is no end: the same handle goes on under a new key).
    #[inline]
    pub(crate) fn handle_ended(&mut self, class: ClassId, ending: Ending) {
        let Some(counter) = ending.counter() else { return };
        let c = self.at(class);
        c.live = c.live.saturating_sub(1);
        match counter {
            Counter::Disposed => c.disposed += 1,
            Counter::Moved => c.moved += 1,
            Counter::Rescued => c.rescued += 1,
        }
    }

    pub(crate) fn set_budget(&mut self, bytes: Option<u64>) {
        self.budget = bytes;
        BUDGET_SET.store(bytes.is_some(), Ordering::Relaxed);
    }

    pub(crate) fn reset_high_water(&mut self) {
        self.high_water_bytes = self.live_bytes;
    }

    pub(crate) fn set_gc_nudge(&mut self, min_step: Option<u64>) {
        self.nudge.set_min_step(min_step, self.live_bytes);
    }

    /// The counters of one class.
    pub(crate) fn class_stats(&self, class: ClassId) -> ClassStats {
        self.classes.get(class.0 as usize).map(|(_, c)| *c).unwrap_or_default()
    }

    pub(crate) fn snapshot(&self, open_scopes: usize) -> LedgerSnapshot {
        let mut total = ClassStats::default();
        for (_, c) in &self.classes {
            total.live += c.live;
            total.live_bytes += c.live_bytes;
            total.created += c.created;
            total.disposed += c.disposed;
            total.moved += c.moved;
            total.rescued += c.rescued;
        }
        LedgerSnapshot {
            classes: self.classes.iter().map(|(n, c)| (*n, *c)).collect(),
            total,
            high_water_bytes: self.high_water_bytes,
            budget_bytes: self.budget,
            open_scopes: open_scopes as u64,
            gc_nudges: self.nudge.count(),
            gc_nudge_bytes: self.nudge.min_step(),
        }
    }
}

/// Whether a budget is set: read without the lock by checks that have nothing to do without one.
static BUDGET_SET: AtomicBool = AtomicBool::new(false);

pub(crate) fn budget_set() -> bool {
    BUDGET_SET.load(Ordering::Relaxed)
}

/// "Payload: 3 live, 3.0 MB; WasmFpSrs: 1 live, 2.1 MB", largest classes first. A class can hold
/// bytes with no live handle: its values kept by other values (an SRS kept by a prover index).
fn summary(classes: &[(&'static str, ClassStats)]) -> String {
    let mut live: Vec<_> = classes.iter().filter(|(_, c)| c.live > 0 || c.live_bytes > 0).collect();
    live.sort_by_key(|(_, c)| std::cmp::Reverse(c.live_bytes));
    if live.is_empty() {
        return "no live handles".into();
    }
    live.iter()
        .take(5)
        .map(|(n, c)| {
            let held = if c.live == 0 { " held by other values" } else { "" };
            format!("{n}: {} live, {}{held}", c.live, human_bytes(c.live_bytes as usize))
        })
        .collect::<Vec<_>>()
        .join("; ")
}
