//! # kimchi-handles-kimchi
//!
//! kimchi's SRS, prover index, proof, witness and polynomial commitments as
//! [kimchi-handles](kimchi_handles) classes, for both Pasta fields, under the JS class names of
//! kimchi-wasm (`WasmFpSrs`, `WasmPastaFpPlonkIndex`, `WasmFpProverProof`, `WasmFpPolyComm`, and
//! the `Fq` ones). Vectors of commitments are one owned handle, not arrays of raw pointers.
//!
//! - [`circuit`]: the small real circuit (x * x = y) used by tests, demo and benchmark;
//! - [`encoding`]: field elements and points as flat bytes, validated on the way in;
//! - [`pasta`]: values, their deep sizes, and the JS classes, stamped out for [`fp`] and [`fq`];
//! - `plain` (feature `plain`): the same values as kimchi-wasm-style plain classes that leak, the
//!   benchmark's baseline; not in a default build.
//!
//! It re-exports the core's JS functions (`ledger()`, `openScope()`, ...) through its dependency
//! on `kimchi-handles`: one WASM module, one ledger.

pub mod circuit;
pub mod encoding;
mod error;
mod pasta;
#[cfg(feature = "plain")]
pub mod plain;

pub use error::Error;
pub use kimchi;
pub use kimchi_handles;

pasta::pasta_field! {
    module fp, field kimchi::mina_curves::pasta::Fp, curve kimchi::mina_curves::pasta::Vesta,
    curve_params kimchi::mina_curves::pasta::VestaParameters,
    srs WasmFpSrs, index WasmPastaFpPlonkIndex, proof WasmFpProverProof, witness WasmFpWitness,
    poly_comm WasmFpPolyComm, poly_comm_vector WasmFpPolyCommVector,
}

pasta::pasta_field! {
    module fq, field kimchi::mina_curves::pasta::Fq, curve kimchi::mina_curves::pasta::Pallas,
    curve_params kimchi::mina_curves::pasta::PallasParameters,
    srs WasmFqSrs, index WasmPastaFqPlonkIndex, proof WasmFqProverProof, witness WasmFqWitness,
    poly_comm WasmFqPolyComm, poly_comm_vector WasmFqPolyCommVector,
}
