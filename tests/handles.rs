//! Behaviour of single handles, scopes, the budget and leak reports (native; the same code runs in
//! WASM, where `tests/node/` checks it through JS).
//!
//! The registry and the ledger are one per process, shared by every thread, and cargo runs the
//! tests of this file on parallel threads: every test takes [`serial`] first, so that settings
//! (budget, GC nudge step, debug origins) and totals (the budget and the nudges look at all live
//! bytes) are never changed by another test meanwhile. Per-class assertions use class names that
//! belong to one test each.

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard};

use kimchi_handles::leak::{self, LeakReport};
use kimchi_handles::{ledger_snapshot, DeepSize, Ending, Handle, HandleError, HandleState, Scope};

/// One test at a time (a failed test poisons the lock; the next one goes on).
fn serial() -> MutexGuard<'static, ()> {
    static SERIAL: Mutex<()> = Mutex::new(());
    SERIAL.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Restores the process-wide settings a test changed, also when it fails.
struct Restore;

impl Drop for Restore {
    fn drop(&mut self) {
        kimchi_handles::set_memory_budget(None);
        kimchi_handles::set_gc_nudge(Some(kimchi_handles::gc_nudge::DEFAULT_MIN_STEP));
        leak::set_debug_origins(false);
        leak::set_leak_hook(None);
    }
}

struct Bytes(Vec<u8>);
impl DeepSize for Bytes {
    fn heap_size(&self) -> usize {
        self.0.capacity()
    }
}

fn bytes(n: usize) -> Bytes {
    Bytes(vec![7; n])
}

fn stats(class: &str) -> kimchi_handles::ClassStats {
    ledger_snapshot().classes.get(class).copied().unwrap_or_default()
}

/// Reports sent to this thread's leak hook from now on.
fn collect_leaks() -> Rc<RefCell<Vec<LeakReport>>> {
    let reports: Rc<RefCell<Vec<LeakReport>>> = Rc::default();
    let sink = Rc::clone(&reports);
    leak::set_leak_hook(Some(Box::new(move |r| sink.borrow_mut().push(r.clone()))));
    reports
}

#[test]
fn errors_name_the_class_the_id_and_what_happened() {
    let _serial = serial();
    let a = Handle::new("WasmFpProverProof", bytes(10)).unwrap();
    let b = Handle::new("WasmFpProverProof", bytes(10)).unwrap();
    assert!(a.dispose());
    assert!(!a.dispose(), "second dispose is a no-op");
    assert_eq!(a.borrow().err().unwrap().to_string(), format!("WasmFpProverProof #{} was disposed", a.id()));
    let value = b.take("verify").unwrap();
    assert_eq!(value.0.len(), 10);
    assert_eq!(b.state(), HandleState::Moved);
    assert!(!b.dispose(), "dispose after a move is a no-op");
    assert_eq!(b.borrow().err().unwrap().to_string(), format!("WasmFpProverProof #{} was moved into verify", b.id()));
    assert_eq!(
        b.take("verify").err().unwrap().to_string(),
        format!("WasmFpProverProof #{} was moved into verify", b.id())
    );
    assert_eq!(b.bytes(), 0);
}

#[test]
fn a_handle_reports_its_class_key_and_error() {
    let _serial = serial();
    let a = Handle::new("Described", bytes(3)).unwrap();
    let b = Handle::new("Described", bytes(3)).unwrap();
    assert_eq!(a.class(), "Described");
    assert_eq!(a.error(), None, "no error while live");
    assert_ne!(a.key(), b.key(), "distinct handles, distinct keys");
    assert_eq!(a.key(), a.key(), "a key is stable");
    let number = a.key().to_f64();
    assert!(number >= 0.0 && number.fract() == 0.0 && number < 2f64.powi(53), "a whole JS number: {number}");
    assert_ne!(number, b.key().to_f64());
    assert!(a.dispose());
    assert_eq!(a.error(), Some(HandleError::Ended { class: "Described", id: a.id(), ending: Ending::Disposed }));
    drop(b.take("describe").unwrap());
    assert_eq!(
        b.error(),
        Some(HandleError::Ended { class: "Described", id: b.id(), ending: Ending::Moved { into: "describe" } })
    );
}

