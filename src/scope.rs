//! Scopes: release every handle created in a region of code, without touching each call site.
//!
//! Scopes form one stack per thread. Each handle created (or shared, or adopted) while a scope is
//! the innermost open one on that thread belongs to it; closing the scope disposes those that are
//! still live and skips the ones already disposed or moved. `keep` hands a handle to the parent
//! scope, or out of all scopes.
//!
//! Rules (the JS class follows them too):
//! - closing a scope twice is a no-op;
//! - closing a scope while a scope opened inside it is still open is an error, and changes nothing
//!   (so a mistake cannot release handles an inner scope still counts on);
//! - a scope dropped without being closed (a JS scope object collected by the GC) does not release
//!   anything: its handles go to the parent scope, as if kept.
//!
//! A scope is a synchronous region: it collects every handle created on its thread while it is
//! innermost, so a scope held open across an `await` also collects the handles that other tasks
//! create meanwhile.

use std::cell::RefCell;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

use crate::ending::Ending;
use crate::error::HandleError;
use crate::instance;
use crate::keys::Key;

struct Frame {
    id: u64,
    handles: Vec<Key>,
}

thread_local! {
    /// This thread's open scopes, innermost last.
    static FRAMES: RefCell<Vec<Frame>> = const { RefCell::new(Vec::new()) };
}

fn with_frames<R>(f: impl FnOnce(&mut Vec<Frame>) -> R) -> Option<R> {
    instance::with_local(&FRAMES, f)
}

/// Scope ids are unique across threads, so a scope object used on the wrong thread finds nothing.
static NEXT_SCOPE: AtomicU64 = AtomicU64::new(1);

/// Scopes open on all threads: with none, creating a handle skips this thread's scope stack.
static OPEN: AtomicUsize = AtomicUsize::new(0);

/// A new handle on this thread joins the innermost open scope, if any.
#[inline]
pub(crate) fn adopt_into_innermost(key: Key) {
    if OPEN.load(Ordering::Relaxed) == 0 {
        return;
    }
    with_frames(|frames| {
        if let Some(frame) = frames.last_mut() {
            // Out of memory, the handle stays out of the scope rather than the call failing after
            // the handle exists: the caller still gets it, to dispose.
            if frame.handles.try_reserve(1).is_ok() {
                frame.handles.push(key);
            }
        }
    });
}

/// An open scope. Close it with [`Scope::close`]; dropping it unclosed hands its handles upward.
///
/// A scope belongs to the thread that opened it (it collects that thread's handles), so it cannot
/// be sent to another:
///
/// ```compile_fail
/// let scope = kimchi_handles::Scope::open();
/// std::thread::spawn(move || drop(scope));
/// ```
#[derive(Debug)]
pub struct Scope {
    id: u64,
    _this_thread: std::marker::PhantomData<*const ()>,
}

impl Scope {
    /// Opens a scope inside the current innermost one of this thread.
    pub fn open() -> Self {
        let id = NEXT_SCOPE.fetch_add(1, Ordering::Relaxed);
        // Counted before the frame exists: a handle made in between looks for a frame, finds none.
        OPEN.fetch_add(1, Ordering::Relaxed);
        if with_frames(|frames| frames.push(Frame { id, handles: Vec::new() })).is_none() {
            OPEN.fetch_sub(1, Ordering::Relaxed);
        }
        Self { id, _this_thread: std::marker::PhantomData }
    }

    pub fn id(&self) -> u64 {
        self.id
    }

    /// Disposes the scope's live handles; returns how many. `Ok(0)` if it was closed already.
    pub fn close(&self) -> Result<usize, HandleError> {
        close(self.id)
    }

    /// Moves `handle` (a [`Handle`](crate::Handle) or its key) out of this scope to its parent (or
    /// out of all scopes); returns whether the handle was a live handle of this scope.
    pub fn keep(&self, handle: impl Into<Key>) -> bool {
        keep(self.id, handle.into())
    }
}

impl Drop for Scope {
    fn drop(&mut self) {
        abandon(self.id);
    }
}

/// Closes scope `scope` of this thread (see [`Scope::close`]).
pub(crate) fn close(scope: u64) -> Result<usize, HandleError> {
    let frame = with_frames(|frames| {
        let Some(position) = frames.iter().position(|f| f.id == scope) else { return Ok(None) };
        if let Some(inner) = frames.get(position + 1) {
            return Err(HandleError::ScopeOrder { scope, inner: inner.id });
        }
        Ok(frames.pop())
    })
    .unwrap_or(Ok(None))?;
    let Some(frame) = frame else { return Ok(0) };
    OPEN.fetch_sub(1, Ordering::Relaxed);
    // Handles disposed or moved earlier are skipped.
    let released = instance::with(|s| {
        let mut released = Vec::new();
        for key in frame.handles {
            if let Some(entry) = s.end(key, Ending::DisposedByScope) {
                released.push(entry);
            }
        }
        released
    });
    let count = released.len();
    drop(released); // outside the lock: runs the values' Drop
    Ok(count)
}

/// Moves a live handle from `scope` to its parent scope (or out of all scopes). Returns whether
/// the handle was a live handle of that scope.
pub(crate) fn keep(scope: u64, key: Key) -> bool {
    if instance::with(|s| s.registry.get(key).is_none()) {
        return false;
    }
    with_frames(|frames| {
        let Some(position) = frames.iter().position(|f| f.id == scope) else { return false };
        let Some(frame) = frames.get_mut(position) else { return false };
        let Some(at) = frame.handles.iter().position(|h| *h == key) else { return false };
        frame.handles.swap_remove(at);
        if let Some(parent) = position.checked_sub(1).and_then(|p| frames.get_mut(p)) {
            parent.handles.push(key);
        }
        true
    })
    .unwrap_or(false)
}

/// Hands a scope's handles to its parent scope (or, outermost, to no scope) without releasing
/// them: what happens to a scope object that is garbage-collected without being closed.
pub(crate) fn abandon(scope: u64) {
    with_frames(|frames| {
        if let Some(position) = frames.iter().position(|f| f.id == scope) {
            let frame = frames.remove(position);
            OPEN.fetch_sub(1, Ordering::Relaxed);
            if let Some(parent) = position.checked_sub(1).and_then(|p| frames.get_mut(p)) {
                parent.handles.extend(frame.handles);
            }
        }
    });
}

/// How many scopes are open on this thread.
pub fn open_scopes() -> usize {
    with_frames(|frames| frames.len()).unwrap_or(0)
}
