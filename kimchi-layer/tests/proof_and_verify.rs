//! Proofs, verifier indexes and oracles on small real circuits (`x * x` with `x` public), for
//! both fields: what a valid proof gives, and that a changed byte, field or shape gives `false`
//! or an error, never a panic.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use kimchi_handles_kimchi::kimchi;
use kimchi_handles_kimchi::kimchi_handles::{ArgPath, Class, FromJs, Handle, HandleState, Owned, Shared};

/// A handle that Rust owns for the length of a test, disposed at the end (no leak report).
struct Owner<T: Send + Sync + 'static>(Handle<T>);

impl<T: Send + Sync + 'static> Drop for Owner<T> {
    fn drop(&mut self) {
        self.0.dispose();
    }
}

impl<T: Class> Owner<T> {
    fn new(value: T) -> Self {
        Owner(Handle::new(T::NAME, value).unwrap())
    }

    fn get(&self) -> Shared<T> {
        self.0.borrow().unwrap()
    }

    /// The handle as a parameter that may take it, as a JS call would pass it.
    fn owned(&self, function: &'static str) -> Owned<T> {
        Owned::from_js(self.0.key().to_f64(), &ArgPath::new(function, "witness")).unwrap()
    }
}

/// The helpers and the tests both fields share.
macro_rules! family {
    ($f:ident, $P:ty) => {
        paste::paste! {
            mod $f {
                #![allow(dead_code)]
                use super::*;

                use ark_ec::AffineRepr;
                use ark_ff::{One, Zero};
                use ark_poly::EvaluationDomain;
                use base64::Engine as _;
                use kimchi::mina_poseidon::FqSponge;
                use kimchi::poly_commitment::commitment::{shift_scalar, PolyComm};
                use kimchi::poly_commitment::SRS as _;
                use kimchi_handles_kimchi::circuit::{square_gates, square_witness};
                use kimchi_handles_kimchi::field::{Field, Fields};
                use kimchi_handles_kimchi::gate_vector::Gates;
                use kimchi_handles_kimchi::pasta::{BaseSponge, Pasta, ScalarSponge, Srs};
                pub use kimchi_handles_kimchi::proof::$f as pf;
                pub use kimchi_handles_kimchi::verifier_index::$f as vi;
                pub use kimchi_handles_kimchi::oracles::$f as or;

                pub type F = <$P as Pasta>::F;
                pub type G = <$P as Pasta>::G;
                pub type Comm = <$P as Pasta>::PolyComm;
                pub type WasmSrs = kimchi_handles_kimchi::srs::$f::WasmSrs;
                pub type WasmIndex = kimchi_handles_kimchi::index::$f::WasmIndex;
                pub type VecVec = kimchi_handles_kimchi::vec_vec::$f::WasmVecVec;
                pub type GateVector = kimchi_handles_kimchi::gate_vector::$f::WasmGateVector;

                pub const CREATE: &str = concat!("caml_pasta_", stringify!($f), "_plonk_proof_create");

                pub struct Circuit {
                    pub srs: Owner<WasmSrs>,
                    pub index: Owner<WasmIndex>,
                    /// Rows of the witness (the circuit's gates).
                    pub rows: usize,
                }

                /// The square circuit on a domain of `2^log2` rows, indexed as JS would.
                pub fn circuit(log2: u32) -> Circuit {
                    circuit_over(log2, 1 << log2)
                }

                /// The square circuit of `2^log2 - 3` gates over an SRS of `srs_size` points.
                pub fn circuit_over(log2: u32, srs_size: u32) -> Circuit {
                    let srs = Owner::new(kimchi_handles_kimchi::srs::$f::[<caml_ $f _srs_create>](srs_size).unwrap());
                    let gates = square_gates::<F>(log2);
                    let rows = gates.len();
                    let vector = GateVector::from_gates(Gates::checked(gates, "gates").unwrap());
                    let index = kimchi_handles_kimchi::index::$f::[<caml_pasta_ $f _plonk_index_create>](
                        &vector, 1, Vec::new(), Vec::new(), 0, srs.get(), false,
                    )
                    .unwrap();
                    Circuit { srs, index: Owner::new(index), rows }
                }

                pub fn witness_of(columns: Vec<Vec<F>>) -> Owner<VecVec> {
                    Owner::new(VecVec::from_columns(columns))
                }

                pub fn witness(c: &Circuit, x: F) -> Owner<VecVec> {
                    witness_of(Vec::from(square_witness(x, c.rows)))
                }

                pub fn prove(c: &Circuit, x: F) -> pf::WasmProof {
                    let w = witness(c, x);
                    let index = c.index.get();
                    let proof = pf::[<caml_pasta_ $f _plonk_proof_create>](index, w.owned(CREATE), Vec::new(), Fields(Vec::new()), Vec::new())
                        .unwrap();
                    assert_eq!(w.0.state(), HandleState::Moved, "the witness is moved into the proof");
                    proof
                }

                pub fn vk(c: &Circuit) -> vi::Data {
                    vi::[<caml_pasta_ $f _plonk_verifier_index_create>](c.index.get()).unwrap()
                }

                pub fn verify(vk: &vi::Data, proof: &pf::WasmProof) -> bool {
                    pf::[<caml_pasta_ $f _plonk_proof_verify>](vk.clone(), proof).unwrap()
                }

                /// A proof rebuilt from the parts its getters give (as o1js does before verifying).
                pub struct Parts {
                    pub commitments: pf::[<Wasm $f:camel ProverCommitments>],
                    pub opening: pf::[<Wasm $f:camel OpeningProof>],
                    pub evals: pf::EvalsData,
                    pub ft_eval1: F,
                    pub public: Vec<F>,
                    pub scalars: Vec<Vec<F>>,
                    pub comms: Vec<Comm>,
                }

                pub fn parts(p: &pf::WasmProof) -> Parts {
                    let scalars = Owner::new(p.prev_challenges_scalars().unwrap());
                    Parts {
                        commitments: p.commitments(),
                        opening: p.proof(),
                        evals: p.evals(),
                        ft_eval1: p.ft_eval1().0,
                        public: p.public_().0,
                        scalars: scalars.get().with(|c| c.clone()),
                        comms: p.prev_challenges_comms(),
                    }
                }

                pub fn rebuild(p: &Parts) -> Result<pf::WasmProof, kimchi_handles_kimchi::Error> {
                    pf::WasmProof::from_parts(&p.commitments, &p.opening, &p.evals, p.ft_eval1, p.public.clone(), p.scalars.clone(), &p.comms)
                }

                /// A point of the curve other than the ones a proof holds.
                pub fn another_point() -> <$P as Pasta>::Point {
                    <$P as Pasta>::Point::from_curve(&(G::generator() + G::generator()).into())
                }

                #[test]
                fn proofs_verify_and_changed_values_do_not() {
                    let c = circuit(8);
                    let vk = vk(&c);
                    let proof = prove(&c, F::from(3u64));
                    assert_eq!(proof.public, vec![F::from(3u64)]);
                    assert!(verify(&vk, &proof));

                    // Rebuilt from its parts, it is the same proof.
                    let same = rebuild(&parts(&proof)).unwrap();
                    assert!(same.proof == proof.proof && same.public == proof.public);
                    assert!(verify(&vk, &same));

                    let changed = |edit: &dyn Fn(&mut Parts)| {
                        let mut p = parts(&proof);
                        edit(&mut p);
                        verify(&vk, &rebuild(&p).unwrap())
                    };
                    assert!(!changed(&|p| p.public[0] += F::one()), "public input");
                    assert!(!changed(&|p| p.ft_eval1 += F::one()), "ft_eval1");
                    assert!(!changed(&|p| p.opening.z1.0 += F::one()), "z1");
                    assert!(!changed(&|p| p.opening.delta = another_point()), "delta");
                    assert!(!changed(&|p| p.commitments.w_comm[3].unshifted[0] = another_point()), "w_comm");
                    assert!(!changed(&|p| p.evals.w[2].zeta[0].0 += F::one()), "an evaluation");
                    // Without them kimchi computes them from the public input: the same proof.
                    assert!(changed(&|p| p.evals.public = None), "the public evaluations left out");
                    // Shapes the verifier cannot use: still `false`, never a panic.
                    assert!(!changed(&|p| p.evals.z.zeta.push(Field(F::one()))), "two chunks at ζ, one at ζω");
                    assert!(!changed(&|p| p.evals.z.zeta_omega.clear()), "no value at ζω");
                    assert!(!changed(&|p| { p.opening.lr_0.pop(); p.opening.lr_1.pop(); }), "one round fewer");
                    assert!(!changed(&|p| {
                        let extra = p.opening.lr_0[0].clone();
                        p.opening.lr_0.extend(std::iter::repeat_n(extra.clone(), 40));
                        p.opening.lr_1.extend(std::iter::repeat_n(extra, 40));
                    }), "more rounds than the SRS has");
                    assert!(!changed(&|p| {
                        p.scalars.push(vec![F::one(); 8]);
                        p.comms.push(p.comms.first().cloned().unwrap_or_else(|| Comm { unshifted: vec![another_point()], shifted: None }));
                    }), "a previous challenge the index does not expect");

                    // A proof of another statement verifies on its own, not with this public input.
                    let other = prove(&c, F::from(5u64));
                    assert!(verify(&vk, &other));
                    let swapped = pf::WasmProof { proof: other.proof.clone(), public: proof.public.clone() };
                    assert!(!verify(&vk, &swapped));
                }

                #[test]
                fn a_changed_byte_is_refused_or_does_not_verify() {
                    let c = circuit(8);
                    let vk = vk(&c);
                    let proof = prove(&c, F::from(7u64));
                    let bytes = base64::engine::general_purpose::STANDARD.decode(proof.serialize().unwrap()).unwrap();
                    let (mut refused, mut invalid) = (0, 0);
                    for i in (0..bytes.len()).step_by(bytes.len() / 40 + 1) {
                        let mut b = bytes.clone();
                        b[i] ^= 0x5a;
                        match pf::WasmProof::deserialize(&b) {
                            Err(e) => {
                                assert!(e.0.contains("deserialize"), "{e}");
                                refused += 1;
                            }
                            Ok(d) => {
                                let d = pf::WasmProof { proof: d.proof, public: proof.public.clone() };
                                assert!(!verify(&vk, &d), "byte {i} changed and the proof still verifies");
                                invalid += 1;
                            }
                        }
                    }
                    assert!(refused > 0 && invalid > 0, "{refused} refused, {invalid} invalid");
                }

                #[test]
                fn serialize_matches_kimchi_and_round_trips() {
                    let c = circuit(8);
                    let vk = vk(&c);
                    let proof = prove(&c, F::from(11u64));
                    let text = proof.serialize().unwrap();
                    let raw = rmp_serde::to_vec(&proof.proof).unwrap();
                    assert_eq!(text, base64::engine::general_purpose::STANDARD.encode(raw));
                    let bytes = base64::engine::general_purpose::STANDARD.decode(&text).unwrap();
                    let back = pf::WasmProof::deserialize(&bytes).unwrap();
                    assert!(back.public.is_empty(), "the public input is not serialized");
                    assert!(back.proof == proof.proof);
                    assert_eq!(back.serialize().unwrap(), text);
                    assert!(!verify(&vk, &back), "without its public input");
                    assert!(verify(&vk, &pf::WasmProof { proof: back.proof, public: proof.public.clone() }));
                    assert!(pf::WasmProof::deserialize(b"not a proof").err().expect("refused").0.contains("malformed proof bytes"));
                }

                #[test]
                fn verifier_index_json_matches_kimchi_and_round_trips() {
                    let c = circuit(9);
                    let data = vk(&c);
                    let index = c.index.get();
                    let kimchi_vk = index.index.verifier_index();
                    let json = vi::[<caml_pasta_ $f _plonk_verifier_index_serialize>](data.clone()).unwrap();
                    assert_eq!(json, serde_json::to_string(&kimchi_vk).unwrap(), "the JSON stock kimchi-wasm writes");

                    let back = vi::[<caml_pasta_ $f _plonk_verifier_index_deserialize>](c.srs.get(), json.clone()).unwrap();
                    assert_eq!(vi::[<caml_pasta_ $f _plonk_verifier_index_serialize>](back.clone()).unwrap(), json);
                    let digest = |d: &vi::Data| d.to_kimchi("vk").unwrap().digest::<BaseSponge<$P>>();
                    let expected = index.index.verifier_index_digest::<BaseSponge<$P>>();
                    assert_eq!(digest(&data), expected);
                    assert_eq!(digest(&back), expected);

                    // Through plain data and back to kimchi: the same index.
                    let rebuilt = data.to_kimchi("vk").unwrap();
                    assert_eq!(serde_json::to_string(&rebuilt).unwrap(), json);
                    assert_eq!(rebuilt.endo, kimchi_vk.endo);
                    assert_eq!(*rebuilt.w(), *kimchi_vk.w());
                    assert_eq!(rebuilt.permutation_vanishing_polynomial_m(), kimchi_vk.permutation_vanishing_polynomial_m());
                    let again = vi::Data::from_kimchi(&rebuilt, c.srs.get());
                    assert_eq!(vi::[<caml_pasta_ $f _plonk_verifier_index_serialize>](again).unwrap(), json);

                    // The SRS is the handle's, shared.
                    assert!(std::sync::Arc::ptr_eq(&data.srs.srs, &c.srs.get().srs));
                    let copy = vi::[<caml_pasta_ $f _plonk_verifier_index_deep_copy>](data.clone());
                    assert!(std::sync::Arc::ptr_eq(&copy.srs.srs, &data.srs.srs));

                    let proof = prove(&c, F::from(2u64));
                    assert!(verify(&back, &proof), "verifies with the deserialized index");

                    let shifts = vi::[<caml_pasta_ $f _plonk_verifier_index_shifts>](9).unwrap();
                    assert_eq!(shifts.to_array(), index.index.cs.shift);
                }

                #[test]
                fn batches_verify_together() {
                    let c = circuit(8);
                    let vk = vk(&c);
                    let (a, b) = (prove(&c, F::from(2u64)), prove(&c, F::from(4u64)));
                    let (a, b) = (Owner::new(a), Owner::new(b));
                    let batch = |vks: Vec<vi::Data>, proofs: Vec<Shared<pf::WasmProof>>| {
                        pf::[<caml_pasta_ $f _plonk_proof_batch_verify>](vks, proofs).unwrap()
                    };
                    assert!(batch(vec![vk.clone(), vk.clone()], vec![a.get(), b.get()]));
                    assert!(batch(Vec::new(), Vec::new()), "no proof");
                    assert!(!batch(vec![vk.clone()], vec![a.get(), b.get()]), "lengths differ");
                    let bad = Owner::new(pf::WasmProof { proof: b.get().proof.clone(), public: vec![F::from(5u64)] });
                    assert!(!batch(vec![vk.clone(), vk.clone()], vec![a.get(), bad.get()]));
                    let dummy = Owner::new(pf::[<caml_pasta_ $f _plonk_proof_dummy>]());
                    assert!(!batch(vec![vk.clone(), vk], vec![a.get(), dummy.get()]));
                }

                #[test]
                fn oracles_are_kimchis() {
                    let c = circuit(8);
                    let data = vk(&c);
                    let proof = prove(&c, F::from(6u64));
                    let vk = data.to_kimchi("vk").unwrap();
                    let srs = c.srs.get();
                    let basis = srs.srs.get_lagrange_basis(vk.domain).clone();
                    let ours = or::oracles(&basis, &data, &proof).unwrap();

                    // kimchi's own computation, with the public commitment its verifier makes.
                    let bases: Vec<_> = basis.iter().take(proof.public.len()).collect();
                    let negated: Vec<F> = proof.public.iter().map(|x| -*x).collect();
                    let p_comm = PolyComm::multi_scalar_mul(&bases, &negated);
                    let p_comm = srs.srs.mask_custom(p_comm.clone(), &p_comm.map(|_| F::one())).unwrap().commitment;
                    let res = proof.proof.oracles::<BaseSponge<$P>, ScalarSponge<$P>, Srs<$P>>(&vk, &p_comm, Some(&proof.public)).unwrap();
                    let o = &res.oracles;
                    assert_eq!(
                        [ours.o.beta.0, ours.o.gamma.0, ours.o.alpha.0, ours.o.zeta.0, ours.o.v.0, ours.o.u.0],
                        [o.beta, o.gamma, o.alpha, o.zeta, o.v, o.u]
                    );
                    assert_eq!(
                        [ours.o.alpha_chal.0, ours.o.zeta_chal.0, ours.o.v_chal.0, ours.o.u_chal.0],
                        [o.alpha_chal.inner(), o.zeta_chal.inner(), o.v_chal.inner(), o.u_chal.inner()]
                    );
                    assert_eq!((ours.o.joint_combiner, ours.o.joint_combiner_chal), (None, None));
                    assert_eq!(ours.digest_before_evaluations.0, res.digest);
                    let public = proof.proof.evals.public.as_ref().unwrap();
                    assert_eq!((ours.p_eval0.0, ours.p_eval1.0), (public.zeta[0], public.zeta_omega[0]));
                    let mut sponge = res.fq_sponge.clone();
                    sponge.absorb_fr(&[shift_scalar::<G>(res.combined_inner_product)]);
                    let expected: Vec<F> = proof.proof.proof.prechallenges(&mut sponge).iter().map(|c| c.inner()).collect();
                    assert_eq!(ours.opening_prechallenges.0, expected);
                    assert_eq!(expected.len(), proof.proof.proof.lr.len());

                    // Only the commitments of the public inputs are read, and there must be enough.
                    assert_eq!(or::oracles(&basis[..1], &data, &proof).unwrap(), ours);
                    let err = or::oracles(&[], &data, &proof).unwrap_err();
                    assert!(err.0.contains("lgrComm has 0 commitments, fewer than the proof's 1 public inputs"), "{err}");
                    // Other commitments give another transcript.
                    assert_ne!(or::oracles(&basis[1..], &data, &proof).unwrap().o.zeta, ours.o.zeta);

                    // A proof whose shapes do not fit: an error, not a panic.
                    let mut p = parts(&proof);
                    p.evals.z.zeta_omega.clear();
                    let err = or::oracles(&basis, &data, &rebuild(&p).unwrap()).unwrap_err();
                    assert!(err.0.contains("evals.z has 1 and 0 values"), "{err}");
                    let _ = or::oracles(&basis, &data, &pf::[<caml_pasta_ $f _plonk_proof_dummy>]());

                    let dummy = or::[<$f _oracles_dummy>]();
                    assert!(dummy.o.beta.0.is_zero() && dummy.opening_prechallenges.0.is_empty());
                    let copy = or::[<$f _oracles_deep_copy>](&proof).unwrap();
                    assert!(copy.proof == proof.proof && copy.public == proof.public);
                }

                #[test]
                fn larger_and_chunked_circuits_verify() {
                    for (log2, srs_size) in [(10, 1 << 10), (9, 1 << 8)] {
                        let c = circuit_over(log2, srs_size);
                        let data = vk(&c);
                        let vk = data.to_kimchi("vk").unwrap();
                        let chunks = vk.domain.size() / srs_size as usize;
                        let kimchi_vk = c.index.get().index.verifier_index();
                        assert_eq!(vk.permutation_vanishing_polynomial_m(), kimchi_vk.permutation_vanishing_polynomial_m());
                        assert_eq!((vk.w(), vk.zk_rows), (kimchi_vk.w(), kimchi_vk.zk_rows));
                        let proof = prove(&c, F::from(9u64));
                        assert_eq!(proof.proof.evals.z.zeta.len(), chunks.max(1));
                        assert!(verify(&data, &proof), "domain {}, SRS {srs_size}", vk.domain.size());
                        let mut p = parts(&proof);
                        p.public[0] = F::from(10u64);
                        assert!(!verify(&data, &rebuild(&p).unwrap()));
                        let basis = c.srs.get().srs.get_lagrange_basis(vk.domain).clone();
                        let oracles = or::oracles(&basis, &data, &proof).unwrap();
                        assert_eq!(oracles.p_eval0.0, proof.proof.evals.public.as_ref().unwrap().zeta[0]);
                    }
                }

                #[test]
                fn proofs_are_measured_and_copied() {
                    use kimchi_handles_kimchi::kimchi_handles::DeepSize;
                    let c = circuit(8);
                    let proof = prove(&c, F::from(3u64));
                    let encoded = base64::engine::general_purpose::STANDARD.decode(proof.serialize().unwrap()).unwrap().len();
                    let bytes = proof.deep_size();
                    assert!(bytes > encoded && bytes < 8 * encoded, "{bytes} bytes for {encoded} encoded");
                    let copy = pf::[<caml_pasta_ $f _plonk_proof_deep_copy>](&proof).unwrap();
                    assert!(copy.proof == proof.proof && copy.public == proof.public);
                    let scalars = Owner::new(proof.prev_challenges_scalars().unwrap());
                    assert_eq!(scalars.get().with(|c| c.len()), 0);
                }
            }
        }
    };
}

