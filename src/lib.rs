//! # kimchi-handles
//!
//! Handle classes for WebAssembly that cannot leak silently: each JS object owns a Rust value
//! through a handle, releases it on `dispose()` / `free()` / `using` (idempotently), turns into an
//! empty "moved" shell when a Rust function takes the value, throws an error naming the class and
//! id on any later use, and is counted in a per-class ledger that JS can read. A JS object holds
//! only a key that Rust checks on every call, so nothing a JS object holds is trusted; the state
//! is shared by every thread of the instance.
//!
//! ```
//! use kimchi_handles::{class, export, DeepSize, Owned};
//!
//! /// A byte buffer owned by Rust: the JS class `Blob`.
//! #[class]
//! pub struct Blob {
//!     bytes: Vec<u8>,
//! }
//!
//! impl DeepSize for Blob {
//!     fn heap_size(&self) -> usize {
//!         self.bytes.capacity()
//!     }
//! }
//!
//! #[export]
//! impl Blob {
//!     /// `new Blob(length)`: `length` must be a whole number from 0 to 2^32 - 1.
//!     #[export(constructor)]
//!     pub fn new(length: u32) -> Blob {
//!         Blob { bytes: vec![0; length as usize] }
//!     }
//!
//!     /// `blob.length`
//!     #[export(getter)]
//!     pub fn length(&self) -> u32 {
//!         self.bytes.len() as u32
//!     }
//! }
//!
//! /// `consume(blob)` takes the value: `blob` is "moved into consume" afterwards.
//! #[export]
//! pub fn consume(blob: Owned<Blob>) -> Result<u32, String> {
//!     let blob = blob.take().map_err(|e| e.to_string())?;
//!     Ok(blob.bytes.len() as u32)
//! }
//! ```
//!
//! Modules, one concept each:
//! - [`handle`]: a handle's life and the operations every class shares; [`Handle`], the owner for
//!   Rust code; [`Owned`], a parameter a function may take;
//! - [`ending`]: how a handle ends, the one statement of it (counter, state, error);
//! - `registry`, `ledger`: plain data (the live values by id; counts and bytes per class), owned
//!   and locked by `instance`, the one owner of the per-instance state;
//! - `keys`: the key a JS object holds for a handle;
//! - [`abi`]: how every argument and result crosses, checked in one place;
//! - [`scope`], [`gc_nudge`], [`leak`], [`deep_size`]: scopes, GC nudges, leak reports, byte sizes;
//! - `export`, `js`: what generated exports run on, and the functions every module exports.
#![forbid(unsafe_code)]
// The unwinding build (nightly) turns a failed allocation into a panic, which every export catches.
#![cfg_attr(feature = "unwind", feature(alloc_error_hook))]
#![warn(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

// The macros name this crate by its path, also inside it.
extern crate self as kimchi_handles;

pub mod abi;
pub mod deep_size;
pub mod ending;
pub mod error;
mod export;
pub mod gc_nudge;
pub mod handle;
mod instance;
mod js;
mod keys;
pub mod leak;
pub mod ledger;
mod metadata;
mod panics;
mod platform;
mod registry;
pub mod scope;
mod text;

#[cfg(feature = "demo")]
pub mod demo;

pub use abi::{ArgPath, CallError, Element, FromJs, IntoJs, RefArg};
pub use deep_size::DeepSize;
pub use ending::{Ending, HandleState};
pub use error::HandleError;
pub use handle::{Class, Handle, Owned, Shared};
pub use keys::Key;
pub use kimchi_handles_macros::{class, export, Shape};
pub use leak::{LeakReport, LiveHandle};
pub use ledger::{ClassId, ClassStats, LedgerSnapshot};
pub use scope::Scope;

/// The ledger as it is now.
pub fn ledger_snapshot() -> LedgerSnapshot {
    let scopes = scope::open_scopes();
    instance::with(|s| s.ledger.snapshot(scopes))
}

/// Checks that `bytes` more live bytes of `class` fit in the memory budget, before anything is
/// allocated: constructors that know a value's size call it first.
#[inline]
pub fn check_budget(class: &'static str, bytes: usize) -> Result<(), HandleError> {
    if !ledger::budget_set() {
        return Ok(()); // the common case, without the lock
    }
    let class = handle::class_id(class);
    instance::with(|s| s.ledger.over_budget(class, bytes, false).map_or(Ok(()), Err))
}

/// Sets (or, with `None`, removes) the limit on live handle bytes.
pub fn set_memory_budget(bytes: Option<u64>) {
    instance::with(|s| s.ledger.set_budget(bytes));
}

/// Sets the step the bytes handles leave behind must rise by between two GC nudges; `None` turns
/// nudges off.
pub fn set_gc_nudge(min_step: Option<u64>) {
    instance::with(|s| s.ledger.set_gc_nudge(min_step));
}

#[doc(hidden)]
pub mod __private {
    pub use const_format::concatcp;
    pub use js_sys;
    pub use wasm_bindgen;

    pub use crate::abi::{expect_object, fast_return, get_field, result_return, set_field};
    pub use crate::export::{borrow_key, call, call_when_memory_full, new_key, option_return, unit_return};
    pub use crate::handle::ClassIdCell;
    pub use crate::metadata::{record_bytes, str_eq};
}
