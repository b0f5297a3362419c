//! The store of every live handle's value: a slab of slots addressed by [keys](crate::keys), and
//! in each free slot the ending of its last handle, which later errors explain. Plain data: the
//! [instance](crate::instance) owns the one registry and locks it; nothing here calls out (removed
//! entries are returned, and the caller drops them after the lock is released).

use std::any::Any;
use std::collections::VecDeque;
use std::sync::atomic::AtomicU64;
use std::sync::Arc;

use crate::ending::Ending;
use crate::keys::{Generations, Key, GEN_MASK, MAX_SLOTS};
use crate::ledger::ClassId;

/// What the registry holds of a value: the bytes the ledger counts for it, and the value itself
/// (as `Any`, for typed access by the handle code).
pub(crate) trait Stored: Any + Send + Sync {
    fn bytes(&self) -> &AtomicU64;
}

/// A value shared by the handles of one value and by running borrows.
pub(crate) type Value = Arc<dyn Stored>;

/// One live handle.
pub(crate) struct Entry {
    /// The public number errors and reports show (never reused).
    pub id: u64,
    pub class: ClassId,
    pub value: Value,
    /// Where the handle was created, when debug origins are on.
    pub origin: Option<Arc<str>>,
    /// False while a `transfer()`ed handle waits for `adopt()` on its new thread.
    pub adopted: bool,
}

/// What ended in a slot.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Tomb {
    pub id: u64,
    pub class: ClassId,
    pub ending: Ending,
}

struct Slot {
    generation: u32,
    /// The slot retires when its generation would come back here.
    first: u32,
    entry: Option<Entry>,
    tomb: Option<Tomb>,
}

/// What a key finds.
pub(crate) enum Found<'a> {
    Live(&'a Entry),
    /// The handle of this key ended this way.
    Ended(Tomb),
    /// No handle has this key now, and its ending is not known (a slot reused since, or a key
    /// that was never given).
    Unknown,
}

/// Why the registry cannot take another handle.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum NoRoom {
    /// Every slot is live.
    Slots,
    /// The memory to grow the registry could not be allocated.
    Memory,
}

/// Free slots kept before one is reused, so the endings of the last ones stay readable.
const KEEP_FREE: usize = 1024;

pub(crate) struct Registry {
    slots: Vec<Slot>,
    /// Free slots, oldest first.
    free: VecDeque<u32>,
    next_id: u64,
    generations: Generations,
}

impl Registry {
    pub(crate) fn new(seed: u64) -> Self {
        Self { slots: Vec::new(), free: VecDeque::new(), next_id: 1, generations: Generations::new(seed) }
    }

    /// Makes room for one more handle (call it before `insert`): afterwards neither `insert` nor
    /// the `remove` that ends the handle allocates, so running out of memory refuses a new handle
    /// here, before anything changed, instead of failing half-way through an update.
    #[inline]
    pub(crate) fn make_room(&mut self) -> Result<(), NoRoom> {
        if self.slots.len() >= MAX_SLOTS {
            return if self.free.is_empty() { Err(NoRoom::Slots) } else { Ok(()) };
        }
        self.slots.try_reserve(1).map_err(|_| NoRoom::Memory)?;
        // The free list can hold every slot.
        let want = self.slots.len() + 1;
        if self.free.capacity() < want {
            self.free.try_reserve(want - self.free.len()).map_err(|_| NoRoom::Memory)?;
        }
        Ok(())
    }

    /// Stores a new handle, giving `entry` a new id; returns the key and the id. Call `make_room`
    /// first.
    #[inline]
    pub(crate) fn insert(&mut self, mut entry: Entry) -> (Key, u64) {
        entry.id = self.next_id;
        self.next_id += 1;
        self.insert_with_id(entry)
    }

