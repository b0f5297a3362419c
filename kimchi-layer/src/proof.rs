//! Proofs of each field: `WasmFpProverProof` / `WasmFqProverProof`, a handle owning kimchi's
//! `ProverProof` and its public input, made by `caml_pasta_f?_plonk_proof_create` or by JS with
//! `new` from its parts (value classes: opening proof, commitments; the evaluations are a
//! camelCase plain object), and the functions that verify proofs.
//!
//! What JS can get wrong is refused before kimchi sees it: lengths kimchi's arrays fix (15
//! witness columns and commitments, 6 permutation evaluations, 5 sorted lookups), points off the
//! curve, non-canonical field elements. A proof paired with a verifier index it does not fit
//! (evaluations the index's linearization reads and the proof lacks, more opening rounds than
//! the SRS has), which kimchi would index out of bounds on, is not a valid proof: `false`.

use std::mem::size_of;

use kimchi::circuits::berkeley_columns::Column;
use kimchi::circuits::expr::PolishToken;
use kimchi::circuits::wires::{COLUMNS, PERMUTS};
use kimchi::poly_commitment::commitment::PolyComm;
use kimchi::proof::{PointEvaluations, ProofEvaluations};

use crate::error::{fail, Error};
use crate::pasta::{Pasta, ProverProof, VerifierIndex};
use crate::verifier_index::within;

/// Most rounds of an inner-product argument a recursion challenge may carry (the rounds of an
/// SRS of [`MAX_SRS_SIZE`](crate::srs::MAX_SRS_SIZE) points): kimchi expands `2^rounds`
/// coefficients from them.
pub const MAX_IPA_ROUNDS: usize = crate::srs::MAX_SRS_SIZE.trailing_zeros() as usize;

/// The evaluations of a proof at ζ and ζω.
pub type Evals<F> = ProofEvaluations<PointEvaluations<Vec<F>>>;

/// Every evaluation a proof carries, with its JS name.
pub fn each_evaluation<F>(e: &Evals<F>) -> Vec<(&'static str, &PointEvaluations<Vec<F>>)> {
    let always = [
        ("z", &e.z),
        ("genericSelector", &e.generic_selector),
        ("poseidonSelector", &e.poseidon_selector),
        ("completeAddSelector", &e.complete_add_selector),
        ("mulSelector", &e.mul_selector),
        ("emulSelector", &e.emul_selector),
        ("endomulScalarSelector", &e.endomul_scalar_selector),
    ];
    let optional = [
        ("public", &e.public),
        ("rangeCheck0Selector", &e.range_check0_selector),
        ("rangeCheck1Selector", &e.range_check1_selector),
        ("foreignFieldAddSelector", &e.foreign_field_add_selector),
        ("foreignFieldMulSelector", &e.foreign_field_mul_selector),
        ("xorSelector", &e.xor_selector),
        ("rotSelector", &e.rot_selector),
        ("lookupAggregation", &e.lookup_aggregation),
        ("lookupTable", &e.lookup_table),
        ("runtimeLookupTable", &e.runtime_lookup_table),
        ("runtimeLookupTableSelector", &e.runtime_lookup_table_selector),
        ("xorLookupSelector", &e.xor_lookup_selector),
        ("lookupGateLookupSelector", &e.lookup_gate_lookup_selector),
        ("rangeCheckLookupSelector", &e.range_check_lookup_selector),
        ("foreignFieldMulLookupSelector", &e.foreign_field_mul_lookup_selector),
    ];
    let mut all: Vec<_> = e.w.iter().map(|x| ("w", x)).collect();
    all.extend(e.s.iter().map(|x| ("s", x)));
    all.extend(e.coefficients.iter().map(|x| ("coefficients", x)));
    all.extend(always);
    all.extend(optional.into_iter().filter_map(|(name, x)| x.as_ref().map(|x| (name, x))));
    all.extend(e.lookup_sorted.iter().flatten().map(|x| ("lookupSorted", x)));
    all
}

/// How many chunks each evaluation of a proof for this verifier index has.
pub fn chunks<P: Pasta>(vk: &VerifierIndex<P>) -> usize {
    use ark_poly::EvaluationDomain;
    let (rows, max) = (vk.domain.size(), vk.max_poly_size.max(1));
    if rows < max {
        1
    } else {
        rows / max
    }
}

/// Every evaluation has `chunks` values at each point (kimchi's verifier checks this itself;
/// the oracles, which skip that check, would index out of bounds without it).
pub fn check_evaluation_lengths<F>(e: &Evals<F>, chunks: usize) -> Result<(), Error> {
    for (name, x) in each_evaluation(e) {
        if x.zeta.len() != chunks || x.zeta_omega.len() != chunks {
            return fail!(
                "evals.{name} has {} and {} values at ζ and ζω; this verifier index needs {chunks} at each",
                x.zeta.len(),
                x.zeta_omega.len()
            );
        }
    }
    Ok(())
}

/// Whether the proof has the evaluation of `col` (kimchi's own lookup panics on indexes it
/// never generates; the checks keep a malformed pairing from reaching it).
fn has_evaluation<F>(e: &Evals<F>, col: Column) -> bool {
    let in_range = match col {
        Column::Witness(i) | Column::Coefficient(i) => i < COLUMNS,
        Column::Permutation(i) => i < PERMUTS - 1,
        Column::LookupSorted(i) => i < e.lookup_sorted.len(),
        _ => true,
    };
    in_range && e.get_column(col).is_some()
}

