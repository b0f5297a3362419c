//! The SRS of each field (`WasmFpSrs` over Vesta, `WasmFqSrs` over Pallas): a handle owning the
//! SRS that prover indexes share, and the functions o1js calls on it. Its Lagrange bases are
//! computed on demand and cached inside it; its deep size counts them, and the functions that
//! fill the cache measure it again.

use std::mem::size_of;
use std::sync::Arc;

use ark_ec::AffineRepr;
use ark_poly::{DenseUVPolynomial, EvaluationDomain, Evaluations, Radix2EvaluationDomain};
use kimchi::poly_commitment::commitment::{b_poly_coefficients, PolyComm};
use kimchi::poly_commitment::ipa::SRS;
use kimchi::poly_commitment::SRS as _;

use kimchi_handles::{DeepSize, Shared};

use crate::error::{fail, Error};

/// Most points of an SRS this layer creates or accepts (o1js uses 2^16 and 2^15).
pub const MAX_SRS_SIZE: usize = 1 << 20;
/// Largest domain whose Lagrange basis it computes.
pub const MAX_DOMAIN: usize = 1 << 20;

/// A domain size from JS: a power of two from 2 to [`MAX_DOMAIN`].
pub fn domain_size(size: u32) -> Result<usize, Error> {
    let size = size as usize;
    if size < 2 || !size.is_power_of_two() || size > MAX_DOMAIN {
        return fail!("domain size {size} is not a power of two from 2 to {MAX_DOMAIN}");
    }
    Ok(size)
}

/// The evaluation domain of a size checked by [`domain_size`].
pub fn domain<F: ark_ff::FftField>(size: usize) -> Result<Radix2EvaluationDomain<F>, Error> {
    match Radix2EvaluationDomain::<F>::new(size) {
        Some(d) if d.size() == size => Ok(d),
        _ => fail!("no evaluation domain of size {size} in this field"),
    }
}

/// Deep bytes of an SRS: its points and every Lagrange basis it has cached.
pub fn srs_bytes<G: kimchi::poly_commitment::commitment::CommitmentCurve>(srs: &SRS<G>) -> usize {
    let mut bytes = size_of::<SRS<G>>() + srs.g.capacity() * size_of::<G>();
    let mut n = 2;
    while n <= MAX_DOMAIN {
        if srs.lagrange_bases.contains_key(&n) {
            // Cached, so this only reads it.
            let basis = srs.get_lagrange_basis_from_domain_size(n);
            bytes += basis.capacity() * size_of::<PolyComm<G>>()
                + basis.iter().map(|c| c.chunks.capacity() * size_of::<G>()).sum::<usize>();
        }
        n <<= 1;
    }
    bytes
}

/// Bytes a Lagrange basis of a domain of `n` takes over an SRS of `srs_size` points: `n`
/// commitments of one point per chunk of the SRS's size.
pub fn basis_bytes<G>(n: usize, srs_size: usize) -> usize {
    n.saturating_mul(size_of::<PolyComm<G>>() + n.div_ceil(srs_size.max(1)) * size_of::<G>())
}

/// Makes sure `srs` has the Lagrange basis of the domain of `n`, which it computes and keeps
/// for good: the bytes it adds are charged to `owner`, the handle value whose size counts this
/// SRS, and computed only once the memory budget admits them. Every path of this layer that
/// fills the cache comes through here, so none passes the budget unasked.
pub fn ensure_basis<G, T>(srs: &SRS<G>, n: usize, owner: &Shared<T>) -> Result<(), Error>
where
    G: kimchi::poly_commitment::commitment::CommitmentCurve,
    T: DeepSize,
{
    if srs.lagrange_bases.contains_key(&n) {
        return Ok(());
    }
    if srs.g.is_empty() {
        return fail!("the SRS is empty");
    }
    owner.grow(basis_bytes::<G>(n, srs.g.len()), |_| {
        srs.get_lagrange_basis_from_domain_size(n);
    })?;
    Ok(())
}

