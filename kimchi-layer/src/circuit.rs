//! Small real circuits for the tests, the demo and the benchmark.

/// The rows kimchi adds for zero knowledge to a circuit committed in one chunk.
pub const ZK_ROWS: usize = kimchi::circuits::constraints::ZK_ROWS_BY_DEFAULT as usize;

/// A circuit whose domain is exactly `2^log2` rows over an SRS of at least that size (`log2` from
/// 3): `x * x = y` with `x` its one public input, then generic gates with no constraint up to
/// `2^log2 - ZK_ROWS` gates. Row 0 holds `x`, row 1 multiplies it by itself; the copies of `x`
/// are wired into one cycle.
pub fn square_gates<F: ark_ff::PrimeField>(log2: u32) -> Vec<kimchi::circuits::gate::CircuitGate<F>> {
    use kimchi::circuits::gate::{CircuitGate, GateType};
    use kimchi::circuits::polynomials::generic::GenericGateSpec;
    use kimchi::circuits::wires::Wire;

    let rows = (1usize << log2).saturating_sub(ZK_ROWS).max(2);
    let mut public = Wire::for_row(0);
    let mut square = Wire::for_row(1);
    // The cycle (0, 0) -> (1, 0) -> (1, 1) -> (0, 0): three copies of x.
    public[0] = Wire::new(1, 0);
    square[0] = Wire::new(1, 1);
    square[1] = Wire::new(0, 0);
    let mut gates = vec![
        CircuitGate::create_generic_gadget(public, GenericGateSpec::Pub, None),
        CircuitGate::create_generic_gadget(square, GenericGateSpec::Mul { output_coeff: None, mul_coeff: None }, None),
    ];
    gates.extend((2..rows).map(|row| CircuitGate::new(GateType::Generic, Wire::for_row(row), vec![F::zero(); 10])));
    gates
}

/// The witness of [`square_gates`] over `rows` rows (the circuit's gates, at least 2): `x` in row 0,
/// `x, x, x^2` in row 1, zeros elsewhere. The public input is `[x]`.
pub fn square_witness<F: ark_ff::PrimeField>(x: F, rows: usize) -> [Vec<F>; kimchi::circuits::wires::COLUMNS] {
    let mut witness: [Vec<F>; kimchi::circuits::wires::COLUMNS] = std::array::from_fn(|_| vec![F::zero(); rows.max(2)]);
    let [a, b, c, ..] = &mut witness;
    a[0] = x;
    a[1] = x;
    b[1] = x;
    c[1] = x * x;
    witness
}

/// [`square_gates`] with its last gate a lookup gate (three `(index, value)` lookups in the table
/// whose id the witness gives in column 0): a circuit indexed with a fixed lookup table.
pub fn lookup_gates<F: ark_ff::PrimeField>(log2: u32) -> Vec<kimchi::circuits::gate::CircuitGate<F>> {
    use kimchi::circuits::gate::{CircuitGate, GateType};
    use kimchi::circuits::wires::Wire;

    let mut gates = square_gates(log2);
    if let Some(last) = gates.last_mut() {
        let row = last.wires[0].row;
        *last = CircuitGate::new(GateType::Lookup, Wire::for_row(row), vec![]);
    }
    gates
}
