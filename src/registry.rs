//! The store that owns every live handle's value, and the stack of open scopes.
//!
//! A handle object (the JS-visible shell) holds only a generational key into this store, never the
//! value or a raw pointer. That is what lets a scope release values without their JS objects, turns
//! a stale or forged key into a clear error instead of a use-after-free, and keeps borrowing safe:
//! a borrow clones the value's `Rc` out of the store, so a dispose during the borrow (from a JS
//! callback) only drops the store's reference and the value lives until the borrow ends.
//!
//! The store lives in the per-thread [state](crate::state), beside the ledger. Nothing here calls
//! out (no JS, no user `Drop`: removed entries are returned, and the caller drops them after the
//! borrow).

use std::any::Any;
use std::rc::Rc;

use slotmap::{new_key_type, SlotMap};

use crate::ledger::Ending;
use crate::state;

new_key_type! {
    /// Index plus generation: a key whose slot was freed and reused never matches the new value.
    pub(crate) struct Key;
}

/// One live handle: its value (shared with the other handles of the same value) and identity.
pub(crate) struct Entry {
    pub id: u64,
    pub class: &'static str,
    /// The class's place in the ledger, so ending the handle needs no lookup by name.
    pub class_index: usize,
    pub value: Rc<dyn Any>,
    /// Reads the value's current deep bytes (typed code behind an untyped entry).
    pub bytes_of: fn(&dyn Any) -> usize,
    /// Where the handle was created, when debug origins are on.
    pub origin: Option<Rc<str>>,
}

struct ScopeFrame {
    id: u64,
    keys: Vec<Key>,
}

#[derive(Default)]
pub(crate) struct Registry {
    entries: SlotMap<Key, Entry>,
    next_handle_id: u64,
    next_scope_id: u64,
    scopes: Vec<ScopeFrame>,
}

/// Removes a key only if its value has no other owner (no shared handle, no running borrow).
pub(crate) enum Unique {
    Removed(Entry),
    Shared,
    Gone,
}

/// The operations the handle's hot paths combine with ledger updates under one borrow.
impl Registry {
    /// Stores a new handle's value; the innermost open scope, if any, takes charge of it.
    #[inline]
    pub(crate) fn insert(&mut self, mut entry: Entry) -> (Key, u64) {
        self.next_handle_id += 1;
        let id = self.next_handle_id;
        entry.id = id;
        let key = self.entries.insert(entry);
        if let Some(frame) = self.scopes.last_mut() {
            frame.keys.push(key);
        }
        (key, id)
    }

    /// Removes a key; `None` if it was already gone. The caller drops the entry.
    #[inline]
    pub(crate) fn remove(&mut self, key: Key) -> Option<Entry> {
        self.entries.remove(key)
    }

    pub(crate) fn remove_if_unique(&mut self, key: Key) -> Unique {
        match self.entries.get(key) {
            None => Unique::Gone,
            Some(e) if Rc::strong_count(&e.value) > 1 => Unique::Shared,
            Some(_) => self.entries.remove(key).map_or(Unique::Gone, Unique::Removed),
        }
    }
}

fn with<R>(f: impl FnOnce(&mut Registry) -> R) -> R {
    state::with(|s| f(&mut s.registry))
}

/// The value of a live key (a new strong reference), or `None` once the key is gone.
pub(crate) fn get(key: Key) -> Option<Rc<dyn Any>> {
    with(|r| r.entries.get(key).map(|e| Rc::clone(&e.value)))
}

pub(crate) fn contains(key: Key) -> bool {
    with(|r| r.entries.contains_key(key))
}

/// What the ledger and leak reports need to know about the live handles.
#[derive(Debug, Clone)]
pub struct LiveHandle {
    pub class: &'static str,
    pub id: u64,
    pub bytes: usize,
    pub origin: Option<Rc<str>>,
}

/// Every live handle, oldest first (for leak reports and the test helper).
pub fn live_handles() -> Vec<LiveHandle> {
    let mut all: Vec<LiveHandle> = with(|r| {
        r.entries
            .values()
            .map(|e| LiveHandle { class: e.class, id: e.id, bytes: (e.bytes_of)(&*e.value), origin: e.origin.clone() })
            .collect()
    });
    all.sort_by_key(|h| h.id);
    all
}

// ---- scopes -------------------------------------------------------------------------------------

pub(crate) fn open_scope() -> u64 {
    with(|r| {
        r.next_scope_id += 1;
        let id = r.next_scope_id;
        r.scopes.push(ScopeFrame { id, keys: Vec::new() });
        id
    })
}

pub(crate) enum Close {
    /// The scope was innermost and is closed: these entries were still live in it (the ledger
    /// already counts them as disposed; the caller drops them).
    Closed(Vec<Entry>),
    /// The scope is no longer open (closed before): nothing to do.
    AlreadyClosed,
    /// A scope opened inside it is still open.
    InnerOpen(u64),
}

pub(crate) fn close_scope(scope: u64) -> Close {
    state::with(|s| {
        let r = &mut s.registry;
        let Some(position) = r.scopes.iter().position(|f| f.id == scope) else {
            return Close::AlreadyClosed;
        };
        if let Some(inner) = r.scopes.get(position + 1) {
            return Close::InnerOpen(inner.id);
        }
        let Some(frame) = r.scopes.pop() else { return Close::AlreadyClosed };
        // Keys disposed or moved earlier are stale and simply skipped.
        let entries: Vec<Entry> = frame.keys.into_iter().filter_map(|k| r.entries.remove(k)).collect();
        for entry in &entries {
            s.ledger.handle_ended(entry.class_index, Ending::Disposed);
        }
        Close::Closed(entries)
    })
}

/// Hands a scope's handles to its parent scope (or, outermost, to no scope) without releasing them:
/// what happens to a scope object that is garbage-collected without being closed.
pub(crate) fn abandon_scope(scope: u64) {
    state::try_with(|s| {
        let r = &mut s.registry;
        if let Some(position) = r.scopes.iter().position(|f| f.id == scope) {
            let frame = r.scopes.remove(position);
            if let Some(parent) = position.checked_sub(1).and_then(|p| r.scopes.get_mut(p)) {
                parent.keys.extend(frame.keys);
            }
        }
    });
}

/// Moves a handle from `scope` to its parent scope (or out of all scopes). Returns whether the
/// handle was in that scope.
pub(crate) fn keep(scope: u64, key: Key) -> bool {
    with(|r| {
        let Some(position) = r.scopes.iter().position(|f| f.id == scope) else { return false };
        let Some(frame) = r.scopes.get_mut(position) else { return false };
        let Some(at) = frame.keys.iter().position(|k| *k == key) else { return false };
        frame.keys.swap_remove(at);
        if let Some(parent) = position.checked_sub(1).and_then(|p| r.scopes.get_mut(p)) {
            parent.keys.push(key);
        }
        true
    })
}

/// Finds the key of a live handle by its public id (for `scope.keep(h)` from JS).
pub(crate) fn key_of_id(id: u64) -> Option<Key> {
    with(|r| r.entries.iter().find(|(_, e)| e.id == id).map(|(k, _)| k))
}

pub(crate) fn open_scopes() -> usize {
    with(|r| r.scopes.len())
}