family!(fp, kimchi_handles_kimchi::pasta::Fp);
family!(fq, kimchi_handles_kimchi::pasta::Fq);

/// Inputs JS can get wrong, on Fp: each an error that says what is wrong, and a witness that
/// was refused is still the caller's.
mod bad_inputs {
    use super::fp::*;
    use super::*;
    use ark_ff::{One, Zero};
    use kimchi_handles_kimchi::field::{Field, Fields};
    use kimchi_handles_kimchi::point::WasmGVesta;

    fn create(c: &Circuit, witness: &Owner<VecVec>, chals: Vec<F>, sgs: Vec<WasmGVesta>) -> String {
        let e =
            pf::caml_pasta_fp_plonk_proof_create(c.index.get(), witness.owned(CREATE), Vec::new(), Fields(chals), sgs)
                .err()
                .expect("refused");
        assert_eq!(witness.0.state(), HandleState::Live, "a refused witness stays with the caller");
        e.0
    }

    #[test]
    fn witnesses_of_the_wrong_shape_are_refused_and_kept() {
        let c = circuit(8);
        let zeros = |rows: usize| vec![F::zero(); rows];
        let w = witness_of((0..14).map(|_| zeros(c.rows)).collect());
        assert_eq!(
            create(&c, &w, vec![], vec![]),
            "caml_pasta_fp_plonk_proof_create: the witness has 14 columns, expected 15"
        );
        let mut columns: Vec<_> = (0..15).map(|_| zeros(c.rows)).collect();
        columns[4].pop();
        let w = witness_of(columns);
        assert!(create(&c, &w, vec![], vec![]).ends_with(&format!(
            "witness column 4 has {} rows, column 0 has {}",
            c.rows - 1,
            c.rows
        )));
        let w = witness_of((0..15).map(|_| zeros(256)).collect());
        let e = create(&c, &w, vec![], vec![]);
        assert!(e.contains("the witness has 256 rows; this circuit's domain of 256 rows has room for 253 besides its 3 zero-knowledge rows"), "{e}");
        let w = witness_of((0..15).map(|_| Vec::new()).collect());
        assert!(create(&c, &w, vec![], vec![])
            .ends_with("the witness has 0 rows, fewer than the circuit's 1 public inputs"));

        // Previous challenges that do not split over the previous proofs' points.
        let w = witness(&c, F::from(3u64));
        let e = create(&c, &w, vec![F::one(); 3], vec![]);
        assert!(
            e.ends_with("prevChallenges has 3 challenges, which do not split evenly over the 0 points of prevSgs"),
            "{e}"
        );
        let g = another_point();
        let e = create(&c, &w, vec![F::one(); 3], vec![g.clone(), g.clone()]);
        assert!(e.contains("do not split evenly over the 2 points"), "{e}");
        let e = create(&c, &w, vec![], vec![g.clone()]);
        assert!(e.contains("0 challenges"), "{e}");
        let off = WasmGVesta { y: Field(g.y.0 + F2::one()), ..g };
        let e = create(&c, &w, vec![F::one(); 2], vec![off]);
        assert!(e.contains("prevSgs[0]: the point") && e.contains("is not on the curve"), "{e}");
        // After all that, the same witness proves.
        let proof =
            pf::caml_pasta_fp_plonk_proof_create(c.index.get(), w.owned(CREATE), Vec::new(), Fields(vec![]), vec![])
                .unwrap();
        assert!(verify(&vk(&c), &proof));
    }