#[test]
fn live_handles_lists_what_is_live_oldest_first() {
    let _serial = serial();
    let listed = |class: &str| leak::live_handles().into_iter().filter(|h| h.class == class).collect::<Vec<_>>();
    let a = Handle::new("Listed", bytes(10)).unwrap();
    let b = Handle::new("Listed", bytes(20)).unwrap();
    let c = a.share().unwrap();
    let ids: Vec<u64> = listed("Listed").iter().map(|h| h.id).collect();
    assert_eq!(ids, [a.id(), b.id(), c.id()]);
    assert_eq!(listed("Listed")[1].bytes, b.bytes());
    assert_eq!(listed("Listed")[1].origin, None, "debug origins are off");
    b.dispose();
    a.dispose();
    let ids: Vec<u64> = listed("Listed").iter().map(|h| h.id).collect();
    assert_eq!(ids, [c.id()]);
    c.dispose();
    assert!(listed("Listed").is_empty());
}

#[test]
fn ids_are_unique_and_stable() {
    let _serial = serial();
    let a = Handle::new("Ids", bytes(1)).unwrap();
    let id = a.id();
    a.dispose();
    let b = Handle::new("Ids", bytes(1)).unwrap();
    assert_ne!(b.id(), id, "ids are never reused");
    assert_eq!(a.id(), id);
}

#[test]
fn a_shared_value_lives_until_its_last_handle_and_counts_its_bytes_once() {
    let _serial = serial();
    let a = Handle::new("Srs", bytes(1000)).unwrap();
    let b = a.share().unwrap();
    let size = a.bytes();
    assert!(size >= 1000);
    assert_eq!((stats("Srs").live, stats("Srs").live_bytes), (2, size));
    assert!(matches!(a.take("prove"), Err(HandleError::InUse { .. })), "a shared value cannot be moved");
    a.dispose();
    assert_eq!(b.borrow().unwrap().0.len(), 1000);
    assert_eq!((stats("Srs").live, stats("Srs").live_bytes), (1, size));
    b.dispose();
    assert_eq!((stats("Srs").live, stats("Srs").live_bytes), (0, 0));
}

#[test]
fn disposing_during_a_borrow_frees_the_value_when_the_borrow_ends() {
    let _serial = serial();
    let a = Handle::new("Shared", bytes(64)).unwrap();
    let borrowed = a.borrow().unwrap();
    a.dispose();
    assert_eq!(a.state(), HandleState::Disposed);
    assert_eq!(borrowed.0.len(), 64, "the borrower still reads the value");
    assert!(stats("Shared").live_bytes > 0, "bytes stay counted while borrowed");
    drop(borrowed);
    assert_eq!(stats("Shared").live_bytes, 0);
}

#[test]
fn a_rescued_handle_whose_value_is_still_shared_reports_no_bytes_freed() {
    let _serial = serial();
    let _restore = Restore;
    let reports = collect_leaks();
    let owner = Handle::new("SharedRescue", bytes(1000)).unwrap();
    drop(owner.share().unwrap());
    drop(owner);
    leak::set_leak_hook(None);
    let reports = reports.borrow();
    assert_eq!(reports.iter().map(|r| r.bytes).collect::<Vec<_>>(), [0, 1000 + std::mem::size_of::<Bytes>() as u64]);
    assert_eq!(stats("SharedRescue").live_bytes, 0);
}

#[test]
fn a_dropped_live_handle_is_rescued_and_reported() {
    let _serial = serial();
    let _restore = Restore;
    let reports = collect_leaks();
    assert!(!leak::set_debug_origins(true), "off by default");
    let forgotten = Handle::new("Forgotten", bytes(100)).unwrap();
    let id = forgotten.id();
    assert!(leak::set_debug_origins(false));
    drop(forgotten);
    let disposed = Handle::new("Forgotten", bytes(100)).unwrap();
    disposed.dispose();
    drop(disposed);
    leak::set_leak_hook(None);
    let reports = reports.borrow();
    assert_eq!(reports.len(), 1, "only the forgotten handle is reported");
    assert_eq!((reports[0].class, reports[0].id), ("Forgotten", id));
    assert!(reports[0].bytes >= 100);
    let origin = reports[0].origin.as_deref().unwrap();
    assert!(origin.contains("a_dropped_live_handle_is_rescued_and_reported"), "origin names the creating function");
    let s = stats("Forgotten");
    assert_eq!((s.rescued, s.disposed, s.live), (1, 1, 0));
}

