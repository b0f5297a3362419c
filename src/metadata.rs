//! The records the macros write into the `.wasm` (a custom section the glue generator reads), and
//! the other compile-time helpers their generated code calls.

/// A metadata record as the byte array of a custom section.
// Indexing in a const fn (no `get` there); both indexes are below the lengths the loop checks.
#[allow(clippy::indexing_slicing)]
pub const fn record_bytes<const N: usize>(record: &str) -> [u8; N] {
    let bytes = record.as_bytes();
    let mut out = [0u8; N];
    let mut i = 0;
    while i < N && i < bytes.len() {
        out[i] = bytes[i];
        i += 1;
    }
    out
}

/// `a == b` at compile time.
#[allow(clippy::indexing_slicing)]
pub const fn str_eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}
