//! The prover index of each field (`WasmPastaFpPlonkIndex`, `WasmPastaFqPlonkIndex`): a handle
//! owning kimchi's `ProverIndex`, made from a gate vector over an SRS or decoded from bytes, and
//! the functions o1js calls on it. An index made over an SRS handle keeps that handle's value (and
//! with it the SRS's bytes in the ledger, under the SRS's class) for as long as it lives.
//!
//! Everything JS can get wrong is checked before kimchi sees it: the circuit's wires and public
//! inputs, the lookup tables, the domain against the SRS, and, for decoded bytes, the shape of
//! every part a prover would index into.

use std::mem::size_of;

use ark_ff::{FftField, PrimeField};
use ark_poly::univariate::DensePolynomial;
use ark_poly::{EvaluationDomain, Evaluations, Radix2EvaluationDomain};
use ark_serialize::CanonicalSerialize;
use kimchi::circuits::constraints::{ColumnEvaluations, ConstraintSystem, ZK_ROWS_BY_DEFAULT};
use kimchi::circuits::expr::Linearization;
use kimchi::circuits::gate::CircuitGate;
use kimchi::circuits::lookup::index::{LookupConstraintSystem, LookupError};
use kimchi::circuits::lookup::lookups::LookupPatterns;
use kimchi::circuits::wires::{COLUMNS, PERMUTS};
use kimchi::o1_utils::lazy_cache::LazyCacheErrorOr;
use kimchi::poly_commitment::commitment::PolyComm;
use kimchi::poly_commitment::SRS as _;
use serde::{Deserialize, Serialize};

use crate::error::{fail, Error};
use crate::pasta::{Pasta, ProverIndex, VerifierIndex, F, G};
use crate::srs::MAX_DOMAIN;

// ---- sizes --------------------------------------------------------------------------------------

/// Field elements per row of the domain in the column evaluations of every circuit: 7 permutation
/// and 15 coefficient columns and 4 selectors evaluated over d8, 2 selectors over d4.
const COLUMN_EVALS_PER_ROW: usize = (PERMUTS + COLUMNS + 4) * 8 + 2 * 4;
/// Per row and per optional gate kind a circuit uses (range checks, foreign fields, xor, rot).
const OPTIONAL_EVALS_PER_ROW: usize = 8;
/// Per row, kimchi's domain constants (4 evaluations over d8, 1 over d4). They are private to
/// kimchi, so they are estimated, and counted as computed: kimchi computes them when it makes
/// the verifier index, or on the first proof of a decoded index.
const DOMAIN_CONSTANTS_PER_ROW: usize = 4 * 8 + 4;
/// The powers of alpha (a map of a dozen entries and a few field elements), private to kimchi:
/// estimated.
const ALPHAS_BYTES: usize = 1024;
/// Commitments in a verifier index, at most (fixed, optional and lookup ones).
const VERIFIER_COMMITMENTS: usize = 48;

fn vec_bytes<T>(v: &Vec<T>) -> usize {
    v.capacity() * size_of::<T>()
}

fn evals_bytes<F: FftField>(e: &Evaluations<F, Radix2EvaluationDomain<F>>) -> usize {
    vec_bytes(&e.evals)
}

fn poly_bytes<F: FftField>(p: &DensePolynomial<F>) -> usize {
    vec_bytes(&p.coeffs)
}

fn comm_bytes<G>(c: &PolyComm<G>) -> usize {
    vec_bytes(&c.chunks)
}

fn opt<T>(x: &Option<T>, f: impl Fn(&T) -> usize) -> usize {
    x.as_ref().map_or(0, f)
}

/// Heap bytes of gates: the vector and every gate's coefficients.
pub fn gates_bytes<F: PrimeField>(gates: &Vec<CircuitGate<F>>) -> usize {
    vec_bytes(gates) + gates.iter().map(|g| vec_bytes(&g.coeffs)).sum::<usize>()
}

