//! The verifier index of each field as plain data (`WasmFpPlonkVerifierIndex`,
//! `WasmFqPlonkVerifierIndex` and their parts), shaped as o1js's native backend reads and writes
//! it: snake_case fields, commitments as data, and the SRS as a handle object inside the data
//! (o1js passes back the data it was given, SRS included).
//!
//! Building kimchi's `VerifierIndex` from the data recomputes what the data does not carry: the
//! domain (from its log size), the linearization (from the feature flags the optional
//! commitments imply), the endomorphism coefficient, and the SRS's `Arc`. The JSON of
//! `serialize` is serde_json of that `VerifierIndex`, so it equals stock kimchi-wasm's byte for
//! byte when the data does.

use std::sync::Arc;

use kimchi::circuits::lookup::lookups::{LookupFeatures, LookupInfo, LookupPatterns};

use crate::error::{fail, Error};

/// Most lookups per row: a proof carries the evaluations of `max_per_row + 1` sorted columns,
/// and kimchi has room for 5.
pub const MAX_LOOKUPS_PER_ROW: u32 = 4;

/// The lookup patterns a circuit uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, kimchi_handles::Shape)]
#[shape(from_js, keep_names)]
pub struct WasmLookupPatterns {
    pub xor: bool,
    pub lookup: bool,
    pub range_check: bool,
    pub foreign_field_mul: bool,
}

/// The lookup features of a circuit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, kimchi_handles::Shape)]
#[shape(from_js, keep_names)]
pub struct WasmLookupFeatures {
    pub patterns: WasmLookupPatterns,
    pub joint_lookup_used: bool,
    pub uses_runtime_tables: bool,
}

/// How a circuit's lookups are laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, kimchi_handles::Shape)]
#[shape(from_js, keep_names)]
pub struct WasmLookupInfo {
    /// At most 4.
    pub max_per_row: u32,
    pub max_joint_size: u32,
    pub features: WasmLookupFeatures,
}

impl WasmLookupInfo {
    pub fn from_kimchi(info: &LookupInfo) -> Self {
        let p = info.features.patterns;
        Self {
            max_per_row: to_u32(info.max_per_row),
            max_joint_size: info.max_joint_size,
            features: WasmLookupFeatures {
                patterns: WasmLookupPatterns {
                    xor: p.xor,
                    lookup: p.lookup,
                    range_check: p.range_check,
                    foreign_field_mul: p.foreign_field_mul,
                },
                joint_lookup_used: info.features.joint_lookup_used,
                uses_runtime_tables: info.features.uses_runtime_tables,
            },
        }
    }

    pub fn to_kimchi(&self, what: &str) -> Result<LookupInfo, Error> {
        if self.max_per_row > MAX_LOOKUPS_PER_ROW {
            return fail!("{what}.max_per_row is {}, at most {MAX_LOOKUPS_PER_ROW}", self.max_per_row);
        }
        let p = self.features.patterns;
        Ok(LookupInfo {
            max_per_row: self.max_per_row as usize,
            max_joint_size: self.max_joint_size,
            features: LookupFeatures {
                patterns: LookupPatterns {
                    xor: p.xor,
                    lookup: p.lookup,
                    range_check: p.range_check,
                    foreign_field_mul: p.foreign_field_mul,
                },
                joint_lookup_used: self.features.joint_lookup_used,
                uses_runtime_tables: self.features.uses_runtime_tables,
            },
        })
    }
}

/// A count for JS (sizes here are far below 2^32; saturate rather than wrap if one is not).
pub fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// `f(error)` prefixed with the function it happened in.
pub fn within(function: &'static str) -> impl Fn(Error) -> Error {
    move |e| Error(format!("{function}: {e}"))
}

