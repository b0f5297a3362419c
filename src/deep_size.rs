//! Deep byte sizes: what a value really holds on the heap, so the ledger shows honest numbers.
//!
//! The size of a handle's value is taken when the handle is created and released when the value is
//! dropped or moved out. Handles give shared access only, so most values never change size; one
//! that grows through shared access (an SRS caching Lagrange bases) grows through
//! [`Shared::grow`](crate::Shared::grow), which asks the memory budget first and measures it again after.

use std::mem::size_of;

/// The number of bytes a value owns: its inline size plus every heap allocation it owns.
///
/// Implement it for each payload type; count capacities, not lengths, since that is what the
/// allocator holds. A value shared through `Arc`/`Rc` with other owners should count only what it
/// owns alone, which is why there is no blanket impl for `Arc<T>`.
pub trait DeepSize {
    /// Heap bytes owned by the value, not counting `size_of::<Self>()`.
    fn heap_size(&self) -> usize;

    /// Inline size plus heap bytes.
    fn deep_size(&self) -> usize
    where
        Self: Sized,
    {
        size_of::<Self>() + self.heap_size()
    }
}

macro_rules! inline_only {
    ($($t:ty),*) => { $(impl DeepSize for $t { fn heap_size(&self) -> usize { 0 } })* };
}
inline_only!(u8, u16, u32, u64, u128, usize, i8, i16, i32, i64, i128, isize, f32, f64, bool, char, ());

impl<T: DeepSize> DeepSize for Vec<T> {
    fn heap_size(&self) -> usize {
        self.capacity() * size_of::<T>() + self.iter().map(DeepSize::heap_size).sum::<usize>()
    }
}

impl<T: DeepSize> DeepSize for Box<T> {
    fn heap_size(&self) -> usize {
        size_of::<T>() + (**self).heap_size()
    }
}

impl<T: DeepSize> DeepSize for Box<[T]> {
    fn heap_size(&self) -> usize {
        self.len() * size_of::<T>() + self.iter().map(DeepSize::heap_size).sum::<usize>()
    }
}

impl<T: DeepSize> DeepSize for Option<T> {
    fn heap_size(&self) -> usize {
        self.as_ref().map_or(0, DeepSize::heap_size)
    }
}

impl<T: DeepSize, const N: usize> DeepSize for [T; N] {
    fn heap_size(&self) -> usize {
        self.iter().map(DeepSize::heap_size).sum()
    }
}

impl<A: DeepSize, B: DeepSize> DeepSize for (A, B) {
    fn heap_size(&self) -> usize {
        self.0.heap_size() + self.1.heap_size()
    }
}

impl DeepSize for String {
    fn heap_size(&self) -> usize {
        self.capacity()
    }
}

/// Bytes for people: "512 B", "1.5 KB", "5.0 MB" (decimal units, as the benchmark prints).
pub fn human_bytes(bytes: usize) -> String {
    let b = bytes as f64;
    if b < 1e3 {
        format!("{bytes} B")
    } else if b < 1e6 {
        format!("{:.1} KB", b / 1e3)
    } else if b < 1e9 {
        format!("{:.1} MB", b / 1e6)
    } else {
        format!("{:.2} GB", b / 1e9)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_capacity_and_nested_heap() {
        let mut v: Vec<u32> = Vec::with_capacity(10);
        v.push(1);
        assert_eq!(v.heap_size(), 40);
        let nested = vec![vec![0u8; 100], vec![0u8; 28]];
        assert_eq!(nested.heap_size(), nested.capacity() * size_of::<Vec<u8>>() + 128);
        assert_eq!(Some(String::from("abc")).heap_size(), 3);
        assert_eq!(Box::new([0u64; 4]).heap_size(), 32);
        assert_eq!(7u64.deep_size(), 8);
    }
}
