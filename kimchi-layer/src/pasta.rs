//! The kimchi values and their JS classes, written once and stamped out for both Pasta fields:
//! `fp` (scalar field Fp, proofs over Vesta; classes `WasmFp*`, `WasmPastaFp*`) and `fq` (Fq over
//! Pallas; `WasmFq*`, `WasmPastaFq*`). A macro rather than generics because wasm-bindgen exports
//! only concrete types, as kimchi-wasm does the same way.
//!
//! Every input from JS is validated before kimchi sees it: kimchi panics on some bad input (witness
//! longer than the domain, gate wires out of range, proofs of the wrong shape), and a panic in WASM
//! aborts the instance.

macro_rules! pasta_field {
    (
        module $m:ident, field $F:ty, curve $G:ty, curve_params $P:ty,
        srs $Srs:ident, index $Index:ident, proof $Proof:ident, witness $Witness:ident,
        poly_comm $Comm:ident, poly_comm_vector $CommVector:ident $(,)?
    ) => {
        pub mod $m {
            use std::cell::RefCell;
            use std::collections::BTreeMap;
            use std::mem::size_of;
            use std::sync::Arc;

            use ark_ff::One;
            use base64::Engine as _;
            use ark_poly::{EvaluationDomain, Radix2EvaluationDomain};
            use js_sys::Uint8Array;
            use kimchi::circuits::constraints::ConstraintSystem;
            use kimchi::circuits::gate::{CircuitGate, GateType};
            use kimchi::circuits::wires::{COLUMNS, PERMUTS};
            use kimchi::curve::KimchiCurve;
            use kimchi::groupmap::GroupMap;
            use kimchi::mina_poseidon::constants::PlonkSpongeConstantsKimchi;
            use kimchi::mina_poseidon::pasta::FULL_ROUNDS;
            use kimchi::mina_poseidon::sponge::{DefaultFqSponge, DefaultFrSponge};
            use kimchi::poly_commitment::commitment::{CommitmentCurve, PolyComm};
            use kimchi::poly_commitment::ipa::{OpeningProof, SRS};
            use kimchi::poly_commitment::SRS as _;
            use kimchi::proof::ProverProof;
            use kimchi::prover_index::ProverIndex;
            use kimchi_handles::{handle_class, Borrowed, DeepSize};
            use serde::{Deserialize, Serialize};
            use wasm_bindgen::prelude::*;

            use crate::circuit;
            use crate::encoding::{self, FIELD_BYTES};
            use crate::error::{fail, Error};

            pub type Field = $F;
            pub type Curve = $G;
            type BaseSponge = DefaultFqSponge<$P, PlonkSpongeConstantsKimchi, FULL_ROUNDS>;
            type ScalarSponge = DefaultFrSponge<$F, PlonkSpongeConstantsKimchi, FULL_ROUNDS>;
            pub type Srs = SRS<$G>;
            pub type Index = ProverIndex<FULL_ROUNDS, $G, Srs>;
            pub type Proof = ProverProof<$G, OpeningProof<$G, FULL_ROUNDS>, FULL_ROUNDS>;
            pub type Comm = PolyComm<$G>;

            /// Largest SRS this layer creates (2^16 points; the benchmark uses at most 2^14).
            pub const MAX_SRS_DEPTH: usize = 1 << 16;

            /// Field elements per domain row that a prover index's evaluations take at least: 7
            /// permutation and 15 coefficient columns and 4 selectors over the d8 domain, 2
            /// selectors over d4. Used to refuse an index over the memory budget before building it.
            const INDEX_ELEMENTS_PER_ROW: usize = (7 + 15 + 4) * 8 + 2 * 4;

            /// Nesting a stored index may have (a real one has about 10).
            const MAX_INDEX_NESTING: usize = 32;

            /// Bytes of one SRS point in MessagePack (33 compressed, 2 of framing): the budget
            /// check of `SrsValue::deserialize` counts points before decoding them.
            const ENCODED_POINT_BYTES: usize = 35;

            /// The memory budget's answer for `bytes` more of `class`, as this layer's error.
            fn check_budget(class: &'static str, bytes: usize) -> Result<(), Error> {
                kimchi_handles::ledger::check_budget(class, bytes).map_err(|e| Error(e.to_string()))
            }

            fn comm_heap(comm: &Comm) -> usize {
                comm.chunks.capacity() * size_of::<$G>()
            }

            fn domain(size: usize) -> Result<Radix2EvaluationDomain<$F>, Error> {
                if size < 2 || !size.is_power_of_two() {
                    return fail!("domain size {size} is not a power of two of at least 2");
                }
                match Radix2EvaluationDomain::<$F>::new(size) {
                    Some(d) if d.size() == size => Ok(d),
                    _ => fail!("no evaluation domain of size {size} in this field"),
                }
            }

            // ---- SRS ----------------------------------------------------------------------------

            /// An SRS, shared (by `Arc`) with every prover index made from it. Lagrange bases are
            /// computed inside kimchi's cache; their bytes are recorded here as they are computed,
            /// so the ledger can re-measure the SRS honestly.
            pub struct SrsValue {
                pub srs: Arc<Srs>,
                lagrange_bytes: RefCell<BTreeMap<usize, usize>>,
            }

            impl SrsValue {
                /// `depth` points; any size in range (kimchi pads the opening proof to the next power
                /// of two). Refused before computing if the memory budget has no room for it.
                pub fn create(depth: usize) -> Result<Self, Error> {
                    if !(2..=MAX_SRS_DEPTH).contains(&depth) {
                        return fail!("SRS depth {depth} is out of range 2..={MAX_SRS_DEPTH}");
                    }
                    check_budget(<$Srs>::CLASS, depth * size_of::<$G>())?;
                    Ok(Self::wrap(Srs::create(depth)))
                }

                fn wrap(srs: Srs) -> Self {
                    Self { srs: Arc::new(srs), lagrange_bytes: RefCell::default() }
                }

                pub fn size(&self) -> usize {
                    self.srs.size()
                }

                /// Commitments to the Lagrange basis of a domain, computed once and then cached in
                /// the SRS (and counted in its bytes).
                fn lagrange_basis(&self, domain_size: usize) -> Result<impl std::ops::Deref<Target = Vec<Comm>> + '_, Error> {
                    if domain_size > self.size() {
                        return fail!("domain size {domain_size} is larger than the SRS ({})", self.size());
                    }
                    let basis = self.srs.get_lagrange_basis(domain(domain_size)?);
                    let bytes = basis.capacity() * size_of::<Comm>() + basis.iter().map(comm_heap).sum::<usize>();
                    self.lagrange_bytes.borrow_mut().insert(domain_size, bytes);
                    Ok(basis)
                }

                /// A copy of the Lagrange commitments of a domain.
                pub fn lagrange_commitments(&self, domain_size: usize) -> Result<Vec<Comm>, Error> {
                    self.lagrange_basis(domain_size).map(|basis| basis.to_vec())
                }

                pub fn serialize(&self) -> Result<Vec<u8>, Error> {
                    rmp_serde::to_vec(&*self.srs).or_else(|e| fail!("could not serialize the SRS: {e}"))
                }

                /// Refused before decoding if the budget has no room for the points (each takes
                /// more than twice as much memory decoded as encoded).
                pub fn deserialize(bytes: &[u8]) -> Result<Self, Error> {
                    check_budget(<$Srs>::CLASS, bytes.len() / ENCODED_POINT_BYTES * size_of::<$G>())?;
                    let srs: Srs = rmp_serde::from_slice(bytes).or_else(|e| fail!("malformed SRS bytes: {e}"))?;
                    if !(2..=MAX_SRS_DEPTH).contains(&srs.g.len()) {
                        return fail!("SRS of {} points is out of range 2..={MAX_SRS_DEPTH}", srs.g.len());
                    }
                    Ok(Self::wrap(srs))
                }
            }

            impl DeepSize for SrsValue {
                fn heap_size(&self) -> usize {
                    size_of::<Srs>()
                        + self.srs.g.capacity() * size_of::<$G>()
                        + self.lagrange_bytes.borrow().values().sum::<usize>()
                }
            }

            // ---- prover index -------------------------------------------------------------------

            /// What keeps an index's SRS alive: kimchi's index holds it by `Arc`, and the ledger must
            /// keep counting its bytes for as long as that lasts.
            pub enum SrsHolder {
                /// Native use: the caller keeps the `SrsValue`.
                Caller,
                /// The value of an SRS handle. Its bytes stay in the ledger, under the SRS class,
                /// until this index ends, even if the SRS handle is disposed first.
                Handle(Borrowed<SrsValue>),
                /// The SRS that came inside serialized index bytes, counted in this index's bytes.
                Embedded(SrsValue),
            }

            /// A prover index with its verifier index computed once at setup (kimchi would
            /// otherwise rebuild it for every proof).
            pub struct IndexValue {
                pub index: Index,
                srs: SrsHolder,
            }

            /// kimchi-wasm's serialized index: MessagePack of the prover index and of its SRS.
            #[derive(Serialize, Deserialize)]
            struct IndexBytes {
                prover_index: Vec<u8>,
                srs: Vec<u8>,
            }

            /// What loading reads of a serialized `ProverIndex`: the fields the rebuild needs, in
            /// kimchi's order, everything else skipped unread. Decoding all of it would be unsafe:
            /// ark-serialize allocates a vector with the length the bytes state, so one changed
            /// length in the evaluations panics (capacity overflow) before any check can run.
            #[serde_with::serde_as]
            #[derive(Deserialize)]
            #[allow(dead_code)] // the skipped fields only hold their places in kimchi's order
            struct StoredIndex {
                cs: StoredConstraints,
                max_poly_size: usize,
                column_evaluations: serde::de::IgnoredAny,
                #[serde_as(as = "Option<kimchi::o1_utils::serialization::SerdeAs>")]
                verifier_index_digest: Option<<$G as ark_ec::AffineRepr>::BaseField>,
            }

            /// The stored gates, refused once there are more than the largest domain this layer
            /// builds (so at most 2^16 gates, some 26 MB, are ever decoded from bytes).
            struct StoredGates(Vec<CircuitGate<$F>>);

            impl<'de> Deserialize<'de> for StoredGates {
                fn deserialize<D: serde::Deserializer<'de>>(decoder: D) -> Result<Self, D::Error> {
                    struct Gates;
                    impl<'de> serde::de::Visitor<'de> for Gates {
                        type Value = StoredGates;
                        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                            write!(f, "at most {MAX_SRS_DEPTH} gates")
                        }
                        fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<StoredGates, A::Error> {
                            let mut gates = Vec::new();
                            while let Some(gate) = seq.next_element()? {
                                if gates.len() == MAX_SRS_DEPTH {
                                    return Err(serde::de::Error::custom(format!("more than {MAX_SRS_DEPTH} gates")));
                                }
                                gates.push(gate);
                            }
                            Ok(StoredGates(gates))
                        }
                    }
                    decoder.deserialize_seq(Gates)
                }
            }

            /// The serialized fields of kimchi's `ConstraintSystem`, in its order.
            #[derive(Deserialize)]
            #[allow(dead_code)]
            struct StoredConstraints {
                public: usize,
                prev_challenges: usize,
                domain: kimchi::circuits::domains::EvaluationDomains<$F>,
                gates: StoredGates,
                zk_rows: u64,
                feature_flags: serde::de::IgnoredAny,
                sid: serde::de::IgnoredAny,
                shift: serde::de::IgnoredAny,
                endo: serde::de::IgnoredAny,
                lookup_constraint_system: serde::de::IgnoredAny,
                disable_gates_checks: serde::de::IgnoredAny,
            }

            /// Checks what kimchi's constraint-system builder would otherwise panic on.
            fn validate_gates(gates: &[CircuitGate<$F>], public: usize) -> Result<(), Error> {
                // kimchi asserts more than one gate.
                if gates.len() < 2 {
                    return fail!("a circuit needs at least 2 gates, got {}", gates.len());
                }
                if public > gates.len() {
                    return fail!("{public} public inputs but only {} gates", gates.len());
                }
                for (row, gate) in gates.iter().enumerate() {
                    match gate.typ {
                        GateType::Zero => {}
                        GateType::Generic if gate.coeffs.len() == 10 => {}
                        GateType::Generic => {
                            return fail!("gate {row}: a generic gate has 10 coefficients, not {}", gate.coeffs.len())
                        }
                        other => {
                            return fail!(
                                "gate {row}: {other:?} gates are not supported by this layer (generic gates only)"
                            )
                        }
                    }
                    for wire in gate.wires.iter() {
                        if wire.row >= gates.len() || wire.col >= PERMUTS {
                            return fail!("gate {row}: wire to row {} column {} is out of range", wire.row, wire.col);
                        }
                    }
                }
                Ok(())
            }

            impl IndexValue {
                /// Builds the index of `gates` over `srs`. Refused before building if the memory
                /// budget has no room for its evaluations.
                pub fn create(gates: Vec<CircuitGate<$F>>, public: usize, srs: &SrsValue) -> Result<Self, Error> {
                    Self::build(gates, public, srs, 0)
                }

                /// `create`, with `held` bytes not yet in the ledger that the index will keep (an
                /// SRS that came inside index bytes) counted in the budget check.
                fn build(gates: Vec<CircuitGate<$F>>, public: usize, srs: &SrsValue, held: usize) -> Result<Self, Error> {
                    validate_gates(&gates, public)?;
                    // kimchi's domain for a circuit that fits one chunk; a larger one is refused
                    // below anyway, so refuse it before kimchi builds it.
                    let rows = (gates.len() + circuit::ZK_ROWS).next_power_of_two();
                    if rows > srs.size() {
                        return fail!("domain size {rows} is larger than the SRS ({})", srs.size());
                    }
                    let bytes = rows.checked_mul(INDEX_ELEMENTS_PER_ROW * size_of::<$F>()).and_then(|b| b.checked_add(held));
                    check_budget(<$Index>::CLASS, bytes.unwrap_or(usize::MAX))?;
                    let cs = ConstraintSystem::<$F>::create(gates)
                        .public(public)
                        .build()
                        .or_else(|e| fail!("invalid circuit: {e:?}"))?;
                    srs.lagrange_basis(cs.domain.d1.size())?; // checks the size; kimchi needs the basis
                    let endo = *<$G as KimchiCurve<FULL_ROUNDS>>::other_curve_endo();
                    let mut index = Index::create(cs, endo, Arc::clone(&srs.srs), false);
                    index.compute_verifier_index_digest::<BaseSponge>();
                    Ok(Self { index, srs: SrsHolder::Caller })
                }

                /// The square circuit (`x * x = y`, `y` public) on a domain of `2^log2` rows.
                pub fn square(srs: &SrsValue, log2: u32) -> Result<Self, Error> {
                    Self::create(circuit::square_gates::<$F>(log2).or_else(|e| fail!("{e}"))?, 1, srs)
                }

                /// Keeps the SRS handle's value (the one this index was made from) alive and
                /// counted for as long as this index lives.
                pub fn holding(mut self, srs: Borrowed<SrsValue>) -> Self {
                    debug_assert!(Arc::ptr_eq(&srs.srs, &self.index.srs));
                    self.srs = SrsHolder::Handle(srs);
                    self
                }

                pub fn domain_size(&self) -> usize {
                    self.index.cs.domain.d1.size()
                }

                pub fn public_count(&self) -> usize {
                    self.index.cs.public
                }

                /// Rows of a witness for this index: the domain less kimchi's zero-knowledge rows
                /// (kimchi pads the gates to the whole domain; a witness must leave those rows).
                pub fn witness_rows(&self) -> usize {
                    self.domain_size().saturating_sub(self.index.cs.zk_rows as usize)
                }

                /// kimchi-wasm's format: the prover index and its SRS, so the bytes stand alone.
                pub fn serialize(&self) -> Result<Vec<u8>, Error> {
                    let prover_index =
                        rmp_serde::to_vec(&self.index).or_else(|e| fail!("could not serialize the index: {e}"))?;
                    let srs = rmp_serde::to_vec(&*self.index.srs).or_else(|e| fail!("could not serialize the SRS: {e}"))?;
                    rmp_serde::to_vec(&IndexBytes { prover_index, srs })
                        .or_else(|e| fail!("could not serialize the index: {e}"))
                }

                /// Reads bytes written by `serialize` (or by kimchi-wasm), over `srs` if given, else
                /// over the SRS inside the bytes.
                ///
                /// Only the gates and the public input count are read from the stored index (see
                /// `StoredIndex`): the index is rebuilt from them, then must match the stored
                /// domain and verifier-index digest. kimchi trusts its derived data (evaluations,
                /// `sid`, feature flags, domains) and panics, which aborts the WASM instance, when
                /// they disagree; checking all of it would cost as much as rebuilding.
                pub fn deserialize(bytes: &[u8], srs: Option<&SrsValue>) -> Result<Self, Error> {
                    let malformed = |e: rmp_serde::decode::Error| Error(format!("malformed prover index bytes: {e}"));
                    let IndexBytes { prover_index, srs: srs_bytes } = rmp_serde::from_slice(bytes).map_err(malformed)?;
                    let mut decoder = rmp_serde::Deserializer::from_read_ref(&prover_index);
                    // Skipped fields accept any nesting, up to rmp-serde's default of 1024 levels,
                    // each a few WASM frames deep: that could overflow the stack, which unwinds
                    // through WASM without running destructors. A real index nests about 10.
                    decoder.set_max_depth(MAX_INDEX_NESTING);
                    let stored = StoredIndex::deserialize(&mut decoder).map_err(malformed)?;
                    drop(prover_index);
                    match srs {
                        Some(srs) => Self::rebuild(stored, srs, 0),
                        None => {
                            let srs = SrsValue::deserialize(&srs_bytes)?;
                            let mut value = Self::rebuild(stored, &srs, srs.deep_size())?;
                            value.srs = SrsHolder::Embedded(srs);
                            Ok(value)
                        }
                    }
                }

                fn rebuild(stored: StoredIndex, srs: &SrsValue, held: usize) -> Result<Self, Error> {
                    let cs = stored.cs;
                    if cs.prev_challenges != 0 {
                        return fail!("prover indexes with recursion are not supported by this layer");
                    }
                    if stored.max_poly_size != srs.size() {
                        return fail!(
                            "the prover index was made for an SRS of {} points; this SRS has {}",
                            stored.max_poly_size,
                            srs.size()
                        );
                    }
                    // kimchi and kimchi-wasm always store it; it is what proves the rebuild right.
                    let Some(digest) = stored.verifier_index_digest else {
                        return fail!("prover index bytes without a verifier-index digest");
                    };
                    // As stored, in 64 bits: ark's `size()` unwraps a conversion to usize, which
                    // panics on wasm32 for a size of 2^32 or more.
                    let (d1, zk_rows) = (cs.domain.d1.size, cs.zk_rows);
                    if cs.gates.0.len() as u64 != d1 || zk_rows >= d1 {
                        return fail!("prover index bytes are inconsistent: {} gates, domain {d1}", cs.gates.0.len());
                    }
                    // kimchi padded the circuit to the domain; rebuilding from all but the
                    // zero-knowledge rows gives the same gates and the same domain.
                    let StoredGates(mut gates) = cs.gates;
                    gates.truncate((d1 - zk_rows) as usize);
                    let rebuilt = Self::build(gates, cs.public, srs, held)?;
                    if rebuilt.domain_size() as u64 != d1
                        || rebuilt.index.cs.zk_rows != zk_rows
                        || rebuilt.index.verifier_index_digest != Some(digest)
                    {
                        return fail!(
                            "prover index bytes do not rebuild to the index they describe (corrupted, or made for another SRS)"
                        );
                    }
                    Ok(rebuilt)
                }

                /// Checks a witness against this index the way kimchi's prover assumes it is right.
                fn validate_witness(&self, witness: &[Vec<$F>; COLUMNS]) -> Result<(), Error> {
                    let rows = self.witness_rows();
                    for (col, column) in witness.iter().enumerate() {
                        if column.len() != rows {
                            return fail!("witness column {col} has {} rows; this index needs {rows}", column.len());
                        }
                    }
                    if rows < self.public_count() {
                        return fail!("the index has more public inputs than witness rows");
                    }
                    let public: Vec<$F> = witness[0].iter().take(self.public_count()).copied().collect();
                    self.index
                        .verify(witness, &public)
                        .or_else(|e| fail!("the witness does not satisfy the circuit: {e:?}"))
                }
            }

            impl DeepSize for IndexValue {
                /// The constraint system, its evaluations and precomputations, the verifier index,
                /// and an SRS that came inside the index bytes; not an SRS with its own handle.
                fn heap_size(&self) -> usize {
                    let cs = &self.index.cs;
                    let field = size_of::<$F>();
                    let e = |e: &ark_poly::Evaluations<$F, Radix2EvaluationDomain<$F>>| e.evals.capacity() * field;
                    let gates = cs.gates.capacity() * size_of::<CircuitGate<$F>>()
                        + cs.gates.iter().map(|g| g.coeffs.capacity() * field).sum::<usize>();
                    // The evaluations kimchi precomputes (d4 and d8 domains), measured. `get` cannot
                    // fail here: every index is built by `create`, which is not lazy.
                    let evaluations = {
                        let c = self.index.column_evaluations.get();
                        let optional = [
                            &c.range_check0_selector8,
                            &c.range_check1_selector8,
                            &c.foreign_field_add_selector8,
                            &c.foreign_field_mul_selector8,
                            &c.xor_selector8,
                            &c.rot_selector8,
                        ];
                        c.permutation_coefficients8.iter().map(e).sum::<usize>()
                            + c.coefficients8.iter().map(e).sum::<usize>()
                            + [
                                &c.generic_selector4,
                                &c.poseidon_selector8,
                                &c.complete_add_selector4,
                                &c.mul_selector8,
                                &c.emul_selector8,
                                &c.endomul_scalar_selector8,
                            ]
                            .into_iter()
                            .map(e)
                            .sum::<usize>()
                            + optional.into_iter().flatten().map(e).sum::<usize>()
                    };
                    let precomputations = {
                        let p = cs.precomputations();
                        [
                            &p.poly_x_d1,
                            &p.constant_1_d4,
                            &p.constant_1_d8,
                            &p.vanishes_on_zero_knowledge_and_previous_rows,
                            &p.permutation_vanishing_polynomial_l,
                        ]
                        .into_iter()
                        .map(e)
                        .sum::<usize>()
                            + p.permutation_vanishing_polynomial_m.coeffs.capacity() * field
                    };
                    let polynomials = cs.sid.capacity() * field;
                    let verifier = self.index.verifier_index.as_ref().map_or(0, |v| {
                        (v.sigma_comm.len() + v.coefficients_comm.len() + 6) * (size_of::<Comm>() + size_of::<$G>())
                    });
                    let embedded_srs = match &self.srs {
                        SrsHolder::Embedded(srs) => srs.deep_size(),
                        SrsHolder::Caller | SrsHolder::Handle(_) => 0,
                    };
                    size_of::<ConstraintSystem<$F>>()
                        + gates
                        + evaluations
                        + precomputations
                        + polynomials
                        + verifier
                        + embedded_srs
                }
            }

            // ---- witness ------------------------------------------------------------------------

            /// Witness columns, moved into proof creation (as kimchi-wasm moves its witness).
            pub struct WitnessValue(pub [Vec<$F>; COLUMNS]);

            impl WitnessValue {
                pub fn square(x: u64, rows: usize) -> Self {
                    Self(circuit::square_witness(<$F>::from(x), rows).0)
                }

                pub fn from_bytes(rows: usize, bytes: &[u8]) -> Result<Self, Error> {
                    // Checked: on wasm32 a large `rows` would wrap to a small size.
                    let expected = COLUMNS.checked_mul(rows).and_then(|n| n.checked_mul(FIELD_BYTES));
                    if expected != Some(bytes.len()) {
                        return fail!(
                            "a witness of {COLUMNS} columns x {rows} rows does not take {} bytes",
                            bytes.len()
                        );
                    }
                    let values = encoding::read_fields::<$F>(bytes)?;
                    let mut columns = values.chunks_exact(rows.max(1)).map(<[$F]>::to_vec);
                    Ok(Self(std::array::from_fn(|_| columns.next().unwrap_or_default())))
                }
            }

            impl DeepSize for WitnessValue {
                fn heap_size(&self) -> usize {
                    self.0.iter().map(|c| c.capacity() * size_of::<$F>()).sum()
                }
            }

            // ---- proof --------------------------------------------------------------------------

            /// A proof and its public input.
            pub struct ProofValue {
                pub proof: Proof,
                pub public: Vec<$F>,
            }

            impl ProofValue {
                pub fn create(index: &IndexValue, witness: WitnessValue) -> Result<Self, Error> {
                    index.validate_witness(&witness.0)?;
                    Self::prove_validated(index, witness)
                }

                /// Proves with a witness `validate_witness` already accepted (checking twice would
                /// evaluate every gate twice).
                fn prove_validated(index: &IndexValue, witness: WitnessValue) -> Result<Self, Error> {
                    let public: Vec<$F> = witness.0[0].iter().take(index.public_count()).copied().collect();
                    let group_map = <$G as CommitmentCurve>::Map::setup();
                    let proof = Proof::create::<BaseSponge, ScalarSponge, _>(
                        &group_map,
                        witness.0,
                        &[],
                        &index.index,
                        &mut rand::rngs::OsRng,
                    )
                    .or_else(|e| fail!("proving failed: {e}"))?;
                    Ok(Self { proof, public })
                }

                /// What kimchi's verifier indexes without checking: the proof's shape must match
                /// the index (one chunk per commitment and evaluation, an opening proof for this
                /// SRS, no recursion or lookups this index does not have).
                fn validate_shape(&self, index: &IndexValue) -> Result<(), Error> {
                    let p = &self.proof;
                    let c = &p.commitments;
                    let one_chunk = c.w_comm.iter().chain([&c.z_comm]).all(|comm| comm.chunks.len() == 1);
                    let t_chunks = c.t_comm.chunks.len() == 7;
                    let evals_ok = std::cell::Cell::new(true);
                    p.evals.map_ref(&|pe: &kimchi::proof::PointEvaluations<Vec<$F>>| {
                        if pe.zeta.len() != 1 || pe.zeta_omega.len() != 1 {
                            evals_ok.set(false);
                        }
                    });
                    // kimchi's opening proof pads the SRS to a power of two: one round per bit.
                    let rounds = index.index.srs.size().next_power_of_two().trailing_zeros() as usize;
                    if !(one_chunk && t_chunks && evals_ok.get())
                        || c.lookup.is_some()
                        || p.proof.lr.len() != rounds
                        || !p.prev_challenges.is_empty()
                        || self.public.len() != index.public_count()
                    {
                        return fail!("the proof does not have the shape of a proof for this index");
                    }
                    Ok(())
                }

                /// True if the proof verifies against the index; false if it does not.
                pub fn verify(&self, index: &IndexValue) -> Result<bool, Error> {
                    self.validate_shape(index)?;
                    let Some(verifier_index) = index.index.verifier_index.as_ref() else {
                        return fail!("the prover index has no verifier index");
                    };
                    let group_map = <$G as CommitmentCurve>::Map::setup();
                    Ok(kimchi::verifier::verify::<
                        FULL_ROUNDS,
                        $G,
                        BaseSponge,
                        ScalarSponge,
                        OpeningProof<$G, FULL_ROUNDS>,
                    >(&group_map, verifier_index, &self.proof, &self.public)
                    .is_ok())
                }

                /// kimchi-wasm's format: MessagePack of the proof alone (no public input).
                pub fn serialize(&self) -> Result<Vec<u8>, Error> {
                    rmp_serde::to_vec(&self.proof).or_else(|e| fail!("could not serialize the proof: {e}"))
                }

                /// Reads kimchi-wasm's format. The public input is not in it: the proof comes back
                /// with none, as from kimchi-wasm, so it verifies only against an index without
                /// public inputs (`from_bytes` keeps them).
                pub fn deserialize(bytes: &[u8]) -> Result<Self, Error> {
                    let proof: Proof = rmp_serde::from_slice(bytes).or_else(|e| fail!("malformed proof bytes: {e}"))?;
                    Ok(Self { proof, public: Vec::new() })
                }

                /// MessagePack of `(proof, public input)`: everything `verify` needs.
                pub fn to_bytes(&self) -> Result<Vec<u8>, Error> {
                    rmp_serde::to_vec(&(
                        &self.proof,
                        &self
                            .public
                            .iter()
                            .map(|f| {
                                let mut b = Vec::new();
                                encoding::write_field(&mut b, f);
                                b
                            })
                            .collect::<Vec<_>>(),
                    ))
                    .or_else(|e| fail!("could not serialize the proof: {e}"))
                }

                pub fn from_bytes(bytes: &[u8]) -> Result<Self, Error> {
                    let (proof, public): (Proof, Vec<Vec<u8>>) =
                        rmp_serde::from_slice(bytes).or_else(|e| fail!("malformed proof bytes: {e}"))?;
                    let public = public.iter().map(|b| encoding::read_field::<$F>(b)).collect::<Result<_, _>>()?;
                    Ok(Self { proof, public })
                }

                /// A copy with one evaluation changed: a proof that must not verify (for tests).
                pub fn tampered(&self) -> Self {
                    let mut proof = self.proof.clone();
                    proof.ft_eval1 += <$F>::one();
                    Self { proof, public: self.public.clone() }
                }
            }

            impl DeepSize for ProofValue {
                fn heap_size(&self) -> usize {
                    let p = &self.proof;
                    let c = &p.commitments;
                    let commitments =
                        c.w_comm.iter().map(comm_heap).sum::<usize>() + comm_heap(&c.z_comm) + comm_heap(&c.t_comm);
                    let opening = p.proof.lr.capacity() * size_of::<($G, $G)>();
                    let evals = std::cell::Cell::new(0usize);
                    p.evals.map_ref(&|pe: &kimchi::proof::PointEvaluations<Vec<$F>>| {
                        evals.set(evals.get() + (pe.zeta.capacity() + pe.zeta_omega.capacity()) * size_of::<$F>());
                    });
                    let recursion = p
                        .prev_challenges
                        .iter()
                        .map(|r| r.chals.capacity() * size_of::<$F>() + comm_heap(&r.comm))
                        .sum::<usize>();
                    size_of::<Proof>()
                        + commitments
                        + opening
                        + evals.get()
                        + recursion
                        + self.public.capacity() * size_of::<$F>()
                }
            }

            // ---- commitments ----------------------------------------------------------------------

            pub struct CommValue(pub Comm);

            impl DeepSize for CommValue {
                fn heap_size(&self) -> usize {
                    comm_heap(&self.0)
                }
            }

            pub struct CommVectorValue(pub Vec<Comm>);

            impl DeepSize for CommVectorValue {
                fn heap_size(&self) -> usize {
                    self.0.capacity() * size_of::<Comm>() + self.0.iter().map(comm_heap).sum::<usize>()
                }
            }

            fn coordinates_of(comms: &[Comm]) -> (Vec<u8>, Vec<u8>) {
                let (mut xy, mut infinity) = (Vec::new(), Vec::new());
                for comm in comms {
                    encoding::write_points(&comm.chunks, &mut xy, &mut infinity);
                }
                (xy, infinity)
            }

            // ---- JS classes -----------------------------------------------------------------------

            fn count(what: &str, n: f64, max: usize) -> Result<usize, JsError> {
                if n.is_finite() && n >= 0.0 && n.fract() == 0.0 && n <= max as f64 {
                    Ok(n as usize)
                } else {
                    Err(JsError::new(&format!("{what}: {n} is not a whole number from 0 to {max}")))
                }
            }

            fn js_err(e: Error) -> JsError {
                JsError::new(&e.0)
            }

            handle_class! {
                /// A structured reference string, shared by the prover indexes made from it.
                pub struct $Srs(SrsValue);
            }

            #[wasm_bindgen]
            impl $Srs {
                /// An SRS of `depth` points (kimchi's deterministic `SRS::create`).
                pub fn create(depth: f64) -> Result<$Srs, JsError> {
                    let depth = count("create", depth, MAX_SRS_DEPTH)?;
                    Ok(Self::from_value(SrsValue::create(depth).map_err(js_err)?)?)
                }

                /// Number of points.
                #[wasm_bindgen(getter)]
                pub fn size(&self) -> Result<u32, JsError> {
                    Ok(self.borrow()?.size() as u32)
                }

                /// Commitments to the Lagrange basis of a domain, as one owned vector handle (not
                /// one raw pointer per commitment).
                #[wasm_bindgen(js_name = lagrangeCommitments)]
                pub fn lagrange_commitments(&self, domain_size: f64) -> Result<$CommVector, JsError> {
                    let size = count("lagrangeCommitments", domain_size, MAX_SRS_DEPTH)?;
                    let comms = self.borrow()?.lagrange_commitments(size).map_err(js_err)?;
                    self.handle().remeasure()?; // kimchi may have computed and cached a new basis
                    Ok($CommVector::from_value(CommVectorValue(comms))?)
                }

                pub fn serialize(&self) -> Result<Uint8Array, JsError> {
                    Ok(Uint8Array::from(&self.borrow()?.serialize().map_err(js_err)?[..]))
                }

                pub fn deserialize(bytes: &[u8]) -> Result<$Srs, JsError> {
                    Ok(Self::from_value(SrsValue::deserialize(bytes).map_err(js_err)?)?)
                }
            }

            handle_class! {
                /// A prover index (with its verifier index), sharing its SRS.
                pub struct $Index(IndexValue);
            }

            impl $Index {
                /// An index built over `srs`'s value, which it then keeps (see `SrsHolder`). The SRS
                /// is remeasured even after an error: kimchi may have cached a Lagrange basis in it.
                fn over_srs(
                    srs: &$Srs,
                    build: impl FnOnce(&SrsValue) -> Result<IndexValue, Error>,
                ) -> Result<$Index, JsError> {
                    let srs_value = srs.borrow()?;
                    let value = build(&srs_value);
                    srs.handle().remeasure()?;
                    Ok(Self::from_value(value.map_err(js_err)?.holding(srs_value))?)
                }
            }

            #[wasm_bindgen]
            impl $Index {
                /// A prover index for `gates` (MessagePack of kimchi's `Vec<CircuitGate>`, as
                /// `squareGates` returns) with `publicInputCount` public inputs, over `srs`.
                pub fn create(gates: &[u8], public_input_count: u32, srs: &$Srs) -> Result<$Index, JsError> {
                    let gates: Vec<CircuitGate<$F>> = rmp_serde::from_slice(gates)
                        .map_err(|e| JsError::new(&format!("malformed gate bytes: {e}")))?;
                    Self::over_srs(srs, |srs| IndexValue::create(gates, public_input_count as usize, srs))
                }

                /// The gates of the square circuit (`x * x = y`, `y` public) on `2^log2` rows.
                #[wasm_bindgen(js_name = squareGates)]
                pub fn square_gates(log2: u32) -> Result<Uint8Array, JsError> {
                    let gates = circuit::square_gates::<$F>(log2).map_err(|e| JsError::new(&e))?;
                    let bytes = rmp_serde::to_vec(&gates).map_err(|e| JsError::new(&e.to_string()))?;
                    Ok(Uint8Array::from(&bytes[..]))
                }

                /// The square circuit's index on `2^log2` rows (shortcut for create(squareGates)).
                #[wasm_bindgen(js_name = squareCircuit)]
                pub fn square_circuit(srs: &$Srs, log2: u32) -> Result<$Index, JsError> {
                    Self::over_srs(srs, |srs| IndexValue::square(srs, log2))
                }

                #[wasm_bindgen(getter, js_name = domainSize)]
                pub fn domain_size(&self) -> Result<u32, JsError> {
                    Ok(self.borrow()?.domain_size() as u32)
                }

                #[wasm_bindgen(getter, js_name = publicInputCount)]
                pub fn public_input_count(&self) -> Result<u32, JsError> {
                    Ok(self.borrow()?.public_count() as u32)
                }

                /// Rows a witness for this index has (one per gate).
                #[wasm_bindgen(getter, js_name = witnessRows)]
                pub fn witness_rows(&self) -> Result<u32, JsError> {
                    Ok(self.borrow()?.witness_rows() as u32)
                }

                /// The witness of the square circuit for `x` (so `y = x * x` is the public input).
                #[wasm_bindgen(js_name = squareWitness)]
                pub fn square_witness(&self, x: f64) -> Result<$Witness, JsError> {
                    let x = count("squareWitness", x, u32::MAX as usize)? as u64;
                    Ok($Witness::from_value(WitnessValue::square(x, self.borrow()?.witness_rows()))?)
                }

                pub fn serialize(&self) -> Result<Uint8Array, JsError> {
                    Ok(Uint8Array::from(&self.borrow()?.serialize().map_err(js_err)?[..]))
                }

                /// kimchi-wasm's `deserialize`: reads `serialize`'s bytes over the SRS inside them,
                /// which is then counted in this index's bytes. The index is rebuilt from its gates,
                /// so this costs what `create` does.
                pub fn deserialize(bytes: &[u8]) -> Result<$Index, JsError> {
                    Ok(Self::from_value(IndexValue::deserialize(bytes, None).map_err(js_err)?)?)
                }

                /// Like `deserialize`, but over `srs` (the SRS the index was made for, checked),
                /// shared with the index instead of a second copy from the bytes.
                #[wasm_bindgen(js_name = deserializeWithSrs)]
                pub fn deserialize_with_srs(bytes: &[u8], srs: &$Srs) -> Result<$Index, JsError> {
                    Self::over_srs(srs, |srs| IndexValue::deserialize(bytes, Some(srs)))
                }
            }

            handle_class! {
                /// Witness columns; proof creation takes them (the object becomes "moved").
                pub struct $Witness(WitnessValue);
            }

            #[wasm_bindgen]
            impl $Witness {
                /// A witness of 15 columns x `rows` rows from 32-byte little-endian field elements,
                /// column after column.
                #[wasm_bindgen(js_name = fromBytes)]
                pub fn from_bytes(rows: u32, bytes: &[u8]) -> Result<$Witness, JsError> {
                    Ok(Self::from_value(WitnessValue::from_bytes(rows as usize, bytes).map_err(js_err)?)?)
                }

                #[wasm_bindgen(getter)]
                pub fn rows(&self) -> Result<u32, JsError> {
                    Ok(self.borrow()?.0[0].len() as u32)
                }
            }

            handle_class! {
                /// A kimchi proof and its public input.
                pub struct $Proof(ProofValue);
            }

            #[wasm_bindgen]
            impl $Proof {
                /// Proves with `witness`, which moves into the proof (state "moved" afterwards).
                /// A witness that does not fit the index is an error and stays with the caller.
                pub fn create(index: &$Index, witness: &$Witness) -> Result<$Proof, JsError> {
                    let index = index.borrow()?;
                    index.validate_witness(&witness.borrow()?.0).map_err(js_err)?;
                    let witness = witness.take(concat!(stringify!($Proof), ".create"))?;
                    Ok(Self::from_value(ProofValue::prove_validated(&index, witness).map_err(js_err)?)?)
                }

                /// Verifies `proof` against `index`. Like kimchi-wasm's verify, it takes the proof
                /// (state "moved" afterwards); the index is only borrowed. A proof that fails to
                /// verify gives `false`; one of the wrong shape for this index throws.
                pub fn verify(index: &$Index, proof: &$Proof) -> Result<bool, JsError> {
                    let index = index.borrow()?;
                    let proof = proof.take("verify")?;
                    proof.verify(&index).map_err(js_err)
                }

                /// kimchi-wasm's `serialize`: base64 of the proof's MessagePack, without the public
                /// input (`toBytes` keeps it).
                pub fn serialize(&self) -> Result<String, JsError> {
                    let bytes = self.borrow()?.serialize().map_err(js_err)?;
                    Ok(base64::engine::general_purpose::STANDARD.encode(bytes))
                }

                /// kimchi-wasm's `deserialize` takes the MessagePack bytes; the base64 string that
                /// `serialize` returns is accepted too. The proof has no public input (use
                /// `fromBytes` to keep it), so it verifies only for an index without one.
                pub fn deserialize(
                    #[wasm_bindgen(unchecked_param_type = "Uint8Array | ArrayBuffer | number[] | string")] bytes: JsValue,
                ) -> Result<$Proof, JsError> {
                    let bytes = match bytes.as_string() {
                        Some(text) => base64::engine::general_purpose::STANDARD
                            .decode(text)
                            .map_err(|e| JsError::new(&format!("malformed proof bytes: not base64 ({e})")))?,
                        // Also an ArrayBuffer or an array of bytes (values wrap modulo 256, as in a
                        // typed array).
                        None if bytes.is_instance_of::<Uint8Array>() => Uint8Array::from(bytes).to_vec(),
                        None if bytes.is_instance_of::<js_sys::ArrayBuffer>() || js_sys::Array::is_array(&bytes) => {
                            Uint8Array::new(&bytes).to_vec()
                        }
                        None => {
                            return Err(JsError::new(
                                "deserialize: expected a Uint8Array, an ArrayBuffer, an array of bytes or a base64 string",
                            ))
                        }
                    };
                    Ok(Self::from_value(ProofValue::deserialize(&bytes).map_err(js_err)?)?)
                }

                /// MessagePack of the proof and its public input (about 5 KB): what `fromBytes`
                /// reads back into a proof that verifies.
                #[wasm_bindgen(js_name = toBytes)]
                pub fn to_bytes(&self) -> Result<Uint8Array, JsError> {
                    Ok(Uint8Array::from(&self.borrow()?.to_bytes().map_err(js_err)?[..]))
                }

                #[wasm_bindgen(js_name = fromBytes)]
                pub fn from_bytes(bytes: &[u8]) -> Result<$Proof, JsError> {
                    Ok(Self::from_value(ProofValue::from_bytes(bytes).map_err(js_err)?)?)
                }

                /// The public input, 32-byte little-endian field elements.
                #[wasm_bindgen(getter, js_name = publicInput)]
                pub fn public_input(&self) -> Result<Uint8Array, JsError> {
                    let mut bytes = Vec::new();
                    for value in &self.borrow()?.public {
                        encoding::write_field(&mut bytes, value);
                    }
                    Ok(Uint8Array::from(&bytes[..]))
                }

                /// The 15 witness commitments as one owned vector handle.
                #[wasm_bindgen(js_name = witnessCommitments)]
                pub fn witness_commitments(&self) -> Result<$CommVector, JsError> {
                    let comms = self.borrow()?.proof.commitments.w_comm.to_vec();
                    Ok($CommVector::from_value(CommVectorValue(comms))?)
                }

                /// A copy with one evaluation changed, which must fail verification (for tests).
                pub fn tampered(&self) -> Result<$Proof, JsError> {
                    Ok(Self::from_value(self.borrow()?.tampered())?)
                }
            }

            handle_class! {
                /// A polynomial commitment: its points as flat typed arrays.
                pub struct $Comm(CommValue);
            }

            #[wasm_bindgen]
            impl $Comm {
                /// From `coordinates` (x then y, 32-byte little-endian, per point) and one
                /// infinity flag byte per point. Points must be on the curve.
                #[wasm_bindgen(js_name = fromCoordinates)]
                pub fn from_coordinates(coordinates: &[u8], infinity: &[u8]) -> Result<$Comm, JsError> {
                    let chunks = encoding::read_points(coordinates, infinity).map_err(js_err)?;
                    Ok(Self::from_value(CommValue(PolyComm { chunks }))?)
                }

                #[wasm_bindgen(getter, js_name = chunkCount)]
                pub fn chunk_count(&self) -> Result<u32, JsError> {
                    Ok(self.borrow()?.0.chunks.len() as u32)
                }

                /// x then y of each point, 32-byte little-endian.
                pub fn coordinates(&self) -> Result<Uint8Array, JsError> {
                    Ok(Uint8Array::from(&coordinates_of(std::slice::from_ref(&self.borrow()?.0)).0[..]))
                }

                /// One byte per point: 1 for the point at infinity.
                pub fn infinity(&self) -> Result<Uint8Array, JsError> {
                    Ok(Uint8Array::from(&coordinates_of(std::slice::from_ref(&self.borrow()?.0)).1[..]))
                }
            }

            handle_class! {
                /// A vector of polynomial commitments owned as one handle.
                pub struct $CommVector(CommVectorValue);
            }

            #[wasm_bindgen]
            impl $CommVector {
                #[wasm_bindgen(getter)]
                pub fn length(&self) -> Result<u32, JsError> {
                    Ok(self.borrow()?.0.len() as u32)
                }

                /// A copy of commitment `index` as its own handle.
                pub fn get(&self, index: u32) -> Result<$Comm, JsError> {
                    let comms = self.borrow()?;
                    let Some(comm) = comms.0.get(index as usize) else {
                        return Err(JsError::new(&format!("index {index} is out of range 0..{}", comms.0.len())));
                    };
                    Ok($Comm::from_value(CommValue(comm.clone()))?)
                }

                /// Every point of every commitment, in order (see `chunkCounts`).
                pub fn coordinates(&self) -> Result<Uint8Array, JsError> {
                    Ok(Uint8Array::from(&coordinates_of(&self.borrow()?.0).0[..]))
                }

                pub fn infinity(&self) -> Result<Uint8Array, JsError> {
                    Ok(Uint8Array::from(&coordinates_of(&self.borrow()?.0).1[..]))
                }

                /// Points per commitment.
                #[wasm_bindgen(js_name = chunkCounts)]
                pub fn chunk_counts(&self) -> Result<js_sys::Uint32Array, JsError> {
                    let counts: Vec<u32> = self.borrow()?.0.iter().map(|c| c.chunks.len() as u32).collect();
                    Ok(js_sys::Uint32Array::from(&counts[..]))
                }
            }
        }
    };
}

pub(crate) use pasta_field;