macro_rules! verifier_index_family {
    ($f:ident, $P:ty) => {
        paste::paste! {
            pub mod $f {
                use super::*;

                use ark_ff::One;
                use ark_poly::EvaluationDomain;
                use kimchi::circuits::constraints::FeatureFlags;
                use kimchi::circuits::lookup::index::LookupSelectors;
                use kimchi::circuits::polynomials::permutation::{permutation_vanishing_polynomial, zk_w, Shifts};
                use kimchi::circuits::wires::{COLUMNS, PERMUTS};
                use kimchi::linearization::expr_linearization;
                use kimchi::poly_commitment::commitment::PolyComm;
                use kimchi::poly_commitment::SRS as _;
                use kimchi::verifier_index::LookupVerifierIndex;
                use kimchi_handles::{Shared, Class};

                use crate::field::Field;
                use crate::pasta::{Pasta, Srs, VerifierIndex};

                type F = <$P as Pasta>::F;
                type G = <$P as Pasta>::G;
                type Comm = <$P as Pasta>::PolyComm;
                use crate::srs::$f::WasmSrs;
                use crate::index::$f::WasmIndex;

                #[doc = "The evaluation domain of a circuit over " $f:upper " (only its size is read back)."]
                #[derive(Debug, Clone, PartialEq, Eq, kimchi_handles::Shape)]
                #[shape(from_js, keep_names)]
                pub struct [<Wasm $f:camel Domain>] {
                    pub log_size_of_group: u32,
                    pub group_gen: Field<F>,
                }

                #[doc = "The seven wire shifts of the permutation argument over " $f:upper "."]
                #[derive(Debug, Clone, PartialEq, Eq, kimchi_handles::Shape)]
                #[shape(from_js, keep_names)]
                pub struct [<Wasm $f:camel Shifts>] {
                    pub s0: Field<F>,
                    pub s1: Field<F>,
                    pub s2: Field<F>,
                    pub s3: Field<F>,
                    pub s4: Field<F>,
                    pub s5: Field<F>,
                    pub s6: Field<F>,
                }

                pub type Shifts7 = [<Wasm $f:camel Shifts>];

                impl Shifts7 {
                    pub fn from_array(s: &[F; PERMUTS]) -> Self {
                        let [s0, s1, s2, s3, s4, s5, s6] = s.map(Field);
                        Self { s0, s1, s2, s3, s4, s5, s6 }
                    }

                    pub fn to_array(&self) -> [F; PERMUTS] {
                        [self.s0.0, self.s1.0, self.s2.0, self.s3.0, self.s4.0, self.s5.0, self.s6.0]
                    }
                }

                #[doc = "The commitments to the fixed columns of a circuit over " $f:upper "."]
                #[derive(Debug, Clone, PartialEq, Eq, kimchi_handles::Shape)]
                #[shape(from_js, keep_names)]
                pub struct [<Wasm $f:camel PlonkVerificationEvals>] {
                    /// 7 commitments.
                    pub sigma_comm: Vec<Comm>,
                    /// 15 commitments.
                    pub coefficients_comm: Vec<Comm>,
                    pub generic_comm: Comm,
                    pub psm_comm: Comm,
                    pub complete_add_comm: Comm,
                    pub mul_comm: Comm,
                    pub emul_comm: Comm,
                    pub endomul_scalar_comm: Comm,
                    pub xor_comm: Option<Comm>,
                    pub range_check0_comm: Option<Comm>,
                    pub range_check1_comm: Option<Comm>,
                    pub foreign_field_add_comm: Option<Comm>,
                    pub foreign_field_mul_comm: Option<Comm>,
                    pub rot_comm: Option<Comm>,
                }

                #[doc = "The lookup selectors of a circuit over " $f:upper "."]
                #[derive(Debug, Clone, PartialEq, Eq, kimchi_handles::Shape)]
                #[shape(from_js, keep_names)]
                pub struct [<Wasm $f:camel LookupSelectors>] {
                    pub xor: Option<Comm>,
                    pub lookup: Option<Comm>,
                    pub range_check: Option<Comm>,
                    pub ffmul: Option<Comm>,
                }

                #[doc = "The lookup part of a verifier index over " $f:upper "."]
                #[derive(Debug, Clone, PartialEq, Eq, kimchi_handles::Shape)]
                #[shape(from_js, keep_names)]
                pub struct [<Wasm $f:camel LookupVerifierIndex>] {
                    pub joint_lookup_used: bool,
                    pub lookup_table: Vec<Comm>,
                    pub lookup_selectors: [<Wasm $f:camel LookupSelectors>],
                    pub table_ids: Option<Comm>,
                    pub lookup_info: WasmLookupInfo,
                    pub runtime_tables_selector: Option<Comm>,
                }

                #[doc = "A verifier index over " $f:upper " as plain data; `srs` is a `Wasm" $f:camel "Srs` handle."]
                #[derive(Clone, kimchi_handles::Shape)]
                #[shape(from_js, keep_names)]
                pub struct [<Wasm $f:camel PlonkVerifierIndex>] {
                    pub domain: [<Wasm $f:camel Domain>],
                    pub max_poly_size: u32,
                    pub public_: u32,
                    pub prev_challenges: u32,
                    pub srs: Shared<WasmSrs>,
                    pub evals: [<Wasm $f:camel PlonkVerificationEvals>],
                    pub shifts: [<Wasm $f:camel Shifts>],
                    pub lookup_index: Option<[<Wasm $f:camel LookupVerifierIndex>]>,
                    pub zk_rows: u32,
                }

                pub type Data = [<Wasm $f:camel PlonkVerifierIndex>];
                pub type Kimchi = VerifierIndex<$P>;

                fn one(c: &Comm, what: &str) -> Result<PolyComm<G>, Error> {
                    c.to_kimchi().map_err(|e| Error(format!("{what}: {e}")))
                }

                fn maybe(c: &Option<Comm>, what: &str) -> Result<Option<PolyComm<G>>, Error> {
                    c.as_ref().map(|c| one(c, what)).transpose()
                }

                fn fixed<const N: usize>(comms: &[Comm], what: &str) -> Result<[PolyComm<G>; N], Error> {
                    if comms.len() != N {
                        return fail!("{what} has {} commitments, expected {N}", comms.len());
                    }
                    let all = Comm::all_to_kimchi(comms, what)?;
                    all.try_into().or_else(|_| fail!("{what} has the wrong number of commitments"))
                }

                fn data(c: &PolyComm<G>) -> Comm {
                    Comm::from_kimchi(c)
                }

                fn data_opt(c: &Option<PolyComm<G>>) -> Option<Comm> {
                    c.as_ref().map(Comm::from_kimchi)
                }

                impl [<Wasm $f:camel LookupVerifierIndex>] {
                    pub fn from_kimchi(li: &LookupVerifierIndex<G>) -> Self {
                        let s = &li.lookup_selectors;
                        Self {
                            joint_lookup_used: li.joint_lookup_used,
                            lookup_table: li.lookup_table.iter().map(data).collect(),
                            lookup_selectors: [<Wasm $f:camel LookupSelectors>] {
                                xor: data_opt(&s.xor),
                                lookup: data_opt(&s.lookup),
                                range_check: data_opt(&s.range_check),
                                ffmul: data_opt(&s.ffmul),
                            },
                            table_ids: data_opt(&li.table_ids),
                            lookup_info: WasmLookupInfo::from_kimchi(&li.lookup_info),
                            runtime_tables_selector: data_opt(&li.runtime_tables_selector),
                        }
                    }

                    pub fn to_kimchi(&self, what: &str) -> Result<LookupVerifierIndex<G>, Error> {
                        let s = &self.lookup_selectors;
                        let at = |field: &str| format!("{what}.{field}");
                        Ok(LookupVerifierIndex {
                            joint_lookup_used: self.joint_lookup_used,
                            lookup_table: Comm::all_to_kimchi(&self.lookup_table, &at("lookup_table"))?,
                            lookup_selectors: LookupSelectors {
                                xor: maybe(&s.xor, &at("lookup_selectors.xor"))?,
                                lookup: maybe(&s.lookup, &at("lookup_selectors.lookup"))?,
                                range_check: maybe(&s.range_check, &at("lookup_selectors.range_check"))?,
                                ffmul: maybe(&s.ffmul, &at("lookup_selectors.ffmul"))?,
                            },
                            table_ids: maybe(&self.table_ids, &at("table_ids"))?,
                            lookup_info: self.lookup_info.to_kimchi(&at("lookup_info"))?,
                            runtime_tables_selector: maybe(&self.runtime_tables_selector, &at("runtime_tables_selector"))?,
                        })
                    }
                }

                impl Data {
                    /// The data of a kimchi verifier index whose SRS is `srs`'s.
                    pub fn from_kimchi(vi: &Kimchi, srs: Shared<WasmSrs>) -> Self {
                        Self {
                            domain: [<Wasm $f:camel Domain>] {
                                log_size_of_group: vi.domain.log_size_of_group,
                                group_gen: Field(vi.domain.group_gen),
                            },
                            max_poly_size: to_u32(vi.max_poly_size),
                            public_: to_u32(vi.public),
                            prev_challenges: to_u32(vi.prev_challenges),
                            srs,
                            evals: [<Wasm $f:camel PlonkVerificationEvals>] {
                                sigma_comm: vi.sigma_comm.iter().map(data).collect(),
                                coefficients_comm: vi.coefficients_comm.iter().map(data).collect(),
                                generic_comm: data(&vi.generic_comm),
                                psm_comm: data(&vi.psm_comm),
                                complete_add_comm: data(&vi.complete_add_comm),
                                mul_comm: data(&vi.mul_comm),
                                emul_comm: data(&vi.emul_comm),
                                endomul_scalar_comm: data(&vi.endomul_scalar_comm),
                                xor_comm: data_opt(&vi.xor_comm),
                                range_check0_comm: data_opt(&vi.range_check0_comm),
                                range_check1_comm: data_opt(&vi.range_check1_comm),
                                foreign_field_add_comm: data_opt(&vi.foreign_field_add_comm),
                                foreign_field_mul_comm: data_opt(&vi.foreign_field_mul_comm),
                                rot_comm: data_opt(&vi.rot_comm),
                            },
                            shifts: Shifts7::from_array(&vi.shift),
                            lookup_index: vi.lookup_index.as_ref().map([<Wasm $f:camel LookupVerifierIndex>]::from_kimchi),
                            zk_rows: u32::try_from(vi.zk_rows).unwrap_or(u32::MAX),
                        }
                    }

                    /// The feature flags the optional commitments imply (what selects the
                    /// linearization).
                    pub fn feature_flags(&self) -> FeatureFlags {
                        let e = &self.evals;
                        let (xor, rot) = (e.xor_comm.is_some(), e.rot_comm.is_some());
                        let (range_check0, range_check1) = (e.range_check0_comm.is_some(), e.range_check1_comm.is_some());
                        let foreign_field_mul = e.foreign_field_mul_comm.is_some();
                        let lookup = self.lookup_index.as_ref().is_some_and(|l| l.lookup_info.features.patterns.lookup);
                        let patterns = LookupPatterns {
                            xor,
                            lookup,
                            range_check: range_check0 || range_check1 || rot,
                            foreign_field_mul,
                        };
                        FeatureFlags {
                            range_check0,
                            range_check1,
                            foreign_field_add: e.foreign_field_add_comm.is_some(),
                            foreign_field_mul,
                            xor,
                            rot,
                            lookup_features: LookupFeatures {
                                patterns,
                                joint_lookup_used: patterns.joint_lookups_used(),
                                uses_runtime_tables: self.lookup_index.as_ref().is_some_and(|l| l.runtime_tables_selector.is_some()),
                            },
                        }
                    }

                    /// What kimchi's verifier would divide by or index with unchecked.
                    fn check_for_verifying(&self, what: &str, size: usize) -> Result<(), Error> {
                        if self.max_poly_size == 0 {
                            return fail!("{what}.max_poly_size must be at least 1");
                        }
                        if self.zk_rows as usize >= size {
                            return fail!("{what}.zk_rows is {}: the domain has only {size} rows", self.zk_rows);
                        }
                        if self.public_ as usize > size {
                            return fail!("{what}.public_ is {}: the domain has only {size} rows", self.public_);
                        }
                        Ok(())
                    }

                    /// kimchi's verifier index, checked for verifying with; `what` names the data
                    /// in errors.
                    pub fn to_kimchi(&self, what: &str) -> Result<Kimchi, Error> {
                        self.build(what, true)
                    }

                    /// `verifying: false` is for serializing: it leaves out the linearization
                    /// (the costly part, not serialized) and the checks only verification needs,
                    /// so placeholder indexes (`_dummy`) serialize as they do in stock.
                    fn build(&self, what: &str, verifying: bool) -> Result<Kimchi, Error> {
                        let log = self.domain.log_size_of_group;
                        let size = crate::srs::domain_size(1u32.checked_shl(log).unwrap_or(0))
                            .map_err(|_| {
                                let max = crate::srs::MAX_DOMAIN;
                                Error(format!("{what}.domain.log_size_of_group is {log}: the domain must have from 2 to {max} rows"))
                            })?;
                        let domain = crate::srs::domain::<F>(size)?;
                        if verifying {
                            self.check_for_verifying(what, size)?;
                        }
                        let e = &self.evals;
                        let at = |field: &str| format!("{what}.evals.{field}");
                        let lookup_index = self
                            .lookup_index
                            .as_ref()
                            .map(|l| l.to_kimchi(&format!("{what}.lookup_index")))
                            .transpose()?;
                        let (linearization, powers_of_alpha) = if verifying {
                            expr_linearization(Some(&self.feature_flags()), true)
                        } else {
                            Default::default()
                        };
                        let (endo, _) = kimchi::poly_commitment::ipa::endos::<<$P as Pasta>::Other>();
                        let vi = Kimchi {
                            domain,
                            max_poly_size: self.max_poly_size as usize,
                            zk_rows: u64::from(self.zk_rows),
                            srs: Arc::clone(&self.srs.srs),
                            public: self.public_ as usize,
                            prev_challenges: self.prev_challenges as usize,
                            sigma_comm: fixed::<PERMUTS>(&e.sigma_comm, &at("sigma_comm"))?,
                            coefficients_comm: fixed::<COLUMNS>(&e.coefficients_comm, &at("coefficients_comm"))?,
                            generic_comm: one(&e.generic_comm, &at("generic_comm"))?,
                            psm_comm: one(&e.psm_comm, &at("psm_comm"))?,
                            complete_add_comm: one(&e.complete_add_comm, &at("complete_add_comm"))?,
                            mul_comm: one(&e.mul_comm, &at("mul_comm"))?,
                            emul_comm: one(&e.emul_comm, &at("emul_comm"))?,
                            endomul_scalar_comm: one(&e.endomul_scalar_comm, &at("endomul_scalar_comm"))?,
                            range_check0_comm: maybe(&e.range_check0_comm, &at("range_check0_comm"))?,
                            range_check1_comm: maybe(&e.range_check1_comm, &at("range_check1_comm"))?,
                            foreign_field_add_comm: maybe(&e.foreign_field_add_comm, &at("foreign_field_add_comm"))?,
                            foreign_field_mul_comm: maybe(&e.foreign_field_mul_comm, &at("foreign_field_mul_comm"))?,
                            xor_comm: maybe(&e.xor_comm, &at("xor_comm"))?,
                            rot_comm: maybe(&e.rot_comm, &at("rot_comm"))?,
                            shift: self.shifts.to_array(),
                            permutation_vanishing_polynomial_m: Default::default(),
                            w: Default::default(),
                            endo,
                            lookup_index,
                            linearization,
                            powers_of_alpha,
                        };
                        if verifying {
                            // Set here: kimchi's lazy default for this polynomial is another one
                            // (they agree only for 3 zero-knowledge rows).
                            let zk_rows = vi.zk_rows;
                            let _ = vi.permutation_vanishing_polynomial_m.set(permutation_vanishing_polynomial(domain, zk_rows));
                            let _ = vi.w.set(zk_w(domain, zk_rows));
                        }
                        Ok(vi)
                    }
                }

                /// A borrow of a new SRS handle over `srs`, for data whose SRS has no handle yet:
                /// the handle ends at once and the borrow keeps the value (and its bytes).
                fn borrow_new_srs(srs: Arc<Srs<$P>>) -> Result<Shared<WasmSrs>, Error> {
                    let owner = kimchi_handles::Handle::new(WasmSrs::NAME, WasmSrs { srs })?;
                    let borrowed = owner.borrow()?;
                    owner.dispose();
                    Ok(borrowed)
                }

                /// The verifier index of a prover index (computing the Lagrange basis of its
                /// domain on the SRS first, where the verifier will need it).
                #[kimchi_handles::export]
                pub fn [<caml_pasta_ $f _plonk_verifier_index_create>](index: Shared<WasmIndex>) -> Result<Data, Error> {
                    const FN: &str = concat!("caml_pasta_", stringify!($f), "_plonk_verifier_index_create");
                    let prover = &index.index;
                    let n = prover.cs.domain.d1.size();
                    let srs = match &index.srs {
                        Some(srs) => {
                            crate::srs::ensure_basis(&prover.srs, n, srs).map_err(within(FN))?;
                            srs.clone()
                        }
                        None => {
                            crate::srs::ensure_basis(&prover.srs, n, &index).map_err(within(FN))?;
                            borrow_new_srs(Arc::clone(&prover.srs))?
                        }
                    };
                    Ok(Data::from_kimchi(&prover.verifier_index(), srs))
                }

                /// The verifier index as kimchi's JSON (what stock kimchi-wasm writes: o1js
                /// compares and caches verification keys by it).
                #[kimchi_handles::export]
                pub fn [<caml_pasta_ $f _plonk_verifier_index_serialize>](index: Data) -> Result<String, Error> {
                    const FN: &str = concat!("caml_pasta_", stringify!($f), "_plonk_verifier_index_serialize");
                    let vi = index.build("index", false).map_err(within(FN))?;
                    serde_json::to_string(&vi).or_else(|e| fail!("{FN}: {e}"))
                }

                /// A verifier index from `serialize`'s JSON, over `srs`.
                #[kimchi_handles::export]
                pub fn [<caml_pasta_ $f _plonk_verifier_index_deserialize>](srs: Shared<WasmSrs>, index: String) -> Result<Data, Error> {
                    const FN: &str = concat!("caml_pasta_", stringify!($f), "_plonk_verifier_index_deserialize");
                    let vi: Kimchi = serde_json::from_str(&index).or_else(|e| fail!("{FN}: malformed verifier index JSON: {e}"))?;
                    Ok(Data::from_kimchi(&vi, srs))
                }

                /// The permutation's wire shifts for a domain of `2^log2Size` rows.
                #[kimchi_handles::export]
                pub fn [<caml_pasta_ $f _plonk_verifier_index_shifts>](log2_size: u32) -> Result<Shifts7, Error> {
                    const FN: &str = concat!("caml_pasta_", stringify!($f), "_plonk_verifier_index_shifts");
                    let size = crate::srs::domain_size(1u32.checked_shl(log2_size).unwrap_or(0)).map_err(within(FN))?;
                    let domain = crate::srs::domain::<F>(size).map_err(within(FN))?;
                    Ok(Shifts7::from_array(Shifts::new(&domain).shifts()))
                }

                /// Files cannot be read from WebAssembly (o1js caches through its own functions).
                #[kimchi_handles::export]
                pub fn [<caml_pasta_ $f _plonk_verifier_index_read>](
                    offset: Option<u32>,
                    srs: &WasmSrs,
                    path: String,
                ) -> Result<Data, Error> {
                    let _ = (offset, srs);
                    fail!("caml_pasta_{}_plonk_verifier_index_read({path:?}): files are not available in WebAssembly", stringify!($f))
                }

                /// Files cannot be written from WebAssembly (o1js caches through its own functions).
                #[kimchi_handles::export]
                pub fn [<caml_pasta_ $f _plonk_verifier_index_write>](append: Option<bool>, index: Data, path: String) -> Result<(), Error> {
                    let _ = (append, index);
                    fail!("caml_pasta_{}_plonk_verifier_index_write({path:?}): files are not available in WebAssembly", stringify!($f))
                }

                /// A placeholder verifier index (every commitment the generator, an SRS of no
                /// points): what stock returns, for code that needs a value of the type.
                #[kimchi_handles::export]
                pub fn [<caml_pasta_ $f _plonk_verifier_index_dummy>]() -> Result<Data, Error> {
                    use ark_ec::AffineRepr;
                    let comm = || Comm::from_kimchi(&PolyComm { chunks: vec![G::generator()] });
                    let one = || Field(F::one());
                    Ok(Data {
                        domain: [<Wasm $f:camel Domain>] { log_size_of_group: 1, group_gen: one() },
                        max_poly_size: 0,
                        public_: 0,
                        prev_challenges: 0,
                        srs: borrow_new_srs(Arc::new(Srs::<$P>::create(0)))?,
                        evals: [<Wasm $f:camel PlonkVerificationEvals>] {
                            sigma_comm: (0..PERMUTS).map(|_| comm()).collect(),
                            coefficients_comm: (0..COLUMNS).map(|_| comm()).collect(),
                            generic_comm: comm(),
                            psm_comm: comm(),
                            complete_add_comm: comm(),
                            mul_comm: comm(),
                            emul_comm: comm(),
                            endomul_scalar_comm: comm(),
                            xor_comm: None,
                            range_check0_comm: None,
                            range_check1_comm: None,
                            foreign_field_add_comm: None,
                            foreign_field_mul_comm: None,
                            rot_comm: None,
                        },
                        shifts: Shifts7::from_array(&[F::one(); PERMUTS]),
                        lookup_index: None,
                        zk_rows: 3,
                    })
                }

                /// A copy of the data (sharing its SRS, which is never copied).
                #[kimchi_handles::export]
                pub fn [<caml_pasta_ $f _plonk_verifier_index_deep_copy>](x: Data) -> Data {
                    x
                }
            }
        }
    };
}

verifier_index_family!(fp, crate::pasta::Fp);
verifier_index_family!(fq, crate::pasta::Fq);

pub use fp::WasmFpPlonkVerifierIndex;
pub use fq::WasmFqPlonkVerifierIndex;
