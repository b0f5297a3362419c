//! `Handle<T>`: the owner of one value on behalf of one JS object, with move-aware, idempotent
//! release. The JS classes made by [`handle_class!`](crate::handle_class) are thin shells around it.
//!
//! Life of a handle: `Live` until exactly one of
//! - `dispose()` (also `free()`, `[Symbol.dispose]`, a closing scope): the value is released;
//! - `take()` by a consuming Rust function: the value moves out, the shell stays as "moved";
//! - the shell is dropped while live (the FinalizationRegistry in WASM): the value is "rescued".
//!
//! After that every use is a [`HandleError`] naming the class, the id and what happened, and every
//! further release is a no-op.

use std::cell::Cell;
use std::marker::PhantomData;
use std::ops::Deref;
use std::rc::Rc;

use crate::deep_size::DeepSize;
use crate::error::HandleError;
use crate::gc_nudge;
use crate::leak;
use crate::ledger::{BytesToken, Ending};
use crate::registry::{self, Entry, Key, Unique};
use crate::state;

/// A value in the registry, with the token that keeps its bytes in the ledger until it is dropped
/// or moved out. No `Drop` of its own, so a move can destructure it.
pub(crate) struct Tracked<T> {
    value: T,
    bytes: BytesToken,
}

/// The deep bytes of a registry value known to be a `Tracked<T>`.
fn bytes_of<T: 'static>(value: &dyn std::any::Any) -> usize {
    value.downcast_ref::<Tracked<T>>().map_or(0, |t| t.bytes.bytes())
}

/// What a handle's JS `state` getter reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HandleState {
    Live,
    Disposed,
    Moved,
}

impl HandleState {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Live => "live",
            Self::Disposed => "disposed",
            Self::Moved => "moved",
        }
    }
}

/// What the shell itself did to its value; `Live` with a missing key means a scope released it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fate {
    Live,
    Disposed,
    Moved(&'static str),
}

/// Shared access to a handle's value for the length of one call.
///
/// It holds its own reference, so disposing the handle meanwhile (from a JS callback) cannot free
/// the value under the borrower; the value is dropped when the last of them ends. A value may also
/// keep one for longer (a prover index keeps its SRS this way): the value, and its bytes in the
/// ledger under its class, then stay until that value ends, while the handle count drops at once.
pub struct Borrowed<T> {
    tracked: Rc<Tracked<T>>,
}

impl<T> Deref for Borrowed<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.tracked.value
    }
}

/// The owner of one value, registered in the ledger under a class name.
pub struct Handle<T: 'static> {
    key: Key,
    id: u64,
    class: &'static str,
    /// The class's place in the ledger (no lookup by name when the handle ends).
    class_index: usize,
    fate: Cell<Fate>,
    // Handles live in a per-thread registry: keep them on their thread.
    _not_send: PhantomData<Rc<T>>,
}

impl<T: DeepSize + 'static> Handle<T> {
    /// Takes ownership of `value`, measures it, and registers a new live handle of `class`.
    ///
    /// Fails only when a memory budget is set and the value does not fit; the value is then
    /// dropped at once and nothing is registered. Constructors that know the size before they
    /// allocate should call [`ledger::check_budget`] first.
    #[inline]
    pub fn new(class: &'static str, value: T) -> Result<Self, HandleError> {
        let bytes = value.deep_size();
        // May call JS: before the borrow.
        let origin = leak::capture_origin();
        // One borrow for the budget, the counters and the store.
        let admitted = state::with(|s| match s.ledger.admit(class, bytes) {
            Err(error) => Err((error, value)),
            Ok((class_index, nudge)) => {
                let tracked = Rc::new(Tracked { value, bytes: BytesToken::new(class_index, bytes) });
                Ok((s.registry.insert(Self::entry(class, class_index, tracked, origin)), class_index, nudge))
            }
        });
        match admitted {
            Ok(((key, id), class_index, nudge)) => {
                if nudge {
                    gc_nudge::nudge(); // calls JS: after the borrow
                }
                Ok(Self::from_parts(key, id, class, class_index))
            }
            // Over budget: the value is dropped here, after the borrow.
            Err((error, _value)) => Err(error),
        }
    }

    /// Measures the value again and updates the ledger, for values whose internal caches grow
    /// through shared access (an SRS computing Lagrange bases). Returns the new size.
    ///
    /// The memory budget does not refuse this growth (it has already happened); the handles
    /// created after it are refused if the total is over the budget.
    pub fn remeasure(&self) -> Result<usize, HandleError> {
        let tracked = self.tracked()?;
        let bytes = tracked.value.deep_size();
        tracked.bytes.resize(bytes);
        Ok(bytes)
    }
}