    #[test]
    fn a_witness_the_prover_rejects_stays_with_the_caller() {
        let c = circuit(8);
        // x * x = y with y wrong: only the prover finds out (its quotient does not divide).
        let mut columns = Vec::from(kimchi_handles_kimchi::circuit::square_witness(F::from(3u64), c.rows));
        columns[2][1] = F::from(10u64);
        let w = witness_of(columns);
        let e = create(&c, &w, vec![], vec![]);
        assert!(e.starts_with("caml_pasta_fp_plonk_proof_create: "), "{e}");
        // Mended through the handle it still is, it proves.
        w.0.borrow().unwrap().with(|columns| columns[2][1] = F::from(9u64));
        let proof =
            pf::caml_pasta_fp_plonk_proof_create(c.index.get(), w.owned(CREATE), Vec::new(), Fields(vec![]), vec![])
                .unwrap();
        assert_eq!(w.0.state(), HandleState::Moved);
        assert!(verify(&vk(&c), &proof));
    }

    type F2 = <kimchi_handles_kimchi::pasta::Fp as kimchi_handles_kimchi::pasta::Pasta>::Base;

    #[test]
    fn proof_parts_of_the_wrong_shape_are_refused() {
        let c = circuit(8);
        let proof = prove(&c, F::from(3u64));
        let refused = |edit: &dyn Fn(&mut Parts)| {
            let mut p = parts(&proof);
            edit(&mut p);
            rebuild(&p).err().expect("refused").0
        };
        assert_eq!(
            refused(&|p| {
                p.commitments.w_comm.pop();
            }),
            "commitments.w_comm has 14 commitments, expected 15"
        );
        assert_eq!(
            refused(&|p| {
                p.evals.w.pop();
            }),
            "evals.w has 14 evaluations, expected 15"
        );
        assert_eq!(refused(&|p| p.evals.s.push(p.evals.s[0].clone())), "evals.s has 7 evaluations, expected 6");
        assert_eq!(
            refused(&|p| {
                p.evals.coefficients.clear();
            }),
            "evals.coefficients has 0 evaluations, expected 15"
        );
        assert_eq!(
            refused(&|p| {
                p.evals.lookup_sorted.pop();
            }),
            "evals.lookupSorted has 4 evaluations, expected 5"
        );
        assert_eq!(
            refused(&|p| {
                p.opening.lr_1.pop();
            }),
            "proof.lr_0 has 8 points and proof.lr_1 7: they must pair up"
        );
        let e = refused(&|p| p.opening.lr_0[2].x.0 += F2::one());
        assert!(e.starts_with("proof.lr_0[2]: the point (") && e.ends_with("is not on the curve"), "{e}");
        let e = refused(&|p| p.commitments.t_comm.unshifted[0].y.0 += F2::one());
        assert!(e.starts_with("commitments.t_comm: unshifted[0]: the point"), "{e}");
        let e = refused(&|p| p.commitments.z_comm.shifted = Some(another_point()));
        assert_eq!(e, "commitments.z_comm: a commitment with a shifted part: kimchi has none");
        let e = refused(&|p| p.scalars.push(vec![F::one()]));
        assert_eq!(e, "prevChallengesScalars has 1 vectors and prevChallengesComms 0 commitments: they must pair up");
        let e = refused(&|p| {
            p.scalars.push(vec![F::one(); 21]);
            p.comms.push(Comm { unshifted: vec![another_point()], shifted: None });
        });
        assert_eq!(e, "previous challenge 0 has 21 rounds, at most 20");

        // The JS constructor: the same checks, named after it.
        let p = parts(&proof);
        let scalars = VecVec::from_columns(vec![vec![F::one()]]);
        let e = pf::WasmFpProverProof::new(
            p.commitments,
            p.opening,
            p.evals,
            Field(p.ft_eval1),
            Fields(p.public),
            &scalars,
            vec![],
        )
        .err()
        .expect("refused");
        assert!(e.0.starts_with("new WasmFpProverProof: prevChallengesScalars has 1 vectors"), "{e}");
    }

