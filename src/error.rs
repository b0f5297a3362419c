//! The errors of handles. Each `Display` text is exactly what a JS user reads in the thrown
//! `Error`, so every message names the class and the handle's id.

use std::fmt;

use crate::ending::Ending;

/// Why an operation on a handle could not run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HandleError {
    /// The handle ended, and how ("Payload #3 was disposed").
    Ended { class: &'static str, id: u64, ending: Ending },
    /// A Rust [`Handle`](crate::Handle) released so long ago that the reason is no longer kept.
    Released { class: &'static str, id: u64 },
    /// The value cannot be moved out because another handle shares it or a running call borrows it.
    InUse { class: &'static str, id: u64, into: &'static str },
    /// A handle of another class where this class was expected (the message follows the name
    /// of the argument: "payload must be a Payload handle, got PayloadList #3").
    WrongClass { expected: &'static str, actual: &'static str, id: u64 },
    /// A key that names no handle of this instance: a forged or corrupted object, a handle of
    /// another instance, or one released so long ago that its slot was reused.
    NotAHandle { expected: &'static str },
    /// `adopt()` of a key that is not waiting for adoption.
    NotTransferred { class: &'static str, id: u64 },
    /// Creating a value, or growing a live one (`growing`), would take live handle bytes over the
    /// budget set by the user.
    BudgetExceeded {
        class: &'static str,
        growing: bool,
        bytes: usize,
        live_bytes: usize,
        budget: usize,
        summary: String,
    },
    /// A scope was closed while a scope opened after it is still open.
    ScopeOrder { scope: u64, inner: u64 },
    /// More live handles than the registry holds.
    TooManyHandles { limit: usize },
    /// The registry could not grow to hold another handle: WASM memory is full.
    OutOfMemory { class: &'static str },
}

impl fmt::Display for HandleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Ended { class, id, ending } => write!(f, "{class} #{id} {ending}"),
            Self::Released { class, id } => write!(f, "{class} #{id} was released"),
            Self::InUse { class, id, into } => write!(
                f,
                "{class} #{id} cannot be moved into {into}: another handle shares it or a running call borrows it"
            ),
            // These two follow what they are about: "consumePayload: payload must be ...".
            Self::WrongClass { expected, actual, id } => write!(f, "must be a {expected} handle, got {actual} #{id}"),
            Self::NotAHandle { expected } => write!(
                f,
                "must be a {expected} handle, got an object whose key names no handle of this instance \
                 (not a handle, or one released long ago)"
            ),
            Self::NotTransferred { class, id } => {
                write!(f, "{class} #{id} is not waiting to be adopted (adopt each transfer() once)")
            }
            Self::BudgetExceeded { class, growing, bytes, live_bytes, budget, summary } => write!(
                f,
                "{} {class} ({}{}) would exceed the memory budget: {} live of {} (live: {summary}); \
                 dispose handles or raise the budget",
                if *growing { "growing" } else { "creating" },
                crate::deep_size::human_bytes(*bytes),
                if *growing { " more" } else { "" },
                crate::deep_size::human_bytes(*live_bytes),
                crate::deep_size::human_bytes(*budget),
            ),
            Self::ScopeOrder { scope, inner } => {
                write!(f, "scope #{scope} cannot close while scope #{inner}, opened inside it, is still open")
            }
            Self::TooManyHandles { limit } => {
                write!(f, "more than {limit} live handles: dispose handles (or let the garbage collector free them)")
            }
            Self::OutOfMemory { class } => {
                write!(f, "no memory left to register another {class} handle: dispose handles")
            }
        }
    }
}

impl std::error::Error for HandleError {}
