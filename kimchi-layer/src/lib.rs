//! # kimchi-handles-kimchi
//!
//! kimchi-wasm rebuilt on [kimchi-handles](kimchi_handles): the classes and functions o1js
//! 2.15.0 calls, for both Pasta fields, under kimchi-wasm's JS names, with the shapes of o1js's
//! native backend: resources (SRS, gate vector, prover index, proof, witness vectors) are handles;
//! value types (field elements, points, commitments, domains, shifts, gates, verifier indexes,
//! oracles, lookup descriptions) are plain data, with no box per element and no array of raw
//! pointers.
//!
//! One file per class family; each family is a macro stated once and stamped for both fields by
//! one line each (`fp` over Vesta, `fq` over Pallas), over the types of [`pasta`].
//!
//! - [`pasta`]: the two fields' types (curve, sponges, shapes);
//! - [`field`], [`point`], [`poly_comm`]: field elements, points and commitments as data;
//! - [`srs`], [`vec_vec`], [`gate_vector`], [`index`], [`verifier_index`], [`proof`],
//!   [`oracles`], [`lookup`], [`poseidon`]: the classes and functions;
//! - [`pool`]: the rayon thread pool on worker threads, in the threaded build;
//! - [`circuit`], [`sample`]: small real circuits for tests, the demo and the benchmark, and the
//!   sample circuit as JS builds it;
//! - [`faults`]: exports that fail on purpose, for the tests of panics and out-of-memory.
//!
//! The module also exports the core's functions (`ledger()`, `openScope()`, ...) through its
//! dependency on `kimchi-handles`: one WASM module, one ledger.
#![warn(clippy::unwrap_used, clippy::expect_used)]

pub mod error;
pub mod pasta;

pub mod field;
pub mod point;
pub mod poly_comm;

pub mod gate_vector;
pub mod index;
pub mod lookup;
pub mod oracles;
pub mod poseidon;
pub mod proof;
pub mod srs;
pub mod vec_vec;
pub mod verifier_index;

pub mod pool;
pub mod sample;

pub mod circuit;
pub mod faults;

pub use error::Error;
pub use kimchi;
pub use kimchi_handles;