fn column_evaluations_bytes<F: PrimeField>(c: &ColumnEvaluations<F>) -> usize {
    let optional = [
        &c.range_check0_selector8,
        &c.range_check1_selector8,
        &c.foreign_field_add_selector8,
        &c.foreign_field_mul_selector8,
        &c.xor_selector8,
        &c.rot_selector8,
    ];
    c.permutation_coefficients8.iter().chain(&c.coefficients8).map(evals_bytes).sum::<usize>()
        + [
            &c.generic_selector4,
            &c.poseidon_selector8,
            &c.complete_add_selector4,
            &c.mul_selector8,
            &c.emul_selector8,
            &c.endomul_scalar_selector8,
        ]
        .into_iter()
        .map(evals_bytes)
        .sum::<usize>()
        + optional.into_iter().map(|e| opt(e, evals_bytes)).sum::<usize>()
}

fn lookup_bytes<F: PrimeField>(l: &LookupConstraintSystem<F>) -> usize {
    let s = &l.lookup_selectors;
    vec_bytes(&l.lookup_table)
        + l.lookup_table.iter().map(poly_bytes).sum::<usize>()
        + vec_bytes(&l.lookup_table8)
        + l.lookup_table8.iter().map(evals_bytes).sum::<usize>()
        + opt(&l.table_ids, poly_bytes)
        + opt(&l.table_ids8, evals_bytes)
        + [&s.xor, &s.lookup, &s.range_check, &s.ffmul].into_iter().map(|e| opt(e, evals_bytes)).sum::<usize>()
        + opt(&l.runtime_selector, evals_bytes)
        + opt(&l.runtime_tables, vec_bytes)
}

fn linearization_bytes<E, C>(l: &Linearization<Vec<E>, C>) -> usize {
    vec_bytes(&l.constant_term)
        + vec_bytes(&l.index_terms)
        + l.index_terms.iter().map(|(_, e)| vec_bytes(e)).sum::<usize>()
}

fn verifier_index_bytes<P: Pasta>(v: &VerifierIndex<P>) -> usize {
    let fixed = v.sigma_comm.iter().chain(&v.coefficients_comm).chain([
        &v.generic_comm,
        &v.psm_comm,
        &v.complete_add_comm,
        &v.mul_comm,
        &v.emul_comm,
        &v.endomul_scalar_comm,
    ]);
    let optional = [
        &v.range_check0_comm,
        &v.range_check1_comm,
        &v.foreign_field_add_comm,
        &v.foreign_field_mul_comm,
        &v.xor_comm,
        &v.rot_comm,
    ];
    let lookup = opt(&v.lookup_index, |l| {
        let s = &l.lookup_selectors;
        vec_bytes(&l.lookup_table)
            + l.lookup_table.iter().map(comm_bytes).sum::<usize>()
            + [&s.xor, &s.lookup, &s.range_check, &s.ffmul, &l.table_ids, &l.runtime_tables_selector]
                .into_iter()
                .map(|c| opt(c, comm_bytes))
                .sum::<usize>()
    });
    fixed.map(comm_bytes).sum::<usize>()
        + optional.into_iter().map(|c| opt(c, comm_bytes)).sum::<usize>()
        + lookup
        + linearization_bytes(&v.linearization)
        + ALPHAS_BYTES
        + v.permutation_vanishing_polynomial_m.get().map_or(0, poly_bytes)
}

/// Deep bytes of a prover index, without its SRS (counted under the SRS's class, or by the
/// handle that owns it alone). Measured: the gates, the column evaluations, the lookup
/// constraint system, the linearization and the cached verifier index; estimated: kimchi's
/// private domain constants and powers of alpha (see the constants above).
pub fn index_bytes<P: Pasta>(index: &ProverIndex<P>) -> usize {
    let cs = &index.cs;
    let n = cs.domain.d1.size();
    // Computed when the index was made or decoded, so reading them computes nothing.
    let lookup = match cs.lookup_constraint_system.try_get_or_err() {
        Ok(Some(l)) => lookup_bytes(l),
        _ => 0,
    };
    size_of::<ProverIndex<P>>()
        + size_of::<ConstraintSystem<F<P>>>()
        + gates_bytes(&cs.gates)
        + vec_bytes(&cs.sid)
        + lookup
        + DOMAIN_CONSTANTS_PER_ROW * n * size_of::<F<P>>()
        + size_of::<ColumnEvaluations<F<P>>>()
        + column_evaluations_bytes(index.column_evaluations.get())
        + linearization_bytes(&index.linearization)
        + ALPHAS_BYTES
        + opt(&index.verifier_index, verifier_index_bytes::<P>)
}

