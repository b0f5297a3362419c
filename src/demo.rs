//! Sample handle classes (feature `demo`): what the Node tests, the demo without kimchi and the
//! micro-benchmark run on. A `Blob` stands for any large Rust value (a 5 MB proof), a `BlobList`
//! for a vector of values returned as one handle, and `Plain` is a class written the way
//! wasm-bindgen classes are written today, to compare against.

use js_sys::Function;
use wasm_bindgen::prelude::*;

use crate::deep_size::DeepSize;
use crate::ledger;

/// Largest blob the sample class accepts, so bad input is an error rather than an allocation abort.
const MAX_BLOB_BYTES: f64 = (1u64 << 31) as f64;

pub struct BlobData(Vec<u8>);

impl DeepSize for BlobData {
    fn heap_size(&self) -> usize {
        self.0.capacity()
    }
}

crate::handle_class! {
    /// A Rust-owned byte buffer of a chosen size, filled with a pattern so reads are checkable.
    pub struct Blob(BlobData) as "Blob";
}

fn byte_count(what: &str, bytes: f64) -> Result<usize, JsError> {
    if bytes.is_finite() && bytes >= 0.0 && bytes.fract() == 0.0 && bytes <= MAX_BLOB_BYTES {
        Ok(bytes as usize)
    } else {
        Err(JsError::new(&format!("{what}: {bytes} is not a byte count from 0 to {MAX_BLOB_BYTES}")))
    }
}

fn pattern(bytes: usize, seed: u8) -> Vec<u8> {
    (0..bytes).map(|i| (i as u8).wrapping_mul(31).wrapping_add(seed)).collect()
}

fn checksum(data: &[u8]) -> u32 {
    data.iter().fold(0u32, |acc, b| acc.rotate_left(5) ^ u32::from(*b))
}

#[wasm_bindgen(js_class = "Blob")]
impl Blob {
    /// A blob of `bytes` bytes. Checks the memory budget before allocating.
    #[wasm_bindgen(constructor)]
    pub fn new(bytes: f64, seed: Option<u8>) -> Result<Blob, JsError> {
        let bytes = byte_count("new Blob", bytes)?;
        ledger::check_budget(Self::CLASS, bytes + std::mem::size_of::<BlobData>())?;
        Ok(Self::from_value(BlobData(pattern(bytes, seed.unwrap_or(0))))?)
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

/// The checksum a blob of this size and seed has (to check values without a handle).
#[wasm_bindgen(js_name = expectedChecksum)]
pub fn expected_checksum(bytes: f64, seed: Option<u8>) -> Result<u32, JsError> {
    Ok(checksum(&pattern(byte_count("expectedChecksum", bytes)?, seed.unwrap_or(0))))
}

/// Takes ownership of the blob's bytes (the way kimchi-wasm's verify takes a proof) and returns
/// their checksum. The JS object stays valid in state "moved".
#[wasm_bindgen(js_name = consumeBlob)]
pub fn consume_blob(blob: &Blob) -> Result<u32, JsError> {
    let data = blob.take("consumeBlob")?;
    Ok(checksum(&data.0))
}

/// Borrows the blob, calls `callback` (which may dispose the blob), then reads the blob again:
/// the borrow keeps the bytes alive until the call ends, whatever the callback does.
#[wasm_bindgen(js_name = withBlob)]
pub fn with_blob(blob: &Blob, callback: &Function) -> Result<u32, JsError> {
    let data = blob.borrow()?;
    callback.call0(&JsValue::UNDEFINED).map_err(|e| {
        JsError::new(&format!("withBlob: callback threw: {}", e.as_string().unwrap_or_else(|| format!("{e:?}"))))
    })?;
    Ok(checksum(&data.0))
}

pub struct BlobListData(Vec<Vec<u8>>);

impl DeepSize for BlobListData {
    fn heap_size(&self) -> usize {
        self.0.heap_size()
    }
}

crate::handle_class! {
    /// A vector of byte buffers owned as one handle (how vectors of commitments cross here),
    /// instead of one raw pointer per element.
    pub struct BlobList(BlobListData) as "BlobList";
}

#[wasm_bindgen(js_class = "BlobList")]
impl BlobList {
    #[wasm_bindgen(constructor)]
    pub fn new(count: u32, bytes_each: f64) -> Result<BlobList, JsError> {
        let each = byte_count("new BlobList", bytes_each)?;
        let total = each.saturating_mul(count as usize);
        ledger::check_budget(Self::CLASS, total)?;
        Ok(Self::from_value(BlobListData((0..count).map(|i| pattern(each, i as u8)).collect()))?)
    }

    #[wasm_bindgen(getter)]
    pub fn length(&self) -> Result<u32, JsError> {
        Ok(self.borrow()?.0.len() as u32)
    }

    /// A copy of element `index` as its own `Blob` handle.
    pub fn get(&self, index: u32) -> Result<Blob, JsError> {
        let list = self.borrow()?;
        let Some(data) = list.0.get(index as usize) else {
            return Err(JsError::new(&format!("BlobList.get: index {index} out of range 0..{}", list.0.len())));
        };
        Ok(Blob::from_value(BlobData(data.clone()))?)
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
}

/// Takes a `Plain` by value, as kimchi-wasm's verify takes its proof.
#[wasm_bindgen(js_name = consumePlain)]
pub fn consume_plain(plain: Plain) -> u32 {
    checksum(&plain.data)
}
