//! Leak reports: what happens when a handle is released by its finalizer instead of by its user.
//!
//! Every such handle is counted as "rescued" in the ledger and passed to the leak hook. Without a
//! hook, the first rescue of each class prints one warning with running totals. With debug
//! origins on, each handle remembers where it was created (a JS stack trace in WASM, a Rust
//! backtrace natively) and the report carries it; when off, creating a handle reads one flag.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

/// One handle that was dropped without being disposed.
#[derive(Debug, Clone)]
pub struct LeakReport {
    pub class: &'static str,
    pub id: u64,
    /// Bytes freed with it: 0 when another handle still shares the value.
    pub bytes: usize,
    /// Where it was created, if debug origins were on at the time.
    pub origin: Option<Rc<str>>,
}

/// A function told of each rescued handle.
pub type LeakHook = Box<dyn Fn(&LeakReport)>;
type Hook = Rc<dyn Fn(&LeakReport)>;

thread_local! {
    static HOOK: RefCell<Option<Hook>> = const { RefCell::new(None) };
    static DEBUG_ORIGINS: Cell<bool> = const { Cell::new(false) };
    static WARNED: RefCell<Vec<&'static str>> = const { RefCell::new(Vec::new()) };
}

/// Replaces the leak hook (`None` restores the default warning).
pub fn set_leak_hook(hook: Option<LeakHook>) {
    HOOK.with(|h| *h.borrow_mut() = hook.map(Rc::from));
}

/// Turns recording of creation sites on or off (off by default).
pub fn set_debug_origins(on: bool) {
    DEBUG_ORIGINS.with(|d| d.set(on));
}

pub fn debug_origins() -> bool {
    DEBUG_ORIGINS.with(Cell::get)
}

#[inline]
pub(crate) fn capture_origin() -> Option<Rc<str>> {
    if debug_origins() {
        Some(capture_stack())
    } else {
        None
    }
}

#[cold]
#[inline(never)]
fn capture_stack() -> Rc<str> {
    Rc::from(crate::platform::stack_trace())
}

pub(crate) fn report(report: LeakReport) {
    // Clone the hook out first: it may call back into the crate (read the ledger, set a new hook).
    let hook = HOOK.try_with(|h| h.borrow().clone()).ok().flatten();
    match hook {
        Some(hook) => hook(&report),
        None => warn_once_per_class(&report),
    }
}

fn warn_once_per_class(report: &LeakReport) {
    let first = WARNED
        .try_with(|w| {
            let mut w = w.borrow_mut();
            let first = !w.contains(&report.class);
            if first {
                w.push(report.class);
            }
            first
        })
        .unwrap_or(false);
    if !first {
        return;
    }
    let stats = crate::ledger::snapshot().classes.get(report.class).copied().unwrap_or_default();
    let mut message = format!(
        "kimchi-handles: {} #{} ({}) was never disposed and was freed by the garbage collector; \
         {} of {} {} handles so far were rescued this way. Use `using`, dispose(), or a scope \
         (this warning is shown once per class; setLeakCallback() replaces it)",
        report.class,
        report.id,
        crate::ledger::human_bytes(report.bytes),
        stats.rescued,
        stats.created,
        report.class,
    );
    if let Some(origin) = &report.origin {
        message.push_str("\ncreated at:\n");
        message.push_str(origin);
    }
    crate::platform::warn(&message);
}
