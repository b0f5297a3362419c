//! How a handle ends: the one statement of it. The registry keeps it in the ended handle's slot;
//! from it come the ledger counter it adds to, the state JS reads (`'disposed'`, `'moved'`) and
//! the words of the error a later use gets.

use std::fmt;

/// How a handle ended. Each way has one name, here and in the ledger, messages and docs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ending {
    /// `dispose()`, `free()`, `[Symbol.dispose]()`, or a Rust owner's `dispose`.
    Disposed,
    /// The scope it was made in closed.
    DisposedByScope,
    /// A function took its value (`Owned::take`).
    Moved { into: &'static str },
    /// Nothing disposed it: its object was collected while it was live, and the finalizer freed
    /// the value (counted as rescued, reported as a leak).
    Rescued,
    /// It ended on this thread to go on under a new key, given an object by `adopt` on another.
    Transferred,
}

/// The state a handle's JS `state` getter reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HandleState {
    Live,
    Disposed,
    Moved,
}

impl HandleState {
    /// Every state, in the order of `as_str`'s names.
    pub const ALL: [HandleState; 3] = [Self::Live, Self::Disposed, Self::Moved];

    /// What JS reads: `'live'`, `'disposed'` or `'moved'`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Live => "live",
            Self::Disposed => "disposed",
            Self::Moved => "moved",
        }
    }
}

/// The ledger counter an ending adds to (`created == live + disposed + moved + rescued`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Counter {
    Disposed,
    Moved,
    Rescued,
}

impl Ending {
    /// The state JS reads for a handle that ended this way.
    pub fn state(self) -> HandleState {
        match self {
            Self::Disposed | Self::DisposedByScope | Self::Rescued => HandleState::Disposed,
            Self::Moved { .. } | Self::Transferred => HandleState::Moved,
        }
    }

    /// The ledger counter it adds to; none for a transfer, where the same handle goes on under a
    /// new key.
    pub fn counter(self) -> Option<Counter> {
        match self {
            Self::Disposed | Self::DisposedByScope => Some(Counter::Disposed),
            Self::Moved { .. } => Some(Counter::Moved),
            Self::Rescued => Some(Counter::Rescued),
            Self::Transferred => None,
        }
    }
}

/// What follows "`Payload #3`" in an error.
impl fmt::Display for Ending {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Disposed => f.write_str("was disposed"),
            Self::DisposedByScope => {
                f.write_str("was disposed when its scope closed (keep it with scope.keep(handle))")
            }
            Self::Moved { into } => write!(f, "was moved into {into}"),
            Self::Rescued => f.write_str("was rescued: nothing disposed it, and its object was collected"),
            Self::Transferred => f.write_str("was transferred (adopt it on the receiving thread)"),
        }
    }
}
