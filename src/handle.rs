//! Handles: the owner of one value on behalf of one JS object (or one Rust [`Handle`]), and the
//! operations every class shares (create, borrow, take, share, release, finalize, transfer).
//!
//! Life of a handle: live until exactly one of
//! - `dispose()` (also `free()`, `[Symbol.dispose]`, a closing scope): the value is released;
//! - a consuming Rust function takes it ([`Owned::take`]): the value moves out, the handle is "moved";
//! - its object is garbage-collected while live (the FinalizationRegistry in WASM, `Drop` of a
//!   Rust [`Handle`]): the value is "rescued" and a leak is reported;
//! - `transfer()`: the value goes on under a new key, to be adopted by another thread.
//!
//! After that every use is a [`HandleError`] naming the class, the id and what happened, and every
//! further release is a no-op. Values sit behind an `Arc`: a borrow holds its own reference, so a
//! release during the borrow (from a JS callback, or from another thread) cannot free the value
//! under it; the value is dropped when the last reference ends.

use std::marker::PhantomData;
use std::ops::Deref;
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use std::sync::Arc;

use wasm_bindgen::JsValue;

use crate::abi::{ArgPath, CallError, FromJs, IntoJs};
use crate::deep_size::DeepSize;
use crate::ending::{Ending, HandleState};
use crate::error::HandleError;
use crate::instance::{self, State};
use crate::keys::Key;
use crate::leak::{self, LeakReport};
use crate::ledger;
use crate::ledger::ClassId;
use crate::registry::{Entry, Found, NoRoom, Stored, Tomb};
use crate::{gc_nudge, scope};

/// A JS class whose objects own values of this type (declared with `#[class]`).
pub trait Class: DeepSize + Send + Sync + Sized + 'static {
    /// The JS class name, as the ledger and error messages show it.
    const NAME: &'static str;
    /// JSON of the kinds of `Owned<Self>` and `Shared<Self>` parameters, and of a new handle
    /// returned, for the glue generator.
    const OWNED_KIND: &'static str;
    const REF_KIND: &'static str;
    const HANDLE_KIND: &'static str;
    /// JSON of an array of borrowed handles (`Vec<Shared<Self>>`).
    const REF_ARRAY_KIND: &'static str;
    /// The class's id in this instance's ledger.
    fn class_id() -> ClassId;
}

/// Caches a class's id (classes are registered by name on first use).
pub struct ClassIdCell(AtomicU32);

impl ClassIdCell {
    #[allow(clippy::new_without_default)]
    pub const fn new() -> Self {
        Self(AtomicU32::new(0))
    }

    #[inline]
    pub fn get(&self, name: &'static str) -> ClassId {
        match self.0.load(Ordering::Relaxed) {
            0 => {
                let id = class_id(name);
                self.0.store(id.0 + 1, Ordering::Relaxed);
                id
            }
            n => ClassId(n - 1),
        }
    }
}

/// The id of a class by name, registering it on first use.
pub fn class_id(name: &'static str) -> ClassId {
    instance::with(|s| s.ledger.intern(name))
}

/// A value in the registry, with the token that keeps its bytes in the ledger until it is dropped
/// or moved out. No `Drop` of its own, so a move can destructure it.
struct Tracked<T> {
    value: T,
    bytes: BytesToken,
}

/// Bytes held by one value; returned to the ledger when this token drops (the value was dropped
/// or moved out of its handles), unless a release under the lock already returned them. Zero
/// until the ledger admits the value.
struct BytesToken {
    class: ClassId,
    bytes: AtomicU64,
}

impl BytesToken {
    fn resize(&self, bytes: u64) {
        // Under the lock: two remeasures from two threads reach the ledger in the order they
        // changed the token, so the ledger's count ends where the value's does.
        let nudge = instance::with(|s| {
            let old = self.bytes.swap(bytes, Ordering::Relaxed);
            s.ledger.resize(self.class, old, bytes)
        });
        if nudge {
            gc_nudge::nudge();
        }
    }
}

impl Drop for BytesToken {
    fn drop(&mut self) {
        let bytes = *self.bytes.get_mut();
        if bytes != 0 {
            instance::with(|s| s.ledger.resize(self.class, bytes, 0));
        }
    }
}

