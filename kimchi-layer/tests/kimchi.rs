//! Real kimchi, natively, for both fields: setup, prove, verify, tamper, serialize, bad input.

macro_rules! field_tests {
    ($m:ident) => {
        mod $m {
            use kimchi_handles::DeepSize;
            use kimchi_handles_kimchi::$m::*;

            fn setup(log2: u32) -> (SrsValue, IndexValue) {
                let srs = SrsValue::create(1 << log2).unwrap();
                let index = IndexValue::square(&srs, log2).unwrap();
                (srs, index)
            }

            #[test]
            fn prove_verify_tamper_and_roundtrip() {
                let (srs, index) = setup(8);
                assert_eq!(index.domain_size(), 256);
                assert_eq!(index.public_count(), 1);
                let proof = ProofValue::create(&index, WitnessValue::square(3, index.witness_rows())).unwrap();
                assert_eq!(proof.public, vec![Field::from(9u64)]);
                assert!(proof.verify(&index).unwrap(), "an honest proof verifies");
                assert!(!proof.tampered().verify(&index).unwrap(), "a tampered proof fails");

                let bytes = proof.to_bytes().unwrap();
                assert!((3_000..8_000).contains(&bytes.len()), "{} bytes", bytes.len());
                let back = ProofValue::from_bytes(&bytes).unwrap();
                assert!(back.verify(&index).unwrap(), "a round-tripped proof verifies");
                let mut wrong_public = ProofValue::from_bytes(&bytes).unwrap();
                wrong_public.public[0] = Field::from(10u64);
                assert!(!wrong_public.verify(&index).unwrap(), "a proof for another y fails");
                // kimchi-wasm's format carries the proof without its public input.
                let bare = ProofValue::deserialize(&proof.serialize().unwrap()).unwrap();
                assert!(bare.public.is_empty());
                assert_eq!(bare.to_bytes().unwrap().len(), bytes.len() - 35, "the same proof less one field element");
                assert!(bare.verify(&index).err().unwrap().0.contains("shape"), "no public input: wrong shape");

                let size = proof.deep_size();
                assert!((10_000..40_000).contains(&size), "proof deep size {size}");
                // The index's evaluations alone are 7,168 bytes a row; the precomputations add more.
                assert!(index.deep_size() > 256 * (7_168 + 1_000), "index deep size {}", index.deep_size());
                let index_bytes = index.serialize().unwrap();
                let index2 = IndexValue::deserialize(&index_bytes, Some(&srs)).unwrap();
                assert!(back.verify(&index2).unwrap(), "a deserialized index verifies the proof");
                let proof2 = ProofValue::create(&index2, WitnessValue::square(5, index2.witness_rows())).unwrap();
                assert!(proof2.verify(&index).unwrap(), "proofs from the deserialized index verify");
                // Without an SRS: the one inside the bytes, counted in the index's size.
                let index3 = IndexValue::deserialize(&index_bytes, None).unwrap();
                assert!(proof2.verify(&index3).unwrap());
                assert_eq!(index3.deep_size(), index2.deep_size() + srs.deep_size(), "the embedded SRS is counted");
                assert_eq!(index3.serialize().unwrap(), index_bytes, "a reloaded index serializes the same");
            }

            #[test]
            fn sizes_are_deep_and_grow_with_the_domain() {
                let (srs8, index8) = setup(8);
                let (srs10, index10) = setup(10);
                assert!(srs10.deep_size() > 3 * srs8.deep_size(), "{} vs {}", srs10.deep_size(), srs8.deep_size());
                assert!(index10.deep_size() > 3 * index8.deep_size());
                let before = srs8.deep_size();
                srs8.lagrange_commitments(128).unwrap();
                assert!(srs8.deep_size() > before, "a new Lagrange basis is counted");
                let comms = srs8.lagrange_commitments(256).unwrap();
                assert_eq!(comms.len(), 256);
            }

            #[test]
            fn bad_input_is_an_error_not_a_panic() {
                let (srs, index) = setup(8);
                let rows = index.witness_rows();
                // A witness of the wrong length, or one that does not satisfy x * x = y.
                let short = WitnessValue(std::array::from_fn(|_| vec![Field::from(0u64); rows - 1]));
                assert!(ProofValue::create(&index, short)
                    .err()
                    .unwrap()
                    .0
                    .contains("has 252 rows; this index needs 253"));
                let long = WitnessValue(std::array::from_fn(|_| vec![Field::from(0u64); 300]));
                assert!(ProofValue::create(&index, long).is_err());
                let mut wrong = WitnessValue::square(3, rows);
                wrong.0[2][1] = Field::from(10u64);
                assert!(ProofValue::create(&index, wrong).err().unwrap().0.contains("does not satisfy"));
                assert!(WitnessValue::from_bytes(rows, &[0u8; 31]).is_err());
                // 15 * 32 * rows wraps to 0 on wasm32 and on 64 bits for this many rows.
                assert!(WitnessValue::from_bytes(usize::MAX / 32 + 1, &[])
                    .err()
                    .unwrap()
                    .0
                    .contains("does not take 0 bytes"));
                // kimchi asserts more than one gate.
                let one_gate = kimchi_handles_kimchi::circuit::square_gates::<Field>(4).unwrap()[..1].to_vec();
                assert!(IndexValue::create(one_gate, 0, &srs).err().unwrap().0.contains("at least 2 gates"));
                assert!(WitnessValue::from_bytes(1, &[0xffu8; 15 * 32]).err().unwrap().0.contains("canonical"));
                // Sizes and domains out of range.
                assert!(SrsValue::create(0).is_err());
                assert!(SrsValue::create(1 << 20).is_err());
                assert!(srs.lagrange_commitments(100).is_err());
                assert!(srs.lagrange_commitments(512).is_err());
                assert!(IndexValue::square(&srs, 9).is_err(), "domain larger than the SRS");
                assert!(IndexValue::square(&srs, 30).is_err());
                // Truncated and corrupted bytes of every serialized kind.
                let proof = ProofValue::create(&index, WitnessValue::square(3, rows)).unwrap().serialize().unwrap();
                let index_bytes = index.serialize().unwrap();
                let srs_bytes = srs.serialize().unwrap();
                for cut in [0, 1, 10, proof.len() / 2, proof.len() - 1] {
                    assert!(ProofValue::deserialize(&proof[..cut]).is_err());
                }
                for cut in [0, 1, 100, index_bytes.len() / 2, index_bytes.len() - 1] {
                    assert!(IndexValue::deserialize(&index_bytes[..cut], Some(&srs)).is_err());
                    assert!(IndexValue::deserialize(&index_bytes[..cut], None).is_err());
                }
                for cut in [0, 1, 100, srs_bytes.len() / 2, srs_bytes.len() - 1] {
                    assert!(SrsValue::deserialize(&srs_bytes[..cut]).is_err());
                }
                let other_srs = SrsValue::create(512).unwrap();
                assert!(IndexValue::deserialize(&index_bytes, Some(&other_srs))
                    .err()
                    .unwrap()
                    .0
                    .contains("SRS of 256"));
            }

            /// An SRS whose size is not a power of two: kimchi pads the opening proof to the next
            /// power, and honest proofs must verify.
            #[test]
            fn srs_of_any_size_proves_and_verifies() {
                let srs = SrsValue::create(300).unwrap();
                let index = IndexValue::square(&srs, 8).unwrap();
                let proof = ProofValue::create(&index, WitnessValue::square(4, index.witness_rows())).unwrap();
                assert!(proof.verify(&index).unwrap());
                assert!(!proof.tampered().verify(&index).unwrap());
                let back = IndexValue::deserialize(&index.serialize().unwrap(), None).unwrap();
                assert!(proof.verify(&back).unwrap());
            }

            /// The memory budget refuses an SRS and an index before they are computed.
            #[test]
            fn budget_refuses_before_building() {
                let srs = SrsValue::create(256).unwrap();
                let bytes = IndexValue::square(&srs, 8).unwrap().serialize().unwrap();
                let srs_bytes = SrsValue::create(1 << 14).unwrap().serialize().unwrap();
                let refused = |result: Result<(), kimchi_handles_kimchi::Error>, class: &str| {
                    let message = result.err().expect("refused").0;
                    assert!(message.contains("budget") && message.contains(class), "{message}");
                };
                // Just above the estimate of a 2^8 index's evaluations: 256 rows x 216 elements x 32 bytes.
                kimchi_handles::ledger::set_budget(Some(256 * 216 * 32 + 1));
                assert!(IndexValue::square(&srs, 8).is_ok());
                assert!(IndexValue::deserialize(&bytes, Some(&srs)).is_ok());
                // Loading over the SRS inside the bytes keeps that SRS too: no room for both.
                refused(IndexValue::deserialize(&bytes, None).map(drop), "PlonkIndex");
                kimchi_handles::ledger::set_budget(Some(1_000_000));
                refused(IndexValue::square(&srs, 8).map(drop), "PlonkIndex");
                refused(IndexValue::deserialize(&bytes, Some(&srs)).map(drop), "PlonkIndex");
                refused(SrsValue::create(1 << 14).map(drop), "Srs");
                refused(SrsValue::deserialize(&srs_bytes).map(drop), "Srs");
                kimchi_handles::ledger::set_budget(None);
            }

            /// A domain larger than the SRS is refused before kimchi builds it.
            #[test]
            fn domain_larger_than_the_srs_is_refused_first() {
                let srs = SrsValue::create(256).unwrap();
                let gates = kimchi_handles_kimchi::circuit::square_gates::<Field>(16).unwrap();
                let message = IndexValue::create(gates, 1, &srs).err().unwrap().0;
                assert!(message.contains("domain size 65536 is larger than the SRS (256)"), "{message}");
                assert_eq!(srs.deep_size(), SrsValue::create(256).unwrap().deep_size(), "no basis computed");
            }

            /// Fuzz: random bytes and random corruptions of a real proof never panic; each either
            /// fails to decode, fails verification, or (unchanged bytes) verifies.
            #[test]
            fn fuzzed_proof_bytes_never_panic() {
                use rand::{Rng, SeedableRng};
                let (_srs, index) = setup(8);
                let good = ProofValue::create(&index, WitnessValue::square(3, index.witness_rows()))
                    .unwrap()
                    .to_bytes()
                    .unwrap();
                // The bytes with the public input: the unchanged ones must reach kimchi's verifier and pass.
                assert!(ProofValue::from_bytes(&good).unwrap().verify(&index).unwrap());
                let mut rng = rand::rngs::StdRng::seed_from_u64(7);
                let (mut decoded, mut verified) = (0, 0);
                let runs = std::env::var("FUZZ_RUNS").ok().and_then(|v| v.parse().ok()).unwrap_or(10_000);
                for run in 0..runs {
                    let bytes: Vec<u8> = if run % 2 == 0 {
                        (0..rng.gen_range(0..6000)).map(|_| rng.gen()).collect()
                    } else {
                        let mut b = good.clone();
                        for _ in 0..rng.gen_range(1..4) {
                            let i = rng.gen_range(0..b.len());
                            b[i] = rng.gen();
                        }
                        b
                    };
                    // A corruption "verifies" only if it decodes to a proof that differs from the
                    // original (re-serialized): some byte changes decode to the same values.
                    let outcome =
                        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                            match ProofValue::from_bytes(&bytes) {
                                Err(_) => (false, false),
                                Ok(p) => (
                                    true,
                                    p.verify(&index).unwrap_or(false) && p.to_bytes().ok().as_ref() != Some(&good),
                                ),
                            }
                        }));
                    let (d, v) = outcome.unwrap_or_else(|_| panic!("panic on fuzz input {run}"));
                    decoded += usize::from(d);
                    verified += usize::from(v);
                }
                println!("fuzz: {runs} inputs, {decoded} decoded, {verified} different proofs verified");
                assert_eq!(verified, 0, "a changed proof must never verify");
            }
        }
    };
}

