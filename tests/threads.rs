//! Handles across threads: the registry and the ledger are one per process, shared by every
//! thread, while scopes and leak hooks belong to one thread. Random steps on four threads, on
//! their own handles and on handles other threads created, must leave the ledger exact and drop
//! every value exactly once; a handle's one ending cannot happen twice when two threads race for
//! it; a scope collects only the handles of its own thread.
//!
//! Every test uses class names of its own and takes [`serial`] first: the registry reuses the slot
//! of an ended handle once over 1024 others have ended, and then a use of the old handle says only
//! that its key names no handle. The random test, which ends thousands of handles, must not make
//! that happen to the handles another test is checking.

use std::cell::Cell;
use std::collections::BTreeMap;
use std::rc::Rc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{mpsc, Arc, Barrier, Mutex, MutexGuard};
use std::thread;

use kimchi_handles::{
    leak, ledger_snapshot, ClassStats, DeepSize, Ending, Handle, HandleError, HandleState, Scope, Shared,
};

/// One test at a time (a failed test poisons the lock; the next one goes on).
fn serial() -> MutexGuard<'static, ()> {
    static SERIAL: Mutex<()> = Mutex::new(());
    SERIAL.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Real drops, by tag.
static DROPS: Mutex<BTreeMap<u64, u32>> = Mutex::new(BTreeMap::new());

/// The last tag given to a value (never reused in the process).
static LAST_TAG: AtomicU64 = AtomicU64::new(0);

/// A payload that counts its real drops, by tag; its bytes all equal the tag's low byte.
struct Counted {
    tag: u64,
    data: Vec<u8>,
}

impl Counted {
    fn new(len: usize) -> Self {
        let tag = LAST_TAG.fetch_add(1, Ordering::Relaxed) + 1;
        Self { tag, data: vec![tag as u8; len] }
    }

    /// Checks that the value is intact and is the value of `tag`.
    fn check(&self, tag: u64) {
        assert_eq!(self.tag, tag, "the value of another handle");
        assert!(self.data.iter().all(|b| *b == tag as u8), "value {tag} corrupted");
    }
}

impl Drop for Counted {
    fn drop(&mut self) {
        *DROPS.lock().unwrap_or_else(|p| p.into_inner()).entry(self.tag).or_default() += 1;
    }
}

impl DeepSize for Counted {
    fn heap_size(&self) -> usize {
        self.data.capacity()
    }
}

fn drops(tag: u64) -> u32 {
    DROPS.lock().unwrap_or_else(|p| p.into_inner()).get(&tag).copied().unwrap_or(0)
}

fn stats(class: &str) -> ClassStats {
    ledger_snapshot().classes.get(class).copied().unwrap_or_default()
}

/// Counts the leak reports of `class` on this thread from now on (hooks are per thread).
fn count_leaks(class: &'static str) -> Rc<Cell<u64>> {
    let count = Rc::new(Cell::new(0));
    let sink = Rc::clone(&count);
    leak::set_leak_hook(Some(Box::new(move |r| {
        if r.class == class {
            sink.set(sink.get() + 1);
        }
    })));
    count
}

/// xorshift64: deterministic per seed, no dependency.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Self {
        Self(seed.max(1))
    }

    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

// ---- (a) random steps on four threads -----------------------------------------------------------

const RANDOM: &str = "ThreadsRandom";
const INTO: &str = "thread_consumer";
const THREADS: usize = 4;

/// Steps per thread: 4 x 25,000 = 100,000 natively; Miri runs each step ~1000x slower.
fn steps_per_thread() -> usize {
    if cfg!(miri) {
        200
    } else {
        25_000
    }
}

/// A handle and the tag of its value. The `Arc` lets several threads hold the same handle (one
/// in the pool, others operating on it); the handle is dropped, and rescued if still live, with
/// the last of them.
#[derive(Clone)]
struct Held {
    tag: u64,
    handle: Arc<Handle<Counted>>,
}

/// What one thread saw succeed.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
struct Counts {
    created: u64,
    shared: u64,
    disposed: u64,
    moved: u64,
    rescued: u64,
    borrowed: u64,
    refused_in_use: u64,
}

