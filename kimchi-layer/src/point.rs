//! Points as JS data: `{ x, y, infinity }`, coordinates as field elements (`WasmGVesta` for
//! commitments of Fp circuits, `WasmGPallas` for Fq). A point from JS must be on the curve.

use ark_ec::AffineRepr;
use ark_ff::Zero;
use kimchi::mina_curves::pasta::{Pallas, Vesta};

use crate::error::{fail, Error};
use crate::field::Field;

macro_rules! point {
    ($Point:ident, $G:ty, $doc:literal) => {
        #[doc = $doc]
        #[derive(Debug, Clone, PartialEq, Eq, kimchi_handles::Shape)]
        #[shape(from_js, keep_names)]
        pub struct $Point {
            pub x: Field<<$G as AffineRepr>::BaseField>,
            pub y: Field<<$G as AffineRepr>::BaseField>,
            /// The point at infinity (then `x` and `y` are 0).
            pub infinity: bool,
        }

        impl $Point {
            pub fn from_curve(g: &$G) -> Self {
                match g.xy() {
                    Some((x, y)) => Self { x: Field(x), y: Field(y), infinity: false },
                    None => {
                        let zero = <$G as AffineRepr>::BaseField::zero();
                        Self { x: Field(zero), y: Field(zero), infinity: true }
                    }
                }
            }

            /// The curve point, refused unless it is on the curve (both curves have prime order,
            /// so that is the whole check).
            pub fn to_curve(&self) -> Result<$G, Error> {
                if self.infinity {
                    return Ok(<$G>::zero());
                }
                let g = <$G>::new_unchecked(self.x.0, self.y.0);
                if !g.is_on_curve() {
                    return fail!("the point ({}, {}) is not on the curve", self.x.0, self.y.0);
                }
                Ok(g)
            }
        }
    };
}

point!(WasmGVesta, Vesta, "A point of Vesta (commitments of Fp circuits).");
point!(WasmGPallas, Pallas, "A point of Pallas (commitments of Fq circuits).");

/// Curve points of a vector of JS points, naming the first bad one.
pub trait ToCurves<G> {
    fn to_curves(&self, what: &str) -> Result<Vec<G>, Error>;
}

macro_rules! to_curves {
    ($Point:ident, $G:ty) => {
        impl ToCurves<$G> for [$Point] {
            fn to_curves(&self, what: &str) -> Result<Vec<$G>, Error> {
                self.iter()
                    .enumerate()
                    .map(|(i, p)| p.to_curve().map_err(|e| Error(format!("{what}[{i}]: {e}"))))
                    .collect()
            }
        }
    };
}

to_curves!(WasmGVesta, Vesta);
to_curves!(WasmGPallas, Pallas);

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use ark_ec::AffineRepr;

    #[test]
    fn points_round_trip_and_off_curve_points_are_refused() {
        let g = Vesta::generator();
        let p = WasmGVesta::from_curve(&g);
        assert!(!p.infinity);
        assert_eq!(p.to_curve().unwrap(), g);
        let zero = WasmGVesta::from_curve(&Vesta::zero());
        assert!(zero.infinity);
        assert!(zero.to_curve().unwrap().is_zero());
        let off = WasmGVesta { y: Field(p.y.0 + p.y.0), ..p };
        assert!(off.to_curve().unwrap_err().0.contains("not on the curve"));
    }
}

/// The generator of Vesta as a new plain object (o1js makes its points from it, then overwrites
/// `x` and `y`, so each call gives new byte arrays).
#[kimchi_handles::export]
pub fn caml_vesta_affine_one() -> WasmGVesta {
    WasmGVesta::from_curve(&Vesta::generator())
}

/// The generator of Pallas as a new plain object.
#[kimchi_handles::export]
pub fn caml_pallas_affine_one() -> WasmGPallas {
    WasmGPallas::from_curve(&Pallas::generator())
}
