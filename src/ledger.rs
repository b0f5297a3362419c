//! The live-handle ledger: per class, how many handles exist and how many bytes they hold, and how
//! every handle that is gone ended (disposed, moved into Rust, or rescued by the finalizer).
//!
//! Invariant, per class and in total: `created == live + disposed + moved + rescued`.
//! Bytes are counted per value, not per handle: a value shared by two handles counts once, and its
//! bytes leave the ledger when the value itself is dropped or moved out.

use std::cell::Cell;
use std::collections::BTreeMap;

use crate::error::HandleError;
use crate::gc_nudge::NudgePolicy;
use crate::state;

/// Counters of one class (or of all classes, in [`LedgerSnapshot::total`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ClassStats {
    /// Handles that still own (or share) a value.
    pub live: u64,
    /// Deep bytes of the values those handles hold.
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

/// How a handle stopped being live.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ending {
    Disposed,
    Moved,
    Rescued,
}

/// A copy of the ledger at one moment.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LedgerSnapshot {
    pub classes: BTreeMap<&'static str, ClassStats>,
    pub total: ClassStats,
    /// The most live bytes ever held at once.
    pub high_water_bytes: u64,
    /// The memory budget in force, if any.
    pub budget_bytes: Option<u64>,
    /// GC nudges so far (see [`gc_nudge`](crate::gc_nudge)).
    pub gc_nudges: u64,
    /// The step the bytes left behind must rise by between nudges; `None` when nudges are off.
    pub gc_nudge_min_step: Option<u64>,
}

/// The counters, kept in the per-thread [state](crate::state) beside the registry.
#[derive(Default)]
pub(crate) struct Ledger {
    // A short list scanned linearly: programs have a few dozen classes at most, and a scan with a
    // pointer-equality fast path beats hashing on the create/dispose hot path.
    classes: Vec<(&'static str, ClassStats)>,
    live_bytes: u64,
    high_water_bytes: u64,
    budget: Option<u64>,
    nudge: NudgePolicy,
    // Never read: the target of a branch that cannot happen, which keeps `at` panic-free.
    spare: ClassStats,
}

impl Ledger {
    /// Index of a class in `classes`, added on first use. Classes are never removed, so an index
    /// stays valid: tokens keep it to skip the lookup on release.
    #[inline]
    fn index_of(&mut self, name: &'static str) -> usize {
        match self.classes.iter().position(|(n, _)| std::ptr::eq(*n, name) || *n == name) {
            Some(index) => index,
            None => {
                self.classes.push((name, ClassStats::default()));
                self.classes.len() - 1
            }
        }
    }

    #[inline]
    fn at(&mut self, index: usize) -> &mut ClassStats {
        match self.classes.get_mut(index) {
            Some((_, stats)) => stats,
            // Unreachable: indexes come from `index_of`.
            None => &mut self.spare,
        }
    }

    /// The error for a value that does not fit, or `None` (also when no budget is set).
    #[inline]
    fn over_budget(&self, class: &'static str, bytes: usize) -> Option<HandleError> {
        let budget = self.budget?;
        (self.live_bytes.saturating_add(bytes as u64) > budget).then(|| self.budget_error(class, bytes, budget))
    }

    // Out of line: building the message is the rare path, and keeping it out of the hot path
    // keeps `admit` small.
    #[cold]
    #[inline(never)]
    fn budget_error(&self, class: &'static str, bytes: usize, budget: u64) -> HandleError {
        HandleError::BudgetExceeded {
            class,
            bytes,
            live_bytes: self.live_bytes as usize,
            budget: budget as usize,
            summary: summary(&self.classes),
        }
    }

    #[inline]
    fn add_bytes(&mut self, index: usize, old: u64, new: u64) {
        let c = self.at(index);
        c.live_bytes = c.live_bytes.saturating_sub(old) + new;
        self.live_bytes = self.live_bytes.saturating_sub(old) + new;
        self.high_water_bytes = self.high_water_bytes.max(self.live_bytes);
        if new < old {
            self.nudge.after_fall(self.live_bytes);
        }
    }
}

/// The steps of a handle's life, run by `Handle` under the same borrow as its registry change.
impl Ledger {
    /// A new value and its first handle: checks the budget, then counts the handle and the bytes.
    /// Returns the class's index, which the handle keeps for its ending, and whether to nudge
    /// the GC once the borrow is over.
    #[inline]
    pub(crate) fn admit(&mut self, class: &'static str, bytes: usize) -> Result<(usize, bool), HandleError> {
        if let Some(error) = self.over_budget(class, bytes) {
            return Err(error);
        }
        let nudge = self.nudge.before_growth(self.live_bytes);
        let index = self.index_of(class);
        let c = self.at(index);
        c.created += 1;
        c.live += 1;
        self.add_bytes(index, 0, bytes as u64);
        Ok((index, nudge))
    }

