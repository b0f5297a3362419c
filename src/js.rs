//! The module functions every kimchi-handles WASM module exports: the ledger, live handles,
//! scopes, the memory budget, GC nudges and leak reports for users (through `#[export]`, so their
//! arguments are checked like any other), and the release protocol the generated classes call
//! (`__kh_*`, written by hand because they take raw keys).
//!
//! The protocol: a JS object holds its handle's key in `__kh` and never anything else. Every
//! method passes that key (and, for the calls every class shares, the class id the glue looked
//! up once with `__kh_class`); Rust checks the key, the class and the state on every call. The
//! object is registered with a FinalizationRegistry under its key once it outlives the code that
//! made it (`__kh_live` tells the glue whether it still needs to be), and unregistered when it is
//! released; a finalizer that comes late (an object released through a proxy) finds the key
//! ended and does nothing, since keys are never reused.

use js_sys::Function;
use wasm_bindgen::prelude::*;

use crate::abi::js_error;
use crate::abi::CallError;
use crate::handle;
use crate::leak::{self, LeakReport, LiveHandle};
use crate::ledger::{ClassId, LedgerSnapshot};
use crate::{instance, scope};

/// Most classes an instance registers (names from JS are refused beyond it).
const MAX_CLASSES: usize = 4096;

/// A builtin's refusal, named `Class.verb` by the class the glue called it for.
#[cold]
fn builtin_error(verb: &'static str, class_id: u32) -> impl FnOnce(crate::HandleError) -> JsValue {
    move |error| js_error(&builtin(verb, class_id, error))
}

fn builtin(verb: &'static str, class_id: u32, error: crate::HandleError) -> CallError {
    let name = instance::with(|s| s.ledger.name(class(class_id)));
    CallError::Builtin { class: name, verb, error }
}

/// A class id from JS. An id the ledger never gave matches no handle, so every operation refuses
/// it; no lock is needed to check it first.
fn class(class: u32) -> ClassId {
    ClassId(class)
}

/// The id of a class by its JS name (the glue asks once per class when it loads).
#[wasm_bindgen(js_name = __kh_class)]
pub fn class_by_name(name: &str) -> Result<u32, JsValue> {
    let known = instance::with(|s| match s.ledger.find(name) {
        Some(id) => Some(id),
        // A name Rust has not registered yet: kept for the life of the instance, like every class.
        None => (s.ledger.class_count() < MAX_CLASSES).then(|| s.ledger.intern(Box::leak(name.into()))),
    });
    known.map(|id| id.0).ok_or_else(|| js_error(&CallError::Arg(format!("more than {MAX_CLASSES} classes"))))
}

/// `dispose()`, `free()` and `[Symbol.dispose]()`: releases a live handle; nothing for a handle
/// that already ended or a key no handle has now; an error for another class's handle. Returns
/// 0, or NaN for an error (the fast protocol: `__kh_take_error` has it). Inside the call wrapper,
/// like every export that may drop a value: a value's `Drop` may panic.
#[wasm_bindgen(js_name = __kh_release)]
pub fn release(key: f64, class_id: u32) -> f64 {
    crate::export::unit_return(crate::export::call_releasing("dispose", || {
        handle::release(handle::key_from_js(key), class(class_id))
            .map(drop)
            .map_err(|e| builtin("dispose", class_id, e))
    }))
}

/// The error of the last call that returned NaN.
#[wasm_bindgen(js_name = __kh_take_error)]
pub fn take_error() -> JsValue {
    crate::abi::take_error()
}

/// What the FinalizationRegistry calls for an object collected while its handle was live.
/// A panic in the value's `Drop` is reported as a warning: a finalizer has no caller to tell.
#[wasm_bindgen(js_name = __kh_rescue)]
pub fn rescue(key: f64) {
    let rescued = crate::export::call_releasing("the finalizer", || {
        handle::rescue(handle::key_from_js(key));
        Ok(())
    });
    if let Err(error) = rescued {
        crate::platform::warn(&format!("kimchi-handles: {error}"));
    }
}

/// Whether a key names a live handle whose object exists (the glue asks before registering a
/// young object with the FinalizationRegistry).
#[wasm_bindgen(js_name = __kh_live)]
pub fn live(key: f64) -> bool {
    handle::has_object(handle::key_from_js(key))
}