impl std::ops::Add for Counts {
    type Output = Counts;
    fn add(self, o: Counts) -> Counts {
        Counts {
            created: self.created + o.created,
            shared: self.shared + o.shared,
            disposed: self.disposed + o.disposed,
            moved: self.moved + o.moved,
            rescued: self.rescued + o.rescued,
            borrowed: self.borrowed + o.borrowed,
            refused_in_use: self.refused_in_use + o.refused_in_use,
        }
    }
}

/// A use of a handle that failed because it had ended: the error says how, and it stays ended.
fn assert_ended(h: &Held, error: HandleError) {
    let id = h.handle.id();
    match error {
        HandleError::Ended { class: RANDOM, id: e, ending: Ending::Disposed | Ending::Moved { into: INTO } }
            if e == id => {}
        // Ended so long ago that its slot holds another handle now (over 1024 endings since, on
        // all threads): a Rust handle still knows its id.
        HandleError::Released { class: RANDOM, id: e } if e == id => {}
        other => panic!("handle #{id}: unexpected error {other:?}"),
    }
    assert_ne!(h.handle.state(), HandleState::Live, "an ended handle came back");
}

/// One thread's random program; returns what it counted and the tags of the values it created.
fn random_program(seed: u64, pool: &Mutex<Vec<Held>>) -> (Counts, Vec<u64>) {
    let leaks = count_leaks(RANDOM);
    let mut rng = Rng::new(seed);
    let mut counts = Counts::default();
    let mut tags = Vec::new();
    let mut mine: Vec<Held> = Vec::new();
    let mut borrows: Vec<(u64, Shared<Counted>)> = Vec::new();
    let lock = || pool.lock().unwrap_or_else(|p| p.into_inner());

    for step in 0..steps_per_thread() {
        // A handle to operate on: one of this thread's, or one in the pool (maybe another
        // thread's, which may be using it at the same moment).
        let pick = |rng: &mut Rng, mine: &[Held]| -> Option<Held> {
            if rng.below(2) == 0 && !mine.is_empty() {
                return mine.get(rng.below(mine.len())).cloned();
            }
            let pool = lock();
            let at = rng.below(pool.len().max(1));
            pool.get(at).cloned()
        };
        match rng.below(20) {
            // create
            0..=3 => {
                let value = Counted::new(rng.below(64));
                let tag = value.tag;
                let handle = Handle::new(RANDOM, value).expect("no budget is set");
                counts.created += 1;
                tags.push(tag);
                mine.push(Held { tag, handle: Arc::new(handle) });
            }
            // share
            4..=5 => {
                let Some(h) = pick(&mut rng, &mine) else { continue };
                match h.handle.share() {
                    Ok(copy) => {
                        counts.shared += 1;
                        mine.push(Held { tag: h.tag, handle: Arc::new(copy) });
                    }
                    Err(error) => assert_ended(&h, error),
                }
            }
            // borrow (sometimes kept for a while, across other threads' disposes)
            6..=8 => {
                let Some(h) = pick(&mut rng, &mine) else { continue };
                match h.handle.borrow() {
                    Ok(value) => {
                        value.check(h.tag);
                        counts.borrowed += 1;
                        if borrows.len() < 3 && rng.below(4) == 0 {
                            borrows.push((h.tag, value));
                        }
                    }
                    Err(error) => assert_ended(&h, error),
                }
            }
            // take
            9..=10 => {
                let Some(h) = pick(&mut rng, &mine) else { continue };
                match h.handle.take(INTO) {
                    Ok(value) => {
                        value.check(h.tag);
                        assert_eq!(drops(h.tag), 0, "a moved value must not have been dropped");
                        match h.handle.error() {
                            Some(HandleError::Ended { class: RANDOM, id, ending: Ending::Moved { into: INTO } }) => {
                                assert_eq!(id, h.handle.id())
                            }
                            // A thread paused here while the others ended over 1024 handles.
                            Some(HandleError::Released { class: RANDOM, id }) => assert_eq!(id, h.handle.id()),
                            other => panic!("a taken handle: {other:?}"),
                        }
                        counts.moved += 1;
                        drop(value);
                        assert_eq!(drops(h.tag), 1);
                    }
                    Err(HandleError::InUse { class: RANDOM, id, into: INTO }) if id == h.handle.id() => {
                        counts.refused_in_use += 1;
                    }
                    Err(error) => assert_ended(&h, error),
                }
            }
            // dispose
            11..=13 => {
                let Some(h) = pick(&mut rng, &mine) else { continue };
                if h.handle.dispose() {
                    counts.disposed += 1;
                    assert_eq!(h.handle.state(), HandleState::Disposed);
                    assert!(!h.handle.dispose(), "a second dispose is a no-op");
                } else {
                    assert_ne!(h.handle.state(), HandleState::Live);
                }
            }
            // drop one of this thread's handles (rescued if it is the last owner and still live)
            14..=15 => {
                if !mine.is_empty() {
                    drop(mine.swap_remove(rng.below(mine.len())));
                }
            }
            // hand one to the other threads
            16..=17 => {
                if !mine.is_empty() {
                    let h = mine.swap_remove(rng.below(mine.len()));
                    let mut pool = lock();
                    if pool.len() < 64 {
                        pool.push(h);
                    } else {
                        // Dropped after the pool's lock.
                        let old = std::mem::replace(&mut pool[rng.below(64)], h);
                        drop(pool);
                        drop(old);
                    }
                }
            }
            // take one from the pool (out of it, or a second owner)
            18 => {
                let mut pool = lock();
                if !pool.is_empty() {
                    let at = rng.below(pool.len());
                    let h = if rng.below(2) == 0 { pool.swap_remove(at) } else { pool[at].clone() };
                    drop(pool);
                    mine.push(h);
                }
            }
            // end the long borrows
            _ => {
                for (tag, value) in borrows.drain(..) {
                    value.check(tag);
                }
            }
        }
        if mine.len() > 32 {
            drop(mine.swap_remove(0));
        }
        if step % 1000 == 0 {
            let s = stats(RANDOM);
            assert_eq!(s.created, s.live + s.disposed + s.moved + s.rescued, "at every moment: {s:?}");
        }
    }
    for (tag, value) in borrows.drain(..) {
        value.check(tag);
    }
    drop(mine);
    counts.rescued = leaks.get();
    leak::set_leak_hook(None);
    (counts, tags)
}

