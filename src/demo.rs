//! Sample handle classes (feature `demo`): what the Node tests, the demo without kimchi and the
//! micro-benchmark run on. A `Payload` stands for any large Rust value (a 5 MB proof), a
//! `PayloadList` for a vector of values returned as one handle, and `Plain` is a class written the
//! way wasm-bindgen classes are written today, to compare against.

use js_sys::Function;
use wasm_bindgen::prelude::*;

use crate::deep_size::DeepSize;
use crate::handle::Owned;
use crate::{check_budget, class, export, CallError, Class};

/// Largest payload the sample classes accept, so bad input is an error rather than an
/// allocation abort.
const MAX_PAYLOAD_BYTES: u64 = 1 << 31;
/// Most elements the sample list accepts, for the same reason.
const MAX_LIST_LENGTH: u32 = 1 << 24;

/// A Rust-owned byte buffer of a chosen size, filled with a pattern so reads are checkable.
#[class]
pub struct Payload {
    data: Vec<u8>,
}

impl DeepSize for Payload {
    fn heap_size(&self) -> usize {
        self.data.capacity()
    }
}

fn pattern(bytes: usize, seed: u8) -> Vec<u8> {
    (0..bytes).map(|i| (i as u8).wrapping_mul(31).wrapping_add(seed)).collect()
}

fn checksum(data: &[u8]) -> u32 {
    data.iter().fold(0u32, |acc, b| acc.rotate_left(5) ^ u32::from(*b))
}

fn at_most(what: &str, bytes: u64) -> Result<usize, String> {
    if bytes <= MAX_PAYLOAD_BYTES {
        Ok(bytes as usize)
    } else {
        Err(format!("{what}: {bytes} bytes is more than {MAX_PAYLOAD_BYTES}"))
    }
}

#[export]
impl Payload {
    /// A payload of `bytes` bytes (at most 2^31). Checks the memory budget before allocating.
    #[export(constructor)]
    pub fn new(bytes: u32, seed: Option<u8>) -> Result<Payload, String> {
        let bytes = at_most("new Payload", u64::from(bytes))?;
        check_budget(Payload::NAME, bytes + std::mem::size_of::<Payload>()).map_err(|e| e.to_string())?;
        Ok(Payload { data: pattern(bytes, seed.unwrap_or(0)) })
    }

    /// Its length in bytes.
    #[export(getter)]
    pub fn length(&self) -> u32 {
        self.data.len() as u32
    }

    /// Reads every byte (proves the value is intact).
    pub fn checksum(&self) -> u32 {
        checksum(&self.data)
    }

    /// Takes `payload` and returns a new payload twice as long (its bytes, then them again). The
    /// budget is checked before anything is taken, so a refused call leaves `payload` live.
    pub fn doubled(payload: Owned<Payload>) -> Result<Payload, CallError> {
        let bytes = payload.borrow()?.data.len();
        check_budget(Payload::NAME, 2 * bytes + std::mem::size_of::<Payload>())?;
        let mut data = payload.take()?.data;
        data.extend_from_within(..);
        Ok(Payload { data })
    }
}

/// The checksum a payload of this size and seed has (to check values without a handle).
#[export(js_name = "expectedChecksum")]
pub fn expected_checksum(bytes: u32, seed: Option<u8>) -> Result<u32, String> {
    Ok(checksum(&pattern(at_most("expectedChecksum", u64::from(bytes))?, seed.unwrap_or(0))))
}

/// The checksum of bytes from JS (they are copied into WASM memory inside the call).
#[export(js_name = "checksumOfBytes")]
pub fn checksum_of_bytes(bytes: &[u8]) -> u32 {
    checksum(bytes)
}

/// Takes ownership of the payload's bytes (the way kimchi-wasm's verify takes a proof) and returns
/// their checksum. The JS object stays valid in state "moved".
#[export(js_name = "consumePayload")]
pub fn consume_payload(payload: Owned<Payload>) -> Result<u32, CallError> {
    Ok(checksum(&payload.take()?.data))
}

/// Borrows the payload, calls `callback` (which may dispose the payload), then reads the payload
/// again: the borrow keeps the bytes alive until the call ends, whatever the callback does.
#[export(js_name = "withPayload")]
pub fn with_payload(payload: &Payload, callback: &Function) -> Result<u32, String> {
    callback.call0(&JsValue::UNDEFINED).map_err(|e| {
        // An Error's message, a thrown string as is, anything else as wasm-bindgen prints it.
        let reason = e.dyn_ref::<js_sys::Error>().map(|e| String::from(e.message())).or_else(|| e.as_string());
        format!("withPayload: callback threw: {}", reason.unwrap_or_else(|| format!("{e:?}")))
    })?;
    Ok(checksum(&payload.data))
}

