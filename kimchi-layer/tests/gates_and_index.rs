//! Gate vectors, prover indexes, lookup tables and the Poseidon permutation, called as Rust
//! functions (what the JS exports run after converting their arguments): round trips against
//! kimchi's own functions, and every bad input an `Err` with a message, never a panic.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;

use kimchi::circuits::gate::{Circuit, CircuitGate};
use kimchi::mina_curves::pasta::{Fp, Fq, Pallas, Vesta};
use kimchi::mina_poseidon::constants::PlonkSpongeConstantsKimchi;
use kimchi::mina_poseidon::pasta::{fp_kimchi, fq_kimchi, FULL_ROUNDS};
use kimchi::mina_poseidon::poseidon::{ArithmeticSponge, Sponge};
use kimchi::o1_utils::hasher::CryptoDigest;
use kimchi::poly_commitment::ipa::SRS;
use kimchi::poly_commitment::SRS as _;
use kimchi_handles::{Class, Handle};
use kimchi_handles_kimchi::circuit::{lookup_gates, square_gates, ZK_ROWS};
use kimchi_handles_kimchi::field::Fields;
use kimchi_handles_kimchi::gate_vector::{self, NapiWire, WasmGateWires};
use kimchi_handles_kimchi::index::{self, fp::*, fq::*};
use kimchi_handles_kimchi::lookup;
use kimchi_handles_kimchi::pasta::BaseSponge;
use kimchi_handles_kimchi::{point, poseidon, srs};

type FpVector = gate_vector::fp::WasmGateVector;
type FqVector = gate_vector::fq::WasmGateVector;

/// A handle disposed when the test is done with it, as JS code with `using` would.
struct Kept<T: Send + Sync + 'static>(Handle<T>);

impl<T: Send + Sync + 'static> std::ops::Deref for Kept<T> {
    type Target = Handle<T>;
    fn deref(&self) -> &Handle<T> {
        &self.0
    }
}

impl<T: Send + Sync + 'static> Drop for Kept<T> {
    fn drop(&mut self) {
        self.0.dispose();
    }
}

fn keep<T: kimchi_handles::DeepSize + Send + Sync + 'static>(class: &'static str, value: T) -> Kept<T> {
    Kept(Handle::new(class, value).unwrap())
}

fn fp_vector(gates: &[CircuitGate<Fp>]) -> Kept<FpVector> {
    let vector = keep(FpVector::NAME, gate_vector::fp::caml_pasta_fp_plonk_gate_vector_create());
    for gate in gates {
        let gate = gate_vector::WasmFpGate::from_kimchi(gate);
        gate_vector::fp::caml_pasta_fp_plonk_gate_vector_add(vector.borrow().unwrap(), gate).unwrap();
    }
    vector
}

fn fq_vector(gates: &[CircuitGate<Fq>]) -> Kept<FqVector> {
    let vector = keep(FqVector::NAME, FqVector::new());
    for gate in gates {
        let gate = gate_vector::WasmFqGate::from_kimchi(gate);
        gate_vector::fq::caml_pasta_fq_plonk_gate_vector_add(vector.borrow().unwrap(), gate).unwrap();
    }
    vector
}

fn fp_srs(size: usize) -> Kept<srs::WasmFpSrs> {
    keep(srs::WasmFpSrs::NAME, srs::WasmFpSrs { srs: Arc::new(SRS::<Vesta>::create(size)) })
}

fn fq_srs(size: usize) -> Kept<srs::WasmFqSrs> {
    keep(srs::WasmFqSrs::NAME, srs::WasmFqSrs { srs: Arc::new(SRS::<Pallas>::create(size)) })
}

fn fp_index(vector: &Kept<FpVector>, public: u32, srs: &Kept<srs::WasmFpSrs>) -> Result<WasmPastaFpPlonkIndex, String> {
    caml_pasta_fp_plonk_index_create(&vector.borrow().unwrap(), public, vec![], vec![], 0, srs.borrow().unwrap(), false)
        .map_err(|e| e.0)
}

fn err<T>(result: Result<T, kimchi_handles_kimchi::Error>) -> String {
    match result {
        Ok(_) => panic!("expected an error"),
        Err(e) => e.0,
    }
}

fn wire(row: u32, col: u32) -> NapiWire {
    NapiWire { row, col }
}

// ---- gate vectors -------------------------------------------------------------------------------