#[test]
fn random_steps_on_four_threads_keep_the_ledger_exact() {
    let _serial = serial();
    let pool: Mutex<Vec<Held>> = Mutex::new(Vec::new());
    let results: Vec<(Counts, Vec<u64>)> = thread::scope(|s| {
        let workers: Vec<_> = (0..THREADS as u64)
            .map(|i| {
                let pool = &pool;
                s.spawn(move || random_program(0x9E37_79B9_7F4A_7C15u64.wrapping_mul(i + 1), pool))
            })
            .collect();
        workers.into_iter().map(|w| w.join().expect("a worker failed (see its panic above)")).collect()
    });
    // The pool's last handles end here; the ones still live are rescued on this thread.
    let leaks = count_leaks(RANDOM);
    drop(pool.into_inner().unwrap_or_else(|p| p.into_inner()));
    let main_rescued = leaks.get();
    leak::set_leak_hook(None);

    let mut counts = Counts { rescued: main_rescued, ..Counts::default() };
    let mut tags = Vec::new();
    for (c, t) in results {
        counts = counts + c;
        tags.extend(t);
    }
    let s = stats(RANDOM);
    assert_eq!(s.created, s.live + s.disposed + s.moved + s.rescued, "{s:?}");
    assert_eq!((s.live, s.live_bytes), (0, 0), "everything released: {s:?}");
    assert_eq!(s.created, counts.created + counts.shared, "handles created and shared");
    assert_eq!(s.disposed, counts.disposed, "disposes that returned true");
    assert_eq!(s.moved, counts.moved, "takes that succeeded");
    assert_eq!(s.rescued, counts.rescued, "leak reports, on every thread");
    // Every value, whoever created, moved or released it, was dropped once.
    assert_eq!(tags.len() as u64, counts.created);
    for tag in &tags {
        assert_eq!(drops(*tag), 1, "drops of value {tag}");
    }
    // The program did exercise each path.
    for (what, n) in [
        ("shares", counts.shared),
        ("disposes", counts.disposed),
        ("moves", counts.moved),
        ("rescues", counts.rescued),
        ("borrows", counts.borrowed),
    ] {
        assert!(n > 0, "no {what} in {counts:?}");
    }
    if !cfg!(miri) {
        assert!(counts.refused_in_use > 0, "no take refused as in use: {counts:?}");
    }
}

