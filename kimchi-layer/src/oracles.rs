//! The random oracles of a proof (`fp_oracles_create`, `fq_oracles_create`): the challenges of
//! its Fiat-Shamir transcript, which o1js's recursion needs outside kimchi, as plain data
//! (`WasmFpOracles`, `WasmFpRandomOracles`).
//!
//! The Lagrange commitments it is given cover a whole domain (16,384 of them for o1js's wrap
//! proofs) while only the first `public.length` are used: they cross as a lazily read array, so
//! only those are converted.

use std::marker::PhantomData;

use kimchi_handles::abi::describe;
use kimchi_handles::{ArgPath, CallError, Element, FromJs};
use wasm_bindgen::{JsCast, JsValue};

use crate::error::{fail, Error};
use crate::verifier_index::within;

/// A JS array whose elements are read only when asked for.
pub struct LazyArray<T> {
    array: js_sys::Array,
    /// Read once, when the call starts.
    length: u32,
    function: &'static str,
    _element: PhantomData<fn() -> T>,
}

impl<T: Element + FromJs> FromJs for LazyArray<T> {
    type Abi = JsValue;
    const KIND: &'static str = T::ARRAY_KIND;
    fn from_js(abi: JsValue, arg: &ArgPath<'_>) -> Result<Self, CallError> {
        Self::from_value(abi, arg)
    }
    fn from_value(value: JsValue, arg: &ArgPath<'_>) -> Result<Self, CallError> {
        match value.dyn_into::<js_sys::Array>() {
            Ok(array) => {
                let length = kimchi_handles::abi::array_length(&array, arg)?;
                Ok(Self { array, length, function: arg.function, _element: PhantomData })
            }
            Err(value) => Err(arg.error(format_args!("must be an array, got {}", describe(&value)))),
        }
    }
}

