//! The one owner of the per-instance state: the [registry](crate::registry), the
//! [ledger](crate::ledger), behind one lock shared by every thread of the
//! WASM instance (one shared memory), plus the state that belongs to one thread (its scopes, its
//! leak callback).
//!
//! The lock spins instead of sleeping: a browser's main thread may not block
//! (`Atomics.wait` throws there), and every critical section is a few map and counter updates
//! that never call out (no JS, no user `Drop`: removed values are returned and dropped by the
//! caller after the lock is released), so a waiter spins for nanoseconds. Uncontended, taking and
//! releasing it is one atomic swap and one store. In the single-threaded build the atomics are
//! plain loads and stores.

use std::cell::RefCell;

use crate::ledger::Ledger;
use crate::registry::Registry;
use crate::scope::ScopeStack;

pub(crate) struct State {
    pub registry: Registry,
    pub ledger: Ledger,
}

static STATE: spin::Mutex<Option<State>> = spin::Mutex::new(None);

#[cfg(debug_assertions)]
thread_local! {
    static HOLDING: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Runs `f` with the instance state locked. `f` must not call out (see the module docs); debug
/// builds check that it does not lock again, which would spin forever.
#[inline]
pub(crate) fn with<R>(f: impl FnOnce(&mut State) -> R) -> R {
    #[cfg(debug_assertions)]
    let _reentry = Reentry::enter();
    let mut guard = STATE.lock();
    f(guard.get_or_insert_with(|| State {
        registry: Registry::new(crate::platform::random_seed()),
        ledger: Ledger::default(),
    }))
}

#[cfg(debug_assertions)]
struct Reentry;

#[cfg(debug_assertions)]
impl Reentry {
    fn enter() -> Self {
        let again = HOLDING.with(|h| h.replace(true));
        assert!(!again, "kimchi-handles: the instance lock was taken again by the thread that holds it");
        Reentry
    }
}

#[cfg(debug_assertions)]
impl Drop for Reentry {
    fn drop(&mut self) {
        let _ = HOLDING.try_with(|h| h.set(false));
    }
}

/// What belongs to one thread: JS objects (callbacks) and scopes cannot cross threads.
#[derive(Default)]
pub(crate) struct ThreadState {
    pub scopes: ScopeStack,
    pub leak_hook: Option<crate::leak::SharedHook>,
    pub warned: Vec<&'static str>,
}

thread_local! {
    static THREAD: RefCell<ThreadState> = RefCell::new(ThreadState::default());
}

/// Runs `f` with this thread's state; `None` while the thread's locals are torn down or a borrow
/// is already running (for paths that run from a `Drop`, which must not panic).
#[inline]
pub(crate) fn with_thread<R>(f: impl FnOnce(&mut ThreadState) -> R) -> Option<R> {
    THREAD.try_with(|t| t.try_borrow_mut().ok().map(|mut t| f(&mut t))).ok().flatten()
}
