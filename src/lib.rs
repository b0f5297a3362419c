//! # kimchi-handles
//!
//! Handle classes for wasm-bindgen that cannot leak silently: each JS object owns its Rust value
//! through a [`Handle`], releases it on `dispose()` / `free()` / `using` (idempotently), turns into
//! an empty "moved" shell when a Rust function takes the value, throws an error naming the class
//! and id on any later use, and is counted in a per-class [ledger] that JS can read.
//!
//! Modules, one concept each:
//! - [`handle`]: the owner of one value and its life (live, disposed, moved, rescued);
//! - [`registry`]: the per-thread store that holds the values, keyed by generational keys;
//! - [`ledger`]: counts and bytes per class, the high-water mark and the memory budget;
//! - `state`: the registry and the ledger in one per-thread cell (one borrow per create or dispose);
//! - [`scope`]: release everything created in a region of code;
//! - [`gc_nudge`]: ask the JS engine for a full GC when handle bytes pile up for the finalizer;
//! - [`leak`]: reports of handles the finalizer had to free, with optional creation sites;
//! - [`deep_size`]: honest byte sizes of values;
//! - [`js`]: the `handle_class!` macro and the functions exported to JS.
#![forbid(unsafe_code)]
#![warn(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

pub mod deep_size;
pub mod error;
pub mod gc_nudge;
pub mod handle;
pub mod js;
pub mod leak;
pub mod ledger;
mod platform;
pub mod registry;
pub mod scope;
mod state;

#[cfg(feature = "demo")]
pub mod demo;

pub use deep_size::DeepSize;
pub use error::HandleError;
pub use handle::{Borrowed, Handle, HandleState};
pub use ledger::{ClassStats, LedgerSnapshot};
pub use scope::Scope;

#[doc(hidden)]
pub mod __private {
    pub use wasm_bindgen;
}
