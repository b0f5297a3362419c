//! The two fields and everything that differs between them: `Fp` (proofs over Vesta, whose
//! points have coordinates in Fq) and `Fq` (over Pallas). The class families are macros stamped
//! with one of these markers; inside them, `<$P as Pasta>::G` and the aliases below name the
//! concrete kimchi types.

use kimchi::mina_curves::pasta::{Pallas, PallasParameters, Vesta, VestaParameters};
use kimchi::mina_poseidon::constants::PlonkSpongeConstantsKimchi;
use kimchi::mina_poseidon::pasta::FULL_ROUNDS;
use kimchi::mina_poseidon::sponge::{DefaultFqSponge, DefaultFrSponge};
use kimchi::poly_commitment::ipa::{OpeningProof, SRS};

pub use kimchi::mina_poseidon::pasta::FULL_ROUNDS as ROUNDS;

/// What differs between the two fields.
pub trait Pasta: 'static {
    /// The scalar field of the circuits and proofs.
    type F: ark_ff::PrimeField;
    /// The field of the points' coordinates.
    type Base: ark_ff::PrimeField;
    /// The curve of the commitments.
    type G: kimchi::curve::KimchiCurve<FULL_ROUNDS, ScalarField = Self::F, BaseField = Self::Base>
        + kimchi::poly_commitment::commitment::CommitmentCurve;
    /// The other curve of the cycle (its endomorphism is used in the index).
    type Other;
    /// The curve's parameters (they select the Fq sponge).
    type Params;
    /// A point as JS data (`WasmGVesta` or `WasmGPallas`).
    type Point;
    /// A commitment as JS data (`WasmFpPolyComm` or `WasmFqPolyComm`).
    type PolyComm;
}

/// Circuits over Fp, commitments on Vesta.
pub enum Fp {}
/// Circuits over Fq, commitments on Pallas.
pub enum Fq {}

impl Pasta for Fp {
    type F = kimchi::mina_curves::pasta::Fp;
    type Base = kimchi::mina_curves::pasta::Fq;
    type G = Vesta;
    type Other = Pallas;
    type Params = VestaParameters;
    type Point = crate::point::WasmGVesta;
    type PolyComm = crate::poly_comm::WasmFpPolyComm;
}

impl Pasta for Fq {
    type F = kimchi::mina_curves::pasta::Fq;
    type Base = kimchi::mina_curves::pasta::Fp;
    type G = Pallas;
    type Other = Vesta;
    type Params = PallasParameters;
    type Point = crate::point::WasmGPallas;
    type PolyComm = crate::poly_comm::WasmFqPolyComm;
}

pub type F<P> = <P as Pasta>::F;
pub type G<P> = <P as Pasta>::G;
pub type Srs<P> = SRS<G<P>>;
pub type Opening<P> = OpeningProof<G<P>, FULL_ROUNDS>;
pub type ProverIndex<P> = kimchi::prover_index::ProverIndex<FULL_ROUNDS, G<P>, Srs<P>>;
pub type VerifierIndex<P> = kimchi::verifier_index::VerifierIndex<FULL_ROUNDS, G<P>, Srs<P>>;
pub type ProverProof<P> = kimchi::proof::ProverProof<G<P>, Opening<P>, FULL_ROUNDS>;
pub type BaseSponge<P> = DefaultFqSponge<<P as Pasta>::Params, PlonkSpongeConstantsKimchi, FULL_ROUNDS>;
pub type ScalarSponge<P> = DefaultFrSponge<F<P>, PlonkSpongeConstantsKimchi, FULL_ROUNDS>;
