//! The two things the core needs from its host: a stack trace and a warning channel.
//! In WASM they are JavaScript's; natively, Rust's (so the core tests run without a JS engine).

#[cfg(target_arch = "wasm32")]
pub(crate) fn stack_trace() -> String {
    let error = js_sys::Error::new("created here");
    js_sys::Reflect::get(&error, &"stack".into()).ok().and_then(|s| s.as_string()).unwrap_or_default()
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
