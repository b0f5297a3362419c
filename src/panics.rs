//! What a panic leaves for the call that catches it: the hook that records its message where it
//! happened, and (where panics unwind) the allocation-error hook with the reserve it frees.
//!
//! Nothing on this path allocates unless it can fail without panicking: a panic often comes from
//! memory running out, and on a threaded build another thread may take the memory an
//! out-of-memory freed. The message goes into a fixed buffer per thread; a `String` is made from it
//! only if the allocation succeeds.

use std::cell::RefCell;
use std::fmt::{self, Write};

use crate::text::{try_string, FixedText};
use std::sync::atomic::{AtomicBool, Ordering};

static HOOK_SET: AtomicBool = AtomicBool::new(false);

/// What a failed allocation panics with where panics unwind: its own type, so its message carries
/// the request's size and not the location of the hook that raised it.
#[cfg_attr(not(all(feature = "unwind", panic = "unwind")), allow(dead_code))]
struct OutOfMemory(usize);

impl fmt::Display for OutOfMemory {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "memory allocation of {} bytes failed", self.0)
    }
}

const MESSAGE_BYTES: usize = 2048;

thread_local! {
    /// This thread's last panic, with its location, until the call that caught it takes it (or,
    /// in builds that cannot unwind, the glue reads it after the abort). Per thread: threads
    /// panicking at once must not take each other's message.
    static LAST: RefCell<(bool, FixedText<MESSAGE_BYTES>)> = const { RefCell::new((false, FixedText::new())) };
}

/// Installs the hooks once per instance.
#[inline]
pub(crate) fn install_hooks() {
    if HOOK_SET.load(Ordering::Relaxed) || HOOK_SET.swap(true, Ordering::Relaxed) {
        return;
    }
    // Where panics unwind, an allocation that fails panics too (the default aborts), so a call
    // that runs out of memory ends in a JS error and frees what it had allocated on the way out.
    #[cfg(all(feature = "unwind", panic = "unwind"))]
    std::alloc::set_alloc_error_hook(|layout| {
        // The panic itself allocates (its payload, the unwinder's exception): the reserve makes
        // room for it when the failed request took memory to the last bytes.
        reserve::release();
        std::panic::panic_any(OutOfMemory(layout.size()))
    });
    std::panic::set_hook(Box::new(|info| {
        // A panic during the thread's teardown finds no slot; its payload still reaches the caller.
        let _ = LAST.try_with(|last| {
            let Ok(mut last) = last.try_borrow_mut() else { return };
            let (set, text) = &mut *last;
            text.clear();
            *set = true;
            let _ = write_payload(text, info.payload());
            match info.location() {
                Some(l) if !info.payload().is::<OutOfMemory>() => {
                    let _ = write!(text, " (at {}:{})", l.file(), l.line());
                }
                _ => {}
            }
        });
    }));
}

fn write_payload(out: &mut impl Write, payload: &(dyn std::any::Any + Send)) -> fmt::Result {
    if let Some(s) = payload.downcast_ref::<&str>() {
        out.write_str(s)
    } else if let Some(s) = payload.downcast_ref::<String>() {
        out.write_str(s)
    } else if let Some(oom) = payload.downcast_ref::<OutOfMemory>() {
        write!(out, "{oom}")
    } else {
        out.write_str("a panic with no message")
    }
}

/// The message of the panic this thread just caught: from the hook's record (with its location)
/// or else from the payload. `None` when there is no memory left even for the message.
pub(crate) fn caught_message(payload: &(dyn std::any::Any + Send)) -> Option<String> {
    take_last().or_else(|| {
        let mut text = FixedText::<MESSAGE_BYTES>::new();
        let _ = write_payload(&mut text, payload);
        try_string(text.as_str())
    })
}

/// This thread's last panic's message (with its location), taken once.
pub(crate) fn take_last() -> Option<String> {
    LAST.try_with(|last| {
        let mut last = last.try_borrow_mut().ok()?;
        let (set, text) = &mut *last;
        if !std::mem::take(set) {
            return None;
        }
        try_string(text.as_str())
    })
    .ok()
    .flatten()
}

/// Whether a call may start: where panics unwind, only while the memory reserve for an
/// out-of-memory is held.
#[inline]
pub(crate) fn reserve_held() -> bool {
    #[cfg(all(feature = "unwind", panic = "unwind"))]
    return reserve::held();
    #[cfg(not(all(feature = "unwind", panic = "unwind")))]
    true
}

/// Memory kept free for unwinding out of an out-of-memory: released by the allocation-error hook,
/// allocated again by the next call that finds it gone (and can get it).
#[cfg(all(feature = "unwind", panic = "unwind"))]
mod reserve {
    use std::sync::atomic::{AtomicBool, Ordering};

    const BYTES: usize = 1 << 20;
    static HELD: AtomicBool = AtomicBool::new(false);
    static RESERVE: spin::Mutex<Vec<u8>> = spin::Mutex::new(Vec::new());

    /// Whether the reserve is held, allocating it if it is not (and there is room).
    #[inline]
    pub(super) fn held() -> bool {
        if HELD.load(Ordering::Relaxed) {
            return true;
        }
        match RESERVE.try_lock() {
            Some(mut reserve) => {
                let refilled = reserve.try_reserve_exact(BYTES).is_ok();
                HELD.store(refilled, Ordering::Relaxed);
                refilled
            }
            // Another thread is refilling it: that call will have it.
            None => true,
        }
    }

    pub(super) fn release() {
        // Never waits: another thread may be refilling it.
        if let Some(mut reserve) = RESERVE.try_lock() {
            *reserve = Vec::new();
            HELD.store(false, Ordering::Relaxed);
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::panic)]
    use super::*;

    #[test]
    fn a_caught_panic_has_its_message_and_location() {
        install_hooks();
        let payload = std::panic::catch_unwind(|| panic!("boom {}", 7)).unwrap_err();
        let message = caught_message(&*payload).unwrap();
        assert!(message.starts_with("boom 7 (at src/panics.rs:"), "{message}");
        assert_eq!(take_last(), None, "taken once");
    }

    #[test]
    fn a_long_message_is_cut() {
        install_hooks();
        let payload = std::panic::catch_unwind(|| panic!("{}", "x".repeat(10_000))).unwrap_err();
        let message = caught_message(&*payload).unwrap();
        assert!(message.ends_with('…'), "cut with an ellipsis");
        assert!(message.len() <= MESSAGE_BYTES && message.len() > MESSAGE_BYTES - 8, "{}", message.len());
        assert!(!message.contains("(at "), "the location is what was cut");
    }
}
