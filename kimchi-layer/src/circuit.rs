//! The small real circuit of the tests, the demo and the benchmark: knowledge of `x` with
//! `x * x = y`, `y` public, padded with no-op generic gates to a domain of exactly `2^k` rows.

use ark_ff::PrimeField;
use kimchi::circuits::gate::CircuitGate;
use kimchi::circuits::polynomials::generic::GenericGateSpec;
use kimchi::circuits::wires::{Wire, COLUMNS};

/// Smallest and largest domain exponents the builder accepts (FACTS.md measured 8 to 14).
pub const MIN_LOG2: u32 = 4;
pub const MAX_LOG2: u32 = 16;

/// kimchi appends this many zero-knowledge rows after the gates (its default for one chunk).
pub const ZK_ROWS: usize = 3;

/// Gates for a domain of `2^log2` rows: row 0 the public `y`, row 1 `x * x = y`, the rest no-ops.
pub fn square_gates<F: PrimeField>(log2: u32) -> Result<Vec<CircuitGate<F>>, String> {
    if !(MIN_LOG2..=MAX_LOG2).contains(&log2) {
        return Err(format!("domain exponent {log2} is out of range {MIN_LOG2}..={MAX_LOG2}"));
    }
    let rows = (1usize << log2) - ZK_ROWS;
    let mut gates = Vec::with_capacity(rows);
    // Row 0: the public input, wired to the output of the multiplication.
    let mut public = Wire::for_row(0);
    public[0] = Wire::new(1, 2);
    gates.push(CircuitGate::create_generic_gadget(public, GenericGateSpec::Pub, None));
    // Row 1: left * right = output, with left and right wired together (both are x).
    let mut square = Wire::for_row(1);
    square[0] = Wire::new(1, 1);
    square[1] = Wire::new(1, 0);
    square[2] = Wire::new(0, 0);
    let mul = GenericGateSpec::Mul { output_coeff: None, mul_coeff: None };
    gates.push(CircuitGate::create_generic_gadget(square, mul, None));
    // Padding: additions of zeros (0 + 0 = 0), so the domain is exactly 2^log2.
    for row in 2..rows {
        let add = GenericGateSpec::Add { left_coeff: None, right_coeff: None, output_coeff: None };
        gates.push(CircuitGate::create_generic_gadget(Wire::for_row(row), add, None));
    }
    Ok(gates)
}

/// The witness for `x` over `rows` gate rows: returns the columns and the public input `y`.
pub fn square_witness<F: PrimeField>(x: F, rows: usize) -> ([Vec<F>; COLUMNS], F) {
    let y = x * x;
    let mut witness: [Vec<F>; COLUMNS] = std::array::from_fn(|_| vec![F::zero(); rows]);
    let cells = [(0, 0, y), (0, 1, x), (1, 1, x), (2, 1, y)];
    for (col, row, value) in cells {
        if let Some(cell) = witness.get_mut(col).and_then(|c| c.get_mut(row)) {
            *cell = value;
        }
    }
    (witness, y)
}