// The names `__kh_state` returns, as a metadata record: the glue generator types `state` with them.
kimchi_handles_macros::__core_record!(STATES_RECORD = r#"{"t":"states","names":["live","disposed","moved"]}"#);

/// `'live'`, `'disposed'` or `'moved'`.
#[wasm_bindgen(js_name = __kh_state)]
pub fn state(key: f64, class_id: u32) -> Result<String, JsValue> {
    handle::state(handle::key_from_js(key), class(class_id))
        .map(|state| state.as_str().to_owned())
        .map_err(builtin_error("state", class_id))
}

/// The id errors and reports show for a key (0 for a key whose handle is not known).
#[wasm_bindgen(js_name = __kh_id)]
pub fn id(key: f64) -> f64 {
    handle::id(handle::key_from_js(key)) as f64
}

/// Deep bytes of a live handle's value, 0 once it ended.
#[wasm_bindgen(js_name = __kh_bytes)]
pub fn bytes(key: f64, class_id: u32) -> Result<f64, JsValue> {
    handle::bytes(handle::key_from_js(key), class(class_id))
        .map(|b| b as f64)
        .map_err(builtin_error("byteSize", class_id))
}

/// A new handle (and key) for the same value.
#[wasm_bindgen(js_name = __kh_share)]
pub fn share(key: f64, class_id: u32) -> Result<f64, JsValue> {
    handle::share(handle::key_from_js(key), class(class_id))
        .map(|(key, _)| key.to_f64())
        .map_err(builtin_error("share", class_id))
}

/// Ends the handle as "transferred" and returns the key another thread adopts.
#[wasm_bindgen(js_name = __kh_transfer)]
pub fn transfer(key: f64, class_id: u32) -> Result<f64, JsValue> {
    handle::transfer(handle::key_from_js(key), class(class_id))
        .map(|key| key.to_f64())
        .map_err(builtin_error("transfer", class_id))
}

/// Gives a transferred key its object on this thread (once).
#[wasm_bindgen(js_name = __kh_adopt)]
pub fn adopt(key: f64, class_id: u32) -> Result<(), JsValue> {
    handle::adopt(handle::key_from_js(key), class(class_id)).map_err(builtin_error("adopt", class_id))
}

/// The message of the panic that aborted the instance, if any (read by the glue after a trap).
#[wasm_bindgen(js_name = __kh_last_panic)]
pub fn last_panic() -> Option<String> {
    crate::panics::take_last()
}

#[wasm_bindgen(js_name = __kh_scope_open)]
pub fn scope_open() -> f64 {
    let scope = scope::Scope::open();
    let id = scope.id();
    // The JS object owns the scope from here: its close, or its finalizer's abandon.
    std::mem::forget(scope);
    id as f64
}

#[wasm_bindgen(js_name = __kh_scope_close)]
pub fn scope_close(scope: f64) -> Result<u32, JsValue> {
    crate::export::call_releasing("Scope.close", || {
        scope::close(scope as u64).map(|n| n as u32).map_err(CallError::Handle)
    })
    .map_err(|e| js_error(&e))
}

/// Whether the handle was a live handle of the scope (and now belongs to its parent).
#[wasm_bindgen(js_name = __kh_scope_keep)]
pub fn scope_keep(scope: f64, key: f64) -> bool {
    scope::keep(scope as u64, handle::key_from_js(key))
}

#[wasm_bindgen(js_name = __kh_scope_abandon)]
pub fn scope_abandon(scope: f64) {
    scope::abandon(scope as u64);
}

// ---- for users ----------------------------------------------------------------------------------

/// The ledger: live handles and bytes per class, how handles ended, the budget and GC nudges.
#[crate::export(js_name = "ledger", runs_when_memory_full)]
pub fn ledger() -> LedgerSnapshot {
    crate::ledger_snapshot()
}

/// Every live handle, oldest first (with its creation stack when debug origins were on).
#[crate::export(js_name = "liveHandles", runs_when_memory_full)]
pub fn live_handles() -> Vec<LiveHandle> {
    leak::live_handles()
}

/// Starts the high-water mark again from the bytes live now.
#[crate::export(js_name = "resetHighWater")]
pub fn reset_high_water() {
    instance::with(|s| s.ledger.reset_high_water());
}

/// Limits live handle bytes: creating a handle beyond the limit throws before allocating.
/// `null` or `undefined` removes the limit.
#[crate::export(js_name = "setMemoryBudget")]
pub fn set_memory_budget(bytes: Option<u64>) {
    crate::set_memory_budget(bytes);
}

/// Sets how far the bytes that handles leave behind must rise before the core nudges the JS engine
/// into a full GC, so handles left to the finalizer are freed (default 4 MiB). `null` or
/// `undefined` turns nudges off.
#[crate::export(js_name = "setGcNudge")]
pub fn set_gc_nudge(bytes: Option<u64>) {
    instance::with(|s| s.ledger.set_gc_nudge(bytes));
}

/// Records a JS stack trace at each handle's creation, for leak reports (off by default).
/// Returns the previous setting, so a helper can put it back.
#[crate::export(js_name = "setDebugOrigins")]
pub fn set_debug_origins(on: bool) -> bool {
    leak::set_debug_origins(on)
}

/// Calls `callback({ class, id, bytes, origin })` for each handle the garbage collector had to
/// free on this thread. `null` or `undefined` restores the default (one console warning per class).
#[crate::export(js_name = "setLeakCallback")]
pub fn set_leak_callback(callback: Option<&Function>) {
    let hook = callback.cloned().map(|f| {
        Box::new(move |report: &LeakReport| {
            if let Ok(object) = crate::IntoJs::into_js(report.clone()) {
                // A throwing callback must not unwind through a finalizer: its error is dropped.
                let _ = f.call1(&JsValue::UNDEFINED, &object);
            }
        }) as leak::LeakHook
    });
    leak::set_leak_hook(hook);
}

/// Bytes of WASM linear memory (`memory.buffer.byteLength`): it only grows, so it is the number a
/// leak shows up in.
#[crate::export(js_name = "wasmMemoryBytes", runs_when_memory_full)]
pub fn wasm_memory_bytes() -> f64 {
    crate::platform::wasm_memory_bytes()
}

#[cfg(test)]
mod tests {
    use crate::HandleState;

    #[test]
    fn the_states_record_names_every_state() {
        let names: Vec<&str> = HandleState::ALL.iter().map(|s| s.as_str()).collect();
        let expected = format!(
            "{{\"t\":\"states\",\"names\":[{}]}}\n",
            names.iter().map(|n| format!("\"{n}\"")).collect::<Vec<_>>().join(",")
        );
        assert_eq!(super::STATES_RECORD, expected);
    }
}