field_tests!(fp);
field_tests!(fq);

#[test]
fn the_two_fields_are_different_curves() {
    use kimchi_handles_kimchi::{fp, fq};
    let a = fp::SrsValue::create(16).unwrap().serialize().unwrap();
    let b = fq::SrsValue::create(16).unwrap().serialize().unwrap();
    assert_ne!(a, b);
    assert!(fq::SrsValue::deserialize(&a).is_err(), "Vesta points are not Pallas points");
}

/// Fuzz the other deserializers: 10,000 random byte strings each for the SRS and the prover index
/// (both fields), plus byte corruptions of real ones. Never a panic; corrupted SRS points are caught
/// by point validation, corrupted indexes by decoding or the consistency checks.
#[test]
fn fuzzed_srs_and_index_bytes_never_panic() {
    use kimchi_handles_kimchi::fp::{IndexValue, SrsValue};
    use rand::{Rng, SeedableRng};
    let mut rng = rand::rngs::StdRng::seed_from_u64(11);
    let srs = SrsValue::create(256).unwrap();
    let index = IndexValue::square(&srs, 8).unwrap();
    let (srs_bytes, index_bytes) = (srs.serialize().unwrap(), index.serialize().unwrap());
    let mut accepted = [0usize; 2];
    for run in 0..10_000 {
        let random: Vec<u8> = (0..rng.gen_range(0..4000)).map(|_| rng.gen()).collect();
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            (SrsValue::deserialize(&random).is_ok(), IndexValue::deserialize(&random, Some(&srs)).is_ok())
        }));
        let (s, i) = outcome.unwrap_or_else(|_| panic!("panic on random input {run}"));
        accepted[0] += usize::from(s);
        accepted[1] += usize::from(i);
        let _ = kimchi_handles_kimchi::fq::SrsValue::deserialize(&random);
    }
    assert_eq!(accepted, [0, 0], "random bytes are never an SRS or an index");
    for run in 0..200 {
        let mut bytes = srs_bytes.clone();
        let i = rng.gen_range(0..bytes.len());
        bytes[i] = rng.gen();
        let outcome = std::panic::catch_unwind(|| SrsValue::deserialize(&bytes).map(|s| s.size()));
        assert!(outcome.is_ok(), "panic on corrupted SRS {run}");
    }
    for run in 0..40 {
        let mut bytes = index_bytes.clone();
        let i = rng.gen_range(0..bytes.len());
        bytes[i] = rng.gen();
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            IndexValue::deserialize(&bytes, Some(&srs)).is_ok()
        }));
        assert!(outcome.is_ok(), "panic on corrupted index {run} (byte {i})");
    }
}