    #[test]
    fn field_elements_must_be_canonical() {
        let arg = ArgPath::new("new WasmFpProverProof", "ft_eval1");
        let e = Field::<F>::checked(&[0xff; 32], &arg).unwrap_err();
        assert_eq!(
            e.to_string(),
            "new WasmFpProverProof: ft_eval1 is not a canonical field element (it is not below the modulus)"
        );
        let e = Field::<F>::checked(&[1; 31], &arg).unwrap_err();
        assert!(e.to_string().contains("must be a field element of 32 bytes, got 31"));
        let e =
            Fields::<F>::checked(&[vec![0; 32], vec![0xff; 32]].concat(), &ArgPath::new("f", "public_")).unwrap_err();
        assert_eq!(e.to_string(), "f: public_ element 1 is not a canonical field element");
    }

    #[test]
    fn verifier_indexes_of_the_wrong_shape_are_refused() {
        let c = circuit(8);
        let good = vk(&c);
        let refused = |edit: &dyn Fn(&mut vi::Data)| {
            let mut d = good.clone();
            edit(&mut d);
            d.to_kimchi("index").unwrap_err().0
        };
        assert_eq!(
            refused(&|d| {
                d.evals.sigma_comm.pop();
            }),
            "index.evals.sigma_comm has 6 commitments, expected 7"
        );
        assert_eq!(
            refused(&|d| {
                d.evals.coefficients_comm.pop();
            }),
            "index.evals.coefficients_comm has 14 commitments, expected 15"
        );
        assert!(refused(&|d| d.domain.log_size_of_group = 40)
            .starts_with("index.domain.log_size_of_group is 40: the domain must have from 2 to"));
        assert_eq!(refused(&|d| d.zk_rows = 256), "index.zk_rows is 256: the domain has only 256 rows");
        assert_eq!(refused(&|d| d.public_ = 257), "index.public_ is 257: the domain has only 256 rows");
        assert_eq!(refused(&|d| d.max_poly_size = 0), "index.max_poly_size must be at least 1");
        let e = refused(&|d| d.evals.psm_comm.unshifted[0].x.0 += F2::one());
        assert!(e.starts_with("index.evals.psm_comm: unshifted[0]: the point"), "{e}");
        let e = refused(&|d| {
            d.lookup_index = Some(vi::WasmFpLookupVerifierIndex {
                joint_lookup_used: false,
                lookup_table: vec![],
                lookup_selectors: vi::WasmFpLookupSelectors { xor: None, lookup: None, range_check: None, ffmul: None },
                table_ids: None,
                lookup_info: kimchi_handles_kimchi::verifier_index::WasmLookupInfo {
                    max_per_row: 5,
                    max_joint_size: 1,
                    features: kimchi_handles_kimchi::verifier_index::WasmLookupFeatures {
                        patterns: kimchi_handles_kimchi::verifier_index::WasmLookupPatterns {
                            xor: false,
                            lookup: true,
                            range_check: false,
                            foreign_field_mul: false,
                        },
                        joint_lookup_used: false,
                        uses_runtime_tables: false,
                    },
                },
                runtime_tables_selector: None,
            })
        });
        assert_eq!(e, "index.lookup_index.lookup_info.max_per_row is 5, at most 4");

        // Through the exports: errors named after the function, never a panic.
        let proof = prove(&c, F::from(3u64));
        let mut bad = good.clone();
        bad.evals.sigma_comm.pop();
        let e = pf::caml_pasta_fp_plonk_proof_verify(bad.clone(), &proof).unwrap_err();
        assert_eq!(e.0, "caml_pasta_fp_plonk_proof_verify: index.evals.sigma_comm has 6 commitments, expected 7");
        let e = pf::caml_pasta_fp_plonk_proof_batch_verify(
            vec![good.clone(), bad],
            vec![Owner::new(prove(&c, F::one())).get(), Owner::new(prove(&c, F::one())).get()],
        )
        .unwrap_err();
        assert!(e.0.starts_with("caml_pasta_fp_plonk_proof_batch_verify: indexes[1].evals.sigma_comm"), "{e}");
        let dummy = vi::caml_pasta_fp_plonk_verifier_index_dummy().unwrap();
        // A placeholder serializes (as in stock), and cannot verify.
        let json = vi::caml_pasta_fp_plonk_verifier_index_serialize(dummy.clone()).unwrap();
        let back = vi::caml_pasta_fp_plonk_verifier_index_deserialize(dummy.srs.clone(), json.clone()).unwrap();
        assert_eq!(vi::caml_pasta_fp_plonk_verifier_index_serialize(back).unwrap(), json);
        assert!(pf::caml_pasta_fp_plonk_proof_verify(dummy.clone(), &proof)
            .unwrap_err()
            .0
            .contains("max_poly_size must be at least 1"));
        let mut no_points = dummy;
        no_points.max_poly_size = 1;
        no_points.domain.log_size_of_group = 8;
        let e = pf::caml_pasta_fp_plonk_proof_verify(no_points, &proof).unwrap_err();
        assert_eq!(e.0, "caml_pasta_fp_plonk_proof_verify: verifier index 0: its SRS has no points");
        // Another circuit's index: not a valid proof for it.
        let bigger = circuit(9);
        assert!(!verify(&vk(&bigger), &proof));

        assert!(vi::caml_pasta_fp_plonk_verifier_index_shifts(0).is_err());
        assert!(vi::caml_pasta_fp_plonk_verifier_index_shifts(40).is_err());
        let e = vi::caml_pasta_fp_plonk_verifier_index_deserialize(c.srs.get(), "{}".into()).err().expect("refused");
        assert!(
            e.0.starts_with("caml_pasta_fp_plonk_verifier_index_deserialize: malformed verifier index JSON"),
            "{e}"
        );
        let e = vi::caml_pasta_fp_plonk_verifier_index_write(None, good, "vk".into()).unwrap_err();
        assert!(e.0.ends_with("files are not available in WebAssembly"));
        assert!(vi::caml_pasta_fp_plonk_verifier_index_read(None, &c.srs.get(), "vk".into()).is_err());
    }
}
