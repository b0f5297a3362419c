//! Sample handle classes (feature `demo`): what the Node tests, the demo without kimchi and the
//! micro-benchmark run on. A `Payload` stands for any large Rust value (a 5 MB proof), a `PayloadList`
//! for a vector of values returned as one handle, and `Plain` is a class written the way
//! wasm-bindgen classes are written today, to compare against (`BareHandle` too, for the
//! micro-benchmark).

use js_sys::Function;
use wasm_bindgen::prelude::*;

use crate::deep_size::DeepSize;
use crate::ledger;

/// Largest payload the sample class accepts, so bad input is an error rather than an allocation abort.
const MAX_PAYLOAD_BYTES: f64 = (1u64 << 31) as f64;
/// Most elements the sample list accepts, for the same reason.
const MAX_LIST_LENGTH: u32 = 1 << 24;

pub struct PayloadData(Vec<u8>);

impl DeepSize for PayloadData {
    fn heap_size(&self) -> usize {
        self.0.capacity()
    }
}

crate::handle_class! {
    /// A Rust-owned byte buffer of a chosen size, filled with a pattern so reads are checkable.
    pub struct Payload(PayloadData);
}

fn byte_count(what: &str, bytes: f64) -> Result<usize, JsError> {
    if bytes.is_finite() && bytes >= 0.0 && bytes.fract() == 0.0 && bytes <= MAX_PAYLOAD_BYTES {
        Ok(bytes as usize)
    } else {
        Err(JsError::new(&format!("{what}: {bytes} is not a byte count from 0 to {MAX_PAYLOAD_BYTES}")))
    }
}

fn pattern(bytes: usize, seed: u8) -> Vec<u8> {
    (0..bytes).map(|i| (i as u8).wrapping_mul(31).wrapping_add(seed)).collect()
}

fn checksum(data: &[u8]) -> u32 {
    data.iter().fold(0u32, |acc, b| acc.rotate_left(5) ^ u32::from(*b))
}

#[wasm_bindgen(js_class = "Payload")]
impl Payload {
    /// A payload of `bytes` bytes. Checks the memory budget before allocating.
    #[wasm_bindgen(constructor)]
    pub fn new(bytes: f64, seed: Option<u8>) -> Result<Payload, JsError> {
        let bytes = byte_count("new Payload", bytes)?;
        ledger::check_budget(Self::CLASS, bytes + std::mem::size_of::<PayloadData>())?;
        Ok(Self::from_value(PayloadData(pattern(bytes, seed.unwrap_or(0))))?)
    }

    #[wasm_bindgen(getter)]
    pub fn length(&self) -> Result<u32, JsError> {
        Ok(self.borrow()?.0.len() as u32)
    }

    /// Reads every byte (proves the value is intact).
    pub fn checksum(&self) -> Result<u32, JsError> {
        Ok(checksum(&self.borrow()?.0))
    }
}

/// The checksum a payload of this size and seed has (to check values without a handle).
#[wasm_bindgen(js_name = expectedChecksum)]
pub fn expected_checksum(bytes: f64, seed: Option<u8>) -> Result<u32, JsError> {
    Ok(checksum(&pattern(byte_count("expectedChecksum", bytes)?, seed.unwrap_or(0))))
}

/// Takes ownership of the payload's bytes (the way kimchi-wasm's verify takes a proof) and returns
/// their checksum. The JS object stays valid in state "moved".
#[wasm_bindgen(js_name = consumePayload)]
pub fn consume_payload(payload: &Payload) -> Result<u32, JsError> {
    let data = payload.take("consumePayload")?;
    Ok(checksum(&data.0))
}

/// Borrows the payload, calls `callback` (which may dispose the payload), then reads the payload again:
/// the borrow keeps the bytes alive until the call ends, whatever the callback does.
#[wasm_bindgen(js_name = withPayload)]
pub fn with_payload(payload: &Payload, callback: &Function) -> Result<u32, JsError> {
    let data = payload.borrow()?;
    callback.call0(&JsValue::UNDEFINED).map_err(|e| {
        // An Error's message, a thrown string as is, anything else as wasm-bindgen prints it.
        let reason = e.dyn_ref::<js_sys::Error>().map(|e| String::from(e.message())).or_else(|| e.as_string());
        JsError::new(&format!("withPayload: callback threw: {}", reason.unwrap_or_else(|| format!("{e:?}"))))
    })?;
    Ok(checksum(&data.0))
}