/// The rounds of challenges per commitment in a batch accumulator, checked: `chals` splits into
/// `k` equal runs, each `2^rounds` no larger than the SRS.
fn accumulator_rounds(k: usize, chals: usize, srs: usize) -> Result<(), Error> {
    if k == 0 {
        return if chals == 0 { Ok(()) } else { fail!("{chals} challenges for no commitment") };
    }
    if chals == 0 || chals % k != 0 {
        return fail!("{chals} challenges do not split into {k} equal runs");
    }
    let rounds = chals / k;
    if rounds >= usize::BITS as usize || 1usize << rounds > srs {
        return fail!("{rounds} rounds of challenges need an SRS of 2^{rounds} points; it has {srs}");
    }
    Ok(())
}

macro_rules! srs_family {
    ($f:ident, $P:ty) => {
        paste::paste! {
            pub mod $f {
                use super::*;
                use crate::field::Fields;
                use crate::pasta::{Pasta, Srs};
                use kimchi_handles::{check_budget, Class};

                type G = <$P as Pasta>::G;
                type F = <$P as Pasta>::F;
                type Point = <$P as Pasta>::Point;
                type Comm = <$P as Pasta>::PolyComm;

                #[doc = "An SRS for circuits over " $f:upper ", shared (by `Arc`) with the prover indexes made from it."]
                #[kimchi_handles::class]
                pub struct [<Wasm $f:camel Srs>] {
                    pub srs: Arc<Srs<$P>>,
                }

                pub type WasmSrs = [<Wasm $f:camel Srs>];

                impl DeepSize for WasmSrs {
                    fn heap_size(&self) -> usize {
                        srs_bytes(&self.srs)
                    }
                }

                impl WasmSrs {
                    fn admit(srs: Srs<$P>) -> Self {
                        Self { srs: Arc::new(srs) }
                    }

                    /// A new SRS of `depth` points, refused first if the budget has no room.
                    fn new_checked(depth: u32, make: fn(usize) -> Srs<$P>) -> Result<Self, Error> {
                        let depth = depth as usize;
                        if !(1..=MAX_SRS_SIZE).contains(&depth) {
                            return fail!("SRS size {depth} is out of range 1..={MAX_SRS_SIZE}");
                        }
                        check_budget(Self::NAME, depth * size_of::<G>())?;
                        Ok(Self::admit(make(depth)))
                    }

                    fn basis(srs: &Shared<Self>, size: u32) -> Result<&Vec<PolyComm<G>>, Error> {
                        let size = domain_size(size)?;
                        domain::<F>(size)?;
                        ensure_basis(&srs.srs, size, srs)?;
                        Ok(srs.srs.get_lagrange_basis_from_domain_size(size))
                    }
                }

                #[kimchi_handles::export]
                impl [<Wasm $f:camel Srs>] {
                    /// The SRS in kimchi's MessagePack encoding (the bytes kimchi-wasm writes).
                    pub fn serialize(&self) -> Result<Vec<u8>, Error> {
                        rmp_serde::to_vec(&*self.srs).or_else(|e| fail!("could not serialize the SRS: {e}"))
                    }

                    /// An SRS from `serialize`'s bytes. Refused before decoding if the budget has no
                    /// room for its points (each takes about twice as much decoded as encoded).
                    pub fn deserialize(bytes: &[u8]) -> Result<WasmSrs, Error> {
                        check_budget(Self::NAME, bytes.len() / 33 * size_of::<G>())?;
                        let srs: Srs<$P> = rmp_serde::from_slice(bytes).or_else(|e| fail!("malformed SRS bytes: {e}"))?;
                        if !(1..=MAX_SRS_SIZE).contains(&srs.g.len()) {
                            return fail!("an SRS of {} points is out of range 1..={MAX_SRS_SIZE}", srs.g.len());
                        }
                        Ok(Self::admit(srs))
                    }
                }

                /// A new SRS of `depth` points (sequential).
                #[kimchi_handles::export]
                pub fn [<caml_ $f _srs_create>](depth: u32) -> Result<WasmSrs, Error> {
                    WasmSrs::new_checked(depth, Srs::<$P>::create)
                }

                /// A new SRS of `depth` points, computed on the thread pool.
                #[kimchi_handles::export]
                pub fn [<caml_ $f _srs_create_parallel>](depth: u32) -> Result<WasmSrs, Error> {
                    WasmSrs::new_checked(depth, Srs::<$P>::create_parallel)
                }

                /// Computes (and caches) the Lagrange basis of the domain of `2^log2Size`.
                #[kimchi_handles::export]
                pub fn [<caml_ $f _srs_add_lagrange_basis>](srs: Shared<WasmSrs>, log2_size: u32) -> Result<(), Error> {
                    if log2_size >= 32 {
                        return fail!("log2Size {log2_size} is too large");
                    }
                    WasmSrs::basis(&srs, 1 << log2_size).map(drop)
                }

                /// Files cannot be written from WebAssembly (o1js caches through its own functions).
                #[kimchi_handles::export]
                pub fn [<caml_ $f _srs_write>](append: Option<bool>, srs: &WasmSrs, path: String) -> Result<(), Error> {
                    let _ = (append, srs);
                    fail!("caml_{}_srs_write({path:?}): files are not available in WebAssembly", stringify!($f))
                }

                /// Files cannot be read from WebAssembly (o1js caches through its own functions).
                #[kimchi_handles::export]
                pub fn [<caml_ $f _srs_read>](offset: Option<u32>, path: String) -> Result<Option<WasmSrs>, Error> {
                    let _ = offset;
                    fail!("caml_{}_srs_read({path:?}): files are not available in WebAssembly", stringify!($f))
                }

                /// The commitment to the `i`th Lagrange polynomial of a domain (computing the basis
                /// if it is not cached).
                #[kimchi_handles::export]
                pub fn [<caml_ $f _srs_lagrange_commitment>](srs: Shared<WasmSrs>, domain_size: u32, i: u32) -> Result<Comm, Error> {
                    let basis = WasmSrs::basis(&srs, domain_size)?;
                    match basis.get(i as usize) {
                        Some(c) => Ok(Comm::from_kimchi(c)),
                        None => fail!("index {i} is out of range 0..{}", basis.len()),
                    }
                }

                /// The cached commitment to the `i`th Lagrange polynomial, or `null` (nothing computed).
                #[kimchi_handles::export]
                pub fn [<caml_ $f _srs_maybe_lagrange_commitment>](srs: &WasmSrs, domain_size: u32, i: u32) -> Result<Option<Comm>, Error> {
                    let size = self::domain_size(domain_size)?;
                    if !srs.srs.lagrange_bases.contains_key(&size) {
                        return Ok(None);
                    }
                    Ok(srs.srs.get_lagrange_basis_from_domain_size(size).get(i as usize).map(Comm::from_kimchi))
                }

                /// Every commitment of a domain's Lagrange basis, as plain data (kimchi-wasm returned
                /// a raw pointer to boxes that nothing freed; o1js's native backend takes the data).
                #[kimchi_handles::export]
                pub fn [<caml_ $f _srs_lagrange_commitments_whole_domain_ptr>](srs: Shared<WasmSrs>, domain_size: u32) -> Result<Vec<Comm>, Error> {
                    if srs.srs.g.is_empty() {
                        return fail!("the SRS is empty");
                    }
                    Ok(WasmSrs::basis(&srs, domain_size)?.iter().map(Comm::from_kimchi).collect())
                }

                /// A domain's Lagrange basis (computed if not cached).
                #[kimchi_handles::export]
                pub fn [<caml_ $f _srs_get_lagrange_basis>](srs: Shared<WasmSrs>, domain_size: u32) -> Result<Vec<Comm>, Error> {
                    Ok(WasmSrs::basis(&srs, domain_size)?.iter().map(Comm::from_kimchi).collect())
                }

                /// Caches a domain's Lagrange basis given by JS (read from o1js's cache). Does
                /// nothing if the basis is cached already.
                #[kimchi_handles::export]
                pub fn [<caml_ $f _srs_set_lagrange_basis>](srs: Shared<WasmSrs>, domain_size: u32, input_bases: Vec<Comm>) -> Result<(), Error> {
                    let size = self::domain_size(domain_size)?;
                    if input_bases.len() != size {
                        return fail!("{} commitments for a domain of {size}", input_bases.len());
                    }
                    let bases = Comm::all_to_kimchi(&input_bases, "inputBases")?;
                    if srs.srs.lagrange_bases.contains_key(&size) {
                        return Ok(());
                    }
                    let bytes = bases.iter().map(|c| size_of::<PolyComm<G>>() + c.chunks.len() * size_of::<G>()).sum();
                    srs.grow(bytes, |srs| {
                        srs.srs.lagrange_bases.get_or_generate(size, || bases);
                    })?;
                    Ok(())
                }

                /// The commitment to the polynomial with these evaluations over a domain.
                #[kimchi_handles::export]
                pub fn [<caml_ $f _srs_commit_evaluations>](srs: &WasmSrs, domain_size: u32, evals: Fields<F>) -> Result<Comm, Error> {
                    let size = self::domain_size(domain_size)?;
                    if evals.0.len() != size {
                        return fail!("{} evaluations for a domain of {size}", evals.0.len());
                    }
                    let p = Evaluations::from_vec_and_domain(evals.0, domain::<F>(size)?).interpolate();
                    Ok(Comm::from_kimchi(&srs.srs.commit_non_hiding(&p, 1)))
                }

                /// The commitment to the polynomial whose coefficients `b_poly_coefficients` makes of
                /// the challenges.
                #[kimchi_handles::export]
                pub fn [<caml_ $f _srs_b_poly_commitment>](srs: &WasmSrs, chals: Fields<F>) -> Result<Comm, Error> {
                    if chals.0.len() > MAX_DOMAIN.trailing_zeros() as usize {
                        return fail!("{} challenges: at most {}", chals.0.len(), MAX_DOMAIN.trailing_zeros());
                    }
                    let coefficients = b_poly_coefficients(&chals.0);
                    let p = ark_poly::univariate::DensePolynomial::from_coefficients_vec(coefficients);
                    Ok(Comm::from_kimchi(&srs.srs.commit_non_hiding(&p, 1)))
                }

                /// Checks a batch of accumulators against their challenges.
                #[kimchi_handles::export]
                pub fn [<caml_ $f _srs_batch_accumulator_check>](srs: &WasmSrs, comms: Vec<Point>, chals: Fields<F>) -> Result<bool, Error> {
                    let comms: Vec<G> = crate::point::ToCurves::to_curves(&comms[..], "comms")?;
                    accumulator_rounds(comms.len(), chals.0.len(), srs.srs.g.len())?;
                    Ok(kimchi::poly_commitment::utils::batch_dlog_accumulator_check(&srs.srs, &comms, &chals.0))
                }

                /// The accumulators of `comms` runs of challenges.
                #[kimchi_handles::export]
                pub fn [<caml_ $f _srs_batch_accumulator_generate>](srs: &WasmSrs, comms: u32, chals: Fields<F>) -> Result<Vec<Point>, Error> {
                    accumulator_rounds(comms as usize, chals.0.len(), srs.srs.g.len())?;
                    let points = kimchi::poly_commitment::utils::batch_dlog_accumulator_generate::<G>(&srs.srs, comms as usize, &chals.0);
                    Ok(points.iter().map(Point::from_curve).collect())
                }

                /// `h`, then every point `g`.
                #[kimchi_handles::export]
                pub fn [<caml_ $f _srs_get>](srs: &WasmSrs) -> Vec<Point> {
                    std::iter::once(&srs.srs.h).chain(&srs.srs.g).map(Point::from_curve).collect()
                }

                /// An SRS from `h` and the points `g` (what `get` returns).
                #[kimchi_handles::export]
                pub fn [<caml_ $f _srs_set>](h_and_gs: Vec<Point>) -> Result<WasmSrs, Error> {
                    if h_and_gs.len() < 2 || h_and_gs.len() > MAX_SRS_SIZE + 1 {
                        return fail!("{} points: an SRS needs h and from 1 to {MAX_SRS_SIZE} more", h_and_gs.len());
                    }
                    check_budget(WasmSrs::NAME, h_and_gs.len() * size_of::<G>())?;
                    let mut points: Vec<G> = crate::point::ToCurves::to_curves(&h_and_gs[..], "hAndGs")?;
                    let h = points.remove(0);
                    Ok(WasmSrs::admit(SRS { h, g: points, lagrange_bases: Default::default() }))
                }

                /// The blinding point `h`.
                #[kimchi_handles::export]
                pub fn [<caml_ $f _srs_h>](srs: &WasmSrs) -> Point {
                    Point::from_curve(&srs.srs.h)
                }

                #[allow(dead_code)]
                fn _is_affine(g: G) -> bool {
                    g.is_zero()
                }
            }
        }
    };
}

srs_family!(fp, crate::pasta::Fp);
srs_family!(fq, crate::pasta::Fq);

pub use fp::WasmFpSrs;
pub use fq::WasmFqSrs;