/// The proof has what kimchi's verifier and oracles take from it without checking: every
/// evaluation the verifier index's linearization reads, and a sorted lookup commitment for each
/// lookup of a row.
pub fn check_pair<P: Pasta>(vk: &VerifierIndex<P>, proof: &ProverProof<P>) -> Result<(), Error> {
    let lin = &vk.linearization;
    let tokens = lin.constant_term.iter().chain(lin.index_terms.iter().flat_map(|(_, t)| t.iter()));
    for token in tokens {
        if let PolishToken::Cell(v) = token {
            if !has_evaluation(&proof.evals, v.col) {
                return fail!("the proof has no evaluation of {:?}, which the verifier index needs", v.col);
            }
        }
    }
    if let Some(li) = &vk.lookup_index {
        let needed = li.lookup_info.max_per_row + 1;
        if needed > proof.evals.lookup_sorted.len() {
            return fail!("the verifier index has {needed} sorted lookup columns: kimchi has room for 5");
        }
        if let Some(l) = &proof.commitments.lookup {
            if l.sorted.len() < needed {
                return fail!(
                    "the proof has {} sorted lookup commitments; the verifier index needs {needed}",
                    l.sorted.len()
                );
            }
        }
    }
    Ok(())
}

/// The opening proof fits the SRS it is checked against: kimchi writes `2^rounds` coefficients
/// into a vector of the SRS's size rounded up to a power of two.
pub fn check_opening<P: Pasta>(srs_points: usize, proof: &ProverProof<P>) -> Result<(), Error> {
    if srs_points == 0 {
        return fail!("the SRS has no points");
    }
    let rounds = srs_points.next_power_of_two().trailing_zeros() as usize;
    if proof.proof.lr.len() > rounds {
        return fail!(
            "the opening proof has {} rounds; an SRS of {srs_points} points allows at most {rounds}",
            proof.proof.lr.len()
        );
    }
    Ok(())
}

/// What any proof must satisfy, whatever it is checked against.
pub fn check_proof<P: Pasta>(proof: &ProverProof<P>) -> Result<(), Error> {
    for (i, c) in proof.prev_challenges.iter().enumerate() {
        if c.chals.len() > MAX_IPA_ROUNDS {
            return fail!("previous challenge {i} has {} rounds, at most {MAX_IPA_ROUNDS}", c.chals.len());
        }
    }
    Ok(())
}

/// Rows a witness must have for this circuit, checked before the witness is taken: 15 columns
/// of one length, with room for the public input and for the zero-knowledge rows.
pub fn check_witness<F>(columns: &[Vec<F>], public: usize, rows: usize, zk_rows: usize) -> Result<(), Error> {
    if columns.len() != COLUMNS {
        return fail!("the witness has {} columns, expected {COLUMNS}", columns.len());
    }
    let n = columns.first().map_or(0, Vec::len);
    if let Some((i, c)) = columns.iter().enumerate().find(|(_, c)| c.len() != n) {
        return fail!("witness column {i} has {} rows, column 0 has {n}", c.len());
    }
    if n < public {
        return fail!("the witness has {n} rows, fewer than the circuit's {public} public inputs");
    }
    let room = rows.saturating_sub(zk_rows);
    if n > room {
        return fail!(
            "the witness has {n} rows; this circuit's domain of {rows} rows has room for {room} besides its {zk_rows} zero-knowledge rows"
        );
    }
    Ok(())
}

fn comm_bytes<G>(c: &PolyComm<G>) -> usize {
    c.chunks.capacity() * size_of::<G>()
}

/// Heap bytes of a kimchi proof.
pub fn proof_bytes<P: Pasta>(proof: &ProverProof<P>) -> usize {
    let c = &proof.commitments;
    let mut bytes = c.w_comm.iter().map(comm_bytes).sum::<usize>() + comm_bytes(&c.z_comm) + comm_bytes(&c.t_comm);
    if let Some(l) = &c.lookup {
        bytes += l.sorted.capacity() * size_of::<PolyComm<P::G>>()
            + l.sorted.iter().map(comm_bytes).sum::<usize>()
            + comm_bytes(&l.aggreg)
            + l.runtime.as_ref().map_or(0, comm_bytes);
    }
    bytes += proof.proof.lr.capacity() * size_of::<(P::G, P::G)>();
    bytes += each_evaluation(&proof.evals)
        .iter()
        .map(|(_, x)| (x.zeta.capacity() + x.zeta_omega.capacity()) * size_of::<P::F>())
        .sum::<usize>();
    bytes += proof.prev_challenges.capacity() * size_of::<kimchi::proof::RecursionChallenge<P::G>>();
    bytes += proof
        .prev_challenges
        .iter()
        .map(|r| r.chals.capacity() * size_of::<P::F>() + comm_bytes(&r.comm))
        .sum::<usize>();
    bytes
}

/// What the budget check of proof creation counts for each chunk of the circuit: the commitments,
/// the evaluations and the opening proof of one chunk, rounded up (a proof of one chunk measures
/// 15 to 20 KB).
const PROOF_BYTES_PER_CHUNK: usize = 24 << 10;