pub struct PayloadListData(Vec<Vec<u8>>);

impl DeepSize for PayloadListData {
    fn heap_size(&self) -> usize {
        self.0.heap_size()
    }
}

crate::handle_class! {
    /// A vector of byte buffers owned as one handle (how vectors of commitments cross here),
    /// instead of one raw pointer per element.
    pub struct PayloadList(PayloadListData);
}

#[wasm_bindgen(js_class = "PayloadList")]
impl PayloadList {
    #[wasm_bindgen(constructor)]
    pub fn new(count: u32, bytes_each: f64) -> Result<PayloadList, JsError> {
        // A JS -1 arrives as u32::MAX: refuse it here rather than abort in the allocator.
        if count > MAX_LIST_LENGTH {
            return Err(JsError::new(&format!("new PayloadList: {count} elements is more than {MAX_LIST_LENGTH}")));
        }
        let each = byte_count("new PayloadList", bytes_each)?;
        let per_element = each.saturating_add(std::mem::size_of::<Vec<u8>>());
        let total = per_element.saturating_mul(count as usize).saturating_add(std::mem::size_of::<PayloadListData>());
        if total as f64 > MAX_PAYLOAD_BYTES {
            return Err(JsError::new(&format!(
                "new PayloadList: {count} x {each} bytes is more than {MAX_PAYLOAD_BYTES}"
            )));
        }
        ledger::check_budget(Self::CLASS, total)?;
        Ok(Self::from_value(PayloadListData((0..count).map(|i| pattern(each, i as u8)).collect()))?)
    }

    #[wasm_bindgen(getter)]
    pub fn length(&self) -> Result<u32, JsError> {
        Ok(self.borrow()?.0.len() as u32)
    }

    /// A copy of element `index` as its own `Payload` handle.
    pub fn get(&self, index: u32) -> Result<Payload, JsError> {
        let list = self.borrow()?;
        let Some(data) = list.0.get(index as usize) else {
            return Err(JsError::new(&format!("PayloadList.get: index {index} out of range 0..{}", list.0.len())));
        };
        Ok(Payload::from_value(PayloadData(data.clone()))?)
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
    pub fn new(bytes: f64) -> Result<Plain, JsError> {
        Ok(Plain { data: pattern(byte_count("new Plain", bytes)?, 0) })
    }

    #[wasm_bindgen(getter)]
    pub fn length(&self) -> u32 {
        self.data.len() as u32
    }

    /// Frees a plain object through a call that takes it by value, the path a handle's
    /// `__khRelease` takes (wasm-bindgen checks the class and unwraps an `Option`): what that path
    /// costs before any handle code runs. 0 for an object already freed.
    pub fn release(plain: Option<Plain>) -> f64 {
        plain.map_or(0.0, |_| 1.0)
    }
}

/// The micro-benchmark's middle baseline: shaped like a handle (its value behind an `Rc`, released
/// by a call that takes the shell by value) but with no ledger and no registry, so `Payload` minus
/// `BareHandle` is what the bookkeeping costs per handle.
#[wasm_bindgen]
pub struct BareHandle {
    _value: std::rc::Rc<PayloadData>,
}

#[wasm_bindgen]
impl BareHandle {
    #[wasm_bindgen(constructor)]
    pub fn new(bytes: f64, seed: Option<u8>) -> Result<BareHandle, JsError> {
        let data = PayloadData(pattern(byte_count("new BareHandle", bytes)?, seed.unwrap_or(0)));
        Ok(BareHandle { _value: std::rc::Rc::new(data) })
    }

    /// Frees value and shell in one call, as `Payload.__khRelease` does; 0 for a released shell.
    pub fn release(handle: Option<BareHandle>) -> f64 {
        handle.map_or(0.0, |_| 1.0)
    }
}

/// Takes a `Plain` by value, as kimchi-wasm's verify takes its proof.
#[wasm_bindgen(js_name = consumePlain)]
pub fn consume_plain(plain: Plain) -> u32 {
    checksum(&plain.data)
}