/// kimchi-wasm's serialized index: the prover index and its SRS, each MessagePack.
#[derive(serde::Serialize, serde::Deserialize)]
struct Envelope {
    prover_index: Vec<u8>,
    srs: Vec<u8>,
}

impl Envelope {
    /// The square circuit's index at 2^8 over `srs`, serialized, and its prover index as kimchi
    /// decodes it (what the tests below change).
    fn of_square_index(srs: &kimchi_handles_kimchi::fp::SrsValue) -> (Self, kimchi_handles_kimchi::fp::Index) {
        let index = kimchi_handles_kimchi::fp::IndexValue::square(srs, 8).unwrap();
        let envelope: Self = rmp_serde::from_slice(&index.serialize().unwrap()).unwrap();
        let stored = rmp_serde::from_slice(&envelope.prover_index).unwrap();
        (envelope, stored)
    }

    /// Index bytes with this SRS and another prover index.
    fn with_prover_index(&self, prover_index: Vec<u8>) -> Vec<u8> {
        rmp_serde::to_vec(&Envelope { prover_index, srs: self.srs.clone() }).unwrap()
    }
}

/// A skipped field nested deeper than any real index is refused, not walked: in WASM each level
/// costs stack, and a stack overflow there unwinds without running destructors.
#[test]
fn deeply_nested_index_bytes_are_refused() {
    use kimchi_handles_kimchi::fp::{IndexValue, SrsValue};

    /// `[[[...0...]]]`, `depth` arrays deep.
    struct Nested(usize);
    impl serde::Serialize for Nested {
        fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            use serde::ser::SerializeSeq;
            if self.0 == 0 {
                return s.serialize_u8(0);
            }
            let mut seq = s.serialize_seq(Some(1))?;
            seq.serialize_element(&Nested(self.0 - 1))?;
            seq.end()
        }
    }
    let srs = SrsValue::create(256).unwrap();
    let (envelope, stored) = Envelope::of_square_index(&srs);
    // The column evaluations replaced by 1,000 nested arrays (rmp-serde alone allows 1,024).
    let prover_index = rmp_serde::to_vec(&(&*stored.cs, stored.max_poly_size, Nested(1000), None::<u8>)).unwrap();
    let bytes = envelope.with_prover_index(prover_index);
    let message = IndexValue::deserialize(&bytes, Some(&srs)).err().unwrap().0;
    assert!(message.contains("malformed prover index bytes: depth limit exceeded"), "{message}");
}

