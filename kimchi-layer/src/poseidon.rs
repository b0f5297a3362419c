//! The Poseidon permutation of each field (`caml_pasta_fp_poseidon_block_cipher`, `..._fq_...`):
//! kimchi's sponge permutation on a state of three field elements, which o1js's OCaml sponge
//! calls.

use kimchi::mina_poseidon::constants::{PlonkSpongeConstantsKimchi, SpongeConstants};
use kimchi::mina_poseidon::permutation::poseidon_block_cipher;

use crate::error::{fail, Error};

/// Elements in a sponge state.
pub const WIDTH: usize = PlonkSpongeConstantsKimchi::SPONGE_WIDTH;

macro_rules! poseidon_family {
    ($f:ident, $P:ty) => {
        paste::paste! {
            pub mod $f {
                use kimchi::curve::KimchiCurve;

                use super::*;
                use crate::field::Fields;
                use crate::pasta::{Pasta, ROUNDS};

                type F = <$P as Pasta>::F;
                type G = <$P as Pasta>::G;

                /// The permuted state (a flat `Uint8Array` of three field elements, in and out).
                #[kimchi_handles::export]
                pub fn [<caml_pasta_ $f _poseidon_block_cipher>](state: Fields<F>) -> Result<Fields<F>, Error> {
                    let mut state = state.0;
                    if state.len() != WIDTH {
                        return fail!(
                            "{}: the state has {} field elements, not {WIDTH}",
                            stringify!([<caml_pasta_ $f _poseidon_block_cipher>]),
                            state.len()
                        );
                    }
                    poseidon_block_cipher::<F, PlonkSpongeConstantsKimchi, ROUNDS>(
                        <G as KimchiCurve<ROUNDS>>::sponge_params(),
                        &mut state,
                    );
                    Ok(Fields(state))
                }
            }
        }
    };
}

poseidon_family!(fp, crate::pasta::Fp);
poseidon_family!(fq, crate::pasta::Fq);

pub use fp::caml_pasta_fp_poseidon_block_cipher;
pub use fq::caml_pasta_fq_poseidon_block_cipher;
