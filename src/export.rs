//! What the code `#[export]` generates runs on: the call wrapper that turns errors and panics into
//! JS `Error`s, and the steps that connect handle classes to keys.

use std::panic::{catch_unwind, AssertUnwindSafe};

use wasm_bindgen::JsValue;

use crate::abi::{ArgPath, CallError};
use crate::handle::{self, Class, Shared};
use crate::panics;

/// Runs an exported function: its result, or its error, or its panic as an error. Where panics
/// unwind, the function starts only if the memory reserve for an out-of-memory is held.
#[inline]
pub fn call<R>(function: &'static str, f: impl FnOnce() -> Result<R, CallError>) -> Result<R, CallError> {
    if !panics::reserve_held() {
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
    panics::install_hooks();
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(result) => result,
        Err(payload) => {
            // With no memory left even for the message, the error says so (and allocates nothing).
            let message = panics::caught_message(&*payload).unwrap_or_default();
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
pub fn option_return<T: crate::IntoJs>(result: Result<Option<T::Abi>, CallError>) -> Result<Option<T::Abi>, JsValue> {
    result.map_err(|e| crate::abi::js_error(&e))
}

/// A `&Class` parameter: the value behind a key, for the length of the call.
#[inline]
pub fn borrow_key<T: Class>(key: f64, arg: &ArgPath<'_>) -> Result<Shared<T>, CallError> {
    handle::borrow(handle::key_from_js(key), T::class_id()).map_err(|e| handle::arg_error(arg, e))
}

/// A class value returned to JS: a new handle, and the key its object will hold.
#[inline]
pub fn new_key<T: Class>(value: T) -> Result<f64, CallError> {
    let (key, _) = handle::create(T::class_id(), value)?;
    Ok(key.to_f64())
}
