//! State-machine property test: random programs of create / share / borrow / move / dispose /
//! drop / scope operations against a plain model. After every step the ledger must equal the
//! model, and every value must have been dropped exactly when its last owner let go: never twice,
//! never early, never lost (real `Drop` calls are counted).
//!
//! The registry and the ledger are one per process: each program starts from the ledger as the
//! programs before it left it (nothing live, counters that only grow). This file has one test, so
//! nothing else changes the ledger meanwhile; values are `Send + Sync`, so their drops are counted
//! in a global map, by tags unique in the process.

use std::cell::Cell;
use std::collections::BTreeMap;
use std::rc::Rc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

use kimchi_handles::{leak, ledger_snapshot, DeepSize, Ending, Handle, HandleError, HandleState, Scope};
use proptest::prelude::*;

/// Real drops, by tag.
static DROPS: Mutex<BTreeMap<u64, u32>> = Mutex::new(BTreeMap::new());

/// The last tag given to a value (tags are never reused, across programs too).
static LAST_TAG: AtomicU64 = AtomicU64::new(0);

/// A payload that counts its real drops, by tag.
struct Counted {
    tag: u64,
    data: Vec<u8>,
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

const CLASSES: [&str; 2] = ["ModelA", "ModelB"];

#[derive(Debug, Clone)]
enum Op {
    Create { class: usize, bytes: usize },
    Share(usize),
    Borrow(usize),
    BorrowAndDispose(usize),
    Take(usize),
    Dispose(usize),
    DropShell(usize),
    OpenScope,
    CloseScope(usize),
    CloseClosedScope(usize),
    AbandonScope(usize),
    Keep(usize),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => (0..2usize, 0..256usize).prop_map(|(class, bytes)| Op::Create { class, bytes }),
        2 => any::<usize>().prop_map(Op::Share),
        2 => any::<usize>().prop_map(Op::Borrow),
        1 => any::<usize>().prop_map(Op::BorrowAndDispose),
        2 => any::<usize>().prop_map(Op::Take),
        3 => any::<usize>().prop_map(Op::Dispose),
        2 => any::<usize>().prop_map(Op::DropShell),
        1 => Just(Op::OpenScope),
        1 => any::<usize>().prop_map(Op::CloseScope),
        1 => any::<usize>().prop_map(Op::CloseClosedScope),
        1 => any::<usize>().prop_map(Op::AbandonScope),
        1 => any::<usize>().prop_map(Op::Keep),
    ]
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Expect {
    Live,
    Disposed,
    DisposedByScope,
    Moved,
}

struct ModelHandle {
    handle: Option<Handle<Counted>>, // None once the shell was dropped
    class: usize,
    tag: u64,
    expect: Expect,
    scope: Option<u64>,
}

struct ModelValue {
    owners: usize, // live handles that share it
    bytes: u64,
    class: usize,
    alive: bool, // not yet dropped nor moved out
}

struct Model {
    handles: Vec<ModelHandle>,
    values: BTreeMap<u64, ModelValue>,
    scopes: Vec<Scope>,
    closed: Vec<Scope>,
    /// The ledger of each class: what the programs before left, plus what this one did.
    stats: [kimchi_handles::ClassStats; 2],
    /// Leak reports this thread's hook received, and the rescues the programs before made.
    reports: Rc<Cell<u64>>,
    rescued_before: u64,
}

impl Model {
    /// A model of the ledger as it is now, which must hold nothing live of its classes; reports
    /// of rescued handles on this thread are counted from now on.
    fn new() -> Self {
        let snapshot = ledger_snapshot();
        let stats = CLASSES.map(|name| snapshot.classes.get(name).copied().unwrap_or_default());
        for (name, s) in CLASSES.iter().zip(&stats) {
            assert_eq!((s.live, s.live_bytes), (0, 0), "{name} left live by an earlier program");
        }
        let reports = Rc::new(Cell::new(0));
        let sink = Rc::clone(&reports);
        leak::set_leak_hook(Some(Box::new(move |r| {
            if CLASSES.contains(&r.class) {
                sink.set(sink.get() + 1);
            }
        })));
        Self {
            handles: Vec::new(),
            values: BTreeMap::new(),
            scopes: Vec::new(),
            closed: Vec::new(),
            rescued_before: stats.iter().map(|s| s.rescued).sum(),
            stats,
            reports,
        }
    }

