//! The one owner of the per-instance state: the [registry](crate::registry) and the
//! [ledger](crate::ledger), behind one lock shared by every thread of the WASM instance (one
//! shared memory), and the one place that changes them together ([`State::end`]). What belongs to
//! one thread (its scopes, its leak callback) is kept by the module of that concept, through
//! [`with_local`].
//!
//! The lock spins instead of sleeping: a browser's main thread may not block
//! (`Atomics.wait` throws there), and every critical section is a few map and counter updates
//! that never call out (no JS, no user `Drop`: removed values are returned and dropped by the
//! caller after the lock is released), so a waiter spins for nanoseconds. Uncontended, taking and
//! releasing it is one atomic swap and one store. In the single-threaded build the atomics are
//! plain loads and stores.

use std::cell::RefCell;
use std::sync::atomic::Ordering;
use std::thread::LocalKey;

use crate::ending::Ending;
use crate::keys::Key;
use crate::ledger::Ledger;
use crate::registry::{Entry, Registry};

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

impl State {
    /// Removes a live handle; when it held the value's last reference, the value's bytes leave the
    /// ledger in the same step (so dropping the value afterwards needs no lock). The caller drops
    /// the returned entry after the lock.
    pub(crate) fn end(&mut self, key: Key, ending: Ending) -> Option<Entry> {
        let entry = self.registry.remove(key, ending)?;
        self.ledger.handle_ended(entry.class, ending);
        if std::sync::Arc::strong_count(&entry.value) == 1 {
            // The token then has nothing left to return when the value drops.
            let bytes = entry.value.bytes().swap(0, Ordering::Relaxed);
            self.ledger.resize(entry.class, bytes, 0);
        }
        Some(entry)
    }
}

/// Runs `f` with a thread's own state (JS objects and scopes cannot cross threads); `None` while
/// the thread's locals are torn down or a borrow of it is already running (for paths that run from
/// a `Drop`, which must not panic).
#[inline]
pub(crate) fn with_local<T: 'static, R>(
    local: &'static LocalKey<RefCell<T>>,
    f: impl FnOnce(&mut T) -> R,
) -> Option<R> {
    local.try_with(|t| t.try_borrow_mut().ok().map(|mut t| f(&mut t))).ok().flatten()
}