impl<T: FromJs> LazyArray<T> {
    pub fn len(&self) -> usize {
        self.length as usize
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The first `n` elements, each checked; errors name `param[i]`.
    pub fn first(&self, n: usize, param: &'static str) -> Result<Vec<T>, Error> {
        let arg = ArgPath::new(self.function, param);
        (0..n.min(self.len()))
            .map(|i| {
                let arg = arg.index(i);
                kimchi_handles::abi::array_element(&self.array, i as u32, &arg)
                    .and_then(|value| T::from_value(value, &arg))
                    .map_err(|e| Error(e.to_string()))
            })
            .collect()
    }
}

macro_rules! oracles_family {
    ($f:ident, $P:ty) => {
        paste::paste! {
            pub mod $f {
                use super::*;

                use ark_ff::One;
                use ark_poly::EvaluationDomain;
                use kimchi::circuits::scalars::RandomOracles;
                use kimchi::mina_poseidon::FqSponge;
                use kimchi::poly_commitment::commitment::{shift_scalar, PolyComm};
                use kimchi::poly_commitment::SRS as _;

                use crate::field::{Field, Fields};
                use crate::pasta::{BaseSponge, Pasta, ScalarSponge, Srs};
                use crate::proof::{check_evaluation_lengths, check_pair, chunks};

                type F = <$P as Pasta>::F;
                type G = <$P as Pasta>::G;
                type Comm = <$P as Pasta>::PolyComm;
                use crate::proof::$f::WasmProof;
                type VkData = crate::verifier_index::$f::Data;

                #[doc = "The challenges of a proof over " $f:upper " (the `_chal` ones before the endomorphism)."]
                #[derive(Debug, Clone, PartialEq, Eq, kimchi_handles::Shape)]
                #[shape(from_js, keep_names, constructor)]
                pub struct [<Wasm $f:camel RandomOracles>] {
                    /// Present only for circuits with lookups, with `joint_combiner`.
                    pub joint_combiner_chal: Option<Field<F>>,
                    pub joint_combiner: Option<Field<F>>,
                    pub beta: Field<F>,
                    pub gamma: Field<F>,
                    pub alpha_chal: Field<F>,
                    pub alpha: Field<F>,
                    pub zeta: Field<F>,
                    pub v: Field<F>,
                    pub u: Field<F>,
                    pub zeta_chal: Field<F>,
                    pub v_chal: Field<F>,
                    pub u_chal: Field<F>,
                }

                impl [<Wasm $f:camel RandomOracles>] {
                    pub fn from_kimchi(o: &RandomOracles<F>) -> Self {
                        Self {
                            joint_combiner_chal: o.joint_combiner.as_ref().map(|(c, _)| Field(c.inner())),
                            joint_combiner: o.joint_combiner.as_ref().map(|(_, x)| Field(*x)),
                            beta: Field(o.beta),
                            gamma: Field(o.gamma),
                            alpha_chal: Field(o.alpha_chal.inner()),
                            alpha: Field(o.alpha),
                            zeta: Field(o.zeta),
                            v: Field(o.v),
                            u: Field(o.u),
                            zeta_chal: Field(o.zeta_chal.inner()),
                            v_chal: Field(o.v_chal.inner()),
                            u_chal: Field(o.u_chal.inner()),
                        }
                    }
                }

                #[doc = "The oracles of a proof over " $f:upper ": its challenges, the public input's evaluations, "]
                #[doc = "the opening's prechallenges and the transcript's digest before the evaluations."]
                #[derive(Debug, Clone, PartialEq, Eq, kimchi_handles::Shape)]
                #[shape(from_js, keep_names, constructor)]
                pub struct [<Wasm $f:camel Oracles>] {
                    pub o: [<Wasm $f:camel RandomOracles>],
                    pub p_eval0: Field<F>,
                    pub p_eval1: Field<F>,
                    pub opening_prechallenges: Fields<F>,
                    pub digest_before_evaluations: Field<F>,
                }

                pub type Oracles = [<Wasm $f:camel Oracles>];

                /// The oracles of `proof` for `index`, given the Lagrange commitments of the
                /// domain (at least one per public input; the rest are not read).
                pub fn oracles(lgr_comm: &[PolyComm<G>], index: &VkData, proof: &WasmProof) -> Result<Oracles, Error> {
                    let vk = index.to_kimchi("index")?;
                    let public = &proof.public;
                    if lgr_comm.len() < public.len() {
                        return fail!("lgrComm has {} commitments, fewer than the proof's {} public inputs", lgr_comm.len(), public.len());
                    }
                    if public.len() > vk.domain.size() {
                        return fail!("the proof has {} public inputs, more than the {} rows of the domain", public.len(), vk.domain.size());
                    }
                    check_pair::<$P>(&vk, &proof.proof)?;
                    check_evaluation_lengths(&proof.proof.evals, chunks::<$P>(&vk))?;

                    // The commitment to the negated public input, blinded by h.
                    let bases: Vec<&PolyComm<G>> = lgr_comm.iter().take(public.len()).collect();
                    let negated: Vec<F> = public.iter().map(|x| -*x).collect();
                    let p_comm = PolyComm::<G>::multi_scalar_mul(&bases, &negated);
                    let blinders = p_comm.map(|_| F::one());
                    let p_comm = vk.srs().mask_custom(p_comm, &blinders).or_else(|e| fail!("{e}"))?.commitment;

                    let result = proof
                        .proof
                        .oracles::<BaseSponge<$P>, ScalarSponge<$P>, Srs<$P>>(&vk, &p_comm, Some(public))
                        .or_else(|e| fail!("{e}"))?;
                    let mut sponge = result.fq_sponge;
                    sponge.absorb_fr(&[shift_scalar::<G>(result.combined_inner_product)]);
                    let prechallenges = proof.proof.proof.prechallenges(&mut sponge).into_iter().map(|c| c.inner()).collect();
                    let [at_zeta, at_zeta_omega] = &result.public_evals;
                    let (Some(p_eval0), Some(p_eval1)) = (at_zeta.first(), at_zeta_omega.first()) else {
                        return fail!("the proof's public input evaluations are empty");
                    };
                    Ok(Oracles {
                        o: [<Wasm $f:camel RandomOracles>]::from_kimchi(&result.oracles),
                        p_eval0: Field(*p_eval0),
                        p_eval1: Field(*p_eval1),
                        opening_prechallenges: Fields(prechallenges),
                        digest_before_evaluations: Field(result.digest),
                    })
                }

                /// The oracles of `proof` for `index` (what the recursion needs outside kimchi).
                #[kimchi_handles::export]
                pub fn [<$f _oracles_create>](lgr_comm: LazyArray<Comm>, index: VkData, proof: &WasmProof) -> Result<Oracles, Error> {
                    const FN: &str = concat!(stringify!($f), "_oracles_create");
                    let needed = proof.public.len();
                    if lgr_comm.len() < needed {
                        return fail!("{FN}: lgrComm has {} commitments, fewer than the proof's {needed} public inputs", lgr_comm.len());
                    }
                    let comms = lgr_comm.first(needed, "lgrComm")?;
                    let bases = Comm::all_to_kimchi(&comms, "lgrComm").map_err(within(FN))?;
                    oracles(&bases, &index, proof).map_err(within(FN))
                }

                /// Placeholder oracles (every value 0, no joint combiner).
                #[kimchi_handles::export]
                pub fn [<$f _oracles_dummy>]() -> Oracles {
                    use ark_ff::Zero;
                    let zero = Field(F::zero());
                    Oracles {
                        o: [<Wasm $f:camel RandomOracles>]::from_kimchi(&RandomOracles::<F>::default()),
                        p_eval0: zero,
                        p_eval1: zero,
                        opening_prechallenges: Fields(Vec::new()),
                        digest_before_evaluations: zero,
                    }
                }

                /// A new proof handle with a copy of `x`: as in both stock backends, this
                /// function copies a proof, not oracles.
                #[kimchi_handles::export]
                pub fn [<$f _oracles_deep_copy>](x: &WasmProof) -> Result<WasmProof, Error> {
                    crate::proof::$f::[<caml_pasta_ $f _plonk_proof_deep_copy>](x)
                }
            }
        }
    };
}

oracles_family!(fp, crate::pasta::Fp);
oracles_family!(fq, crate::pasta::Fq);