// ---- (b) one handle, several threads --------------------------------------------------------------

#[test]
fn a_handle_created_on_one_thread_is_borrowed_shared_and_disposed_on_another() {
    let _serial = serial();
    const CLASS: &str = "CrossThread";
    let (to_b, from_a) = mpsc::channel::<Handle<Counted>>();
    let (to_a, from_b) = mpsc::channel::<(Handle<Counted>, Shared<Counted>)>();
    let leaks = count_leaks(CLASS);
    let value = Counted::new(100);
    let tag = value.tag;
    let original = Handle::new(CLASS, value).unwrap();
    let id = original.id();
    thread::scope(|s| {
        s.spawn(move || {
            let b_leaks = count_leaks(CLASS);
            let h = from_a.recv().unwrap();
            assert_eq!(h.id(), id);
            assert_eq!(h.state(), HandleState::Live);
            let borrowed = h.borrow().unwrap();
            borrowed.check(tag);
            let copy = h.share().unwrap();
            assert!(h.dispose(), "disposed on a thread that did not create it");
            assert_eq!(h.error(), Some(HandleError::Ended { class: CLASS, id, ending: Ending::Disposed }));
            assert_eq!(copy.borrow().unwrap().tag, tag, "the share keeps the value");
            drop(h);
            assert_eq!(b_leaks.get(), 0, "a disposed handle is not a leak");
            to_a.send((copy, borrowed)).unwrap();
        });
        to_b.send(original).unwrap();
        let (copy, borrowed) = from_b.recv().unwrap();
        borrowed.check(tag);
        assert!(matches!(copy.take("main"), Err(HandleError::InUse { class: CLASS, .. })), "borrowed elsewhere");
        drop(borrowed);
        let value = copy.take("main").unwrap();
        value.check(tag);
        assert_eq!(drops(tag), 0);
        drop(value);
        assert_eq!(drops(tag), 1);
        drop(copy);
    });
    assert_eq!(leaks.get(), 0);
    leak::set_leak_hook(None);
    let s = stats(CLASS);
    assert_eq!((s.created, s.live, s.live_bytes, s.disposed, s.moved, s.rescued), (2, 0, 0, 1, 1, 0));
}

/// Iterations of the race: a few thousand natively, a few under Miri.
fn races() -> usize {
    if cfg!(miri) {
        12
    } else {
        3_000
    }
}

#[test]
fn a_take_racing_a_dispose_ends_the_handle_exactly_once() {
    let _serial = serial();
    const CLASS: &str = "TakeVersusDispose";
    let leaks = count_leaks(CLASS);
    let (mut took, mut disposed) = (0u64, 0u64);
    for _ in 0..races() {
        let value = Counted::new(16);
        let tag = value.tag;
        let h = Handle::new(CLASS, value).unwrap();
        let barrier = Barrier::new(2);
        let (taken, was_disposed) = thread::scope(|s| {
            let taker = s.spawn(|| {
                barrier.wait();
                h.take("racer")
            });
            let disposer = s.spawn(|| {
                barrier.wait();
                h.dispose()
            });
            (taker.join().unwrap(), disposer.join().unwrap())
        });
        match taken {
            Ok(value) => {
                assert!(!was_disposed, "taken and disposed");
                value.check(tag);
                assert_eq!(drops(tag), 0);
                assert_eq!(h.state(), HandleState::Moved);
                took += 1;
            }
            Err(error) => {
                assert!(was_disposed, "neither taken nor disposed: {error:?}");
                assert_eq!(error, HandleError::Ended { class: CLASS, id: h.id(), ending: Ending::Disposed });
                assert_eq!(h.state(), HandleState::Disposed);
                disposed += 1;
            }
        }
        assert!(!h.dispose());
        drop(h);
        assert_eq!(drops(tag), 1, "the value of race {tag} dropped once");
    }
    assert_eq!(leaks.get(), 0, "no handle of the race was left live");
    leak::set_leak_hook(None);
    let s = stats(CLASS);
    assert_eq!(took + disposed, races() as u64);
    assert_eq!((s.created, s.moved, s.disposed, s.rescued), (races() as u64, took, disposed, 0));
    assert_eq!((s.live, s.live_bytes), (0, 0));
}