impl<T: Send + Sync + 'static> Stored for Tracked<T> {
    #[inline]
    fn bytes(&self) -> &AtomicU64 {
        &self.bytes.bytes
    }
}

/// A shared reference to a handle's value: read access for a call, or for as long as it is kept
/// (a prover index keeps its SRS this way), and it may become a handle of its own when returned.
///
/// It holds its own reference, so disposing the handle meanwhile cannot free the value under it;
/// a kept one keeps the value, and its bytes in the ledger under its class, until it is dropped,
/// while the handle count drops at once.
pub struct Shared<T> {
    tracked: Arc<Tracked<T>>,
}

impl<T> Deref for Shared<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.tracked.value
    }
}

impl<T> Clone for Shared<T> {
    fn clone(&self) -> Self {
        Self { tracked: Arc::clone(&self.tracked) }
    }
}

impl<T: DeepSize> Shared<T> {
    /// Changes the value through shared access in a way that may add memory to it (a cache it
    /// fills, a column it appends): the memory budget must first admit `added` bytes, an upper
    /// estimate of what `change` adds, or nothing runs. Then the value is measured again, so the
    /// ledger holds its true size whatever the estimate was. This is the only way a live value's
    /// counted size changes, so no growth can pass the budget unasked.
    pub fn grow<R>(&self, added: usize, change: impl FnOnce(&T) -> R) -> Result<R, HandleError> {
        if ledger::budget_set() {
            let class = self.tracked.bytes.class;
            instance::with(|s| s.ledger.over_budget(class, added, true).map_or(Ok(()), Err))?;
        }
        let result = change(&self.tracked.value);
        let bytes = self.tracked.value.deep_size();
        self.tracked.bytes.resize(bytes as u64);
        Ok(result)
    }
}

// ---- operations on keys --------------------------------------------------------------------------

/// The error for a key that is not a live handle of `expected`.
#[cold]
fn gone(s: &State, key: Key, expected: ClassId) -> HandleError {
    let expected_name = s.ledger.name(expected);
    match s.registry.find(key) {
        Found::Live(entry) => {
            HandleError::WrongClass { expected: expected_name, actual: s.ledger.name(entry.class), id: entry.id }
        }
        Found::Ended(Tomb { class, id, .. }) if class != expected => {
            HandleError::WrongClass { expected: expected_name, actual: s.ledger.name(class), id }
        }
        Found::Ended(Tomb { id, class, ending }) => HandleError::Ended { class: s.ledger.name(class), id, ending },
        Found::Unknown => HandleError::NotAHandle { expected: expected_name },
    }
}

/// The live entry of `key` if it is a handle of `class`.
#[inline]
fn live(s: &State, key: Key, class: ClassId) -> Result<&Entry, HandleError> {
    match s.registry.get(key) {
        Some(entry) if entry.class == class => Ok(entry),
        _ => Err(gone(s, key, class)),
    }
}

/// The typed value of an entry. A class id is only ever given to values of one type, so this
/// cannot fail; if it did, the handle is treated as not a handle rather than panicking.
fn downcast<T: Send + Sync + 'static>(value: crate::registry::Value) -> Result<Arc<Tracked<T>>, HandleError> {
    let any: Arc<dyn std::any::Any + Send + Sync> = value;
    any.downcast::<Tracked<T>>().map_err(|_| HandleError::NotAHandle { expected: "?" })
}

/// Room in the registry for one more handle of `class` (see `Registry::make_room`).
fn make_room(s: &mut State, class: ClassId) -> Result<(), HandleError> {
    s.registry.make_room().map_err(|no| match no {
        NoRoom::Slots => HandleError::TooManyHandles { limit: crate::keys::MAX_SLOTS },
        NoRoom::Memory => HandleError::OutOfMemory { class: s.ledger.name(class) },
    })
}