    fn pick(&self, i: usize) -> Option<usize> {
        (!self.handles.is_empty()).then(|| i % self.handles.len())
    }

    fn innermost(&self) -> Option<u64> {
        self.scopes.last().map(Scope::id)
    }

    fn release_owner(&mut self, tag: u64) {
        let value = self.values.get_mut(&tag).expect("model value");
        value.owners -= 1;
        if value.owners == 0 {
            value.alive = false;
            let stats = &mut self.stats[value.class];
            stats.live_bytes -= value.bytes;
        }
    }

    fn end(&mut self, h: usize, expect: Expect) {
        let (class, tag) = (self.handles[h].class, self.handles[h].tag);
        self.handles[h].expect = expect;
        let stats = &mut self.stats[class];
        stats.live -= 1;
        match expect {
            Expect::Disposed | Expect::DisposedByScope => stats.disposed += 1,
            Expect::Moved => stats.moved += 1,
            Expect::Live => unreachable!(),
        }
        self.release_owner(tag);
    }

    fn new_handle(&mut self, handle: Handle<Counted>, class: usize, tag: u64) {
        self.stats[class].created += 1;
        self.stats[class].live += 1;
        let scope = self.innermost();
        self.handles.push(ModelHandle { handle: Some(handle), class, tag, expect: Expect::Live, scope });
    }