#[test]
fn gate_vector_add_get_len_wrap_and_bytes_round_trip() {
    use gate_vector::fp::*;
    let gates = square_gates::<Fp>(4);
    let vector = fp_vector(&gates);
    let v = vector.borrow().unwrap();
    assert_eq!(caml_pasta_fp_plonk_gate_vector_len(&v), gates.len() as u32);
    for (i, gate) in gates.iter().enumerate() {
        let got = caml_pasta_fp_plonk_gate_vector_get(&v, i as u32).unwrap();
        assert_eq!(got, gate_vector::WasmFpGate::from_kimchi(gate));
        assert_eq!(got.clone().to_kimchi("gate").unwrap().coeffs, gate.coeffs);
        assert_eq!(got.coeffs.len(), 32 * gate.coeffs.len());
    }
    assert_eq!(v.to_vec()[1].wires, gates[1].wires);

    // wrap: the target cell's wire becomes head.
    caml_pasta_fp_plonk_gate_vector_wrap(&v, wire(3, 2), wire(0, 0)).unwrap();
    let wrapped = caml_pasta_fp_plonk_gate_vector_get(&v, 3).unwrap();
    assert_eq!(wrapped.wires.w2, wire(0, 0));
    assert_eq!(wrapped.wires.w1, wire(3, 1));

    // Bytes: the same through both names, and back to the same gates.
    let bytes = caml_pasta_fp_plonk_gate_vector_to_bytes(&v).unwrap();
    assert_eq!(bytes, v.serialize().unwrap());
    assert_eq!(bytes, rmp_serde::to_vec(&v.to_vec()).unwrap(), "kimchi's MessagePack encoding of the gates");
    let back = caml_pasta_fp_plonk_gate_vector_from_bytes(&bytes).unwrap();
    assert_eq!(rmp_serde::to_vec(&back.to_vec()).unwrap(), bytes);
    let back = WasmFpGateVector::deserialize(&bytes).unwrap();
    assert_eq!(back.to_vec().len(), gates.len());
    let external = camlPastaFpPlonkGateVectorFromBytesExternal(&bytes).unwrap();
    assert_eq!(external.to_vec().len(), gates.len());

    // The ledger counts the gates and their coefficients.
    assert!(vector.bytes() as usize >= gates.len() * (std::mem::size_of::<CircuitGate<Fp>>() + 10 * 32));
}