/// Registers a new value under `class` and returns the new handle's key and id; the innermost
/// scope of this thread, if any, takes charge of it.
pub(crate) fn create<T: DeepSize + Send + Sync + 'static>(class: ClassId, value: T) -> Result<(Key, u64), HandleError> {
    let bytes = value.deep_size();
    // Both before the lock: the origin may call JS, and the allocation may be large. The value's
    // bytes are set only once the ledger has counted them.
    let origin = leak::capture_origin();
    let tracked = Arc::new(Tracked { value, bytes: BytesToken { class, bytes: AtomicU64::new(0) } });
    let admitted = instance::with(|s| {
        if let Err(error) = make_room(s, class) {
            return Err((error, tracked));
        }
        let nudge = match s.ledger.admit(class, bytes) {
            Ok(nudge) => nudge,
            Err(error) => return Err((error, tracked)),
        };
        tracked.bytes.bytes.store(bytes as u64, Ordering::Relaxed);
        let entry = Entry { id: 0, class, value: tracked, origin, adopted: true };
        let (key, id) = s.registry.insert(entry);
        Ok((key, id, nudge))
    });
    match admitted {
        Ok((key, id, nudge)) => {
            if nudge {
                gc_nudge::nudge(); // calls JS: after the lock
            }
            scope::adopt_into_innermost(key);
            Ok((key, id))
        }
        // Refused: the value is dropped here, after the lock, with no bytes to return.
        Err((error, _value)) => Err(error),
    }
}

/// Shared access to the value of a live handle of `class`.
#[inline]
pub(crate) fn borrow<T: Send + Sync + 'static>(key: Key, class: ClassId) -> Result<Shared<T>, HandleError> {
    let value = instance::with(|s| live(s, key, class).map(|entry| Arc::clone(&entry.value)))?;
    downcast::<T>(value).map(|tracked| Shared { tracked })
}

/// The error if `take` would fail now (not live, another class, shared or borrowed).
fn untakable(s: &State, key: Key, class: ClassId, into: &'static str) -> Option<HandleError> {
    match live(s, key, class) {
        Err(error) => Some(error),
        Ok(entry) if Arc::strong_count(&entry.value) > 1 => {
            Some(HandleError::InUse { class: s.ledger.name(class), id: entry.id, into })
        }
        Ok(_) => None,
    }
}

/// Checks that `take` would succeed now.
pub(crate) fn check_unique(key: Key, class: ClassId, into: &'static str) -> Result<(), HandleError> {
    instance::with(|s| untakable(s, key, class, into).map_or(Ok(()), Err))
}

/// Moves the value out of a live, unshared handle of `class`; the handle becomes "moved into".
pub(crate) fn take<T: Send + Sync + 'static>(key: Key, class: ClassId, into: &'static str) -> Result<T, HandleError> {
    let entry = instance::with(|s| {
        if let Some(error) = untakable(s, key, class, into) {
            return Err(error);
        }
        s.end(key, Ending::Moved { into }).ok_or(HandleError::NotAHandle { expected: "?" })
    })?;
    let tracked = downcast::<T>(entry.value)?;
    // The registry held the only reference (checked under the lock; nothing can clone it since).
    let Tracked { value, bytes: _ } =
        Arc::try_unwrap(tracked).map_err(|_| HandleError::NotAHandle { expected: "?" })?;
    Ok(value)
}

/// A second handle to the same value; the value lives until the last of them ends.
pub(crate) fn share(key: Key, class: ClassId) -> Result<(Key, u64), HandleError> {
    let origin = leak::capture_origin();
    let (new_key, id) = instance::with(|s| {
        let entry = live(s, key, class)?;
        let copy = Entry { id: 0, value: Arc::clone(&entry.value), origin, ..*entry };
        make_room(s, class)?;
        let (new_key, id) = s.registry.insert(copy);
        s.ledger.handle_created(class);
        Ok((new_key, id))
    })?;
    scope::adopt_into_innermost(new_key);
    Ok((new_key, id))
}

/// Releases a handle of `class`: `Ok(true)` if it was live, `Ok(false)` if it had already ended
/// or its key is unknown (a no-op), an error for a handle of another class.
#[inline]
pub(crate) fn release(key: Key, class: ClassId) -> Result<bool, HandleError> {
    let removed = instance::with(|s| match s.registry.find(key) {
        Found::Live(entry) if entry.class == class => Ok(s.end(key, Ending::Disposed)),
        Found::Live(_) => Err(gone(s, key, class)),
        Found::Ended(tomb) if tomb.class != class => Err(gone(s, key, class)),
        Found::Ended(_) | Found::Unknown => Ok(None),
    })?;
    let live = removed.is_some();
    drop(removed); // after the lock: may run the value's Drop
    Ok(live)
}