#[test]
fn the_budget_refuses_before_registering_and_recovers() {
    let _serial = serial();
    let _restore = Restore;
    assert_eq!(ledger_snapshot().total.live_bytes, 0, "no other test holds bytes");
    kimchi_handles::set_memory_budget(Some(10_000));
    assert_eq!(ledger_snapshot().budget_bytes, Some(10_000));
    let a = Handle::new("Budget", bytes(6_000)).unwrap();
    let err = Handle::new("Budget", bytes(6_000)).err().unwrap();
    assert!(matches!(err, HandleError::BudgetExceeded { class: "Budget", .. }));
    let message = err.to_string();
    assert!(message.contains("would exceed the memory budget") && message.contains("Budget: 1 live"), "{message}");
    assert_eq!(stats("Budget").created, 1, "the refused handle was never registered");
    assert!(
        matches!(
            kimchi_handles::check_budget("Budget", 6_000),
            Err(HandleError::BudgetExceeded { class: "Budget", .. })
        ),
        "the same check, before allocating"
    );
    assert_eq!(kimchi_handles::check_budget("Budget", 1_000), Ok(()));
    // A value kept past its handle's dispose (as a prover index keeps its SRS) still counts, and
    // the message says where those bytes are.
    let kept = a.borrow().unwrap();
    a.dispose();
    let message = Handle::new("Budget", bytes(6_000)).err().unwrap().to_string();
    assert!(message.contains("Budget: 0 live, 6.0 KB held by other values"), "{message}");
    drop(kept);
    let b = Handle::new("Budget", bytes(6_000)).unwrap();
    assert_eq!(b.state(), HandleState::Live);
    kimchi_handles::set_memory_budget(None);
    assert_eq!(ledger_snapshot().budget_bytes, None);
}

/// Growth of a live value through shared access (a cache it fills) asks the budget like a new
/// value does: refused, the change never runs and the ledger is untouched; admitted, the ledger
/// holds the value's measured size, whatever the estimate was.
#[test]
fn the_budget_refuses_growth_of_a_live_value_before_it_happens() {
    let _serial = serial();
    let _restore = Restore;
    assert_eq!(ledger_snapshot().total.live_bytes, 0, "no other test holds bytes");
    let h = Handle::new("Grows", declared(1_000)).unwrap();
    let start = h.bytes();
    kimchi_handles::set_memory_budget(Some(start + 5_000));
    let value = h.borrow().unwrap();
    let mut ran = false;
    let err = value.grow(6_000, |v| {
        ran = true;
        v.0.store(7_000, Ordering::Relaxed)
    });
    let err = err.err().expect("6,000 more bytes do not fit in 5,000");
    assert!(!ran, "a refused growth does not run");
    assert!(matches!(err, HandleError::BudgetExceeded { class: "Grows", growing: true, .. }), "{err:?}");
    let message = err.to_string();
    assert!(message.starts_with("growing Grows (6.0 KB more) would exceed the memory budget"), "{message}");
    assert_eq!((h.bytes(), stats("Grows").live_bytes), (start, start), "nothing counted");
    // Admitted: the estimate (4,000) is only asked; the ledger takes the measured size (5,000 more).
    assert_eq!(value.grow(4_000, |v| v.0.store(6_000, Ordering::Relaxed)), Ok(()));
    assert_eq!((h.bytes(), stats("Grows").live_bytes), (start + 5_000, start + 5_000));
    // At the budget now: even a small growth is refused, a shrink (0 asked) is not.
    assert!(value.grow(1, |_| ()).is_err());
    assert_eq!(value.grow(0, |v| v.0.store(0, Ordering::Relaxed)), Ok(()));
    assert_eq!(stats("Grows").live_bytes, start - 1_000);
    drop(value);
    h.dispose();
    assert_eq!(stats("Grows").live_bytes, 0);
}

#[test]
fn scopes_dispose_what_they_created_except_what_is_kept() {
    let _serial = serial();
    let outer = Scope::open();
    let kept_to_outer;
    {
        let inner = Scope::open();
        assert_eq!(ledger_snapshot().open_scopes, 2);
        let temp = Handle::new("Scoped", bytes(10)).unwrap();
        kept_to_outer = Handle::new("Scoped", bytes(10)).unwrap();
        let disposed_early = Handle::new("Scoped", bytes(10)).unwrap();
        disposed_early.dispose();
        assert!(inner.keep(&kept_to_outer));
        assert_eq!(
            outer.close(),
            Err(HandleError::ScopeOrder { scope: outer.id(), inner: inner.id() }),
            "closing out of order is an error"
        );
        assert_eq!(inner.close(), Ok(1), "only the live, unkept handle is disposed");
        assert_eq!(inner.close(), Ok(0), "closing twice is a no-op");
        assert!(!temp.dispose());
        assert!(matches!(temp.borrow(), Err(HandleError::Ended { ending: Ending::DisposedByScope, .. })));
        assert_eq!(kept_to_outer.state(), HandleState::Live);
    }
    assert_eq!(outer.close(), Ok(1), "the kept handle went to the outer scope");
    assert_eq!(kept_to_outer.state(), HandleState::Disposed);
    assert_eq!(kimchi_handles::scope::open_scopes(), 0);
}