#[test]
fn digest_and_circuit_json_are_kimchis() {
    let gates = square_gates::<Fp>(5);
    let vector = fp_vector(&gates);
    let v = vector.borrow().unwrap();
    let digest = gate_vector::fp::caml_pasta_fp_plonk_gate_vector_digest(1, &v);
    assert_eq!(digest.len(), 32);
    assert_eq!(digest, Circuit::new(1, &gates).digest().to_vec());
    assert_eq!(digest, gate_vector::fp::caml_pasta_fp_plonk_gate_vector_digest(1, &v), "stable");
    assert_ne!(digest, gate_vector::fp::caml_pasta_fp_plonk_gate_vector_digest(2, &v));

    let json = gate_vector::fp::caml_pasta_fp_plonk_circuit_serialize(1, &v).unwrap();
    assert_eq!(json, serde_json::to_string(&Circuit::new(1, &gates)).unwrap());
    assert!(
        json.starts_with(r#"{"public_input_size":1,"gates":[{"typ":"Generic","wires":[{"row":1,"col":0}"#),
        "{json}"
    );

    let fq_gates = square_gates::<Fq>(5);
    let fq = fq_vector(&fq_gates);
    let fq = fq.borrow().unwrap();
    assert_eq!(
        gate_vector::fq::caml_pasta_fq_plonk_gate_vector_digest(1, &fq),
        Circuit::new(1, &fq_gates).digest().to_vec()
    );
    assert_eq!(
        gate_vector::fq::caml_pasta_fq_plonk_circuit_serialize(1, &fq).unwrap(),
        serde_json::to_string(&Circuit::new(1, &fq_gates)).unwrap()
    );
}

#[test]
fn bad_gates_and_wires_are_refused_with_their_place() {
    use gate_vector::fp::*;
    let vector = fp_vector(&square_gates::<Fp>(3));
    let good = gate_vector::WasmFpGate::from_kimchi(&square_gates::<Fp>(3)[1]);
    let add = |gate: gate_vector::WasmFpGate| err(caml_pasta_fp_plonk_gate_vector_add(vector.borrow().unwrap(), gate));

    let message = add(gate_vector::WasmFpGate { typ: 18, ..good.clone() });
    assert_eq!(message, "caml_pasta_fp_plonk_gate_vector_add: gate.typ is 18: a gate type is a number from 0 to 17");
    assert!(add(gate_vector::WasmFpGate { typ: -1, ..good.clone() }).contains("gate.typ is -1"));

    let wires = WasmGateWires { w3: wire(1, 7), ..good.wires };
    let message = add(gate_vector::WasmFpGate { wires, ..good.clone() });
    assert_eq!(message, "caml_pasta_fp_plonk_gate_vector_add: gate.wires.w3.col is 7: a wire's column must be below 7");
    let wires = WasmGateWires { w0: wire(u32::MAX, 0), ..good.wires };
    assert!(add(gate_vector::WasmFpGate { wires, ..good.clone() }).contains("gate.wires.w0.row is 4294967295"));

    let message = add(gate_vector::WasmFpGate { coeffs: vec![0; 33], ..good.clone() });
    assert_eq!(message, "caml_pasta_fp_plonk_gate_vector_add: gate.coeffs has 33 bytes, not a multiple of 32");
    let message = add(gate_vector::WasmFpGate { coeffs: vec![0xff; 64], ..good.clone() });
    assert_eq!(message, "caml_pasta_fp_plonk_gate_vector_add: gate.coeffs element 0 is not a canonical field element");
    let message = add(gate_vector::WasmFpGate { coeffs: vec![0; 16 * 32], ..good.clone() });
    assert!(message.ends_with("gate.coeffs has 16 field elements: at most 15"), "{message}");

    // Nothing was added by the failed calls.
    let v = vector.borrow().unwrap();
    assert_eq!(caml_pasta_fp_plonk_gate_vector_len(&v), 5);

    assert_eq!(
        err(caml_pasta_fp_plonk_gate_vector_get(&v, 5)),
        "caml_pasta_fp_plonk_gate_vector_get: index 5 is out of range 0..5"
    );
    assert_eq!(
        err(caml_pasta_fp_plonk_gate_vector_wrap(&v, wire(5, 0), wire(0, 0))),
        "caml_pasta_fp_plonk_gate_vector_wrap: target.row 5 is out of range 0..5"
    );
    assert!(err(caml_pasta_fp_plonk_gate_vector_wrap(&v, wire(0, 9), wire(0, 0))).contains("target.col is 9"));
    assert!(err(caml_pasta_fp_plonk_gate_vector_wrap(&v, wire(0, 0), wire(0, 7))).contains("head.col is 7"));

    // Bytes that are not gates, and gates kimchi would trip over.
    assert!(err(caml_pasta_fp_plonk_gate_vector_from_bytes(&[1, 2, 3])).contains("malformed gate vector bytes"));
    assert!(err(WasmFpGateVector::deserialize(&[])).contains("WasmFpGateVector.deserialize: malformed"));
    let mut bad = square_gates::<Fp>(3);
    bad[2].wires[4].col = 9;
    let message = err(caml_pasta_fp_plonk_gate_vector_from_bytes(&rmp_serde::to_vec(&bad).unwrap()));
    assert_eq!(
        message,
        "caml_pasta_fp_plonk_gate_vector_from_bytes: gate 2.wires.w4.col is 9: a wire's column must be below 7"
    );
}

// ---- prover indexes -----------------------------------------------------------------------------

#[test]
fn fp_index_create_encode_decode_keeps_the_verifier_index() {
    let srs = fp_srs(256);
    let vector = fp_vector(&square_gates::<Fp>(8));
    let index = fp_index(&vector, 1, &srs).unwrap();
    assert_eq!(caml_pasta_fp_plonk_index_domain_d1_size(&index), 256);
    assert_eq!(caml_pasta_fp_plonk_index_domain_d4_size(&index), 1024);
    assert_eq!(caml_pasta_fp_plonk_index_domain_d8_size(&index), 2048);
    assert_eq!(index::pasta_fp_plonk_index_domain_d8_size(&index), 2048);
    assert_eq!(caml_pasta_fp_plonk_index_public_inputs(&index), 1);
    assert_eq!(caml_pasta_fp_plonk_index_max_degree(&index), 256);
    assert_eq!(index.index.cs.zk_rows as usize, ZK_ROWS);
    let digest = index.index.verifier_index_digest.expect("create computes the digest");
    assert!(srs.borrow().unwrap().srs.lagrange_bases.contains_key(&256), "the SRS keeps the basis");

    // The ledger: the index's measured bytes are at least its column evaluations.
    let handle = keep(WasmPastaFpPlonkIndex::NAME, index);
    let bytes = handle.bytes() as usize;
    assert!(bytes > 216 * 256 * 32, "{bytes}");
    assert!(bytes < 400 * 256 * 32, "{bytes}");
    let index = handle.borrow().unwrap();

    // encode / decode: same bytes again, and the decoded index makes the same verifier index.
    let encoded = caml_pasta_fp_plonk_index_encode(&index).unwrap();
    let decoded = caml_pasta_fp_plonk_index_decode(&encoded, srs.borrow().unwrap()).unwrap();
    assert_eq!(decoded.index.verifier_index_digest, Some(digest));
    assert_eq!(decoded.index.verifier_index().digest::<BaseSponge<kimchi_handles_kimchi::pasta::Fp>>(), digest);
    assert_eq!(caml_pasta_fp_plonk_index_encode(&decoded).unwrap(), encoded);
    assert!(Arc::ptr_eq(&decoded.index.srs, &srs.borrow().unwrap().srs), "the SRS is shared");

    // The napi envelope with its own SRS.
    let both = prover_index_fp_serialize(&index).unwrap();
    let alone = prover_index_fp_deserialize(&both).unwrap();
    assert!(alone.srs.is_none());
    assert_eq!(alone.index.verifier_index_digest, Some(digest));
    assert_eq!(alone.index.verifier_index().digest::<BaseSponge<kimchi_handles_kimchi::pasta::Fp>>(), digest);
    assert_eq!(prover_index_fp_serialize(&alone).unwrap(), both);
}

#[test]
fn fq_index_create_encode_decode_keeps_the_verifier_index() {
    let srs = fq_srs(512);
    let vector = fq_vector(&square_gates::<Fq>(9));
    let v = vector.borrow().unwrap();
    let index = caml_pasta_fq_plonk_index_create(&v, 1, vec![], vec![], 2, srs.borrow().unwrap(), true).unwrap();
    assert_eq!(caml_pasta_fq_plonk_index_domain_d1_size(&index), 512);
    assert_eq!(caml_pasta_fq_plonk_index_max_degree(&index), 512);
    assert_eq!(index.index.cs.prev_challenges, 2);
    let digest = index.index.verifier_index_digest.unwrap();
    let encoded = caml_pasta_fq_plonk_index_encode(&index).unwrap();
    let decoded = caml_pasta_fq_plonk_index_decode(&encoded, srs.borrow().unwrap()).unwrap();
    assert_eq!(decoded.index.verifier_index().digest::<BaseSponge<kimchi_handles_kimchi::pasta::Fq>>(), digest);
    let alone = prover_index_fq_deserialize(&prover_index_fq_serialize(&index).unwrap()).unwrap();
    assert_eq!(alone.index.verifier_index_digest, Some(digest));
}

#[test]
fn a_domain_larger_than_a_power_of_two_srs_is_chunked() {
    let srs = fp_srs(32);
    let vector = fp_vector(&square_gates::<Fp>(6));
    let index = fp_index(&vector, 1, &srs).unwrap();
    // Chunks need more zero-knowledge rows: the 61 gates take a domain of 128, in 4 chunks.
    assert_eq!(caml_pasta_fp_plonk_index_domain_d1_size(&index), 128);
    assert_eq!(index.index.cs.zk_rows, 9);
    assert_eq!(index.index.verifier_index().sigma_comm[0].chunks.len(), 4);
    let encoded = caml_pasta_fp_plonk_index_encode(&index).unwrap();
    assert!(caml_pasta_fp_plonk_index_decode(&encoded, srs.borrow().unwrap()).is_ok());
}

#[test]
fn fixed_lookup_tables_and_runtime_table_configurations() {
    use kimchi_handles_kimchi::lookup::fp::{Columns, TableCfg};
    let srs = fp_srs(256);
    let vector = fp_vector(&lookup_gates::<Fp>(8));
    let v = vector.borrow().unwrap();
    let column = |values: &[u64]| values.iter().map(|x| Fp::from(*x)).collect::<Vec<_>>();
    let table = |id, columns: Vec<Vec<Fp>>| lookup::WasmPastaFpLookupTable { id, data: Columns(columns) };
    let create = |tables, cfgs| caml_pasta_fp_plonk_index_create(&v, 1, tables, cfgs, 0, srs.borrow().unwrap(), false);

    let index = create(vec![table(1, vec![column(&[0, 1, 2, 3]), column(&[0, 1, 4, 9])])], vec![]).unwrap();
    let lookup = index.index.verifier_index().lookup_index.expect("a lookup index");
    assert_eq!(lookup.lookup_table.len(), 2);
    assert!(lookup.table_ids.is_some(), "a table with an id other than 0");

    let decode = |index: &WasmPastaFpPlonkIndex| {
        let encoded = caml_pasta_fp_plonk_index_encode(index).unwrap();
        let decoded = caml_pasta_fp_plonk_index_decode(&encoded, srs.borrow().unwrap()).unwrap();
        assert_eq!(
            decoded.index.verifier_index().digest::<BaseSponge<kimchi_handles_kimchi::pasta::Fp>>(),
            index.index.verifier_index_digest.unwrap()
        );
    };
    decode(&index);

    let cfg = TableCfg { id: 5, first_column: Fields(column(&[1, 2, 3])) };
    let index = create(vec![], vec![cfg]).unwrap();
    assert!(index.index.verifier_index().lookup_index.unwrap().runtime_tables_selector.is_some());
    decode(&index);

    // What kimchi would panic on, refused first; what kimchi refuses, with its reason.
    assert_eq!(
        err(create(vec![table(1, vec![])], vec![])),
        "caml_pasta_fp_plonk_index_create: lookupTables[0].data has no column"
    );
    assert_eq!(
        err(create(vec![table(0, vec![column(&[0])]), table(1, vec![column(&[1, 2]), column(&[3])])], vec![])),
        "caml_pasta_fp_plonk_index_create: lookupTables[1].data[1] has 1 rows, but data[0] has 2"
    );
    let message = err(create(vec![table(0, vec![column(&[1, 2])])], vec![]));
    assert!(message.contains("The table with id 0 must have an entry of all zeros"), "{message}");
    let message = err(create(vec![table(3, vec![column(&[1])]), table(3, vec![column(&[2])])], vec![]));
    assert!(message.contains("could not create the lookup constraint system"), "{message}");

    // Runtime tables for proofs convert as they are.
    let rt = lookup::fp::runtime_tables_to_kimchi(vec![lookup::WasmFpRuntimeTable {
        id: 5,
        data: Fields(column(&[7, 8, 9])),
    }]);
    assert_eq!((rt[0].id, rt[0].data.len()), (5, 3));
}

#[test]
fn bad_index_inputs_are_errors_not_panics() {
    let srs = fp_srs(256);
    let gates = square_gates::<Fp>(8);
    let vector = fp_vector(&gates);

    let message = fp_index(&vector, 254, &srs).err().unwrap();
    assert_eq!(message, "caml_pasta_fp_plonk_index_create: public_ is 254, but the circuit has 253 gates");

    let one = fp_vector(&gates[..1]);
    assert_eq!(
        fp_index(&one, 0, &srs).err().unwrap(),
        "caml_pasta_fp_plonk_index_create: a circuit needs at least 2 gates, this one has 1"
    );

    // A wire to a row past the circuit (wrap accepts it: the circuit may still grow).
    let dangling = fp_vector(&gates);
    gate_vector::fp::caml_pasta_fp_plonk_gate_vector_wrap(&dangling.borrow().unwrap(), wire(7, 3), wire(900, 1))
        .unwrap();
    let message = fp_index(&dangling, 1, &srs).err().unwrap();
    assert!(message.contains("gate 7 wires w3 to row 900 column 1, outside the circuit (253 gates"), "{message}");

    // A domain larger than an SRS whose size does not split it into chunks.
    let odd = fp_srs(100);
    let message = fp_index(&vector, 1, &odd).err().unwrap();
    assert!(message.contains("larger than the SRS of 100 points"), "{message}");
    // An SRS too small for any domain to fit its zero-knowledge rows: kimchi's own error.
    let tiny = fp_srs(2);
    let message = fp_index(&vector, 1, &tiny).err().unwrap();
    assert!(message.contains("could not create the constraint system"), "{message}");

    // Bytes that are not an index, an index cut short, an index over another SRS's size.
    let index = fp_index(&vector, 1, &srs).unwrap();
    let encoded = caml_pasta_fp_plonk_index_encode(&index).unwrap();
    for bytes in [&[][..], &[0xc0][..], &[1, 2, 3, 4][..], &encoded[..encoded.len() / 2]] {
        let message = err(caml_pasta_fp_plonk_index_decode(bytes, srs.borrow().unwrap()));
        assert!(message.starts_with("caml_pasta_fp_plonk_index_decode: malformed index bytes: "), "{message}");
    }
    // A corrupted vector length inside the bytes (decoding them as they are aborts the process:
    // arkworks reserves room for the announced length first).
    let evals = encoded.windows(13).position(|w| w[0] == 0xc6 && w[5..] == [0, 8, 0, 0, 0, 0, 0, 0]).unwrap();
    let mut corrupt = encoded.clone();
    corrupt[evals + 5..evals + 13].copy_from_slice(&[0, 0, 0, 0, 0, 0, 0, 1]);
    let message = err(caml_pasta_fp_plonk_index_decode(&corrupt, srs.borrow().unwrap()));
    assert!(message.ends_with("announces 72057594037927936 elements in 65780 bytes"), "{message}");

    let other = fp_srs(512);
    assert_eq!(
        err(caml_pasta_fp_plonk_index_decode(&encoded, other.borrow().unwrap())),
        "caml_pasta_fp_plonk_index_decode: the index was made over an SRS of 256 points, this SRS has 512"
    );
    assert!(err(prover_index_fp_deserialize(&encoded)).starts_with("prover_index_fp_deserialize: malformed"));
    assert!(err(prover_index_fp_deserialize(&[0x92, 0x90, 0x90])).contains("malformed index bytes"));

    // A decoded index whose parts do not fit its domain.
    let mut broken = index.index.as_ref().clone();
    let mut cs = broken.cs.as_ref().clone();
    let mut cut = cs.gates.as_ref().clone();
    cut.pop();
    cs.gates = Arc::new(cut);
    broken.cs = Arc::new(cs);
    let message = err(caml_pasta_fp_plonk_index_decode(&rmp_serde::to_vec(&broken).unwrap(), srs.borrow().unwrap()));
    assert!(message.contains("the index has 255 gates and 256 permutation rows for a domain of 256"), "{message}");

    // Files.
    let message = err(caml_pasta_fp_plonk_index_read(None, &srs.borrow().unwrap(), "/tmp/x".into()));
    assert_eq!(message, "caml_pasta_fp_plonk_index_read(\"/tmp/x\"): files are not available in WebAssembly");
    assert!(
        err(caml_pasta_fp_plonk_index_write(Some(true), &index, "/tmp/x".into())).contains("files are not available")
    );
}

// ---- Poseidon and points ------------------------------------------------------------------------

#[test]
fn poseidon_block_cipher_is_kimchis_permutation() {
    let state = vec![Fp::from(1u64), Fp::from(2u64), Fp::from(3u64)];
    let out = poseidon::caml_pasta_fp_poseidon_block_cipher(Fields(state.clone())).unwrap().0;
    let mut sponge = ArithmeticSponge::<Fp, PlonkSpongeConstantsKimchi, FULL_ROUNDS>::new(fp_kimchi::static_params());
    sponge.state = state;
    sponge.poseidon_block_cipher();
    assert_eq!(out, sponge.state);

    // Hashing one element is absorbing it into a zero state, then one permutation.
    let x = Fq::from(42u64);
    let mut sponge = ArithmeticSponge::<Fq, PlonkSpongeConstantsKimchi, FULL_ROUNDS>::new(fq_kimchi::static_params());
    sponge.absorb(&[x]);
    let hash = sponge.squeeze();
    let out = poseidon::caml_pasta_fq_poseidon_block_cipher(Fields(vec![x, Fq::from(0u64), Fq::from(0u64)])).unwrap().0;
    assert_eq!(out[0], hash);

    assert_eq!(
        err(poseidon::caml_pasta_fp_poseidon_block_cipher(Fields(vec![Fp::from(1u64); 2]))),
        "caml_pasta_fp_poseidon_block_cipher: the state has 2 field elements, not 3"
    );
    assert!(poseidon::caml_pasta_fq_poseidon_block_cipher(Fields(vec![])).is_err());
}

#[test]
fn affine_one_is_the_generator() {
    use ark_ec::AffineRepr;
    assert_eq!(point::caml_vesta_affine_one().to_curve().unwrap(), Vesta::generator());
    assert_eq!(point::caml_pallas_affine_one().to_curve().unwrap(), Pallas::generator());
    assert!(!point::caml_vesta_affine_one().infinity);
}