/// What an index over this constraint system will take, before its large parts are computed:
/// from the domain size, the optional gates and lookups used, and the gates' coefficients.
fn estimate_index_bytes<P: Pasta>(
    cs: &ConstraintSystem<F<P>>,
    coeff_bytes: usize,
    table_width: usize,
    chunks: usize,
) -> usize {
    let n = cs.domain.d1.size();
    let flags = &cs.feature_flags;
    let optional = [
        flags.range_check0,
        flags.range_check1,
        flags.foreign_field_add,
        flags.foreign_field_mul,
        flags.xor,
        flags.rot,
    ]
    .into_iter()
    .filter(|used| *used)
    .count();
    let lookups =
        flags.lookup_features.patterns != LookupPatterns::default() || flags.lookup_features.uses_runtime_tables;
    // Per table column an evaluation over d8 and a polynomial; the table ids the same; up to
    // four selectors and the runtime selector over d8.
    let lookup_per_row = if lookups { 9 * table_width.max(3) + 9 + 5 * 8 } else { 0 };
    let per_row =
        COLUMN_EVALS_PER_ROW + OPTIONAL_EVALS_PER_ROW * optional + DOMAIN_CONSTANTS_PER_ROW + lookup_per_row + 1;
    size_of::<ProverIndex<P>>()
        + n * size_of::<CircuitGate<F<P>>>()
        + coeff_bytes
        + per_row * n * size_of::<F<P>>()
        + VERIFIER_COMMITMENTS * chunks * size_of::<G<P>>()
        + 2 * ALPHAS_BYTES
}

/// What decoding `bytes` encoded bytes will take: the encoding is mostly the column evaluations,
/// 32 bytes each as in memory; kimchi's domain constants come on top.
fn decoded_estimate(bytes: usize) -> usize {
    bytes.saturating_add(bytes / 4)
}

// ---- checks -------------------------------------------------------------------------------------

/// A circuit kimchi can index: two gates at least, no more public inputs than gates, and every
/// wire naming a cell of the circuit (kimchi indexes its permutation by them).
fn check_circuit<F: PrimeField>(gates: &[CircuitGate<F>], public: usize) -> Result<(), Error> {
    let len = gates.len();
    if len < 2 {
        return fail!("a circuit needs at least 2 gates, this one has {len}");
    }
    if public > len {
        return fail!("public_ is {public}, but the circuit has {len} gates");
    }
    for (row, gate) in gates.iter().enumerate() {
        for (i, wire) in gate.wires.iter().enumerate() {
            if wire.row >= len || wire.col >= PERMUTS {
                return fail!(
                    "gate {row} wires w{i} to row {} column {}, outside the circuit ({len} gates, {PERMUTS} wired columns)",
                    wire.row,
                    wire.col
                );
            }
        }
    }
    Ok(())
}

/// A domain this layer indexes over this SRS. A domain larger than the SRS is committed to in
/// chunks of the SRS's size, which kimchi counts as `domain / size`: exact only for a
/// power-of-two size.
fn check_domain(n: usize, srs_size: usize) -> Result<(), Error> {
    if n > MAX_DOMAIN {
        return fail!("the circuit needs a domain of {n} rows: at most {MAX_DOMAIN}");
    }
    if srs_size == 0 {
        return fail!("the SRS is empty");
    }
    if n > srs_size && !srs_size.is_power_of_two() {
        return fail!(
            "the circuit's domain of {n} rows is larger than the SRS of {srs_size} points, \
             which cannot be split into chunks: its size is not a power of two"
        );
    }
    Ok(())
}

fn lookup_error(e: &LazyCacheErrorOr<LookupError>) -> String {
    match e {
        LazyCacheErrorOr::Inner(e) => e.to_string(),
        LazyCacheErrorOr::Outer(e) => format!("{e:?}"),
    }
}

fn check_evals<F: FftField>(
    e: &Evaluations<F, Radix2EvaluationDomain<F>>,
    size: usize,
    what: &str,
) -> Result<(), Error> {
    if e.evals.len() != size || e.domain().size() != size {
        return fail!(
            "{what} has {} evaluations over a domain of {}, expected {size}",
            e.evals.len(),
            e.domain().size()
        );
    }
    Ok(())
}

