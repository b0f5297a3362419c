//! The core's per-thread state: the [registry](crate::registry) of values and the
//! [ledger](crate::ledger) of counts, behind one `RefCell`.
//!
//! Why one cell for two modules: creating or disposing a handle touches both, and it is the hot
//! path of every binding call that returns an object. One thread-local access and one borrow per
//! operation, instead of one per module, is most of what makes a handle cost about what a plain
//! wasm-bindgen object costs.
//!
//! Every borrow is short and never calls out (no JS, no user `Drop`: removed values are returned
//! and dropped by the caller after the borrow), so borrows cannot overlap. The paths that run from a
//! `Drop` (a shell rescued by the finalizer, a value's bytes leaving the ledger, an abandoned scope)
//! use [`try_with`], which does nothing rather than panic while the thread's locals are torn down.

use std::cell::RefCell;

use crate::ledger::Ledger;
use crate::registry::Registry;

#[derive(Default)]
pub(crate) struct State {
    pub registry: Registry,
    pub ledger: Ledger,
}

thread_local! {
    // WASM has one thread; native tests get one state per test thread, hence isolation.
    static STATE: RefCell<State> = RefCell::new(State::default());
}

#[inline]
pub(crate) fn with<R>(f: impl FnOnce(&mut State) -> R) -> R {
    STATE.with(|state| f(&mut state.borrow_mut()))
}

/// Like [`with`], but `None` instead of a panic when the state is unavailable (thread teardown, or
/// a borrow already running): for drops, which must never unwind.
#[inline]
pub(crate) fn try_with<R>(f: impl FnOnce(&mut State) -> R) -> Option<R> {
    STATE.try_with(|state| state.try_borrow_mut().ok().map(|mut s| f(&mut s))).ok().flatten()
}
