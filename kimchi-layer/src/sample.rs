//! The sample circuit as JS can build it in one call (for the demo, the tests and the benchmark;
//! not part of kimchi-wasm's API): knowledge of `x` with `x * x = y`, `x` the one public input, on a
//! domain of `2^log2` rows. `sampleSquareGatesFp(log2)` gives its gates, `sampleSquareWitnessFp(x,
//! log2)` a witness for `x` (the public input is then `[x]`).
//!
//! And the leak the demo shows beside it: `sampleLeakLagrangeCommitmentsFp(srs, n)` does with a
//! domain's Lagrange commitments what kimchi-wasm does for o1js (a box per commitment, handed out as
//! raw pointers that nothing frees), so the demo's baseline line is real memory, not a simulation.

use crate::circuit;
use crate::error::{fail, Error};

/// Domains the sample builds: 2^3 to 2^16 rows.
pub const LOG2_RANGE: std::ops::RangeInclusive<u32> = 3..=16;

fn log2(log2: u32) -> Result<u32, Error> {
    if LOG2_RANGE.contains(&log2) {
        Ok(log2)
    } else {
        fail!("log2 {log2} is out of range {}..={}", LOG2_RANGE.start(), LOG2_RANGE.end())
    }
}

macro_rules! sample_family {
    ($f:ident, $P:ty) => {
        paste::paste! {
            pub mod $f {
                use super::*;
                use crate::gate_vector::{$f::WasmGateVector as GateVector, Gates};
                use crate::pasta::Pasta;
                use crate::vec_vec::$f::WasmVecVec as VecVec;

                type F = <$P as Pasta>::F;

                #[doc = "The gates of the sample circuit over " $f:upper " on a domain of `2^log2` rows."]
                #[kimchi_handles::export(js_name = [<sampleSquareGates $f:camel>])]
                pub fn [<sample_square_gates_ $f>](log2: u32) -> Result<GateVector, Error> {
                    let gates = circuit::square_gates::<F>(super::log2(log2)?);
                    Ok(GateVector::from_gates(Gates::checked(gates, "the sample circuit")?))
                }

                #[doc = "Leaks a box per Lagrange commitment of the domain of `n`, as kimchi-wasm's pointer vectors do under o1js (the demo's baseline). Returns how many."]
                #[kimchi_handles::export(js_name = [<sampleLeakLagrangeCommitments $f:camel>])]
                pub fn [<sample_leak_lagrange_commitments_ $f>](srs: &crate::srs::$f::WasmSrs, n: u32) -> Result<u32, Error> {
                    use kimchi::poly_commitment::SRS as _;
                    let size = crate::srs::domain_size(n)?;
                    crate::srs::domain::<F>(size)?;
                    let basis = srs.srs.get_lagrange_basis_from_domain_size(size);
                    for comm in basis {
                        // Deliberately never freed: that is the leak being shown (black_box keeps
                        // the optimizer from removing an allocation nothing reads).
                        std::hint::black_box(Box::leak(Box::new(comm.clone())));
                    }
                    Ok(basis.len() as u32)
                }

                #[doc = "A witness of the sample circuit over " $f:upper " for `x` (the public input is `[x]`)."]
                #[kimchi_handles::export(js_name = [<sampleSquareWitness $f:camel>])]
                pub fn [<sample_square_witness_ $f>](x: u32, log2: u32) -> Result<VecVec, Error> {
                    let rows = circuit::square_gates::<F>(super::log2(log2)?).len();
                    Ok(VecVec::from_columns(circuit::square_witness(F::from(x), rows).into()))
                }
            }
        }
    };
}

sample_family!(fp, crate::pasta::Fp);
sample_family!(fq, crate::pasta::Fq);