/// Refuses MessagePack whose byte strings announce an arkworks vector longer than they are.
/// kimchi encodes its polynomials and evaluations that way, and arkworks reserves room for the
/// announced length before it reads the elements: one corrupted length would abort the instance.
/// Strings of one `element` are field elements and strings of `domain` bytes evaluation domains
/// (which begin with their size); every other string of 8 bytes or more begins with a length.
fn check_vector_lengths(bytes: &[u8], element: usize, domain: usize) -> Result<(), String> {
    fn take<'a>(bytes: &'a [u8], at: &mut usize, n: usize) -> Result<&'a [u8], String> {
        let part = at.checked_add(n).and_then(|end| bytes.get(*at..end)).ok_or("the bytes end early")?;
        *at += n;
        Ok(part)
    }
    fn uint(bytes: &[u8], at: &mut usize, n: usize) -> Result<usize, String> {
        let part = take(bytes, at, n)?;
        Ok(part.iter().fold(0usize, |acc, b| acc.saturating_mul(256).saturating_add(usize::from(*b))))
    }
    let mut at = 0;
    // Values still to read: each one takes at least its marker byte, so this ends.
    let mut pending: usize = 1;
    while pending > 0 {
        pending -= 1;
        let marker = take(bytes, &mut at, 1)?[0];
        let (skip, items, string) = match marker {
            0x00..=0x7f | 0xc0 | 0xc2 | 0xc3 | 0xe0..=0xff => (0, 0, false),
            0x80..=0x8f => (0, 2 * usize::from(marker & 0x0f), false),
            0x90..=0x9f => (0, usize::from(marker & 0x0f), false),
            0xa0..=0xbf => (usize::from(marker & 0x1f), 0, false),
            0xc4 => (uint(bytes, &mut at, 1)?, 0, true),
            0xc5 => (uint(bytes, &mut at, 2)?, 0, true),
            0xc6 => (uint(bytes, &mut at, 4)?, 0, true),
            0xc7 => (uint(bytes, &mut at, 1)?.saturating_add(1), 0, false),
            0xc8 => (uint(bytes, &mut at, 2)?.saturating_add(1), 0, false),
            0xc9 => (uint(bytes, &mut at, 4)?.saturating_add(1), 0, false),
            0xca | 0xce | 0xd2 => (4, 0, false),
            0xcb | 0xcf | 0xd3 => (8, 0, false),
            0xcc | 0xd0 => (1, 0, false),
            0xcd | 0xd1 => (2, 0, false),
            0xd4..=0xd8 => (1 + (1 << (marker - 0xd4)), 0, false),
            0xd9 => (uint(bytes, &mut at, 1)?, 0, false),
            0xda => (uint(bytes, &mut at, 2)?, 0, false),
            0xdb => (uint(bytes, &mut at, 4)?, 0, false),
            0xdc => (0, uint(bytes, &mut at, 2)?, false),
            0xdd => (0, uint(bytes, &mut at, 4)?, false),
            0xde => (0, uint(bytes, &mut at, 2)?.saturating_mul(2), false),
            0xdf => (0, uint(bytes, &mut at, 4)?.saturating_mul(2), false),
            0xc1 => return Err(format!("byte {at} is not MessagePack")),
        };
        let start = at;
        let value = take(bytes, &mut at, skip)?;
        pending = pending.saturating_add(items);
        if string && skip >= 8 && skip != element && skip != domain {
            let mut length = [0u8; 8];
            length.copy_from_slice(&value[..8]);
            let length = u64::from_le_bytes(length);
            let fits =
                length.checked_mul(element as u64).and_then(|b| b.checked_add(8)).is_some_and(|b| b <= skip as u64);
            if !fits {
                return Err(format!("the vector at byte {start} announces {length} elements in {skip} bytes"));
            }
        }
    }
    Ok(())
}

/// [`check_vector_lengths`] for an encoded prover index of field `F`.
fn check_encoded_index<F: PrimeField>(bytes: &[u8]) -> Result<(), String> {
    let element = F::zero().compressed_size();
    let domain = Radix2EvaluationDomain::<F>::new(2).map_or(0, |d| d.compressed_size());
    check_vector_lengths(bytes, element, domain)
}

