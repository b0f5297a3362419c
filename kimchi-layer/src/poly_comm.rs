//! Polynomial commitments as JS data: `new WasmFpPolyComm(unshifted, shifted)` as o1js builds
//! them, `{ unshifted: WasmGVesta[], shifted }` as Rust returns them. One commitment is one plain
//! object: a vector of 16,384 of them (a domain's Lagrange basis) leaves nothing in WASM memory.

use kimchi::mina_curves::pasta::{Pallas, Vesta};
use kimchi::poly_commitment::commitment::PolyComm;

use crate::error::{fail, Error};
use crate::point::{ToCurves, WasmGPallas, WasmGVesta};

macro_rules! poly_comm {
    ($PolyComm:ident, $Point:ident, $G:ty, $doc:literal) => {
        #[doc = $doc]
        #[derive(Debug, Clone, PartialEq, Eq, kimchi_handles::Shape)]
        #[shape(from_js, keep_names, constructor)]
        pub struct $PolyComm {
            /// One point per chunk of the polynomial.
            pub unshifted: Vec<$Point>,
            /// Always absent: kimchi no longer has shifted commitments (o1js passes `undefined`).
            pub shifted: Option<$Point>,
        }

        impl $PolyComm {
            pub fn from_kimchi(comm: &PolyComm<$G>) -> Self {
                Self { unshifted: comm.chunks.iter().map($Point::from_curve).collect(), shifted: None }
            }

            pub fn to_kimchi(&self) -> Result<PolyComm<$G>, Error> {
                if self.shifted.is_some() {
                    return fail!("a commitment with a shifted part: kimchi has none");
                }
                Ok(PolyComm { chunks: self.unshifted.to_curves("unshifted")? })
            }

            /// Commitments of a JS array, naming the first bad one.
            pub fn all_to_kimchi(comms: &[Self], what: &str) -> Result<Vec<PolyComm<$G>>, Error> {
                comms
                    .iter()
                    .enumerate()
                    .map(|(i, c)| c.to_kimchi().map_err(|e| Error(format!("{what}[{i}]: {e}"))))
                    .collect()
            }
        }
    };
}

poly_comm!(WasmFpPolyComm, WasmGVesta, Vesta, "A commitment on Vesta (Fp circuits).");
poly_comm!(WasmFqPolyComm, WasmGPallas, Pallas, "A commitment on Pallas (Fq circuits).");