/// A handle whose object went away while live (a JS finalizer, a Rust `Handle` dropped): release
/// the value and report the leak. A no-op for a handle that already ended.
pub(crate) fn rescue(key: Key) {
    let removed = instance::with(|s| {
        let entry = s.registry.get(key)?;
        if !entry.adopted {
            return None; // a transfer waiting for adoption has no object yet
        }
        // What the rescue frees: nothing while another handle (or a running borrow) holds it.
        let shared = Arc::strong_count(&entry.value) > 1;
        let bytes = if shared { 0 } else { entry.value.bytes().load(Ordering::Relaxed) };
        let entry = s.end(key, Ending::Rescued)?;
        Some((s.ledger.name(entry.class), entry, bytes, shared))
    });
    if let Some((class, entry, bytes, shared)) = removed {
        let (id, origin) = (entry.id, entry.origin.clone());
        drop(entry);
        leak::report(LeakReport { class, id, bytes, origin: origin.map(|o| o.to_string()) }, shared);
    }
}

/// The state of a handle of `class` (a handle of another class is an error; a key whose handle
/// ended so long ago that its slot was reused reads as disposed).
pub(crate) fn state(key: Key, class: ClassId) -> Result<HandleState, HandleError> {
    instance::with(|s| match s.registry.find(key) {
        Found::Live(entry) if entry.class == class => Ok(HandleState::Live),
        Found::Ended(tomb) if tomb.class == class => Ok(tomb.ending.state()),
        Found::Unknown => Ok(HandleState::Disposed),
        Found::Live(_) | Found::Ended(_) => Err(gone(s, key, class)),
    })
}

/// The error a use of this handle would give now, `None` while live.
pub(crate) fn error(key: Key, class: ClassId) -> Option<HandleError> {
    instance::with(|s| live(s, key, class).err())
}

/// Deep bytes of a live handle's value, else 0.
pub(crate) fn bytes(key: Key, class: ClassId) -> Result<u64, HandleError> {
    instance::with(|s| match live(s, key, class) {
        Ok(entry) => Ok(entry.value.bytes().load(Ordering::Relaxed)),
        Err(error @ HandleError::WrongClass { .. }) => Err(error),
        Err(_) => Ok(0),
    })
}

/// Whether a key names a live handle that has its object (not one waiting for `adopt`).
pub(crate) fn has_object(key: Key) -> bool {
    instance::with(|s| s.registry.get(key).is_some_and(|entry| entry.adopted))
}

/// The id of the handle a key names (live or recently ended), else 0.
pub(crate) fn id(key: Key) -> u64 {
    instance::with(|s| match s.registry.find(key) {
        Found::Live(entry) => entry.id,
        Found::Ended(tomb) => tomb.id,
        Found::Unknown => 0,
    })
}

/// Ends this handle as "transferred" and returns the key of a new handle to the same value that
/// waits, with no object, for `adopt` on another thread.
pub(crate) fn transfer(key: Key, class: ClassId) -> Result<Key, HandleError> {
    instance::with(|s| {
        live(s, key, class)?;
        make_room(s, class)?;
        let old = s.registry.remove(key, Ending::Transferred).ok_or(HandleError::NotAHandle { expected: "?" })?;
        // The same handle goes on under a new key: the ledger counts do not change.
        Ok(s.registry.insert_with_id(Entry { adopted: false, ..old }).0)
    })
}

/// Gives a transferred handle its object on this thread.
pub(crate) fn adopt(key: Key, class: ClassId) -> Result<(), HandleError> {
    instance::with(|s| {
        let entry = live(s, key, class)?;
        let (name, id) = (s.ledger.name(class), entry.id);
        match s.registry.get_mut(key) {
            Some(entry) if !entry.adopted => {
                entry.adopted = true;
                Ok(())
            }
            _ => Err(HandleError::NotTransferred { class: name, id }),
        }
    })?;
    scope::adopt_into_innermost(key);
    Ok(())
}

/// The key behind a JS number; a number that cannot be a key names no handle (every operation
/// then refuses it, or does nothing for a release).
#[inline]
pub(crate) fn key_from_js(key: f64) -> Key {
    Key::from_f64(key).unwrap_or(Key { slot: u32::MAX, generation: u32::MAX })
}

