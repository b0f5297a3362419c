//! Scopes: release every handle created in a region of code, without touching each call site.
//!
//! Scopes form one stack per thread. Each handle created while a scope is the innermost open one
//! belongs to it; closing the scope disposes those that are still live and skips the ones already
//! disposed or moved. `keep` hands a handle to the parent scope, or out of all scopes.
//!
//! Rules (the JS class follows them too):
//! - closing a scope twice is a no-op;
//! - closing a scope while a scope opened inside it is still open is an error, and changes nothing
//!   (so a mistake cannot release handles an inner scope still counts on);
//! - a scope dropped without being closed (a JS scope object collected by the GC) does not release
//!   anything: its handles go to the parent scope, as if kept.
//!
//! A scope is a synchronous region: it collects every handle created while it is innermost, so a
//! scope held open across an `await` also collects the handles that other tasks create meanwhile.

use crate::error::HandleError;
use crate::handle::Handle;
use crate::registry::{self, Close};

/// An open scope. Close it with [`Scope::close`]; dropping it unclosed hands its handles upward.
#[derive(Debug)]
pub struct Scope {
    id: u64,
}

impl Scope {
    /// Opens a scope inside the current innermost one.
    pub fn open() -> Self {
        Self { id: registry::open_scope() }
    }

    pub fn id(&self) -> u64 {
        self.id
    }

    /// Disposes the scope's live handles; returns how many. `Ok(0)` if it was closed already.
    pub fn close(&self) -> Result<usize, HandleError> {
        match registry::close_scope(self.id) {
            Close::AlreadyClosed => Ok(0),
            Close::InnerOpen(inner) => Err(HandleError::ScopeOrder { scope: self.id, inner }),
            Close::Closed(entries) => {
                let released = entries.len();
                drop(entries); // outside the registry borrow: runs the values' Drop
                Ok(released)
            }
        }
    }

    /// Moves `handle` out of this scope to its parent (or out of all scopes); returns whether the
    /// handle belonged to this scope.
    pub fn keep<T>(&self, handle: &Handle<T>) -> bool {
        registry::keep(self.id, handle.key())
    }

    /// Same as [`Scope::keep`], for a handle known by its public id (the JS side).
    pub fn keep_id(&self, id: u64) -> bool {
        registry::key_of_id(id).is_some_and(|key| registry::keep(self.id, key))
    }
}

impl Drop for Scope {
    fn drop(&mut self) {
        registry::abandon_scope(self.id);
    }
}

/// How many scopes are open on this thread.
pub fn open_scopes() -> usize {
    registry::open_scopes()
}
