//! Field elements as JS data: one element is a `Uint8Array` of 32 bytes (little-endian, canonical:
//! below the modulus), a vector of them one flat `Uint8Array` of 32 bytes each, as o1js passes them.

use ark_ff::PrimeField;
use kimchi_handles::{ArgPath, CallError, Element, FromJs, IntoJs};
use wasm_bindgen::JsValue;

/// Bytes of one field element.
pub const FIELD_BYTES: usize = 32;

/// One field element: a `Uint8Array(32)` in JS.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Field<F>(pub F);

/// A vector of field elements: one flat `Uint8Array` in JS.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fields<F>(pub Vec<F>);

/// The element in 32 bytes.
pub fn to_bytes<F: PrimeField>(x: &F, out: &mut Vec<u8>) {
    // Serializing into a Vec cannot fail.
    let _ = x.serialize_compressed(out);
}

/// An element from 32 bytes; `None` unless canonical.
pub fn from_bytes<F: PrimeField>(bytes: &[u8]) -> Option<F> {
    if bytes.len() != FIELD_BYTES {
        return None;
    }
    F::deserialize_compressed(bytes).ok()
}

/// Elements from a flat byte vector, naming the first bad one.
pub fn fields_from_bytes<F: PrimeField>(bytes: &[u8]) -> Result<Vec<F>, String> {
    if bytes.len() % FIELD_BYTES != 0 {
        return Err(format!("has {} bytes, not a multiple of {FIELD_BYTES}", bytes.len()));
    }
    bytes
        .chunks(FIELD_BYTES)
        .enumerate()
        .map(|(i, c)| from_bytes(c).ok_or_else(|| format!("element {i} is not a canonical field element")))
        .collect()
}

pub fn fields_to_bytes<F: PrimeField>(xs: &[F]) -> Vec<u8> {
    let mut out = Vec::with_capacity(xs.len() * FIELD_BYTES);
    for x in xs {
        to_bytes(x, &mut out);
    }
    out
}

impl<F: PrimeField> FromJs for Field<F> {
    // A JS value, copied in inside the call (as the core does for bytes).
    type Abi = JsValue;
    // The length in the metadata, so callers generated from it (the contract tests) know it.
    const KIND: &'static str = kimchi_handles::__private::concatcp!("{\"k\":\"bytes\",\"len\":", FIELD_BYTES, "}");
    fn from_js(value: JsValue, arg: &ArgPath<'_>) -> Result<Self, CallError> {
        Self::from_value(value, arg)
    }
    fn from_value(value: JsValue, arg: &ArgPath<'_>) -> Result<Self, CallError> {
        Self::checked(&Vec::<u8>::from_value(value, arg)?, arg)
    }
}

impl<F: PrimeField> Field<F> {
    /// An element from the bytes JS gave, refused unless 32 bytes and canonical.
    pub fn checked(bytes: &[u8], arg: &ArgPath<'_>) -> Result<Self, CallError> {
        match from_bytes(bytes) {
            Some(x) => Ok(Field(x)),
            None if bytes.len() != FIELD_BYTES => {
                Err(arg.error(format_args!("must be a field element of {FIELD_BYTES} bytes, got {}", bytes.len())))
            }
            None => Err(arg.error("is not a canonical field element (it is not below the modulus)")),
        }
    }
}

impl<F: PrimeField> IntoJs for Field<F> {
    type Abi = Vec<u8>;
    type Ret = Result<Vec<u8>, JsValue>;
    const KIND: &'static str = "{\"k\":\"bytes\"}";
    fn into_js(self) -> Result<Vec<u8>, CallError> {
        let mut out = Vec::with_capacity(FIELD_BYTES);
        to_bytes(&self.0, &mut out);
        Ok(out)
    }
    fn ret(result: Result<Self::Abi, CallError>) -> Self::Ret {
        kimchi_handles::__private::result_return(result)
    }
    fn into_value(self) -> Result<JsValue, CallError> {
        let mut out = Vec::with_capacity(FIELD_BYTES);
        to_bytes(&self.0, &mut out);
        Ok(js_sys::Uint8Array::from(&out[..]).into())
    }
}

impl<F: PrimeField> Element for Field<F> {
    const ARRAY_KIND: &'static str = "{\"k\":\"array\",\"of\":{\"k\":\"bytes\"}}";
}

impl<F: PrimeField> FromJs for Fields<F> {
    type Abi = JsValue;
    const KIND: &'static str =
        kimchi_handles::__private::concatcp!("{\"k\":\"bytes\",\"multipleOf\":", FIELD_BYTES, "}");
    fn from_js(value: JsValue, arg: &ArgPath<'_>) -> Result<Self, CallError> {
        Self::from_value(value, arg)
    }
    fn from_value(value: JsValue, arg: &ArgPath<'_>) -> Result<Self, CallError> {
        Self::checked(&Vec::<u8>::from_value(value, arg)?, arg)
    }
}

impl<F: PrimeField> Fields<F> {
    /// Elements from the flat bytes JS gave, naming the first bad one.
    pub fn checked(bytes: &[u8], arg: &ArgPath<'_>) -> Result<Self, CallError> {
        fields_from_bytes(bytes).map(Fields).map_err(|problem| arg.error(problem))
    }
}

impl<F: PrimeField> IntoJs for Fields<F> {
    type Abi = Vec<u8>;
    type Ret = Result<Vec<u8>, JsValue>;
    const KIND: &'static str = "{\"k\":\"bytes\"}";
    fn into_js(self) -> Result<Vec<u8>, CallError> {
        Ok(fields_to_bytes(&self.0))
    }
    fn ret(result: Result<Self::Abi, CallError>) -> Self::Ret {
        kimchi_handles::__private::result_return(result)
    }
    fn into_value(self) -> Result<JsValue, CallError> {
        Ok(js_sys::Uint8Array::from(&fields_to_bytes(&self.0)[..]).into())
    }
}

impl<F: PrimeField> Element for Fields<F> {
    const ARRAY_KIND: &'static str = "{\"k\":\"array\",\"of\":{\"k\":\"bytes\"}}";
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use kimchi::mina_curves::pasta::Fp;

    #[test]
    fn elements_round_trip_and_non_canonical_bytes_are_refused() {
        let xs = [Fp::from(0u64), Fp::from(7u64), -Fp::from(1u64)];
        let bytes = fields_to_bytes(&xs);
        assert_eq!(bytes.len(), 96);
        assert_eq!(&bytes[32..34], &[7, 0]);
        assert_eq!(fields_from_bytes::<Fp>(&bytes).unwrap(), xs);
        assert!(fields_from_bytes::<Fp>(&bytes[..95]).unwrap_err().contains("not a multiple of 32"));
        assert_eq!(from_bytes::<Fp>(&[0xff; 32]), None, "above the modulus");
    }
}
