//! What the core needs from its host: a stack trace, a warning channel, a way to make the GC feel
//! memory pressure, and a random seed.
//! In WASM they are JavaScript's; natively, Rust's (so the core tests run without a JS engine).

/// The JS stack at this point, without the frames inside WASM and the glue: it starts at the
/// user's call (`at new WasmFpProverProof (...)`, then the line that made it).
#[cfg(target_arch = "wasm32")]
pub(crate) fn stack_trace() -> String {
    use js_sys::Reflect;
    use wasm_bindgen::JsValue;
    let limit = JsValue::from_str("stackTraceLimit");
    // V8 keeps 10 frames by default, and the WASM and glue frames alone take about that many.
    let error_class = Reflect::get(&js_sys::global(), &JsValue::from_str("Error")).unwrap_or(JsValue::UNDEFINED);
    let saved = Reflect::get(&error_class, &limit).unwrap_or(JsValue::UNDEFINED);
    let _ = Reflect::set(&error_class, &limit, &JsValue::from_f64(64.0));
    let error = js_sys::Error::new("created here");
    let stack = Reflect::get(&error, &JsValue::from_str("stack")).ok().and_then(|s| s.as_string()).unwrap_or_default();
    let _ = Reflect::set(&error_class, &limit, &saved);
    stack
        .lines()
        .filter(|line| line.trim_start().starts_with("at ") || line.contains('@'))
        .filter(|line| !line.contains("wasm://") && !line.contains("wasm-function") && !line.contains("__wbg_"))
        .filter(|line| !line.contains("/kimchi-handles-runtime") && !line.contains("__kh__"))
        .map(|line| format!("    {}", line.trim()))
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(not(target_arch = "wasm32"))]
pub(crate) fn stack_trace() -> String {
    std::backtrace::Backtrace::force_capture().to_string()
}

#[cfg(target_arch = "wasm32")]
pub(crate) fn warn(message: &str) {
    #[wasm_bindgen::prelude::wasm_bindgen]
    extern "C" {
        #[wasm_bindgen(js_namespace = console, js_name = warn)]
        fn console_warn(message: &str);
    }
    console_warn(message);
}

#[cfg(not(target_arch = "wasm32"))]
pub(crate) fn warn(message: &str) {
    eprintln!("{message}");
}

/// Allocates an ArrayBuffer of `bytes` and drops it (see [`gc_nudge`](crate::gc_nudge)). A failed
/// allocation (a small device, a cap on address space) is ignored: the nudge is only a hint.
#[cfg(target_arch = "wasm32")]
pub(crate) fn allocate_and_drop_array_buffer(bytes: u64) {
    use js_sys::{Array, Function, Reflect};
    use wasm_bindgen::{JsCast, JsValue};
    // Through Reflect so that a RangeError comes back as a Result instead of unwinding through WASM.
    let Ok(constructor) = Reflect::get(&js_sys::global(), &JsValue::from_str("ArrayBuffer")) else { return };
    let Ok(constructor) = constructor.dyn_into::<Function>() else { return };
    let _ = Reflect::construct(&constructor, &Array::of1(&JsValue::from_f64(bytes as f64)));
}

/// Natively there is no JS engine to nudge; the ledger still counts the nudge.
#[cfg(not(target_arch = "wasm32"))]
pub(crate) fn allocate_and_drop_array_buffer(_bytes: u64) {}

/// 53 random bits for the key permutation (see [`keys`](crate::keys)).
#[cfg(target_arch = "wasm32")]
pub(crate) fn random_seed() -> u64 {
    let high = (js_sys::Math::random() * 2f64.powi(26)) as u64;
    let low = (js_sys::Math::random() * 2f64.powi(27)) as u64;
    (high << 27) | low
}

#[cfg(not(target_arch = "wasm32"))]
pub(crate) fn random_seed() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    // std's per-process random hash keys.
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u64(std::process::id().into());
    hasher.finish()
}

/// Bytes of WASM linear memory (`memory.buffer.byteLength`), 0 outside WASM.
pub(crate) fn wasm_memory_bytes() -> f64 {
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