    fn apply(&mut self, op: &Op) {
        match *op {
            Op::Create { class, bytes } => {
                let tag = LAST_TAG.fetch_add(1, Ordering::Relaxed) + 1;
                let value = Counted { tag, data: vec![tag as u8; bytes] };
                let size = value.deep_size() as u64;
                let handle = Handle::new(CLASSES[class], value).expect("no budget set");
                self.values.insert(tag, ModelValue { owners: 1, bytes: size, class, alive: true });
                self.stats[class].live_bytes += size;
                self.new_handle(handle, class, tag);
            }
            Op::Share(i) => {
                let Some(h) = self.pick(i) else { return };
                let Some(handle) = &self.handles[h].handle else { return };
                let result = handle.share();
                let (class, tag, expect) = (self.handles[h].class, self.handles[h].tag, self.handles[h].expect);
                match expect {
                    Expect::Live => {
                        let shared = result.expect("share of a live handle");
                        self.values.get_mut(&tag).expect("value").owners += 1;
                        self.new_handle(shared, class, tag);
                    }
                    _ => assert_gone(result.err(), expect),
                }
            }
            Op::Borrow(i) => {
                let Some(h) = self.pick(i) else { return };
                let Some(handle) = &self.handles[h].handle else { return };
                match self.handles[h].expect {
                    Expect::Live => {
                        let value = handle.borrow().expect("borrow of a live handle");
                        assert_eq!(value.tag, self.handles[h].tag);
                        assert!(value.data.iter().all(|b| *b == value.tag as u8));
                        assert_eq!(handle.state(), HandleState::Live);
                    }
                    expect => assert_gone(handle.borrow().err(), expect),
                }
            }
            Op::BorrowAndDispose(i) => {
                let Some(h) = self.pick(i) else { return };
                let Some(handle) = &self.handles[h].handle else { return };
                if self.handles[h].expect != Expect::Live {
                    assert!(!handle.dispose());
                    return;
                }
                let tag = self.handles[h].tag;
                let borrowed = handle.borrow().expect("borrow");
                assert!(handle.dispose());
                // The borrow keeps the value alive and readable after its handle was disposed.
                assert_eq!(drops(tag), 0);
                assert_eq!(borrowed.tag, tag);
                drop(borrowed);
                self.end(h, Expect::Disposed);
            }
            Op::Take(i) => {
                let Some(h) = self.pick(i) else { return };
                let Some(handle) = &self.handles[h].handle else { return };
                let result = handle.take("model_consumer");
                let (tag, expect) = (self.handles[h].tag, self.handles[h].expect);
                match expect {
                    Expect::Live if self.values[&tag].owners > 1 => {
                        assert!(matches!(result, Err(HandleError::InUse { into: "model_consumer", .. })));
                    }
                    Expect::Live => {
                        let value = result.expect("take of a sole live handle");
                        assert_eq!(value.tag, tag);
                        assert_eq!(drops(tag), 0, "moved value must not be dropped by the handle");
                        self.end(h, Expect::Moved);
                        drop(value); // the consumer drops it: its one and only drop
                    }
                    _ => assert_gone(result.err(), expect),
                }
            }
            Op::Dispose(i) => {
                let Some(h) = self.pick(i) else { return };
                let Some(handle) = &self.handles[h].handle else { return };
                let did = handle.dispose();
                assert_eq!(did, self.handles[h].expect == Expect::Live);
                if did {
                    self.end(h, Expect::Disposed);
                }
            }
            Op::DropShell(i) => {
                let Some(h) = self.pick(i) else { return };
                let Some(handle) = self.handles[h].handle.take() else { return };
                drop(handle);
                if self.handles[h].expect == Expect::Live {
                    let (class, tag) = (self.handles[h].class, self.handles[h].tag);
                    self.stats[class].live -= 1;
                    self.stats[class].rescued += 1;
                    self.handles[h].expect = Expect::Disposed;
                    self.release_owner(tag);
                }
            }
            Op::OpenScope => self.scopes.push(Scope::open()),
            Op::CloseScope(i) => {
                if self.scopes.is_empty() {
                    return;
                }
                let s = i % self.scopes.len();
                let id = self.scopes[s].id();
                let result = self.scopes[s].close();
                if s + 1 < self.scopes.len() {
                    let inner = self.scopes[s + 1].id();
                    assert_eq!(result, Err(HandleError::ScopeOrder { scope: id, inner }));
                    return;
                }
                let members: Vec<usize> = (0..self.handles.len())
                    .filter(|h| self.handles[*h].scope == Some(id) && self.handles[*h].expect == Expect::Live)
                    .filter(|h| self.handles[*h].handle.is_some())
                    .collect();
                assert_eq!(result, Ok(members.len()));
                for h in members {
                    self.end(h, Expect::DisposedByScope);
                }
                let closed = self.scopes.pop().expect("scope");
                self.closed.push(closed);
            }
            Op::CloseClosedScope(i) => {
                if !self.closed.is_empty() {
                    assert_eq!(self.closed[i % self.closed.len()].close(), Ok(0));
                }
            }
            Op::AbandonScope(i) => {
                if self.scopes.is_empty() {
                    return;
                }
                let s = i % self.scopes.len();
                let id = self.scopes[s].id();
                let parent = s.checked_sub(1).map(|p| self.scopes[p].id());
                drop(self.scopes.remove(s));
                for handle in &mut self.handles {
                    if handle.scope == Some(id) {
                        handle.scope = parent;
                    }
                }
            }
            Op::Keep(i) => {
                let (Some(h), Some(scope)) = (self.pick(i), self.scopes.last()) else { return };
                let Some(handle) = &self.handles[h].handle else { return };
                let belongs = self.handles[h].scope == Some(scope.id()) && self.handles[h].expect == Expect::Live;
                let kept = scope.keep(handle);
                if self.handles[h].expect == Expect::Live {
                    assert_eq!(kept, belongs);
                }
                if kept {
                    self.handles[h].scope = self.scopes.len().checked_sub(2).map(|p| self.scopes[p].id());
                }
            }
        }
    }

