//! What the code `#[export]` generates runs on: the call wrapper that turns errors and panics into
//! JS `Error`s, and the steps that connect handle classes to keys.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, Ordering};

use wasm_bindgen::{JsError, JsValue};

use crate::abi::{CallError, Cx};
use crate::handle::{self, Borrowed, Class};

/// The message of the last panic, for the JS side to read after an abort (in builds that cannot
/// unwind, a panic ends the instance; the glue then reports this message).
static LAST_PANIC: spin::Mutex<Option<String>> = spin::Mutex::new(None);
static HOOK_SET: AtomicBool = AtomicBool::new(false);

#[inline]
fn install_panic_hook() {
    if HOOK_SET.load(Ordering::Relaxed) || HOOK_SET.swap(true, Ordering::Relaxed) {
        return;
    }
    // Where panics unwind, an allocation that fails panics too (the default aborts), so a call
    // that runs out of memory ends in a JS error and frees what it had allocated on the way out.
    #[cfg(all(feature = "unwind", panic = "unwind"))]
    std::alloc::set_alloc_error_hook(|layout| {
        #[allow(clippy::panic)]
        {
            panic!("memory allocation of {} bytes failed", layout.size())
        }
    });
    std::panic::set_hook(Box::new(|info| {
        let message = match info.payload().downcast_ref::<&str>() {
            Some(s) => (*s).to_owned(),
            None => info.payload().downcast_ref::<String>().cloned().unwrap_or_else(|| "unknown panic".into()),
        };
        let located = match info.location() {
            Some(l) => format!("{message} (at {}:{})", l.file(), l.line()),
            None => message,
        };
        // Never wait inside a panic hook.
        if let Some(mut last) = LAST_PANIC.try_lock() {
            *last = Some(located);
        }
    }));
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
        .unwrap_or_else(|| "unknown panic".into())
}

/// Runs an exported function: its result, or its error, or its panic as an error.
#[inline]
pub fn call<R>(function: &'static str, f: impl FnOnce() -> Result<R, CallError>) -> Result<R, CallError> {
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
        Ok(Some(value)) => value.into_js().map(Some).map_err(|e| js_error(&e)),
        Ok(None) => Ok(None),
        Err(error) => Err(js_error(&error)),
    }
}

thread_local! {
    // The error of the last call that returned NaN, until the glue takes it.
    static ERROR: std::cell::RefCell<Option<JsValue>> = const { std::cell::RefCell::new(None) };
}

#[cold]
pub(crate) fn stash_error(error: &CallError) {
    let value = js_error(error);
    let _ = ERROR.try_with(|e| e.replace(Some(value)));
}

/// The error of the last call that returned NaN (the fast protocol), taken once.
pub(crate) fn take_error() -> JsValue {
    ERROR
        .try_with(|e| e.borrow_mut().take())
        .ok()
        .flatten()
        .unwrap_or_else(|| JsError::new("kimchi-handles: a call failed and its error was lost").into())
}

#[cold]
pub(crate) fn js_error(error: &CallError) -> JsValue {
    JsError::new(&error.to_string()).into()
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

/// A field of a plain object under construction (cannot fail on a fresh object).
pub fn set_field(object: &js_sys::Object, key: &str, value: &JsValue) {
    let _ = js_sys::Reflect::set(object, &JsValue::from_str(key), value);
}

/// A field of plain data from JS (`undefined` when absent, or when a getter throws).
pub fn get_field(object: &JsValue, key: &str) -> JsValue {
    js_sys::Reflect::get(object, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

/// Plain data must be an object (a class instance is one too).
pub fn expect_object(value: &JsValue, cx: &Cx<'_>) -> Result<(), CallError> {
    if value.is_object() && !value.is_function() {
        Ok(())
    } else {
        Err(cx.error(format_args!("must be an object, got {}", crate::abi::describe(value))))
    }
}

/// A metadata record as the byte array of a custom section.
// Indexing in a const fn (no `get` there); both indexes are below the lengths the loop checks.
#[allow(clippy::indexing_slicing)]
pub const fn record_bytes<const N: usize>(record: &str) -> [u8; N] {
    let bytes = record.as_bytes();
    let mut out = [0u8; N];
    let mut i = 0;
    while i < N && i < bytes.len() {
        out[i] = bytes[i];
        i += 1;
    }
    out
}

/// `a == b` at compile time.
#[allow(clippy::indexing_slicing)]
pub const fn str_eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}
