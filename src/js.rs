//! The JavaScript face of the core: the `handle_class!` macro that declares a JS class around a
//! [`Handle`](crate::Handle), and the module functions JS calls to read the ledger, open scopes,
//! set a budget and catch leaks.
//!
//! Why the classes need no JS patching: wasm-bindgen generates `free()` (which throws when called
//! twice) and then sets `[Symbol.dispose] = prototype.free` after the class body. A Rust method
//! exported under the JS name `free` replaces the generated one in the class body, so both `free()`
//! and `[Symbol.dispose]` become our idempotent release. The shell object itself (a key and a
//! state, about 24 bytes of WASM memory) is freed with its JS object by the FinalizationRegistry.

use js_sys::{Array, Function, Object, Reflect};
use wasm_bindgen::prelude::*;

use crate::leak::{self, LeakReport};
use crate::ledger::{self, ClassStats};
use crate::registry;
use crate::scope::Scope;

/// Declares a JS class (of the same name as the struct) that owns a Rust value through a
/// [`Handle`](crate::Handle).
///
/// ```ignore
/// pub struct PayloadData(Vec<u8>);
/// impl kimchi_handles::DeepSize for PayloadData {
///     fn heap_size(&self) -> usize { self.0.capacity() }
/// }
/// kimchi_handles::handle_class! {
///     /// A byte buffer owned by Rust: the JS class `Payload`.
///     pub struct Payload(PayloadData);
/// }
/// ```
///
/// The class gets, in JS: `id`, `state` ("live" | "disposed" | "moved"), `byteSize`, `dispose()`,
/// `free()`, `[Symbol.dispose]()` (all three idempotent) and `share()`. In Rust: `CLASS`,
/// `from_value`, `handle()`, `borrow()` and `take(into)`. Add constructors and methods in further
/// `#[wasm_bindgen] impl` blocks; take other handles as `&Class` and move their values with `take`.
/// The crate using the macro depends on `wasm-bindgen` itself (its generated code names it).
#[macro_export]
macro_rules! handle_class {
    ($(#[$meta:meta])* $vis:vis struct $name:ident($payload:ty);) => {
        $(#[$meta])*
        #[$crate::__private::wasm_bindgen::prelude::wasm_bindgen]
        $vis struct $name {
            handle: $crate::Handle<$payload>,
        }

        impl $name {
            /// The JS class name, as the ledger and error messages show it.
            pub const CLASS: &'static str = stringify!($name);

            /// Wraps a value in a new live handle (fails only over the memory budget).
            pub fn from_value(value: $payload) -> ::core::result::Result<Self, $crate::HandleError> {
                $crate::Handle::new(Self::CLASS, value).map(|handle| Self { handle })
            }

            pub fn handle(&self) -> &$crate::Handle<$payload> {
                &self.handle
            }

            /// Shared access for the length of a call.
            pub fn borrow(&self) -> ::core::result::Result<$crate::Borrowed<$payload>, $crate::HandleError> {
                self.handle.borrow()
            }

            /// Moves the value out; this object stays valid in state "moved".
            pub fn take(&self, into: &'static str) -> ::core::result::Result<$payload, $crate::HandleError> {
                self.handle.take(into)
            }
        }

        #[$crate::__private::wasm_bindgen::prelude::wasm_bindgen]
        impl $name {
            /// Stable number of this handle, shown in error messages and leak reports.
            #[wasm_bindgen(getter)]
            pub fn id(&self) -> f64 {
                self.handle.id() as f64
            }

            /// "live", "disposed" or "moved".
            #[wasm_bindgen(getter)]
            pub fn state(&self) -> ::std::string::String {
                self.handle.state().as_str().into()
            }

            /// Deep bytes of the value while live, else 0.
            #[wasm_bindgen(getter, js_name = byteSize)]
            pub fn byte_size(&self) -> f64 {
                self.handle.bytes() as f64
            }

            /// Releases the value now. Calling it again, or after a move, does nothing.
            pub fn dispose(&self) {
                self.handle.dispose();
            }

            /// Same as `dispose()`; also what `using` calls (`[Symbol.dispose]`).
            #[wasm_bindgen(js_name = free)]
            pub fn free_handle(&self) {
                self.handle.dispose();
            }

            /// What the JS package's `dispose()` calls (see `bindings/`): takes the shell by value,
            /// so wasm-bindgen zeroes the JS object's pointer and unregisters its finalizer, and
            /// frees value and shell in one call. Returns the id if the handle was live (now
            /// disposed); minus the id if it was not (`releaseInfo()` then tells why); 0 for a
            /// handle already released, which arrives as `None`. A number, not an object: this is
            /// the hot path of every dispose.
            #[wasm_bindgen(js_name = __khRelease)]
            pub fn kh_release(handle: Option<$name>) -> f64 {
                handle.map_or(0.0, |shell| $crate::js::release(&shell.handle))
            }

            /// A second handle to the same value; the value is freed with its last handle.
            pub fn share(&self) -> ::core::result::Result<$name, $crate::__private::wasm_bindgen::JsError> {
                Ok(Self { handle: self.handle.share()? })
            }
        }
    };
}

thread_local! {
    // Why the last handle released while not live was gone: (id, state, message).
    static LAST_RELEASE: std::cell::RefCell<Option<(u64, &'static str, String)>> = const { std::cell::RefCell::new(None) };
}

/// The body of every class's `__khRelease`: dispose, and keep what later uses should throw.
#[doc(hidden)]
#[inline]
pub fn release<T: 'static>(handle: &crate::Handle<T>) -> f64 {
    let id = handle.id() as f64;
    if handle.dispose() {
        return id;
    }
    let Some(error) = handle.error() else { return id };
    let last = (handle.id(), handle.state().as_str(), error.to_string());
    LAST_RELEASE.with(|l| *l.borrow_mut() = Some(last));
    -id
}

/// `{ id, state, message }` of the last handle `__khRelease` found already disposed or moved
/// (`null` if none): the slow path of the JS package's `dispose()`.
#[wasm_bindgen(js_name = releaseInfo)]
pub fn release_info() -> JsValue {
    let Some((id, state, message)) = LAST_RELEASE.with(|l| l.borrow_mut().take()) else { return JsValue::NULL };
    let tomb = Object::new();
    set(&tomb, "id", &JsValue::from_f64(id as f64));
    set(&tomb, "state", &JsValue::from_str(state));
    set(&tomb, "message", &JsValue::from_str(&message));
    tomb.into()
}

fn stats_object(stats: &ClassStats) -> Object {
    let object = Object::new();
    for (name, value) in [
        ("live", stats.live),
        ("liveBytes", stats.live_bytes),
        ("created", stats.created),
        ("disposed", stats.disposed),
        ("moved", stats.moved),
        ("rescued", stats.rescued),
    ] {
        set(&object, name, &JsValue::from_f64(value as f64));
    }
    object
}

// Setting a property on a fresh plain object cannot fail; ignoring the Result keeps this panic-free.
fn set(object: &Object, key: &str, value: &JsValue) {
    let _ = Reflect::set(object, &JsValue::from_str(key), value);
}

/// The ledger as a plain object:
/// `{ classes: { [name]: stats }, total: stats, highWaterBytes, budgetBytes, openScopes, gcNudges,
/// gcNudgeBytes }`
/// where stats is `{ live, liveBytes, created, disposed, moved, rescued }`.
#[wasm_bindgen(js_name = ledger)]
pub fn ledger_js() -> Object {
    let snapshot = ledger::snapshot();
    let classes = Object::new();
    for (name, stats) in &snapshot.classes {
        set(&classes, name, &stats_object(stats));
    }
    let object = Object::new();
    set(&object, "classes", &classes);
    set(&object, "total", &stats_object(&snapshot.total));
    set(&object, "highWaterBytes", &JsValue::from_f64(snapshot.high_water_bytes as f64));
    let budget = snapshot.budget_bytes.map_or(JsValue::NULL, |b| JsValue::from_f64(b as f64));
    set(&object, "budgetBytes", &budget);
    set(&object, "openScopes", &JsValue::from_f64(registry::open_scopes() as f64));
    set(&object, "gcNudges", &JsValue::from_f64(snapshot.gc_nudges as f64));
    let step = snapshot.gc_nudge_min_step.map_or(JsValue::NULL, |b| JsValue::from_f64(b as f64));
    set(&object, "gcNudgeBytes", &step);
    object
}

/// Every live handle, oldest first: `[{ class, id, bytes, origin }]` (origin with debug origins on).
#[wasm_bindgen(js_name = liveHandles)]
pub fn live_handles_js() -> Array {
    registry::live_handles()
        .iter()
        .map(|h| {
            let object = Object::new();
            set(&object, "class", &JsValue::from_str(h.class));
            set(&object, "id", &JsValue::from_f64(h.id as f64));
            set(&object, "bytes", &JsValue::from_f64(h.bytes as f64));
            set(&object, "origin", &h.origin.as_deref().map_or(JsValue::NULL, JsValue::from_str));
            JsValue::from(object)
        })
        .collect()
}

/// Starts the high-water mark again from the bytes live now.
#[wasm_bindgen(js_name = resetHighWater)]
pub fn reset_high_water_js() {
    ledger::reset_high_water();
}

/// Limits live handle bytes: creating a handle beyond the limit throws before allocating.
/// `null`/`undefined` removes the limit. Negative or non-finite numbers are an error.
#[wasm_bindgen(js_name = setMemoryBudget)]
pub fn set_memory_budget(bytes: Option<f64>) -> Result<(), JsError> {
    ledger::set_budget(optional_byte_count("setMemoryBudget", bytes)?);
    Ok(())
}

/// A JS byte-count argument where `null`/`undefined` means "none".
fn optional_byte_count(function: &str, bytes: Option<f64>) -> Result<Option<u64>, JsError> {
    match bytes {
        None => Ok(None),
        Some(b) if b.is_finite() && b >= 0.0 => Ok(Some(b as u64)),
        Some(b) => Err(JsError::new(&format!("{function}: {b} is not a byte count"))),
    }
}

/// Sets how far the bytes that handles leave behind must rise before the core nudges the JS engine
/// into a full GC, so handles left to the finalizer are freed (default 4 MiB; see `gc_nudge`).
/// `null`/`undefined` turns nudges off. Negative or non-finite numbers are an error.
#[wasm_bindgen(js_name = setGcNudge)]
pub fn set_gc_nudge(bytes: Option<f64>) -> Result<(), JsError> {
    ledger::set_gc_nudge(optional_byte_count("setGcNudge", bytes)?);
    Ok(())
}

/// Records a JS stack trace at each handle's creation, for leak reports (off by default).
/// Returns the previous setting, so a helper can put it back.
#[wasm_bindgen(js_name = setDebugOrigins)]
pub fn set_debug_origins_js(on: bool) -> bool {
    let previous = leak::debug_origins();
    leak::set_debug_origins(on);
    previous
}

/// Calls `callback({ class, id, bytes, origin })` for each handle the finalizer had to free.
/// `undefined` restores the default (one console warning per class).
#[wasm_bindgen(js_name = setLeakCallback)]
pub fn set_leak_callback(callback: Option<Function>) {
    leak::set_leak_hook(callback.map(|f| {
        Box::new(move |report: &LeakReport| {
            let object = Object::new();
            set(&object, "class", &JsValue::from_str(report.class));
            set(&object, "id", &JsValue::from_f64(report.id as f64));
            set(&object, "bytes", &JsValue::from_f64(report.bytes as f64));
            set(&object, "origin", &report.origin.as_deref().map_or(JsValue::NULL, JsValue::from_str));
            // A throwing callback must not unwind through a finalizer: swallow its error.
            let _ = f.call1(&JsValue::UNDEFINED, &object);
        }) as Box<dyn Fn(&LeakReport)>
    }));
}

/// A scope: `using scope = openScope()` disposes, at block exit, every handle created inside
/// and not kept. Closing twice is a no-op; closing while an inner scope is open throws.
#[wasm_bindgen]
pub struct HandleScope {
    scope: Scope,
}

/// Opens a scope inside the current innermost one.
#[wasm_bindgen(js_name = openScope)]
pub fn open_scope() -> HandleScope {
    HandleScope { scope: Scope::open() }
}

#[wasm_bindgen]
impl HandleScope {
    #[wasm_bindgen(getter)]
    pub fn id(&self) -> f64 {
        self.scope.id() as f64
    }

    /// Disposes the scope's live handles and returns how many it disposed.
    pub fn close(&self) -> Result<u32, JsError> {
        Ok(self.scope.close()? as u32)
    }

    /// Same as `close()`; what `using` calls.
    #[wasm_bindgen(js_name = free)]
    pub fn free_scope(&self) -> Result<(), JsError> {
        self.scope.close()?;
        Ok(())
    }

    /// Takes `handle` out of this scope (to the parent scope, or to the caller when outermost) and
    /// returns it, so `return scope.keep(make())` reads naturally. Throws if `handle` is not a live
    /// handle of this scope (one of an inner scope, or already released).
    pub fn keep(&self, handle: JsValue) -> Result<JsValue, JsError> {
        // A wasm-bindgen shell has `__wbg_ptr`: `{ id: 7 }` must not keep whichever handle is #7.
        let is_shell = handle.is_object() && Reflect::has(&handle, &JsValue::from_str("__wbg_ptr")).unwrap_or(false);
        let id = Reflect::get(&handle, &JsValue::from_str("id")).ok().and_then(|v| v.as_f64());
        let Some(id) = id.filter(|id| is_shell && id.fract() == 0.0 && *id >= 1.0) else {
            return Err(JsError::new("scope.keep(handle): expected a kimchi-handles handle object"));
        };
        if !self.scope.keep_id(id as u64) {
            let scope = self.scope.id();
            return Err(JsError::new(&format!(
                "scope.keep(handle): handle #{id} is not in scope #{scope} (not live, or created in another scope)"
            )));
        }
        Ok(handle)
    }
}

/// Bytes of WASM linear memory (`memory.buffer.byteLength`): it only grows, so it is the number a
/// leak shows up in. 0 outside WASM.
#[wasm_bindgen(js_name = wasmMemoryBytes)]
pub fn wasm_memory_bytes() -> f64 {
    #[cfg(target_arch = "wasm32")]
    {
        // In f64: 65,536 pages (4 GiB, the limit) times 64 KiB does not fit a 32-bit usize.
        core::arch::wasm32::memory_size::<0>() as f64 * 65536.0
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        0.0
    }
}