/// Decoding stops at the largest domain's worth of gates, before the rest are decoded.
#[test]
fn too_many_stored_gates_are_refused_while_decoding() {
    use kimchi_handles_kimchi::fp::{IndexValue, SrsValue};
    use std::sync::Arc;

    let srs = SrsValue::create(256).unwrap();
    let (envelope, mut stored) = Envelope::of_square_index(&srs);
    Arc::make_mut(&mut Arc::make_mut(&mut stored.cs).gates).resize((1 << 16) + 1, Default::default());
    let bytes = envelope.with_prover_index(rmp_serde::to_vec(&stored).unwrap());
    let message = IndexValue::deserialize(&bytes, Some(&srs)).err().unwrap().0;
    assert!(message.contains("more than 65536 gates"), "{message}");
}

/// Changed lengths inside the stored index: ark-serialize allocates what a length says, so decoding
/// the evaluations of such bytes panics (capacity overflow), as kimchi's own decoding shows here.
/// Loading must skip them: each 64-bit length of an evaluation (2,048 or 1,024 elements for d8 and
/// d4 at 2^8) is made 2^60 larger in turn, and loading must give an error or an index (whose
/// digest then matched), never a panic.
#[test]
fn index_bytes_with_huge_lengths_never_panic() {
    use kimchi_handles_kimchi::fp::{Index, IndexValue, SrsValue};

    let srs = SrsValue::create(256).unwrap();
    let (envelope, _) = Envelope::of_square_index(&srs);
    let stored = &envelope.prover_index;
    let lengths: Vec<usize> = (0..stored.len() - 8)
        .filter(|&i| [1024u64, 2048].contains(&u64::from_le_bytes(stored[i..i + 8].try_into().unwrap())))
        .collect();
    assert!(lengths.len() >= 30, "found {} evaluation lengths", lengths.len());
    let changed: Vec<(usize, Vec<u8>)> = lengths
        .iter()
        .take(40)
        .map(|&at| {
            let mut prover_index = stored.clone();
            prover_index[at + 7] = 0x10;
            (at, prover_index)
        })
        .collect();
    // Expected panics: keep their messages out of the test output.
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let kimchi_panics =
        changed.iter().filter(|(_, b)| std::panic::catch_unwind(|| rmp_serde::from_slice::<Index>(b)).is_err()).count();
    std::panic::set_hook(hook);
    let (mut refused, mut loaded) = (0, 0);
    for (at, prover_index) in changed {
        let bytes = envelope.with_prover_index(prover_index);
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            IndexValue::deserialize(&bytes, Some(&srs)).is_ok()
        }));
        match outcome.unwrap_or_else(|_| panic!("panic with a huge length at byte {at}")) {
            true => loaded += 1,
            false => refused += 1,
        }
    }
    println!(
        "huge lengths: {refused} refused, {loaded} loaded; decoding all of the index panicked for {kimchi_panics}"
    );
    assert!(kimchi_panics > 0, "the hazard this test is for did not occur");
}