/// A handle error on an argument, naming the function and the parameter: a class mix-up
/// ("must be a WasmFpSrs handle, got ..."), or the handle's own state ("index: WasmPastaFpPlonkIndex
/// #17 was disposed").
pub(crate) fn arg_error(arg: &ArgPath<'_>, error: HandleError) -> CallError {
    match error {
        HandleError::WrongClass { .. } | HandleError::NotAHandle { .. } => arg.error(error),
        other => arg.handle_error(other),
    }
}

// ---- the Rust owner -----------------------------------------------------------------------------

/// The owner of one value, registered in the ledger under a class name: what a JS object is to
/// the handles it owns, for Rust code and native tests. Dropping it while live rescues the value.
pub struct Handle<T: 'static> {
    key: Key,
    id: u64,
    class: ClassId,
    _value: PhantomData<fn() -> T>,
}

impl<T: DeepSize + Send + Sync + 'static> Handle<T> {
    /// Takes ownership of `value`, measures it, and registers a new live handle of `class`.
    ///
    /// Fails only when a memory budget is set and the value does not fit (the value is then
    /// dropped at once and nothing is registered), or when the registry is full. Constructors that
    /// know the size before they allocate should call [`check_budget`](crate::check_budget) first.
    pub fn new(class: &'static str, value: T) -> Result<Self, HandleError> {
        let class = class_id(class);
        let (key, id) = create(class, value)?;
        Ok(Self { key, id, class, _value: PhantomData })
    }
}

/// A handle's key, for [`Scope::keep`](crate::Scope::keep).
impl<T: Send + Sync + 'static> From<&Handle<T>> for Key {
    fn from(handle: &Handle<T>) -> Key {
        handle.key
    }
}

impl<T: Send + Sync + 'static> Handle<T> {
    /// The stable public number of this handle (never reused).
    pub fn id(&self) -> u64 {
        self.id
    }

    /// The key a JS object would hold for this handle.
    pub fn key(&self) -> Key {
        self.key
    }

    pub fn class(&self) -> &'static str {
        instance::with(|s| s.ledger.name(self.class))
    }

    pub fn state(&self) -> HandleState {
        state(self.key, self.class).unwrap_or(HandleState::Disposed)
    }

    /// The error any use of this handle would give now, or `None` while it is live.
    pub fn error(&self) -> Option<HandleError> {
        error(self.key, self.class).map(|e| self.known(e))
    }

    /// A Rust handle knows its id: once its slot was reused, its error says it was released,
    /// rather than that it is not a handle.
    fn known(&self, error: HandleError) -> HandleError {
        match error {
            HandleError::NotAHandle { expected } => HandleError::Released { class: expected, id: self.id },
            other => other,
        }
    }

    /// Shared access to the value for the length of a call.
    pub fn borrow(&self) -> Result<Shared<T>, HandleError> {
        borrow(self.key, self.class).map_err(|e| self.known(e))
    }

    /// Deep bytes of the value if live, else 0.
    pub fn bytes(&self) -> u64 {
        bytes(self.key, self.class).unwrap_or(0)
    }

    /// Moves the value out for a Rust function that needs ownership (`into` names it in later
    /// errors). The handle stays as an empty shell in state "moved"; releasing it later is a no-op.
    pub fn take(&self, into: &'static str) -> Result<T, HandleError> {
        take(self.key, self.class, into).map_err(|e| self.known(e))
    }

    /// A second handle to the same value. The value is freed with the last of its handles.
    pub fn share(&self) -> Result<Handle<T>, HandleError> {
        let (key, id) = share(self.key, self.class).map_err(|e| self.known(e))?;
        Ok(Self { key, id, class: self.class, _value: PhantomData })
    }

    /// Releases this handle's reference to its value. Idempotent: returns false (and does nothing)
    /// if the handle was already disposed, moved, or released by its scope.
    pub fn dispose(&self) -> bool {
        release(self.key, self.class).unwrap_or(false)
    }
}

impl<T: 'static> Drop for Handle<T> {
    /// A handle dropped while still live was forgotten by its user: release the value anyway and
    /// report it as rescued (what the FinalizationRegistry does for a JS object).
    fn drop(&mut self) {
        rescue(self.key);
    }
}

// ---- consuming parameters -----------------------------------------------------------------------