/// A decoded index is only data: check every size a prover relies on, so that bytes that do not
/// come from `encode` give an error here rather than a panic in the first proof. An index with
/// the right shapes but wrong values decodes; its proofs do not verify.
fn check_decoded<P: Pasta>(index: &ProverIndex<P>) -> Result<(), Error> {
    let cs = &index.cs;
    let d = &cs.domain;
    let n = d.d1.size();
    if !n.is_power_of_two() || !(4..=MAX_DOMAIN).contains(&n) || d.d1.log_size_of_group != n.trailing_zeros() {
        return fail!("the index's domain of {n} rows is not a power of two from 4 to {MAX_DOMAIN}");
    }
    if d.d2.size() != 2 * n || d.d4.size() != 4 * n || d.d8.size() != 8 * n {
        return fail!(
            "the index's domains ({n}, {}, {}, {}) are not n, 2n, 4n, 8n",
            d.d2.size(),
            d.d4.size(),
            d.d8.size()
        );
    }
    if cs.gates.len() != n || cs.sid.len() != n {
        return fail!(
            "the index has {} gates and {} permutation rows for a domain of {n}",
            cs.gates.len(),
            cs.sid.len()
        );
    }
    for (row, gate) in cs.gates.iter().enumerate() {
        crate::gate_vector::check_gate(gate, &format!("the index's gate {row}"))?;
        if let Some(wire) = gate.wires.iter().find(|w| w.row >= n) {
            return fail!("the index's gate {row} wires to row {}, outside its domain of {n}", wire.row);
        }
    }
    let zk_rows = usize::try_from(cs.zk_rows).unwrap_or(usize::MAX);
    if cs.zk_rows < ZK_ROWS_BY_DEFAULT || zk_rows >= n {
        return fail!("the index has {} zero-knowledge rows for a domain of {n}", cs.zk_rows);
    }
    if cs.public > n - zk_rows {
        return fail!("the index has {} public inputs for a domain of {n}", cs.public);
    }
    let srs_size = index.srs.max_poly_size();
    if index.max_poly_size != srs_size {
        return fail!("the index was made over an SRS of {} points, this SRS has {srs_size}", index.max_poly_size);
    }
    check_domain(n, srs_size)?;

    let c = index.column_evaluations.get();
    for (i, e) in c.permutation_coefficients8.iter().enumerate() {
        check_evals(e, 8 * n, &format!("permutation column {i}"))?;
    }
    for (i, e) in c.coefficients8.iter().enumerate() {
        check_evals(e, 8 * n, &format!("coefficient column {i}"))?;
    }
    for (e, size, what) in [
        (&c.generic_selector4, 4, "the generic selector"),
        (&c.poseidon_selector8, 8, "the Poseidon selector"),
        (&c.complete_add_selector4, 4, "the addition selector"),
        (&c.mul_selector8, 8, "the scalar multiplication selector"),
        (&c.emul_selector8, 8, "the endomorphism multiplication selector"),
        (&c.endomul_scalar_selector8, 8, "the endomorphism scalar selector"),
    ] {
        check_evals(e, size * n, what)?;
    }
    let flags = &cs.feature_flags;
    for (e, used, what) in [
        (&c.range_check0_selector8, flags.range_check0, "range check 0"),
        (&c.range_check1_selector8, flags.range_check1, "range check 1"),
        (&c.foreign_field_add_selector8, flags.foreign_field_add, "foreign field addition"),
        (&c.foreign_field_mul_selector8, flags.foreign_field_mul, "foreign field multiplication"),
        (&c.xor_selector8, flags.xor, "xor"),
        (&c.rot_selector8, flags.rot, "rotation"),
    ] {
        match e {
            Some(e) if used => check_evals(e, 8 * n, &format!("the {what} selector"))?,
            None if !used => {}
            _ => return fail!("the index's {what} selector does not match its feature flags"),
        }
    }
    match cs.lookup_constraint_system.try_get_or_err() {
        Err(e) => return fail!("the index's lookup constraint system is an error: {}", lookup_error(&e)),
        Ok(None) => {}
        Ok(Some(l)) => {
            let s = &l.lookup_selectors;
            let parts = l.lookup_table8.iter().map(Some).chain([
                l.table_ids8.as_ref(),
                s.xor.as_ref(),
                s.lookup.as_ref(),
                s.range_check.as_ref(),
                s.ffmul.as_ref(),
                l.runtime_selector.as_ref(),
            ]);
            for e in parts.flatten() {
                check_evals(e, 8 * n, "a lookup evaluation")?;
            }
        }
    }
    Ok(())
}