    /// Stores a handle under a new key, keeping the id it has (a transfer: the same handle goes on).
    #[inline]
    pub(crate) fn insert_with_id(&mut self, entry: Entry) -> (Key, u64) {
        let id = entry.id;
        let reuse = self.free.len() > KEEP_FREE || self.slots.len() >= MAX_SLOTS;
        if reuse {
            while let Some(index) = self.free.pop_front() {
                let Some(slot) = self.slots.get_mut(index as usize) else { continue };
                let next = (slot.generation + 1) & GEN_MASK;
                if next == slot.first {
                    continue; // every generation used: retired, never reused
                }
                slot.generation = next;
                slot.entry = Some(entry);
                slot.tomb = None;
                return (Key { slot: index, generation: next }, id);
            }
        }
        let first = self.generations.first();
        let index = self.slots.len() as u32;
        self.slots.push(Slot { generation: first, first, entry: Some(entry), tomb: None });
        (Key { slot: index, generation: first }, id)
    }

    #[inline]
    fn slot(&self, key: Key) -> Option<&Slot> {
        self.slots.get(key.slot as usize).filter(|s| s.generation == key.generation)
    }

    #[inline]
    pub(crate) fn find(&self, key: Key) -> Found<'_> {
        match self.slot(key) {
            Some(Slot { entry: Some(entry), .. }) => Found::Live(entry),
            Some(Slot { tomb: Some(tomb), .. }) => Found::Ended(*tomb),
            _ => Found::Unknown,
        }
    }

    #[inline]
    pub(crate) fn get(&self, key: Key) -> Option<&Entry> {
        self.slot(key).and_then(|s| s.entry.as_ref())
    }

    pub(crate) fn get_mut(&mut self, key: Key) -> Option<&mut Entry> {
        self.slots.get_mut(key.slot as usize).filter(|s| s.generation == key.generation).and_then(|s| s.entry.as_mut())
    }

    /// Removes a live handle, remembering why; `None` if it was not live.
    #[inline]
    pub(crate) fn remove(&mut self, key: Key, ending: Ending) -> Option<Entry> {
        let slot = self.slots.get_mut(key.slot as usize).filter(|s| s.generation == key.generation)?;
        let entry = slot.entry.take()?;
        slot.tomb = Some(Tomb { id: entry.id, class: entry.class, ending });
        self.free.push_back(key.slot);
        Some(entry)
    }

    /// Every live handle: key and entry, in no particular order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (Key, &Entry)> {
        self.slots.iter().enumerate().filter_map(|(index, slot)| {
            slot.entry.as_ref().map(|e| (Key { slot: index as u32, generation: slot.generation }, e))
        })
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::expect_used)]
    use super::*;

    struct Unit(AtomicU64);
    impl Stored for Unit {
        fn bytes(&self) -> &AtomicU64 {
            &self.0
        }
    }

    fn entry() -> Entry {
        Entry { id: 0, class: ClassId(0), value: Arc::new(Unit(AtomicU64::new(0))), origin: None, adopted: true }
    }

    #[test]
    fn a_stale_key_never_finds_the_next_handle_of_its_slot() {
        let mut r = Registry::new(7);
        let (first, _) = r.insert(entry());
        r.remove(first, Ending::Disposed);
        // Fill the free list past KEEP_FREE so the first slot is reused.
        let keys: Vec<Key> = (0..KEEP_FREE + 2).map(|_| r.insert(entry()).0).collect();
        for k in &keys {
            r.remove(*k, Ending::Disposed);
        }
        let reused = (0..KEEP_FREE + 2).map(|_| r.insert(entry()).0).find(|k| k.slot == first.slot);
        let reused = reused.expect("the first slot was reused");
        assert_ne!(reused.generation, first.generation);
        assert!(r.get(first).is_none());
        assert!(matches!(r.find(first), Found::Unknown));
        assert!(r.get(reused).is_some());
    }

    #[test]
    fn a_slot_retires_instead_of_repeating_a_generation() {
        let mut r = Registry::new(1);
        let (key, _) = r.insert(entry());
        let slot = r.slots.get_mut(key.slot as usize).expect("slot");
        // Pretend every other generation was used.
        slot.first = (slot.generation + 1) & GEN_MASK;
        r.remove(key, Ending::Disposed);
        for _ in 0..=KEEP_FREE {
            let (k, _) = r.insert(entry());
            assert_ne!(k.slot, key.slot, "the retired slot is never handed out again");
            r.remove(k, Ending::Disposed);
        }
    }
}
