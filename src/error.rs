//! The one error type of the core. Its `Display` text is exactly what a JS user reads in the thrown
//! `Error`, so every message names the class and the handle's id.

use std::fmt;

/// Why an operation on a handle could not run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HandleError {
    /// `dispose()` (or `free()`, or `using`) already released the value.
    Disposed { class: &'static str, id: u64 },
    /// The scope the handle was created in closed and released the value.
    DisposedByScope { class: &'static str, id: u64 },
    /// A Rust function took ownership of the value.
    Moved { class: &'static str, id: u64, into: &'static str },
    /// The value cannot be moved out because another handle shares it or a running call borrows it.
    InUse { class: &'static str, id: u64, into: &'static str },
    /// Creating the value would take live handle bytes over the budget set by the user.
    BudgetExceeded { class: &'static str, bytes: usize, live_bytes: usize, budget: usize, summary: String },
    /// A scope was closed while a scope opened after it is still open.
    ScopeOrder { scope: u64, inner: u64 },
}

impl fmt::Display for HandleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Disposed { class, id } => write!(f, "{class} #{id} was disposed"),
            Self::DisposedByScope { class, id } => {
                write!(f, "{class} #{id} was disposed when its scope closed (keep it with scope.keep(handle))")
            }
            Self::Moved { class, id, into } => write!(f, "{class} #{id} was moved into {into}"),
            Self::InUse { class, id, into } => write!(
                f,
                "{class} #{id} cannot be moved into {into}: another handle shares it or a running call borrows it"
            ),
            Self::BudgetExceeded { class, bytes, live_bytes, budget, summary } => write!(
                f,
                "creating {class} ({}) would exceed the memory budget: {} live of {} (live: {summary}); \
                 dispose handles or raise the budget",
                crate::ledger::human_bytes(*bytes),
                crate::ledger::human_bytes(*live_bytes),
                crate::ledger::human_bytes(*budget),
            ),
            Self::ScopeOrder { scope, inner } => {
                write!(f, "scope #{scope} cannot close while scope #{inner}, opened inside it, is still open")
            }
        }
    }
}

impl std::error::Error for HandleError {}