/// Index bytes that decode but whose contents disagree (changed derived data, gates, sizes):
/// each loads to an error, or to an index whose proofs verify against the original, and none
/// panics in loading, proving or verifying. kimchi trusts the derived data; loading rebuilds it.
#[test]
fn index_bytes_with_inconsistent_contents_never_panic() {
    use kimchi::circuits::constraints::FeatureFlags;
    use kimchi::circuits::lookup::index::LookupError;
    use kimchi::o1_utils::lazy_cache::LazyCache;
    use kimchi_handles_kimchi::fp::{Field, Index, IndexValue, ProofValue, SrsValue, WitnessValue};
    use kimchi_handles_kimchi::kimchi;
    use std::sync::Arc;

    let srs = SrsValue::create(256).unwrap();
    let original = IndexValue::square(&srs, 8).unwrap();
    let (envelope, stored) = Envelope::of_square_index(&srs);

    type Mutation = (&'static str, bool, fn(&mut Index));
    fn cs(index: &mut Index) -> &mut kimchi::circuits::constraints::ConstraintSystem<Field> {
        Arc::make_mut(&mut index.cs)
    }
    fn gates(index: &mut Index) -> &mut Vec<kimchi::circuits::gate::CircuitGate<Field>> {
        Arc::make_mut(&mut cs(index).gates)
    }
    // (what, must be refused, change): derived data is rebuilt, so changing it loads the right index.
    let mutations: [Mutation; 14] = [
        ("truncated sid", false, |i| cs(i).sid.truncate(10)),
        ("range_check0 flag", false, |i| cs(i).feature_flags.range_check0 = true),
        ("all feature flags", false, |i| {
            let f = &mut cs(i).feature_flags;
            *f = FeatureFlags { foreign_field_mul: true, xor: true, rot: true, ..*f }
        }),
        ("d8 domain is d4", false, |i| cs(i).domain.d8 = cs(i).domain.d4),
        ("lookup cache is an error", false, |i| {
            cs(i).lookup_constraint_system = Arc::new(LazyCache::preinit(Err(LookupError::InconsistentTableLength)))
        }),
        ("truncated coefficients8", false, |i| {
            let mut c = i.column_evaluations.get().clone();
            c.coefficients8[3].evals.truncate(7);
            i.column_evaluations = Arc::new(LazyCache::preinit(c));
        }),
        ("no digest", true, |i| i.verifier_index_digest = None),
        ("another digest", true, |i| i.verifier_index_digest = Some(Default::default())),
        ("a changed coefficient", true, |i| gates(i)[1].coeffs[0] += Field::from(1u64)),
        ("a wire into the zero-knowledge rows", true, |i| gates(i)[1].wires[0].row = 255),
        ("zk_rows 200", true, |i| cs(i).zk_rows = 200),
        ("two public inputs", true, |i| cs(i).public = 2),
        ("recursion", true, |i| cs(i).prev_challenges = 2),
        ("a gate less", true, |i| {
            gates(i).pop();
        }),
    ];
    for (what, refused, mutate) in mutations {
        let mut index = stored.clone();
        mutate(&mut index);
        let changed = envelope.with_prover_index(rmp_serde::to_vec(&index).unwrap());
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let loaded = IndexValue::deserialize(&changed, Some(&srs))?;
            let proof = ProofValue::create(&loaded, WitnessValue::square(6, loaded.witness_rows()))?;
            Ok::<_, kimchi_handles_kimchi::Error>((proof.verify(&loaded)?, proof.verify(&original)?))
        }));
        match outcome {
            Err(_) => panic!("{what}: panicked"),
            Ok(Err(e)) => assert!(refused, "{what}: refused ({e}) but the gates were unchanged"),
            Ok(Ok(verified)) => {
                assert!(!refused, "{what}: loaded");
                assert_eq!(verified, (true, true), "{what}: proofs verify against both indexes");
            }
        }
    }
}
