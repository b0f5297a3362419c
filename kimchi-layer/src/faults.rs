//! Exports that fail on purpose, for the tests of what a failure inside this module does: a panic,
//! and an allocation that cannot be met. In the unwinding build each is a JS `Error` naming the
//! function and the instance goes on (a proof right after verifies); in the aborting build the
//! instance ends and every later call says so. Not part of kimchi-wasm's API.

/// Panics with `message`.
#[kimchi_handles::export(js_name = "panicForTest")]
pub fn panic_for_test(message: String) -> u32 {
    #[allow(clippy::panic)]
    {
        panic!("{message}")
    }
}

/// Allocates blocks of 64 MiB, touching each, until an allocation fails (4 GiB is the most a
/// WASM instance has); returns how many it got if it ever stops otherwise.
#[kimchi_handles::export(js_name = "allocateWithoutBoundForTest")]
pub fn allocate_without_bound_for_test() -> u32 {
    let mut blocks: Vec<Vec<u8>> = Vec::new();
    while blocks.len() < 1 << 12 {
        blocks.push(vec![1u8; 64 << 20]);
    }
    blocks.len() as u32
}
