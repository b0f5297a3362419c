//! Leak reports: what happens when a handle is released by its finalizer instead of by its user.
//!
//! Every such handle is counted as "rescued" in the ledger and passed to the leak hook of the
//! thread where its object was collected. Without a hook, the first rescue of each class prints one
//! warning with running totals. With debug origins on, each handle remembers where it was created
//! (a JS stack trace in WASM, a Rust backtrace natively) and the report carries it; when off,
//! creating a handle reads one flag.

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use crate::deep_size::human_bytes;
use crate::instance;

/// A live handle, as `liveHandles()` lists it; also what a leak report says of a handle the
/// garbage collector freed.
#[derive(Debug, Clone, PartialEq, Eq, crate::Shape)]
pub struct LiveHandle {
    /// The JS class name.
    pub class: &'static str,
    /// The handle's id (as in error messages).
    pub id: u64,
    /// Deep bytes of its value (0 in a leak report when another handle still shares the value).
    pub bytes: u64,
    /// Where it was created, when `setDebugOrigins(true)` was on at the time.
    pub origin: Option<String>,
}

/// One handle that was dropped without being disposed.
pub type LeakReport = LiveHandle;

/// A function told of each rescued handle.
pub type LeakHook = Box<dyn Fn(&LeakReport)>;
type SharedHook = Rc<dyn Fn(&LeakReport)>;

/// What a thread keeps: its hook (cloned out before it is called, so it may replace itself), and
/// the classes it has warned about.
#[derive(Default)]
struct ThreadLeaks {
    hook: Option<SharedHook>,
    warned: Vec<&'static str>,
}

thread_local! {
    static LEAKS: RefCell<ThreadLeaks> = RefCell::new(ThreadLeaks::default());
}

static DEBUG_ORIGINS: AtomicBool = AtomicBool::new(false);

/// Replaces this thread's leak hook (`None` restores the default warning).
pub fn set_leak_hook(hook: Option<LeakHook>) {
    instance::with_local(&LEAKS, |t| t.hook = hook.map(Rc::from));
}

/// Turns recording of creation sites on or off (off by default); returns the previous setting.
pub fn set_debug_origins(on: bool) -> bool {
    DEBUG_ORIGINS.swap(on, Ordering::Relaxed)
}

pub fn debug_origins() -> bool {
    DEBUG_ORIGINS.load(Ordering::Relaxed)
}

#[inline]
pub(crate) fn capture_origin() -> Option<Arc<str>> {
    if debug_origins() {
        Some(capture_stack())
    } else {
        None
    }
}

#[cold]
#[inline(never)]
fn capture_stack() -> Arc<str> {
    Arc::from(crate::platform::stack_trace())
}

/// Every live handle, oldest first.
pub fn live_handles() -> Vec<LiveHandle> {
    let mut all: Vec<LiveHandle> = instance::with(|s| {
        s.registry
            .iter()
            .filter(|(_, e)| e.adopted)
            .map(|(_, e)| LiveHandle {
                class: s.ledger.name(e.class),
                id: e.id,
                bytes: e.value.bytes().load(std::sync::atomic::Ordering::Relaxed),
                origin: e.origin.as_deref().map(str::to_owned),
            })
            .collect()
    });
    all.sort_by_key(|h| h.id);
    all
}

/// Tells this thread's hook of a rescued handle; `shared` when its value lives on in another handle
/// or value (the report then counts 0 bytes).
pub(crate) fn report(report: LeakReport, shared: bool) {
    // Cloned out first: the hook may call back into the crate (read the ledger, set a new hook).
    let hook = instance::with_local(&LEAKS, |t| t.hook.clone()).flatten();
    match hook {
        Some(hook) => hook(&report),
        None => warn_once_per_class(&report, shared),
    }
}

fn warn_once_per_class(report: &LeakReport, shared: bool) {
    let first = instance::with_local(&LEAKS, |t| {
        let first = !t.warned.contains(&report.class);
        if first {
            t.warned.push(report.class);
        }
        first
    })
    .unwrap_or(false);
    if !first {
        return;
    }
    let stats = instance::with(|s| s.ledger.find(report.class).map(|c| s.ledger.class_stats(c))).unwrap_or_default();
    let freed = if shared {
        "nothing freed yet: another handle or value still holds its value".to_string()
    } else {
        human_bytes(report.bytes as usize)
    };
    let mut message = format!(
        "kimchi-handles: {} #{} ({}) was rescued: nothing disposed it, and its object was collected; \
         {} of {} {} handles so far were rescued. Use `using`, dispose(), or a scope \
         (this warning is shown once per class; setLeakCallback() replaces it)",
        report.class, report.id, freed, stats.rescued, stats.created, report.class,
    );
    if let Some(origin) = &report.origin {
        message.push_str("\ncreated at:\n");
        message.push_str(origin);
    }
    crate::platform::warn(&message);
}
