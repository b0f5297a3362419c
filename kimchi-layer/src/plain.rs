//! The benchmark's baseline: Fp classes written the way kimchi-wasm writes them today, on the same
//! kimchi values as the handle classes. Plain wasm-bindgen structs; the proof's witness
//! commitments and the Lagrange commitments cross as a `Uint32Array` of raw pointers, one heap box
//! per commitment with no JS object and no finalizer (kimchi-wasm's `WasmVector<WasmFpPolyComm>`);
//! `verify` takes the proof by value. Used as o1js uses them, nothing here is freed explicitly.

use wasm_bindgen::convert::IntoWasmAbi;
use wasm_bindgen::prelude::*;

use crate::fp::{Comm, IndexValue, ProofValue, SrsValue, WitnessValue};

#[wasm_bindgen]
pub struct PlainFpSrs(SrsValue);

#[wasm_bindgen]
pub struct PlainFpIndex(Box<IndexValue>);

#[wasm_bindgen]
pub struct PlainFpProverProof(ProofValue);

/// kimchi-wasm's `WasmFpPolyComm`: the points of one commitment, boxed on its own.
#[wasm_bindgen]
pub struct PlainFpPolyComm {
    #[allow(dead_code)] // held, like kimchi-wasm's, for JS code that wraps the pointer
    unshifted: Vec<crate::fp::Curve>,
}

/// One raw pointer per commitment, as `WasmVector<WasmFpPolyComm>` crosses to JS.
fn raw_pointers(comms: &[Comm]) -> Vec<u32> {
    comms.iter().map(|c| PlainFpPolyComm { unshifted: c.chunks.clone() }.into_abi()).collect()
}

fn js(e: crate::Error) -> JsError {
    JsError::new(&e.0)
}

#[wasm_bindgen]
impl PlainFpSrs {
    pub fn create(depth: u32) -> Result<PlainFpSrs, JsError> {
        Ok(Self(SrsValue::create(depth as usize).map_err(js)?))
    }

    /// Lagrange commitments for a whole domain: one raw pointer per commitment.
    #[wasm_bindgen(js_name = lagrangeCommitments)]
    pub fn lagrange_commitments(&self, domain_size: u32) -> Result<Vec<u32>, JsError> {
        Ok(raw_pointers(&self.0.lagrange_commitments(domain_size as usize).map_err(js)?))
    }
}

#[wasm_bindgen]
impl PlainFpIndex {
    #[wasm_bindgen(js_name = squareCircuit)]
    pub fn square_circuit(srs: &PlainFpSrs, log2: u32) -> Result<PlainFpIndex, JsError> {
        Ok(Self(Box::new(IndexValue::square(&srs.0, log2).map_err(js)?)))
    }
}

#[wasm_bindgen]
impl PlainFpProverProof {
    pub fn create(index: &PlainFpIndex, x: u32) -> Result<PlainFpProverProof, JsError> {
        let witness = WitnessValue::square(u64::from(x), index.0.witness_rows());
        Ok(Self(ProofValue::create(&index.0, witness).map_err(js)?))
    }

    /// The 15 witness commitments: 15 raw pointers.
    #[wasm_bindgen(js_name = witnessCommitments)]
    pub fn witness_commitments(&self) -> Vec<u32> {
        raw_pointers(&self.0.proof.commitments.w_comm)
    }

    /// Takes the proof by value, as kimchi-wasm's verify does.
    pub fn verify(index: &PlainFpIndex, proof: PlainFpProverProof) -> Result<bool, JsError> {
        proof.0.verify(&index.0).map_err(js)
    }
}