    /// A new handle for a value already in the ledger (a share).
    pub(crate) fn handle_created(&mut self, index: usize) {
        let c = self.at(index);
        c.created += 1;
        c.live += 1;
    }

    #[inline]
    pub(crate) fn handle_ended(&mut self, index: usize, ending: Ending) {
        let c = self.at(index);
        c.live = c.live.saturating_sub(1);
        match ending {
            Ending::Disposed => c.disposed += 1,
            Ending::Moved => c.moved += 1,
            Ending::Rescued => c.rescued += 1,
        }
    }
}

fn with<R>(f: impl FnOnce(&mut Ledger) -> R) -> R {
    state::with(|s| f(&mut s.ledger))
}

/// Checks that `bytes` more live bytes fit in the budget, before anything is allocated.
pub fn check_budget(class: &'static str, bytes: usize) -> Result<(), HandleError> {
    with(|l| l.over_budget(class, bytes).map_or(Ok(()), Err))
}

/// Sets (or, with `None`, removes) the limit on live handle bytes.
pub fn set_budget(bytes: Option<u64>) {
    with(|l| l.budget = bytes);
}

/// Bytes held by one value; returned to the ledger when this token drops (the value was dropped
/// or moved out of its handles).
#[derive(Debug)]
pub(crate) struct BytesToken {
    class: usize,
    bytes: Cell<u64>,
}

impl BytesToken {
    /// The bytes of a value the ledger has just admitted under `class` (an index from `admit`).
    pub(crate) fn new(class: usize, bytes: usize) -> Self {
        Self { class, bytes: Cell::new(bytes as u64) }
    }

    pub(crate) fn bytes(&self) -> usize {
        self.bytes.get() as usize
    }

    /// Records a new size for a value whose caches grew (or shrank).
    pub(crate) fn resize(&self, bytes: usize) {
        let (old, new) = (self.bytes.get(), bytes as u64);
        self.bytes.set(new);
        let nudge = with(|l| {
            let nudge = new > old && l.nudge.before_growth(l.live_bytes);
            l.add_bytes(self.class, old, new);
            nudge
        });
        if nudge {
            crate::gc_nudge::nudge();
        }
    }
}

impl Drop for BytesToken {
    fn drop(&mut self) {
        let bytes = self.bytes.get();
        if bytes != 0 {
            state::try_with(|s| s.ledger.add_bytes(self.class, bytes, 0));
        }
    }
}

/// The ledger as it is now.
pub fn snapshot() -> LedgerSnapshot {
    with(|l| {
        let mut total = ClassStats::default();
        for (_, c) in &l.classes {
            total.live += c.live;
            total.live_bytes += c.live_bytes;
            total.created += c.created;
            total.disposed += c.disposed;
            total.moved += c.moved;
            total.rescued += c.rescued;
        }
        LedgerSnapshot {
            classes: l.classes.iter().map(|(n, c)| (*n, *c)).collect(),
            total,
            high_water_bytes: l.high_water_bytes,
            budget_bytes: l.budget,
            gc_nudges: l.nudge.count(),
            gc_nudge_min_step: l.nudge.min_step(),
        }
    })
}

/// Sets the step the bytes handles leave behind must rise by between two GC nudges; `None` turns
/// nudges off.
pub fn set_gc_nudge(min_step: Option<u64>) {
    with(|l| l.nudge.set_min_step(min_step, l.live_bytes));
}

/// Starts the high-water mark again from the bytes live now (for measuring one phase).
pub fn reset_high_water() {
    with(|l| l.high_water_bytes = l.live_bytes);
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

/// Bytes for people: "512 B", "1.5 KB", "5.0 MB" (decimal units, as the benchmark prints).
pub fn human_bytes(bytes: usize) -> String {
    let b = bytes as f64;
    if b < 1e3 {
        format!("{bytes} B")
    } else if b < 1e6 {
        format!("{:.1} KB", b / 1e3)
    } else if b < 1e9 {
        format!("{:.1} MB", b / 1e6)
    } else {
        format!("{:.2} GB", b / 1e9)
    }
}