/// A vector of byte buffers owned as one handle (how vectors of commitments cross here),
/// instead of one raw pointer per element.
#[class]
pub struct PayloadList {
    items: Vec<Vec<u8>>,
}

impl DeepSize for PayloadList {
    fn heap_size(&self) -> usize {
        self.items.heap_size()
    }
}

#[export]
impl PayloadList {
    /// `count` buffers (at most 2^24) of `bytesEach` bytes, 2^31 bytes in all at most.
    #[export(constructor)]
    pub fn new(count: u32, bytes_each: u32) -> Result<PayloadList, String> {
        if count > MAX_LIST_LENGTH {
            return Err(format!("new PayloadList: {count} elements is more than {MAX_LIST_LENGTH}"));
        }
        let each = u64::from(bytes_each) + std::mem::size_of::<Vec<u8>>() as u64;
        let total = at_most("new PayloadList", each * u64::from(count))?;
        check_budget(PayloadList::NAME, total).map_err(|e| e.to_string())?;
        Ok(PayloadList { items: (0..count).map(|i| pattern(bytes_each as usize, i as u8)).collect() })
    }

    /// How many buffers.
    #[export(getter)]
    pub fn length(&self) -> u32 {
        self.items.len() as u32
    }

    /// A copy of element `index` as its own `Payload` handle.
    pub fn get(&self, index: u32) -> Result<Payload, String> {
        match self.items.get(index as usize) {
            Some(data) => Ok(Payload { data: data.clone() }),
            None => Err(format!("PayloadList.get: index {index} out of range 0..{}", self.items.len())),
        }
    }
}

/// A class written the way wasm-bindgen classes are written today (no handle): the baseline of the
/// micro-benchmark and of the tests that show plain wasm-bindgen's traps.
#[wasm_bindgen]
pub struct Plain {
    data: Vec<u8>,
}

#[wasm_bindgen]
impl Plain {
    #[wasm_bindgen(constructor)]
    pub fn new(bytes: u32) -> Plain {
        Plain { data: pattern(bytes.min(1 << 20) as usize, 0) }
    }

    #[wasm_bindgen(getter)]
    pub fn length(&self) -> u32 {
        self.data.len() as u32
    }
}

/// Takes a `Plain` by value, as kimchi-wasm's verify takes its proof.
#[wasm_bindgen(js_name = consumePlain)]
pub fn consume_plain(plain: Plain) -> u32 {
    checksum(&plain.data)
}

/// Panics on purpose: what every export does with a panic (a JS error in builds that unwind, an
/// abort that the glue reports in the others).
#[export(js_name = "panicForTest")]
pub fn panic_for_test(message: String) -> u32 {
    #[allow(clippy::panic)]
    {
        panic!("{message}")
    }
}
/// A value whose `Drop` panics (for the tests of what a panic while releasing does: `dispose()`
/// throws naming the class, the finalizer warns, the handle has ended either way).
#[class]
pub struct PanicOnDrop {
    message: String,
}

impl DeepSize for PanicOnDrop {
    fn heap_size(&self) -> usize {
        self.message.capacity()
    }
}

#[export]
impl PanicOnDrop {
    #[export(constructor)]
    pub fn new(message: String) -> PanicOnDrop {
        PanicOnDrop { message }
    }
}

impl Drop for PanicOnDrop {
    fn drop(&mut self) {
        #[allow(clippy::panic)]
        {
            panic!("{}", self.message)
        }
    }
}

/// Takes and releases the instance lock `rounds` times (for the micro-benchmark: what an
/// uncontended lock costs, against `emptyRounds`).
#[export(js_name = "lockRounds")]
pub fn lock_rounds(rounds: u32) -> u32 {
    let mut sum = 0u32;
    for _ in 0..rounds {
        sum = sum.wrapping_add(crate::instance::with(|s| s.ledger.class_count() as u32));
    }
    sum
}

/// The same loop without the lock.
#[export(js_name = "emptyRounds")]
pub fn empty_rounds(rounds: u32) -> u32 {
    let mut sum = 0u32;
    for i in 0..rounds {
        sum = sum.wrapping_add(std::hint::black_box(i));
    }
    sum
}

/// Allocates 64 MiB blocks and keeps them until an allocation fails (for the tests of what an
/// out-of-memory does: a JS error where the build unwinds, the blocks freed on the way out).
#[export(js_name = "allocateWithoutBoundForTest")]
pub fn allocate_without_bound_for_test() -> u32 {
    let mut blocks: Vec<Vec<u8>> = Vec::new();
    loop {
        let mut block = Vec::with_capacity(64 << 20);
        // Touch it, so the allocation is real.
        block.resize(64 << 20, 1u8);
        blocks.push(block);
        if blocks.len() > 1 << 12 {
            return blocks.len() as u32;
        }
    }
}
