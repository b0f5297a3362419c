//! What the code `#[export]` generates runs on: the call wrapper that turns errors and panics into
//! JS `Error`s, and the steps that connect handle classes to keys.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, Ordering};

use wasm_bindgen::JsValue;

use crate::abi::{CallError, Cx};
use crate::handle::{self, Borrowed, Class};

/// The message of the last panic, for the JS side to read after an abort (in builds that cannot
/// unwind, a panic ends the instance; the glue then reports this message).
static LAST_PANIC: spin::Mutex<Option<String>> = spin::Mutex::new(None);
static HOOK_SET: AtomicBool = AtomicBool::new(false);

/// What a failed allocation panics with where panics unwind: its own type, so its message carries
/// the request's size and not the location of the hook that raised it.
#[cfg_attr(not(all(feature = "unwind", panic = "unwind")), allow(dead_code))]
struct OutOfMemory(usize);

impl std::fmt::Display for OutOfMemory {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "memory allocation of {} bytes failed", self.0)
    }
}

#[inline]
fn install_panic_hook() {
    if HOOK_SET.load(Ordering::Relaxed) || HOOK_SET.swap(true, Ordering::Relaxed) {
        return;
    }
    // Where panics unwind, an allocation that fails panics too (the default aborts), so a call
    // that runs out of memory ends in a JS error and frees what it had allocated on the way out.
    #[cfg(all(feature = "unwind", panic = "unwind"))]
    std::alloc::set_alloc_error_hook(|layout| {
        // The panic itself allocates (its message, its payload): the reserve makes room for it
        // when the failed request took memory to the last bytes.
        reserve::release();
        std::panic::panic_any(OutOfMemory(layout.size()))
    });
    std::panic::set_hook(Box::new(|info| {
        let message = panic_message(info.payload());
        let located = match info.location() {
            Some(_) if info.payload().is::<OutOfMemory>() => message,
            Some(l) => format!("{message} (at {}:{})", l.file(), l.line()),
            None => message,
        };
        // Never wait inside a panic hook.
        if let Some(mut last) = LAST_PANIC.try_lock() {
            *last = Some(located);
        }
    }));
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

/// The last panic's message (with its location), taken once.
pub(crate) fn take_last_panic() -> Option<String> {
    LAST_PANIC.try_lock().and_then(|mut last| last.take())
}

fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .or_else(|| payload.downcast_ref::<OutOfMemory>().map(ToString::to_string))
        .unwrap_or_else(|| "unknown panic".into())
}

/// Runs an exported function: its result, or its error, or its panic as an error. Where panics
/// unwind, the function starts only if the memory reserve for an out-of-memory is held.
#[inline]
pub fn call<R>(function: &'static str, f: impl FnOnce() -> Result<R, CallError>) -> Result<R, CallError> {
    #[cfg(all(feature = "unwind", panic = "unwind"))]
    if !reserve::held() {
        return Err(CallError::MemoryFull { function });
    }
    call_releasing(function, f)
}

/// [`call`] for a call that only reads (the ledger, the live handles): it runs even when memory
/// is full, so the state can be seen while recovering.
#[inline]
pub fn call_when_memory_full<R>(
    function: &'static str,
    f: impl FnOnce() -> Result<R, CallError>,
) -> Result<R, CallError> {
    call_releasing(function, f)
}

/// [`call`] for what frees memory (dispose, the finalizer, closing a scope): it runs even when
/// memory is full.
#[inline]
pub(crate) fn call_releasing<R>(
    function: &'static str,
    f: impl FnOnce() -> Result<R, CallError>,
) -> Result<R, CallError> {
    install_panic_hook();
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(result) => result,
        Err(payload) => {
            let message = take_last_panic().unwrap_or_else(|| panic_message(&*payload));
            Err(CallError::Panic { function, message })
        }
    }
}

/// An export that returns nothing: 0, or NaN with the error kept (the fast protocol).
#[inline]
pub fn unit_return(result: Result<(), CallError>) -> f64 {
    crate::abi::fast_return(result.map(|()| 0.0))
}

/// An export that returns `Option<T>`: wasm-bindgen's protocol.
pub fn option_return<T: crate::IntoJs>(result: Result<Option<T>, CallError>) -> Result<Option<T::Abi>, JsValue> {
    match result {
        Ok(Some(value)) => value.into_js().map(Some).map_err(|e| crate::abi::js_error(&e)),
        Ok(None) => Ok(None),
        Err(error) => Err(crate::abi::js_error(&error)),
    }
}

/// A `&Class` parameter: the value behind a key, for the length of the call.
#[inline]
pub fn borrow_key<T: Class>(key: f64, cx: &Cx<'_>) -> Result<Borrowed<T>, CallError> {
    handle::borrow(handle::key_from_js(key), T::class_id()).map_err(|e| handle::arg_error(cx, e))
}

/// A class value returned to JS: a new handle, and the key its object will hold.
#[inline]
pub fn new_key<T: Class>(value: T) -> Result<f64, CallError> {
    let (key, _) = handle::create(T::class_id(), value)?;
    Ok(key.to_f64())
}