    fn check(&self) {
        let snapshot = ledger_snapshot();
        for (c, name) in CLASSES.iter().enumerate() {
            let actual = snapshot.classes.get(name).copied().unwrap_or_default();
            assert_eq!(actual, self.stats[c], "ledger of {name}");
            assert_eq!(actual.created, actual.live + actual.disposed + actual.moved + actual.rescued);
        }
        let rescued: u64 = self.stats.iter().map(|s| s.rescued).sum();
        assert_eq!(self.rescued_before + self.reports.get(), rescued, "one leak report per rescued handle");
        assert_eq!(snapshot.open_scopes, self.scopes.len() as u64, "scopes open on this thread");
        // One lock for all values (the check runs after every step, also under Miri).
        let drops = DROPS.lock().unwrap_or_else(|p| p.into_inner());
        for (tag, value) in &self.values {
            assert_eq!(drops.get(tag).copied().unwrap_or(0), u32::from(!value.alive), "drops of value {tag}");
        }
        drop(drops);
        for h in &self.handles {
            if let Some(handle) = &h.handle {
                let state = match h.expect {
                    Expect::Live => HandleState::Live,
                    Expect::Moved => HandleState::Moved,
                    Expect::Disposed | Expect::DisposedByScope => HandleState::Disposed,
                };
                assert_eq!(handle.state(), state);
            }
        }
    }
}

fn drops(tag: u64) -> u32 {
    DROPS.lock().unwrap_or_else(|p| p.into_inner()).get(&tag).copied().unwrap_or(0)
}

fn assert_gone(error: Option<HandleError>, expect: Expect) {
    match (error, expect) {
        (Some(HandleError::Ended { ending: Ending::Disposed, .. }), Expect::Disposed)
        | (Some(HandleError::Ended { ending: Ending::DisposedByScope, .. }), Expect::DisposedByScope)
        | (Some(HandleError::Ended { ending: Ending::Moved { into: "model_consumer" }, .. }), Expect::Moved) => {}
        (error, expect) => panic!("expected the error of a {expect:?} handle, got {error:?}"),
    }
}

/// Steps per program x programs: 400 x 256 = 102,400 random steps in `make test`.
/// `MODEL_CASES` and `MODEL_STEPS` lower both where each step is slow (under Miri).
fn env_or(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn cases() -> u32 {
    env_or("MODEL_CASES", 256) as u32
}

fn steps() -> usize {
    env_or("MODEL_STEPS", 400)
}

/// Natively proptest's default generator (ChaCha, whose seeds the regressions file holds); under
/// Miri the cheaper XorShift, since ChaCha took most of Miri's time generating the programs.
fn rng_algorithm() -> proptest::test_runner::RngAlgorithm {
    if cfg!(miri) {
        proptest::test_runner::RngAlgorithm::XorShift
    } else {
        proptest::test_runner::RngAlgorithm::default()
    }
}

fn persistence() -> Option<Box<dyn proptest::test_runner::FailurePersistence>> {
    if cfg!(miri) {
        None
    } else {
        Some(Box::new(proptest::test_runner::FileFailurePersistence::SourceParallel("proptest-regressions")))
    }
}

proptest! {
    // Natively, failures found before (tests/model.proptest-regressions) are replayed first; under
    // Miri, which runs few cases, only fresh ones.
    #![proptest_config(ProptestConfig {
        cases: cases(),
        failure_persistence: persistence(),
        rng_algorithm: rng_algorithm(),
        ..ProptestConfig::default()
    })]

    #[test]
    fn ledger_and_drops_follow_the_model(ops in proptest::collection::vec(op(), steps()..=steps())) {
        // Each case runs on a fresh thread: no scopes open and no leak hook but its own. The
        // registry and the ledger are the process's: the model starts from the ledger as it is.
        std::thread::spawn(move || {
            let mut model = Model::new();
            for op in &ops {
                model.apply(op);
                model.check();
            }
            // Dropping everything that is left releases every value exactly once.
            for s in model.scopes.drain(..).rev() {
                drop(s);
            }
            for h in 0..model.handles.len() {
                model.apply(&Op::DropShell(h));
            }
            model.check();
            let total = ledger_snapshot().total;
            assert_eq!((total.live, total.live_bytes), (0, 0));
        })
        .join()
        .map_err(|_| TestCaseError::fail("model check failed (see panic above)"))?;
    }
}