/// The error prefixed with the function's name.
fn within(function: &str) -> impl Fn(Error) -> Error + '_ {
    move |e| Error(format!("{function}: {e}"))
}

/// The parts of an index that are not encoded: kimchi computes them from the feature flags.
fn relink<P: Pasta>(index: &mut ProverIndex<P>) {
    let (linearization, powers_of_alpha) =
        kimchi::linearization::expr_linearization(Some(&index.cs.feature_flags), true);
    index.linearization = linearization;
    index.powers_of_alpha = powers_of_alpha;
}

/// The bytes of `prover_index_f?_serialize` (kimchi-wasm's `WasmPastaF?PlonkIndex#serialize`):
/// the index's encoding and its SRS's, each a MessagePack array of byte values.
#[derive(Serialize, Deserialize)]
struct IndexWithSrs {
    prover_index: Vec<u8>,
    srs: Vec<u8>,
}

macro_rules! index_family {
    ($f:ident, $P:ty) => {
        paste::paste! {
            pub mod $f {
                use std::sync::Arc;

                use kimchi::curve::KimchiCurve;
                use kimchi_handles::{check_budget, Shared, Class, DeepSize};

                use super::*;
                use crate::gate_vector::$f::WasmGateVector as GateVector;
                use crate::lookup::$f::{tables_to_kimchi, Table, TableCfg};
                use crate::pasta::{BaseSponge, Srs, ROUNDS};
                use crate::srs::$f::WasmSrs;

                type Scalar = <$P as Pasta>::F;
                type Curve = <$P as Pasta>::G;

                #[doc = "A prover index for circuits over " $f:upper ": what proofs are created with."]
                #[kimchi_handles::class]
                pub struct [<WasmPasta $f:camel PlonkIndex>] {
                    pub index: Box<ProverIndex<$P>>,
                    /// The SRS handle's value this index was made over (its `Arc` is also inside
                    /// `index`): held so its bytes stay counted while the index lives. `None` for
                    /// an index that came with its own SRS (`prover_index_f?_deserialize`).
                    pub srs: Option<Shared<WasmSrs>>,
                }

                pub type WasmIndex = [<WasmPasta $f:camel PlonkIndex>];

                impl DeepSize for WasmIndex {
                    fn heap_size(&self) -> usize {
                        // An SRS no handle holds is this index's alone.
                        let own_srs = if self.srs.is_none() { crate::srs::srs_bytes(&self.index.srs) } else { 0 };
                        index_bytes::<$P>(&self.index) + own_srs
                    }
                }

                /// Makes the index of a circuit over an SRS (computing the SRS's Lagrange basis
                /// of the circuit's domain if it has none), refused first if the memory budget
                /// has no room for it.
                #[kimchi_handles::export]
                pub fn [<caml_pasta_ $f _plonk_index_create>](
                    gates: &GateVector,
                    public_: u32,
                    lookup_tables: Vec<Table>,
                    runtime_table_cfgs: Vec<TableCfg>,
                    prev_challenges: u32,
                    srs: Shared<WasmSrs>,
                    lazy_mode: bool,
                ) -> Result<WasmIndex, Error> {
                    let function = stringify!([<caml_pasta_ $f _plonk_index_create>]);
                    let gates = gates.to_vec();
                    check_circuit(&gates, public_ as usize).map_err(within(function))?;
                    let tables = tables_to_kimchi(lookup_tables, &runtime_table_cfgs).map_err(within(function))?;
                    let table_rows = tables.iter().map(|t| t.len()).sum::<usize>()
                        + runtime_table_cfgs.iter().map(|c| c.first_column.0.len()).sum::<usize>();
                    if gates.len().max(table_rows + 1) + ZK_ROWS_BY_DEFAULT as usize > MAX_DOMAIN {
                        return fail!("{function}: the circuit needs more than {MAX_DOMAIN} rows");
                    }
                    let table_width = tables.iter().map(|t| t.width()).max().unwrap_or(0);
                    let cfgs: Vec<_> = runtime_table_cfgs.into_iter().map(TableCfg::to_kimchi).collect();
                    let srs_size = srs.srs.max_poly_size();
                    if srs_size == 0 {
                        return fail!("{function}: the SRS is empty");
                    }
                    let coeff_bytes = gates.iter().map(|g| g.coeffs.len() * size_of::<Scalar>()).sum::<usize>();

                    // Built lazily: its large parts are computed after the budget check below,
                    // on the domain the builder chose.
                    let cs = ConstraintSystem::<Scalar>::create(gates)
                        .public(public_ as usize)
                        .prev_challenges(prev_challenges as usize)
                        .lookup(tables)
                        .max_poly_size(Some(srs_size))
                        .runtime(if cfgs.is_empty() { None } else { Some(cfgs) })
                        .lazy_mode(true)
                        .build()
                        .or_else(|e| fail!("{function}: could not create the constraint system: {e}"))?;
                    let n = cs.domain.d1.size();
                    check_domain(n, srs_size).map_err(within(function))?;
                    let chunks = n.div_ceil(srs_size);
                    // The index and the SRS's new basis must fit together, before either is made.
                    let basis = if srs.srs.lagrange_bases.contains_key(&n) { 0 } else { crate::srs::basis_bytes::<Curve>(n, srs_size) };
                    check_budget(WasmIndex::NAME, estimate_index_bytes::<$P>(&cs, coeff_bytes, table_width, chunks) + basis)?;
                    if let Err(e) = cs.lookup_constraint_system.try_get_or_err() {
                        return fail!("{function}: could not create the lookup constraint system: {}", lookup_error(&e));
                    }
                    crate::srs::ensure_basis(&srs.srs, n, &srs).map_err(within(function))?;
                    let endo = *<Curve as KimchiCurve<ROUNDS>>::other_curve_endo();
                    let mut index = <ProverIndex<$P>>::create(cs, endo, Arc::clone(&srs.srs), lazy_mode);
                    index.compute_verifier_index_digest::<BaseSponge<$P>>();
                    Ok(WasmIndex { index: Box::new(index), srs: Some(srs) })
                }

                /// The index in kimchi's MessagePack encoding, without its SRS (the bytes
                /// kimchi-wasm's `encode` writes).
                #[kimchi_handles::export]
                pub fn [<caml_pasta_ $f _plonk_index_encode>](index: &WasmIndex) -> Result<Vec<u8>, Error> {
                    rmp_serde::to_vec(&*index.index)
                        .or_else(|e| fail!("{}: {e}", stringify!([<caml_pasta_ $f _plonk_index_encode>])))
                }

                /// An index from `encode`'s bytes, over `srs` (which must have as many points as
                /// the SRS it was made over). Refused before decoding if the budget has no room.
                #[kimchi_handles::export]
                pub fn [<caml_pasta_ $f _plonk_index_decode>](bytes: &[u8], srs: Shared<WasmSrs>) -> Result<WasmIndex, Error> {
                    let function = stringify!([<caml_pasta_ $f _plonk_index_decode>]);
                    check_budget(WasmIndex::NAME, decoded_estimate(bytes.len()))?;
                    check_encoded_index::<Scalar>(bytes).or_else(|e| fail!("{function}: malformed index bytes: {e}"))?;
                    let mut index: ProverIndex<$P> =
                        rmp_serde::from_slice(bytes).or_else(|e| fail!("{function}: malformed index bytes: {e}"))?;
                    index.srs = Arc::clone(&srs.srs);
                    check_decoded::<$P>(&index).map_err(within(function))?;
                    relink::<$P>(&mut index);
                    Ok(WasmIndex { index: Box::new(index), srs: Some(srs) })
                }

                /// The index and its SRS in one byte array (kimchi-wasm's
                #[doc = "`WasmPasta" $f:camel "PlonkIndex#serialize` bytes)."]
                #[kimchi_handles::export]
                pub fn [<prover_index_ $f _serialize>](index: &WasmIndex) -> Result<Vec<u8>, Error> {
                    let function = stringify!([<prover_index_ $f _serialize>]);
                    let prover_index = rmp_serde::to_vec(&*index.index).or_else(|e| fail!("{function}: {e}"))?;
                    let srs = rmp_serde::to_vec(&*index.index.srs).or_else(|e| fail!("{function}: {e}"))?;
                    rmp_serde::to_vec(&IndexWithSrs { prover_index, srs }).or_else(|e| fail!("{function}: {e}"))
                }

                /// An index and its own SRS from `prover_index_f?_serialize`'s bytes.
                #[kimchi_handles::export]
                pub fn [<prover_index_ $f _deserialize>](bytes: &[u8]) -> Result<WasmIndex, Error> {
                    let function = stringify!([<prover_index_ $f _deserialize>]);
                    check_budget(WasmIndex::NAME, decoded_estimate(bytes.len()))?;
                    let both: IndexWithSrs =
                        rmp_serde::from_slice(bytes).or_else(|e| fail!("{function}: malformed bytes: {e}"))?;
                    check_encoded_index::<Scalar>(&both.prover_index)
                        .or_else(|e| fail!("{function}: malformed index bytes: {e}"))?;
                    let mut index: ProverIndex<$P> = rmp_serde::from_slice(&both.prover_index)
                        .or_else(|e| fail!("{function}: malformed index bytes: {e}"))?;
                    let srs: Srs<$P> =
                        rmp_serde::from_slice(&both.srs).or_else(|e| fail!("{function}: malformed SRS bytes: {e}"))?;
                    if !(1..=crate::srs::MAX_SRS_SIZE).contains(&srs.g.len()) {
                        return fail!("{function}: an SRS of {} points is out of range 1..={}", srs.g.len(), crate::srs::MAX_SRS_SIZE);
                    }
                    index.srs = Arc::new(srs);
                    check_decoded::<$P>(&index).map_err(within(function))?;
                    relink::<$P>(&mut index);
                    // Returns at once when the digest was encoded (it always is by `create`).
                    index.compute_verifier_index_digest::<BaseSponge<$P>>();
                    Ok(WasmIndex { index: Box::new(index), srs: None })
                }

                /// The SRS's size: the largest polynomial committed in one chunk.
                #[kimchi_handles::export]
                pub fn [<caml_pasta_ $f _plonk_index_max_degree>](index: &WasmIndex) -> u32 {
                    // SRS sizes are bounded by MAX_SRS_SIZE.
                    index.index.srs.max_poly_size() as u32
                }

                /// The number of public inputs.
                #[kimchi_handles::export]
                pub fn [<caml_pasta_ $f _plonk_index_public_inputs>](index: &WasmIndex) -> u32 {
                    index.index.cs.public as u32
                }

                /// The size of the circuit's domain.
                #[kimchi_handles::export]
                pub fn [<caml_pasta_ $f _plonk_index_domain_d1_size>](index: &WasmIndex) -> u32 {
                    index.index.cs.domain.d1.size() as u32
                }

                /// Four times the domain's size.
                #[kimchi_handles::export]
                pub fn [<caml_pasta_ $f _plonk_index_domain_d4_size>](index: &WasmIndex) -> u32 {
                    index.index.cs.domain.d4.size() as u32
                }

                /// Eight times the domain's size.
                #[kimchi_handles::export]
                pub fn [<caml_pasta_ $f _plonk_index_domain_d8_size>](index: &WasmIndex) -> u32 {
                    index.index.cs.domain.d8.size() as u32
                }

                /// Files are not available in WebAssembly (o1js caches through `encode`).
                #[kimchi_handles::export]
                pub fn [<caml_pasta_ $f _plonk_index_read>](offset: Option<u32>, srs: &WasmSrs, path: String) -> Result<WasmIndex, Error> {
                    let _ = (offset, srs);
                    fail!("{}({path:?}): files are not available in WebAssembly", stringify!([<caml_pasta_ $f _plonk_index_read>]))
                }

                /// Files are not available in WebAssembly (o1js caches through `encode`).
                #[kimchi_handles::export]
                pub fn [<caml_pasta_ $f _plonk_index_write>](append: Option<bool>, index: &WasmIndex, path: String) -> Result<(), Error> {
                    let _ = (append, index);
                    fail!("{}({path:?}): files are not available in WebAssembly", stringify!([<caml_pasta_ $f _plonk_index_write>]))
                }
            }
        }
    };
}

index_family!(fp, crate::pasta::Fp);
index_family!(fq, crate::pasta::Fq);

pub use fp::WasmPastaFpPlonkIndex;
pub use fq::WasmPastaFqPlonkIndex;

/// napi's name for `caml_pasta_fp_plonk_index_domain_d8_size` (its Fp one lacks the prefix).
#[kimchi_handles::export]
pub fn pasta_fp_plonk_index_domain_d8_size(index: &fp::WasmIndex) -> u32 {
    fp::caml_pasta_fp_plonk_index_domain_d8_size(index)
}