impl<T: 'static> Handle<T> {
    fn entry(class: &'static str, class_index: usize, value: Rc<Tracked<T>>, origin: Option<Rc<str>>) -> Entry {
        // The registry assigns the id.
        Entry { id: 0, class, class_index, value, bytes_of: bytes_of::<T>, origin }
    }

    fn from_parts(key: Key, id: u64, class: &'static str, class_index: usize) -> Self {
        Self { key, id, class, class_index, fate: Cell::new(Fate::Live), _not_send: PhantomData }
    }

    pub(crate) fn key(&self) -> Key {
        self.key
    }

    /// The stable public number of this handle (never reused).
    pub fn id(&self) -> u64 {
        self.id
    }

    pub fn class(&self) -> &'static str {
        self.class
    }

    pub fn state(&self) -> HandleState {
        match self.fate.get() {
            Fate::Moved(_) => HandleState::Moved,
            Fate::Disposed => HandleState::Disposed,
            Fate::Live if registry::contains(self.key) => HandleState::Live,
            Fate::Live => HandleState::Disposed,
        }
    }

    /// The error any use of this handle would give now, or `None` while it is live.
    pub fn error(&self) -> Option<HandleError> {
        (self.state() != HandleState::Live).then(|| self.gone())
    }

    /// The error that explains why this handle is no longer live.
    fn gone(&self) -> HandleError {
        let (class, id) = (self.class, self.id);
        match self.fate.get() {
            Fate::Moved(into) => HandleError::Moved { class, id, into },
            Fate::Disposed => HandleError::Disposed { class, id },
            Fate::Live => HandleError::DisposedByScope { class, id },
        }
    }

    fn tracked(&self) -> Result<Rc<Tracked<T>>, HandleError> {
        let value = registry::get(self.key).ok_or_else(|| self.gone())?;
        // A key is only ever created by `register::<T>`, so the downcast cannot fail; if it did,
        // treating the handle as gone is still an error, not a panic.
        value.downcast::<Tracked<T>>().map_err(|_| self.gone())
    }

    /// Shared access to the value for the length of a call.
    pub fn borrow(&self) -> Result<Borrowed<T>, HandleError> {
        self.tracked().map(|tracked| Borrowed { tracked })
    }

    /// Deep bytes of the value if live, else 0.
    pub fn bytes(&self) -> usize {
        self.tracked().map_or(0, |t| t.bytes.bytes())
    }

    /// Moves the value out for a Rust function that needs ownership (`into` names it in later
    /// errors). The handle stays as an empty shell in state "moved"; releasing it later is a no-op.
    pub fn take(&self, into: &'static str) -> Result<T, HandleError> {
        let (class, id) = (self.class, self.id);
        let removed = state::with(|s| {
            let removed = s.registry.remove_if_unique(self.key);
            if matches!(removed, Unique::Removed(_)) {
                s.ledger.handle_ended(self.class_index, Ending::Moved);
            }
            removed
        });
        match removed {
            Unique::Gone => Err(self.gone()),
            Unique::Shared => Err(HandleError::InUse { class, id, into }),
            Unique::Removed(entry) => {
                self.fate.set(Fate::Moved(into));
                // The store held the only reference, so unwrapping succeeds.
                let tracked = entry.value.downcast::<Tracked<T>>().map_err(|_| self.gone())?;
                let Tracked { value, bytes: _ } = Rc::try_unwrap(tracked).map_err(|_| self.gone())?;
                Ok(value)
            }
        }
    }

    /// A second handle to the same value. The value is freed with the last of its handles.
    pub fn share(&self) -> Result<Handle<T>, HandleError> {
        let value = self.tracked()?;
        let origin = leak::capture_origin();
        let (key, id) = state::with(|s| {
            s.ledger.handle_created(self.class_index);
            s.registry.insert(Self::entry(self.class, self.class_index, value, origin))
        });
        Ok(Self::from_parts(key, id, self.class, self.class_index))
    }

    /// Releases this handle's reference to its value. Idempotent: returns false (and does nothing)
    /// if the handle was already disposed, moved, or released by its scope.
    #[inline]
    pub fn dispose(&self) -> bool {
        if self.fate.get() != Fate::Live {
            return false;
        }
        let removed = state::with(|s| {
            let entry = s.registry.remove(self.key)?;
            s.ledger.handle_ended(self.class_index, Ending::Disposed);
            Some(entry)
        });
        // Already released by its scope: keep "disposed when its scope closed" for later errors.
        let Some(entry) = removed else { return false };
        self.fate.set(Fate::Disposed);
        drop(entry); // after the borrow: may run the value's Drop
        true
    }
}

impl<T: 'static> Drop for Handle<T> {
    /// A shell dropped while still live was forgotten by its user: release the value anyway and
    /// report it as rescued (in WASM this runs from the FinalizationRegistry).
    #[inline]
    fn drop(&mut self) {
        if self.fate.get() == Fate::Live {
            self.rescue();
        }
    }
}

impl<T: 'static> Handle<T> {
    /// The slow path of `drop`: the shell went away while live.
    #[cold]
    #[inline(never)]
    fn rescue(&self) {
        let removed = state::try_with(|s| {
            let entry = s.registry.remove(self.key)?;
            s.ledger.handle_ended(self.class_index, Ending::Rescued);
            // What the rescue frees: nothing while another handle (or a running borrow) still
            // holds the value.
            let unique = Rc::strong_count(&entry.value) == 1;
            let bytes = if unique { (entry.bytes_of)(&*entry.value) } else { 0 };
            Some((entry, bytes))
        });
        if let Some((entry, bytes)) = removed.flatten() {
            let origin = entry.origin.clone();
            drop(entry);
            leak::report(leak::LeakReport { class: self.class, id: self.id, bytes, origin });
        }
    }
}