// ---- (c) scopes belong to one thread -------------------------------------------------------------

#[test]
fn a_scope_collects_only_the_handles_of_its_own_thread() {
    let _serial = serial();
    const CLASS: &str = "PerThreadScope";
    let step = Barrier::new(2);
    let (to_a, from_b) = mpsc::channel::<Handle<Counted>>();
    thread::scope(|s| {
        // Thread B.
        s.spawn(|| {
            step.wait(); // 1: A's scope is open
            assert_eq!(ledger_snapshot().open_scopes, 0, "A's scope is not open on B");
            let made_on_b = Handle::new(CLASS, Counted::new(8)).unwrap();
            let scope = Scope::open();
            step.wait(); // 2: B's scope is open too
            step.wait(); // 3: A created a handle while B's scope was open
            assert_eq!(scope.close(), Ok(0), "B's scope does not collect what A created");
            assert_eq!(made_on_b.state(), HandleState::Live);
            to_a.send(made_on_b).unwrap();
        });
        // Thread A.
        let scope = Scope::open();
        assert_eq!(ledger_snapshot().open_scopes, 1);
        step.wait(); // 1
        step.wait(); // 2
        let made_on_a = Handle::new(CLASS, Counted::new(8)).unwrap();
        step.wait(); // 3
        let made_on_b = from_b.recv().unwrap();
        assert_eq!(scope.close(), Ok(1), "only the handle created on A");
        assert_eq!(
            made_on_a.error(),
            Some(HandleError::Ended { class: CLASS, id: made_on_a.id(), ending: Ending::DisposedByScope })
        );
        assert_eq!(made_on_b.state(), HandleState::Live, "B's handle, created while A's scope was open, is not its");
        assert!(made_on_b.dispose());
        assert_eq!(ledger_snapshot().open_scopes, 0);
    });
    let s = stats(CLASS);
    assert_eq!((s.created, s.disposed, s.live, s.live_bytes, s.rescued), (2, 2, 0, 0, 0));
}

// ---- remeasures from several threads ------------------------------------------------------------

/// A value whose size is set from outside, as an SRS's grows when it caches Lagrange bases.
struct Growable(AtomicUsize);

impl DeepSize for Growable {
    fn heap_size(&self) -> usize {
        self.0.load(Ordering::Relaxed)
    }
}

/// Two threads remeasure one shared value while it grows: the ledger must end where the value's
/// own count ends, and return to 0 when the value is dropped.
#[test]
fn concurrent_remeasures_of_one_value_keep_the_ledger_exact() {
    let _serial = serial();
    const CLASS: &str = "RemeasureRace";
    let remeasures = if cfg!(miri) { 20 } else { 20_000 };
    for round in 0..10 {
        let h = Handle::new(CLASS, Growable(AtomicUsize::new(0))).unwrap();
        let start = Barrier::new(2);
        thread::scope(|s| {
            for t in 0..2 {
                let (h, start) = (&h, &start);
                s.spawn(move || {
                    let value = h.borrow().unwrap();
                    start.wait();
                    // Up and down, so that a remeasure often subtracts more than the ledger holds
                    // if it arrives before the one that added those bytes.
                    for k in 0..remeasures {
                        let n = if k % 2 == t { 1_000_000 + k } else { 10 };
                        value.grow(n, |v| v.0.store(n, Ordering::Relaxed)).unwrap();
                    }
                });
            }
        });
        assert_eq!(stats(CLASS).live_bytes, h.bytes(), "round {round}: the ledger and the value's bytes");
        assert!(h.dispose());
        assert_eq!(stats(CLASS).live_bytes, 0, "round {round}: bytes left behind by a value that was dropped");
    }
}
