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

                let bytes = proof.serialize().unwrap();
                assert!((3_000..8_000).contains(&bytes.len()), "{} bytes", bytes.len());
                let back = ProofValue::deserialize(&bytes).unwrap();
                assert!(back.verify(&index).unwrap(), "a deserialized proof verifies");
                let mut wrong_public = ProofValue::deserialize(&bytes).unwrap();
                wrong_public.public[0] = Field::from(10u64);
                assert!(!wrong_public.verify(&index).unwrap(), "a proof for another y fails");

                let size = proof.deep_size();
                assert!((10_000..40_000).contains(&size), "proof deep size {size}");
                let index_bytes = index.serialize().unwrap();
                let index2 = IndexValue::deserialize(&index_bytes, &srs).unwrap();
                assert!(back.verify(&index2).unwrap(), "a deserialized index verifies the proof");
                let proof2 = ProofValue::create(&index2, WitnessValue::square(5, index2.witness_rows())).unwrap();
                assert!(proof2.verify(&index).unwrap(), "proofs from the deserialized index verify");
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
                    assert!(IndexValue::deserialize(&index_bytes[..cut], &srs).is_err());
                }
                for cut in [0, 1, 100, srs_bytes.len() / 2, srs_bytes.len() - 1] {
                    assert!(SrsValue::deserialize(&srs_bytes[..cut]).is_err());
                }
                let other_srs = SrsValue::create(512).unwrap();
                assert!(IndexValue::deserialize(&index_bytes, &other_srs).is_err(), "index for another SRS size");
            }

            /// Fuzz: random bytes and random corruptions of a real proof never panic; each either
            /// fails to decode, fails verification, or (unchanged bytes) verifies.
            #[test]
            fn fuzzed_proof_bytes_never_panic() {
                use rand::{Rng, SeedableRng};
                let (_srs, index) = setup(8);
                let good = ProofValue::create(&index, WitnessValue::square(3, index.witness_rows()))
                    .unwrap()
                    .serialize()
                    .unwrap();
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
                            match ProofValue::deserialize(&bytes) {
                                Err(_) => (false, false),
                                Ok(p) => (
                                    true,
                                    p.verify(&index).unwrap_or(false) && p.serialize().ok().as_ref() != Some(&good),
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
            (SrsValue::deserialize(&random).is_ok(), IndexValue::deserialize(&random, &srs).is_ok())
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
        let outcome =
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| IndexValue::deserialize(&bytes, &srs).is_ok()));
        assert!(outcome.is_ok(), "panic on corrupted index {run} (byte {i})");
    }
}