#[test]
fn an_abandoned_scope_hands_its_handles_to_the_parent() {
    let _serial = serial();
    let outer = Scope::open();
    let inner = Scope::open();
    let h = Handle::new("Abandoned", bytes(1)).unwrap();
    drop(inner);
    assert_eq!(h.state(), HandleState::Live);
    assert_eq!(outer.close(), Ok(1));
    assert_eq!(h.state(), HandleState::Disposed);
}

fn nudges() -> u64 {
    ledger_snapshot().gc_nudges
}

/// A value that declares its size without allocating it: the ledger counts what `DeepSize` says,
/// and these tests run under Miri too, where filling megabytes would take minutes. Atomic, since
/// values are shared between threads.
struct Declared(AtomicUsize);
impl DeepSize for Declared {
    fn heap_size(&self) -> usize {
        self.0.load(Ordering::Relaxed)
    }
}

fn declared(bytes: usize) -> Declared {
    Declared(AtomicUsize::new(bytes))
}

#[test]
fn gc_nudges_come_from_bytes_left_behind_not_from_churn() {
    let _serial = serial();
    let _restore = Restore;
    const MB: usize = 1 << 20;
    assert_eq!(ledger_snapshot().gc_nudge_bytes, Some(4 << 20), "on by default, 4 MiB");
    // The nudges follow the live bytes of all classes: the other tests left none.
    assert_eq!(ledger_snapshot().total.live_bytes, 0, "no other test holds bytes");
    let start = nudges();
    // Disposing what you create: never a nudge, even with values over the step.
    for _ in 0..20 {
        Handle::new("Churn", declared(5 * MB)).unwrap().dispose();
    }
    assert_eq!(nudges(), start, "create/dispose churn of 5 MB values");
    // Left behind (kept here, as the finalizer would see them): a nudge per step of garbage.
    // Valleys before each creation: 0, 1, ... 7 MB; the one at 5 MB is over 4 MiB (then the base
    // is 5 MB, and the next nudge would come past 9 MiB).
    let kept: Vec<_> = (0..8).map(|_| Handle::new("Kept", declared(MB)).unwrap()).collect();
    assert_eq!(nudges() - start, 1, "the valley passed 4 MiB once in 8 MB");
    // Released: the valley falls, and the next 4 MiB are counted from there.
    drop(kept);
    let again: Vec<_> = (0..4).map(|_| Handle::new("Kept", declared(MB)).unwrap()).collect();
    assert_eq!(nudges() - start, 1, "4 MB over the new base is not over a step");
    drop(again);
    // Off: never.
    kimchi_handles::set_gc_nudge(None);
    assert_eq!(ledger_snapshot().gc_nudge_bytes, None);
    let kept: Vec<_> = (0..10).map(|_| Handle::new("Kept", declared(MB)).unwrap()).collect();
    assert_eq!(nudges() - start, 1);
    drop(kept);
    kimchi_handles::set_gc_nudge(Some(4 << 20));
}

#[test]
fn a_value_that_grows_in_place_counts_as_growth_for_nudges() {
    let _serial = serial();
    let _restore = Restore;
    const MB: usize = 1 << 20;
    assert_eq!(ledger_snapshot().total.live_bytes, 0, "no other test holds bytes");
    kimchi_handles::set_gc_nudge(Some(MB as u64));
    assert_eq!(ledger_snapshot().gc_nudge_bytes, Some(MB as u64));
    let start = nudges();
    let h = Handle::new("Growing", declared(0)).unwrap();
    let grow_to = |n: usize| {
        let value = h.borrow().unwrap();
        value.grow(n, |v| v.0.store(n, Ordering::Relaxed)).unwrap();
        h.bytes() as usize
    };
    assert!(grow_to(2 * MB) >= 2 * MB);
    assert_eq!(nudges(), start, "the valley before that growth was about 0");
    grow_to(4 * MB);
    assert_eq!(nudges() - start, 1, "2 MB stayed: over the 1 MB step");
    assert!(stats("Growing").live_bytes >= 4 * MB as u64);
    assert_eq!(h.bytes(), stats("Growing").live_bytes, "the handle and the ledger agree");
    h.dispose();
    assert_eq!(stats("Growing").live_bytes, 0);
    kimchi_handles::set_gc_nudge(Some(4 << 20));
}
