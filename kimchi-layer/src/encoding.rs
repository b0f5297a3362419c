//! Field elements and curve points as flat little-endian bytes: how values cross to JS as one typed
//! array instead of one heap box per element. Decoding validates (canonical field elements, points
//! on the curve), so bad bytes are an error here and never reach kimchi.

use ark_ec::short_weierstrass::{Affine, SWCurveConfig};
use ark_ec::AffineRepr;
use ark_ff::{BigInteger, PrimeField};

use crate::error::{fail, Error};

/// Bytes of one Pasta field element.
pub const FIELD_BYTES: usize = 32;
/// Bytes of one point: x then y.
pub const POINT_BYTES: usize = 2 * FIELD_BYTES;

pub fn write_field<F: PrimeField>(out: &mut Vec<u8>, value: &F) {
    let mut bytes = value.into_bigint().to_bytes_le();
    bytes.resize(FIELD_BYTES, 0);
    out.extend_from_slice(&bytes);
}

pub fn read_field<F: PrimeField>(bytes: &[u8]) -> Result<F, Error> {
    if bytes.len() != FIELD_BYTES {
        return fail!("a field element takes {FIELD_BYTES} bytes, got {}", bytes.len());
    }
    match F::deserialize_compressed(bytes) {
        Ok(value) => Ok(value),
        Err(_) => fail!("bytes are not a canonical field element (not below the modulus)"),
    }
}

/// Many field elements, `FIELD_BYTES` each.
pub fn read_fields<F: PrimeField>(bytes: &[u8]) -> Result<Vec<F>, Error> {
    if bytes.len() % FIELD_BYTES != 0 {
        return fail!("{} bytes is not a whole number of {FIELD_BYTES}-byte field elements", bytes.len());
    }
    bytes.chunks_exact(FIELD_BYTES).map(read_field).collect()
}

/// Points as `x || y` per point, plus one flag byte per point (1 = the point at infinity, whose
/// coordinates are written as zeros).
pub fn write_points<P: SWCurveConfig>(points: &[Affine<P>], coordinates: &mut Vec<u8>, infinity: &mut Vec<u8>)
where
    P::BaseField: PrimeField,
{
    for point in points {
        write_field(coordinates, &point.x);
        write_field(coordinates, &point.y);
        infinity.push(u8::from(point.infinity));
    }
}

pub fn read_points<P: SWCurveConfig>(coordinates: &[u8], infinity: &[u8]) -> Result<Vec<Affine<P>>, Error>
where
    P::BaseField: PrimeField,
{
    if coordinates.len() != infinity.len() * POINT_BYTES {
        return fail!(
            "{} coordinate bytes do not match {} points ({POINT_BYTES} bytes each)",
            coordinates.len(),
            infinity.len()
        );
    }
    coordinates
        .chunks_exact(POINT_BYTES)
        .zip(infinity)
        .enumerate()
        .map(|(i, (xy, flag))| {
            let (x, y) = xy.split_at(FIELD_BYTES);
            let point = match flag {
                0 => Affine::<P>::new_unchecked(read_field(x)?, read_field(y)?),
                1 if x.iter().chain(y).all(|b| *b == 0) => Affine::<P>::zero(),
                _ => return fail!("point {i}: infinity flag must be 0, or 1 with zero coordinates"),
            };
            // Pasta curves have cofactor 1: on the curve means in the right group.
            if !point.is_on_curve() || !point.is_in_correct_subgroup_assuming_on_curve() {
                return fail!("point {i} is not on the curve");
            }
            Ok(point)
        })
        .collect()
}