macro_rules! proof_family {
    ($f:ident, $P:ty) => {
        paste::paste! {
            pub mod $f {
                use super::*;

                use ark_ec::AffineRepr;
                use ark_ff::One;
                use ark_poly::EvaluationDomain;
                use base64::Engine as _;
                use kimchi::groupmap::GroupMap;
                use kimchi::poly_commitment::commitment::CommitmentCurve;
                use kimchi::poly_commitment::ipa::OpeningProof;
                use kimchi::proof::{LookupCommitments, ProverCommitments, RecursionChallenge};
                use kimchi::verifier::{batch_verify, Context};
                use kimchi_handles::{check_budget, Shared, CallError, Class, ArgPath, DeepSize, Element, FromJs, IntoJs, Owned};
                use wasm_bindgen::JsValue;

                use crate::field::{Field, Fields};
                use crate::pasta::{BaseSponge, Opening, ScalarSponge, ROUNDS};
                use crate::point::ToCurves;

                type F = <$P as Pasta>::F;
                type G = <$P as Pasta>::G;
                type Point = <$P as Pasta>::Point;
                type Comm = <$P as Pasta>::PolyComm;
                type VecVec = crate::vec_vec::$f::WasmVecVec;
                use crate::index::$f::WasmIndex;
                use crate::srs::$f::WasmSrs;
                type VkData = crate::verifier_index::$f::Data;
                type RuntimeTableData = crate::lookup::$f::RuntimeTableData;
                type Kproof = ProverProof<$P>;

                fn points(points: &[Point], what: &str) -> Result<Vec<G>, Error> {
                    ToCurves::<G>::to_curves(points, what)
                }

                fn point(p: &Point, what: &str) -> Result<G, Error> {
                    p.to_curve().map_err(|e| Error(format!("{what}: {e}")))
                }

                fn comm(c: &Comm, what: &str) -> Result<PolyComm<G>, Error> {
                    c.to_kimchi().map_err(|e| Error(format!("{what}: {e}")))
                }

                #[doc = "The opening proof (inner-product argument) of a proof over " $f:upper "."]
                #[derive(Debug, Clone, PartialEq, Eq, kimchi_handles::Shape)]
                #[shape(from_js, keep_names, constructor)]
                pub struct [<Wasm $f:camel OpeningProof>] {
                    /// The L commitment of each round.
                    pub lr_0: Vec<Point>,
                    /// The R commitment of each round.
                    pub lr_1: Vec<Point>,
                    pub delta: Point,
                    pub z1: Field<F>,
                    pub z2: Field<F>,
                    pub sg: Point,
                }

                impl [<Wasm $f:camel OpeningProof>] {
                    pub fn from_kimchi(p: &Opening<$P>) -> Self {
                        Self {
                            lr_0: p.lr.iter().map(|(l, _)| Point::from_curve(l)).collect(),
                            lr_1: p.lr.iter().map(|(_, r)| Point::from_curve(r)).collect(),
                            delta: Point::from_curve(&p.delta),
                            z1: Field(p.z1),
                            z2: Field(p.z2),
                            sg: Point::from_curve(&p.sg),
                        }
                    }

                    pub fn to_kimchi(&self, what: &str) -> Result<Opening<$P>, Error> {
                        if self.lr_0.len() != self.lr_1.len() {
                            let (l, r) = (self.lr_0.len(), self.lr_1.len());
                            return fail!("{what}.lr_0 has {l} points and {what}.lr_1 {r}: they must pair up");
                        }
                        let l = points(&self.lr_0, &format!("{what}.lr_0"))?;
                        let r = points(&self.lr_1, &format!("{what}.lr_1"))?;
                        Ok(OpeningProof {
                            lr: l.into_iter().zip(r).collect(),
                            delta: point(&self.delta, &format!("{what}.delta"))?,
                            z1: self.z1.0,
                            z2: self.z2.0,
                            sg: point(&self.sg, &format!("{what}.sg"))?,
                        })
                    }
                }

                #[doc = "The lookup commitments of a proof over " $f:upper "."]
                #[derive(Debug, Clone, PartialEq, Eq, kimchi_handles::Shape)]
                #[shape(from_js, keep_names, constructor)]
                pub struct [<Wasm $f:camel LookupCommitments>] {
                    pub sorted: Vec<Comm>,
                    pub aggreg: Comm,
                    pub runtime: Option<Comm>,
                }

                impl [<Wasm $f:camel LookupCommitments>] {
                    pub fn from_kimchi(l: &LookupCommitments<G>) -> Self {
                        Self {
                            sorted: l.sorted.iter().map(Comm::from_kimchi).collect(),
                            aggreg: Comm::from_kimchi(&l.aggreg),
                            runtime: l.runtime.as_ref().map(Comm::from_kimchi),
                        }
                    }

                    pub fn to_kimchi(&self, what: &str) -> Result<LookupCommitments<G>, Error> {
                        Ok(LookupCommitments {
                            sorted: Comm::all_to_kimchi(&self.sorted, &format!("{what}.sorted"))?,
                            aggreg: comm(&self.aggreg, &format!("{what}.aggreg"))?,
                            runtime: self.runtime.as_ref().map(|c| comm(c, &format!("{what}.runtime"))).transpose()?,
                        })
                    }
                }

                #[doc = "The commitments of a proof over " $f:upper "."]
                #[derive(Debug, Clone, PartialEq, Eq, kimchi_handles::Shape)]
                #[shape(from_js, keep_names, constructor)]
                pub struct [<Wasm $f:camel ProverCommitments>] {
                    /// 15 commitments, one per witness column.
                    pub w_comm: Vec<Comm>,
                    pub z_comm: Comm,
                    pub t_comm: Comm,
                    pub lookup: Option<[<Wasm $f:camel LookupCommitments>]>,
                }

                impl [<Wasm $f:camel ProverCommitments>] {
                    pub fn from_kimchi(c: &ProverCommitments<G>) -> Self {
                        Self {
                            w_comm: c.w_comm.iter().map(Comm::from_kimchi).collect(),
                            z_comm: Comm::from_kimchi(&c.z_comm),
                            t_comm: Comm::from_kimchi(&c.t_comm),
                            lookup: c.lookup.as_ref().map([<Wasm $f:camel LookupCommitments>]::from_kimchi),
                        }
                    }

                    pub fn to_kimchi(&self, what: &str) -> Result<ProverCommitments<G>, Error> {
                        if self.w_comm.len() != COLUMNS {
                            return fail!("{what}.w_comm has {} commitments, expected {COLUMNS}", self.w_comm.len());
                        }
                        let w = Comm::all_to_kimchi(&self.w_comm, &format!("{what}.w_comm"))?;
                        Ok(ProverCommitments {
                            w_comm: w.try_into().or_else(|_| fail!("{what}.w_comm has the wrong number of commitments"))?,
                            z_comm: comm(&self.z_comm, &format!("{what}.z_comm"))?,
                            t_comm: comm(&self.t_comm, &format!("{what}.t_comm"))?,
                            lookup: self.lookup.as_ref().map(|l| l.to_kimchi(&format!("{what}.lookup"))).transpose()?,
                        })
                    }
                }

                #[doc = "The evaluations of one polynomial of a proof over " $f:upper " at ζ and ζω, one per chunk."]
                #[derive(Debug, Clone, PartialEq, Eq, kimchi_handles::Shape)]
                #[shape(from_js)]
                pub struct [<Wasm $f:camel PointEvaluations>] {
                    pub zeta: Vec<Field<F>>,
                    pub zeta_omega: Vec<Field<F>>,
                }

                pub type Evaluations = [<Wasm $f:camel PointEvaluations>];

                impl Evaluations {
                    pub fn from_kimchi(e: &PointEvaluations<Vec<F>>) -> Self {
                        Self {
                            zeta: e.zeta.iter().copied().map(Field).collect(),
                            zeta_omega: e.zeta_omega.iter().copied().map(Field).collect(),
                        }
                    }

                    pub fn to_kimchi(&self) -> PointEvaluations<Vec<F>> {
                        PointEvaluations {
                            zeta: self.zeta.iter().map(|x| x.0).collect(),
                            zeta_omega: self.zeta_omega.iter().map(|x| x.0).collect(),
                        }
                    }
                }

                /// An element of `lookupSorted`: evaluations, or `null`.
                #[derive(Debug, Clone, PartialEq, Eq)]
                pub struct MaybeEvaluations(pub Option<Evaluations>);

                impl FromJs for MaybeEvaluations {
                    type Abi = JsValue;
                    const KIND: &'static str = kimchi_handles::__private::concatcp!("{\"k\":\"opt\",\"of\":", <Evaluations as FromJs>::KIND, "}");
                    fn from_js(abi: JsValue, arg: &ArgPath<'_>) -> Result<Self, CallError> {
                        Self::from_value(abi, arg)
                    }
                    fn from_value(value: JsValue, arg: &ArgPath<'_>) -> Result<Self, CallError> {
                        if value.is_null() || value.is_undefined() {
                            return Ok(Self(None));
                        }
                        Evaluations::from_value(value, arg).map(|e| Self(Some(e)))
                    }
                }

                impl IntoJs for MaybeEvaluations {
                    type Abi = JsValue;
                    type Ret = Result<JsValue, JsValue>;
                    const KIND: &'static str = <Self as FromJs>::KIND;
                    fn into_js(self) -> Result<JsValue, CallError> {
                        match self.0 {
                            Some(e) => e.into_js(),
                            None => Ok(JsValue::NULL),
                        }
                    }
                    fn ret(result: Result<Self::Abi, CallError>) -> Self::Ret {
                        kimchi_handles::__private::result_return(result)
                    }
                    fn into_value(self) -> Result<JsValue, CallError> {
                        self.into_js()
                    }
                }

                impl Element for MaybeEvaluations {
                    const ARRAY_KIND: &'static str =
                        kimchi_handles::__private::concatcp!("{\"k\":\"array\",\"of\":", <MaybeEvaluations as FromJs>::KIND, "}");
                }

                #[doc = "The evaluations of a proof over " $f:upper " (camelCase, as o1js builds them)."]
                #[derive(Debug, Clone, PartialEq, Eq, kimchi_handles::Shape)]
                #[shape(from_js)]
                pub struct [<Wasm $f:camel ProofEvaluationsObject>] {
                    pub public: Option<Evaluations>,
                    /// 15, one per witness column.
                    pub w: Vec<Evaluations>,
                    pub z: Evaluations,
                    /// 6, one per permutation column but the last.
                    pub s: Vec<Evaluations>,
                    /// 15.
                    pub coefficients: Vec<Evaluations>,
                    pub generic_selector: Evaluations,
                    pub poseidon_selector: Evaluations,
                    pub complete_add_selector: Evaluations,
                    pub mul_selector: Evaluations,
                    pub emul_selector: Evaluations,
                    pub endomul_scalar_selector: Evaluations,
                    pub range_check0_selector: Option<Evaluations>,
                    pub range_check1_selector: Option<Evaluations>,
                    pub foreign_field_add_selector: Option<Evaluations>,
                    pub foreign_field_mul_selector: Option<Evaluations>,
                    pub xor_selector: Option<Evaluations>,
                    pub rot_selector: Option<Evaluations>,
                    pub lookup_aggregation: Option<Evaluations>,
                    pub lookup_table: Option<Evaluations>,
                    /// 5, each evaluations or `null`.
                    pub lookup_sorted: Vec<MaybeEvaluations>,
                    pub runtime_lookup_table: Option<Evaluations>,
                    pub runtime_lookup_table_selector: Option<Evaluations>,
                    pub xor_lookup_selector: Option<Evaluations>,
                    pub lookup_gate_lookup_selector: Option<Evaluations>,
                    pub range_check_lookup_selector: Option<Evaluations>,
                    pub foreign_field_mul_lookup_selector: Option<Evaluations>,
                }

                pub type EvalsData = [<Wasm $f:camel ProofEvaluationsObject>];

                fn fixed<T, const N: usize>(xs: Vec<T>, what: &str) -> Result<[T; N], Error> {
                    let n = xs.len();
                    xs.try_into().or_else(|_| fail!("{what} has {n} evaluations, expected {N}"))
                }

                impl EvalsData {
                    pub fn from_kimchi(e: &Evals<F>) -> Self {
                        let one = Evaluations::from_kimchi;
                        let opt = |x: &Option<PointEvaluations<Vec<F>>>| x.as_ref().map(Evaluations::from_kimchi);
                        Self {
                            public: opt(&e.public),
                            w: e.w.iter().map(one).collect(),
                            z: one(&e.z),
                            s: e.s.iter().map(one).collect(),
                            coefficients: e.coefficients.iter().map(one).collect(),
                            generic_selector: one(&e.generic_selector),
                            poseidon_selector: one(&e.poseidon_selector),
                            complete_add_selector: one(&e.complete_add_selector),
                            mul_selector: one(&e.mul_selector),
                            emul_selector: one(&e.emul_selector),
                            endomul_scalar_selector: one(&e.endomul_scalar_selector),
                            range_check0_selector: opt(&e.range_check0_selector),
                            range_check1_selector: opt(&e.range_check1_selector),
                            foreign_field_add_selector: opt(&e.foreign_field_add_selector),
                            foreign_field_mul_selector: opt(&e.foreign_field_mul_selector),
                            xor_selector: opt(&e.xor_selector),
                            rot_selector: opt(&e.rot_selector),
                            lookup_aggregation: opt(&e.lookup_aggregation),
                            lookup_table: opt(&e.lookup_table),
                            lookup_sorted: e.lookup_sorted.iter().map(|x| MaybeEvaluations(opt(x))).collect(),
                            runtime_lookup_table: opt(&e.runtime_lookup_table),
                            runtime_lookup_table_selector: opt(&e.runtime_lookup_table_selector),
                            xor_lookup_selector: opt(&e.xor_lookup_selector),
                            lookup_gate_lookup_selector: opt(&e.lookup_gate_lookup_selector),
                            range_check_lookup_selector: opt(&e.range_check_lookup_selector),
                            foreign_field_mul_lookup_selector: opt(&e.foreign_field_mul_lookup_selector),
                        }
                    }

                    pub fn to_kimchi(&self, what: &str) -> Result<Evals<F>, Error> {
                        let one = Evaluations::to_kimchi;
                        let opt = |x: &Option<Evaluations>| x.as_ref().map(Evaluations::to_kimchi);
                        let all = |xs: &[Evaluations]| xs.iter().map(Evaluations::to_kimchi).collect::<Vec<_>>();
                        let sorted: Vec<_> = self.lookup_sorted.iter().map(|x| opt(&x.0)).collect();
                        Ok(ProofEvaluations {
                            public: opt(&self.public),
                            w: fixed(all(&self.w), &format!("{what}.w"))?,
                            z: one(&self.z),
                            s: fixed(all(&self.s), &format!("{what}.s"))?,
                            coefficients: fixed(all(&self.coefficients), &format!("{what}.coefficients"))?,
                            generic_selector: one(&self.generic_selector),
                            poseidon_selector: one(&self.poseidon_selector),
                            complete_add_selector: one(&self.complete_add_selector),
                            mul_selector: one(&self.mul_selector),
                            emul_selector: one(&self.emul_selector),
                            endomul_scalar_selector: one(&self.endomul_scalar_selector),
                            range_check0_selector: opt(&self.range_check0_selector),
                            range_check1_selector: opt(&self.range_check1_selector),
                            foreign_field_add_selector: opt(&self.foreign_field_add_selector),
                            foreign_field_mul_selector: opt(&self.foreign_field_mul_selector),
                            xor_selector: opt(&self.xor_selector),
                            rot_selector: opt(&self.rot_selector),
                            lookup_aggregation: opt(&self.lookup_aggregation),
                            lookup_table: opt(&self.lookup_table),
                            lookup_sorted: fixed(sorted, &format!("{what}.lookupSorted"))?,
                            runtime_lookup_table: opt(&self.runtime_lookup_table),
                            runtime_lookup_table_selector: opt(&self.runtime_lookup_table_selector),
                            xor_lookup_selector: opt(&self.xor_lookup_selector),
                            lookup_gate_lookup_selector: opt(&self.lookup_gate_lookup_selector),
                            range_check_lookup_selector: opt(&self.range_check_lookup_selector),
                            foreign_field_mul_lookup_selector: opt(&self.foreign_field_mul_lookup_selector),
                        })
                    }
                }

                #[doc = "A proof over " $f:upper " with its public input."]
                #[kimchi_handles::class]
                pub struct [<Wasm $f:camel ProverProof>] {
                    pub proof: Kproof,
                    pub public: Vec<F>,
                }

                pub type WasmProof = [<Wasm $f:camel ProverProof>];

                impl DeepSize for WasmProof {
                    fn heap_size(&self) -> usize {
                        proof_bytes::<$P>(&self.proof) + self.public.capacity() * size_of::<F>()
                    }
                }

                impl WasmProof {
                    /// A proof from its parts, checked (`new` in JS).
                    #[allow(clippy::too_many_arguments)]
                    pub fn from_parts(
                        commitments: &[<Wasm $f:camel ProverCommitments>],
                        proof: &[<Wasm $f:camel OpeningProof>],
                        evals: &EvalsData,
                        ft_eval1: F,
                        public: Vec<F>,
                        prev_challenges_scalars: Vec<Vec<F>>,
                        prev_challenges_comms: &[Comm],
                    ) -> Result<Self, Error> {
                        if prev_challenges_scalars.len() != prev_challenges_comms.len() {
                            return fail!(
                                "prevChallengesScalars has {} vectors and prevChallengesComms {} commitments: they must pair up",
                                prev_challenges_scalars.len(),
                                prev_challenges_comms.len()
                            );
                        }
                        let comms = Comm::all_to_kimchi(prev_challenges_comms, "prevChallengesComms")?;
                        let proof = Kproof {
                            commitments: commitments.to_kimchi("commitments")?,
                            proof: proof.to_kimchi("proof")?,
                            evals: evals.to_kimchi("evals")?,
                            ft_eval1,
                            prev_challenges: prev_challenges_scalars
                                .into_iter()
                                .zip(comms)
                                .map(|(chals, comm)| RecursionChallenge { chals, comm })
                                .collect(),
                        };
                        check_proof::<$P>(&proof)?;
                        Ok(Self { proof, public })
                    }
                }

                #[kimchi_handles::export]
                impl [<Wasm $f:camel ProverProof>] {
                    /// A proof from its parts (what o1js builds before verifying).
                    #[export(constructor)]
                    pub fn new(
                        commitments: [<Wasm $f:camel ProverCommitments>],
                        proof: [<Wasm $f:camel OpeningProof>],
                        evals: EvalsData,
                        ft_eval1: Field<F>,
                        public_input: Fields<F>,
                        prev_challenges_scalars: &VecVec,
                        prev_challenges_comms: Vec<Comm>,
                    ) -> Result<WasmProof, Error> {
                        let scalars = prev_challenges_scalars.with(|columns| columns.clone());
                        Self::from_parts(&commitments, &proof, &evals, ft_eval1.0, public_input.0, scalars, &prev_challenges_comms)
                            .map_err(|e| Error(format!("new {}: {e}", Self::NAME)))
                    }

                    #[export(getter)]
                    pub fn commitments(&self) -> [<Wasm $f:camel ProverCommitments>] {
                        [<Wasm $f:camel ProverCommitments>]::from_kimchi(&self.proof.commitments)
                    }

                    #[export(getter)]
                    pub fn proof(&self) -> [<Wasm $f:camel OpeningProof>] {
                        [<Wasm $f:camel OpeningProof>]::from_kimchi(&self.proof.proof)
                    }

                    #[export(getter)]
                    pub fn evals(&self) -> EvalsData {
                        EvalsData::from_kimchi(&self.proof.evals)
                    }

                    #[export(getter)]
                    pub fn ft_eval1(&self) -> Field<F> {
                        Field(self.proof.ft_eval1)
                    }

                    /// The public input, flat.
                    #[export(getter)]
                    pub fn public_(&self) -> Fields<F> {
                        Fields(self.public.clone())
                    }

                    /// The challenges of each previous proof, as a new `WasmVecVec` handle.
                    #[export(getter)]
                    pub fn prev_challenges_scalars(&self) -> Result<VecVec, Error> {
                        let prev = &self.proof.prev_challenges;
                        let bytes = prev.len() * size_of::<Vec<F>>() + prev.iter().map(|c| c.chals.len() * size_of::<F>()).sum::<usize>();
                        check_budget(VecVec::NAME, bytes)?;
                        Ok(VecVec::from_columns(prev.iter().map(|c| c.chals.clone()).collect()))
                    }

                    #[export(getter)]
                    pub fn prev_challenges_comms(&self) -> Vec<Comm> {
                        self.proof.prev_challenges.iter().map(|c| Comm::from_kimchi(&c.comm)).collect()
                    }

                    /// Base64 of the proof's MessagePack encoding, without the public input (what
                    /// stock kimchi-wasm writes).
                    pub fn serialize(&self) -> Result<String, Error> {
                        let bytes = rmp_serde::to_vec(&self.proof).or_else(|e| fail!("{}.serialize: {e}", Self::NAME))?;
                        Ok(base64::engine::general_purpose::STANDARD.encode(bytes))
                    }

                    /// A proof from the MessagePack bytes `serialize` encodes (decoded from base64 by
                    /// the caller), with an empty public input.
                    pub fn deserialize(bytes: &[u8]) -> Result<WasmProof, Error> {
                        // Decoded points take a little over twice their encoded bytes.
                        check_budget(Self::NAME, bytes.len().saturating_mul(3))?;
                        let proof: Kproof = rmp_serde::from_slice(bytes)
                            .or_else(|e| fail!("{}.deserialize: malformed proof bytes: {e}", Self::NAME))?;
                        check_proof::<$P>(&proof).map_err(|e| Error(format!("{}.deserialize: {e}", Self::NAME)))?;
                        Ok(WasmProof { proof, public: Vec::new() })
                    }
                }

                /// The recursion challenges from a flat vector of challenges and one commitment
                /// per previous proof: the challenges split evenly over the commitments.
                pub fn recursion_challenges(chals: &[F], sgs: &[Point]) -> Result<Vec<RecursionChallenge<G>>, Error> {
                    if chals.is_empty() && sgs.is_empty() {
                        return Ok(Vec::new());
                    }
                    if chals.is_empty() || sgs.is_empty() || chals.len() % sgs.len() != 0 {
                        let (n, k) = (chals.len(), sgs.len());
                        return fail!("prevChallenges has {n} challenges, which do not split evenly over the {k} points of prevSgs");
                    }
                    let rounds = chals.len() / sgs.len();
                    if rounds > MAX_IPA_ROUNDS {
                        return fail!("prevChallenges has {rounds} challenges per previous proof, at most {MAX_IPA_ROUNDS}");
                    }
                    let sgs = points(sgs, "prevSgs")?;
                    Ok(sgs
                        .into_iter()
                        .zip(chals.chunks(rounds))
                        .map(|(sg, c)| RecursionChallenge { chals: c.to_vec(), comm: PolyComm { chunks: vec![sg] } })
                        .collect())
                }

                /// Creates a proof. The witness is moved in, but only once the proof exists: a call
                /// that fails (a refused argument, the budget, the prover's own error, a panic or an
                /// out-of-memory in the unwinding build) leaves it with the caller, since the prover
                /// works on a copy.
                #[kimchi_handles::export]
                pub fn [<caml_pasta_ $f _plonk_proof_create>](
                    index: Shared<WasmIndex>,
                    witness: Owned<VecVec>,
                    runtime_tables: Vec<RuntimeTableData>,
                    prev_challenges: Fields<F>,
                    prev_sgs: Vec<Point>,
                ) -> Result<WasmProof, Error> {
                    const FN: &str = concat!("caml_pasta_", stringify!($f), "_plonk_proof_create");
                    let prover = &*index.index;
                    let prev = recursion_challenges(&prev_challenges.0, &prev_sgs).map_err(within(FN))?;
                    let d1 = prover.cs.domain.d1;
                    witness
                        .borrow()?
                        .with(|columns| check_witness(columns, prover.cs.public, d1.size(), prover.cs.zk_rows as usize))
                        .map_err(within(FN))?;
                    let tables = crate::lookup::$f::runtime_tables_to_kimchi(runtime_tables);
                    // The prover needs the Lagrange basis of its domain: its bytes go to the SRS's
                    // handle, or to the index's own when no handle holds its SRS.
                    match &index.srs {
                        Some(srs) => crate::srs::ensure_basis(&prover.srs, d1.size(), srs),
                        None => crate::srs::ensure_basis(&prover.srs, d1.size(), &index),
                    }
                    .map_err(within(FN))?;
                    // The proof must fit the memory budget before the witness is taken, so a refused
                    // call leaves the witness with the caller. A proof is some kilobytes per chunk.
                    let chunks = d1.size().div_ceil(prover.max_poly_size.max(1));
                    check_budget(WasmProof::NAME, chunks * PROOF_BYTES_PER_CHUNK + prover.cs.public * size_of::<F>())?;
                    // kimchi consumes the columns it is given; the caller's stay whole until the end.
                    let columns = witness.borrow()?.with(|columns| columns.clone());
                    // Checked again: another thread may have changed it between the check and the copy.
                    check_witness(&columns, prover.cs.public, d1.size(), prover.cs.zk_rows as usize).map_err(within(FN))?;
                    let columns: [Vec<F>; COLUMNS] = columns.try_into().or_else(|_| fail!("{FN}: the witness does not have 15 columns"))?;
                    let public = columns[0].get(..prover.cs.public).map(<[F]>::to_vec).unwrap_or_default();
                    let group_map = <G as CommitmentCurve>::Map::setup();
                    let proof = Kproof::create_recursive::<BaseSponge<$P>, ScalarSponge<$P>, _>(
                        &group_map,
                        columns,
                        &tables,
                        prover,
                        prev,
                        None,
                        &mut rand::rngs::OsRng,
                    )
                    .or_else(|e| fail!("{FN}: {e}"))?;
                    // The witness is spent. Should another handle share it by now (another thread),
                    // it stays live for that handle.
                    drop(witness.take());
                    Ok(WasmProof { proof, public })
                }

                /// Verifies proofs against their verifier indexes in one batch. Pairings that
                /// kimchi would index out of bounds on are not valid proofs: `false`.
                pub fn verify_batch(vks: &[(VerifierIndex<$P>, &Shared<WasmSrs>)], proofs: &[&WasmProof]) -> Result<bool, Error> {
                    let Some((first, _)) = vks.first() else {
                        return Ok(vks.len() == proofs.len());
                    };
                    if vks.len() != proofs.len() {
                        return Ok(false);
                    }
                    for (i, (vk, _)) in vks.iter().enumerate() {
                        if vk.srs.g.is_empty() {
                            return fail!("verifier index {i}: its SRS has no points");
                        }
                    }
                    for ((vk, _), proof) in vks.iter().zip(proofs) {
                        if check_pair::<$P>(vk, &proof.proof).is_err() || check_opening::<$P>(first.srs.g.len(), &proof.proof).is_err() {
                            return Ok(false);
                        }
                    }
                    // Verifying needs the Lagrange basis of each domain on its SRS.
                    for (vk, srs) in vks {
                        crate::srs::ensure_basis(&vk.srs, vk.domain.size(), srs)?;
                    }
                    let contexts: Vec<Context<ROUNDS, G, Opening<$P>, crate::pasta::Srs<$P>>> = vks
                        .iter()
                        .zip(proofs)
                        .map(|((vk, _), p)| Context { verifier_index: vk, proof: &p.proof, public_input: &p.public })
                        .collect();
                    let group_map = <G as CommitmentCurve>::Map::setup();
                    Ok(batch_verify::<ROUNDS, G, BaseSponge<$P>, ScalarSponge<$P>, Opening<$P>>(&group_map, &contexts).is_ok())
                }

                /// Whether `proof` is valid for `index`.
                #[kimchi_handles::export]
                pub fn [<caml_pasta_ $f _plonk_proof_verify>](index: VkData, proof: &WasmProof) -> Result<bool, Error> {
                    const FN: &str = concat!("caml_pasta_", stringify!($f), "_plonk_proof_verify");
                    let vk = index.to_kimchi("index").map_err(within(FN))?;
                    verify_batch(&[(vk, &index.srs)], &[proof]).map_err(within(FN))
                }

                /// Whether every proof is valid for the verifier index at its position (`false`
                /// when the lengths differ; `true` for none).
                #[kimchi_handles::export]
                pub fn [<caml_pasta_ $f _plonk_proof_batch_verify>](
                    indexes: Vec<VkData>,
                    proofs: Vec<Shared<WasmProof>>,
                ) -> Result<bool, Error> {
                    const FN: &str = concat!("caml_pasta_", stringify!($f), "_plonk_proof_batch_verify");
                    if indexes.len() != proofs.len() {
                        return Ok(false);
                    }
                    let vks = indexes
                        .iter()
                        .enumerate()
                        .map(|(i, d)| d.to_kimchi(&format!("indexes[{i}]")).map(|vk| (vk, &d.srs)))
                        .collect::<Result<Vec<_>, Error>>()
                        .map_err(within(FN))?;
                    let proofs: Vec<&WasmProof> = proofs.iter().map(|p| &**p).collect();
                    verify_batch(&vks, &proofs).map_err(within(FN))
                }

                /// A placeholder proof (every point the generator, every scalar 1): what stock
                /// returns, for code that needs a value of the type.
                #[kimchi_handles::export]
                pub fn [<caml_pasta_ $f _plonk_proof_dummy>]() -> WasmProof {
                    let g = G::generator();
                    let one = F::one();
                    let comm = || PolyComm { chunks: vec![g, g, g] };
                    let eval = || PointEvaluations { zeta: vec![one], zeta_omega: vec![one] };
                    let evals = ProofEvaluations {
                        public: None,
                        w: std::array::from_fn(|_| eval()),
                        z: eval(),
                        s: std::array::from_fn(|_| eval()),
                        coefficients: std::array::from_fn(|_| eval()),
                        generic_selector: eval(),
                        poseidon_selector: eval(),
                        complete_add_selector: eval(),
                        mul_selector: eval(),
                        emul_selector: eval(),
                        endomul_scalar_selector: eval(),
                        range_check0_selector: None,
                        range_check1_selector: None,
                        foreign_field_add_selector: None,
                        foreign_field_mul_selector: None,
                        xor_selector: None,
                        rot_selector: None,
                        lookup_aggregation: None,
                        lookup_table: None,
                        lookup_sorted: std::array::from_fn(|_| None),
                        runtime_lookup_table: None,
                        runtime_lookup_table_selector: None,
                        xor_lookup_selector: None,
                        lookup_gate_lookup_selector: None,
                        range_check_lookup_selector: None,
                        foreign_field_mul_lookup_selector: None,
                    };
                    let prev = RecursionChallenge { chals: vec![one, one], comm: comm() };
                    WasmProof {
                        proof: Kproof {
                            commitments: ProverCommitments {
                                w_comm: std::array::from_fn(|_| comm()),
                                z_comm: comm(),
                                t_comm: comm(),
                                lookup: None,
                            },
                            proof: OpeningProof { lr: vec![(g, g); 3], delta: g, z1: one, z2: one, sg: g },
                            evals,
                            ft_eval1: one,
                            prev_challenges: vec![prev; 3],
                        },
                        public: vec![one, one],
                    }
                }

                /// A new proof handle with a copy of `x`.
                #[kimchi_handles::export]
                pub fn [<caml_pasta_ $f _plonk_proof_deep_copy>](x: &WasmProof) -> Result<WasmProof, Error> {
                    check_budget(WasmProof::NAME, x.deep_size())?;
                    Ok(WasmProof { proof: x.proof.clone(), public: x.public.clone() })
                }
            }
        }
    };
}

proof_family!(fp, crate::pasta::Fp);
proof_family!(fq, crate::pasta::Fq);

pub use fp::WasmFpProverProof;
pub use fq::WasmFqProverProof;