/// A parameter whose value the function may take (`Owned<WasmFpWitness>`): checked live, of the
/// right class and unshared when the call starts, but taken only by [`Owned::take`], so a function
/// that fails before taking leaves the argument with the caller. Validate everything, check the
/// budget, then take.
pub struct Owned<T: Class> {
    key: Key,
    into: &'static str,
    // Where it was given (`witness`, `data.columns[2]`): the JS code the call runs meanwhile (a
    // getter of a later argument) may end the handle, and the error then names the parameter.
    param: std::borrow::Cow<'static, str>,
    _value: PhantomData<fn() -> T>,
}

impl<T: Class> Owned<T> {
    /// Moves the value out; the caller's object becomes "moved into <function>".
    pub fn take(self) -> Result<T, CallError> {
        take(self.key, T::class_id(), self.into).map_err(|e| self.error(e))
    }

    /// Shared access before deciding to take (for checks that read the value).
    pub fn borrow(&self) -> Result<Shared<T>, CallError> {
        borrow(self.key, T::class_id()).map_err(|e| self.error(e))
    }

    #[cold]
    fn error(&self, error: HandleError) -> CallError {
        crate::abi::handle_arg_error(self.into, &self.param, error)
    }
}

impl<T: Class> FromJs for Owned<T> {
    type Abi = f64;
    const KIND: &'static str = T::OWNED_KIND;
    fn from_js(key: f64, arg: &ArgPath<'_>) -> Result<Self, CallError> {
        let key = key_from_js(key);
        check_unique(key, T::class_id(), arg.function).map_err(|e| arg_error(arg, e))?;
        let param = match arg.param() {
            Some(name) => std::borrow::Cow::Borrowed(name),
            None => std::borrow::Cow::Owned(arg.path()),
        };
        Ok(Self { key, into: arg.function, param, _value: PhantomData })
    }
    fn from_value(value: JsValue, arg: &ArgPath<'_>) -> Result<Self, CallError> {
        Self::from_js(key_of_object::<T>(&value, arg)?, arg)
    }
}

/// The key a handle object inside plain data holds.
fn key_of_object<T: Class>(value: &JsValue, arg: &ArgPath<'_>) -> Result<f64, CallError> {
    let key = value
        .is_object()
        .then(|| js_sys::Reflect::get(value, &JsValue::from_str("__kh")).ok())
        .flatten()
        .and_then(|k| k.as_f64());
    key.ok_or_else(|| arg.error(format_args!("must be a {} handle, got {}", T::NAME, crate::abi::describe(value))))
}

/// A handle inside plain data, read: the value, borrowed for as long as the data lives.
impl<T: Class> FromJs for Shared<T> {
    type Abi = f64;
    const KIND: &'static str = T::REF_KIND;
    fn from_js(key: f64, arg: &ArgPath<'_>) -> Result<Self, CallError> {
        borrow(key_from_js(key), T::class_id()).map_err(|e| arg_error(arg, e))
    }
    fn from_value(value: JsValue, arg: &ArgPath<'_>) -> Result<Self, CallError> {
        Self::from_js(key_of_object::<T>(&value, arg)?, arg)
    }
}

/// Handles in a JS array (`Vec<Shared<T>>`): each element's value borrowed.
impl<T: Class> crate::abi::Element for Shared<T> {
    const ARRAY_KIND: &'static str = T::REF_ARRAY_KIND;
}

/// A value held by Rust, returned: a new handle that shares it (the JS glue makes its object).
impl<T: Class> IntoJs for Shared<T> {
    type Abi = f64;
    type Ret = f64;
    const KIND: &'static str = T::HANDLE_KIND;
    fn into_js(self) -> Result<f64, CallError> {
        Ok(share_value(T::class_id(), self)?.to_f64())
    }
    fn ret(result: Result<Self::Abi, CallError>) -> f64 {
        crate::abi::fast_return(result)
    }
    fn into_value(self) -> Result<JsValue, CallError> {
        self.into_js().map(JsValue::from)
    }
}

/// A new handle to a value a `Shared` holds.
fn share_value<T: Send + Sync + 'static>(class: ClassId, value: Shared<T>) -> Result<Key, HandleError> {
    let origin = leak::capture_origin();
    let key = instance::with(|s| {
        make_room(s, class)?;
        let entry = Entry { id: 0, class, value: value.tracked, origin, adopted: true };
        let (key, _) = s.registry.insert(entry);
        s.ledger.handle_created(class);
        Ok(key)
    })?;
    scope::adopt_into_innermost(key);
    Ok(key)
}
