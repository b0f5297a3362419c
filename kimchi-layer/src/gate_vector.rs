//! Gate vectors of each field (`WasmFpGateVector`, `WasmFqGateVector`): the gates of a circuit, a
//! handle that JS fills one gate at a time; and the gates and wires as o1js's native backend
//! passes them (`{ typ, wires: { w0..w6 }, coeffs }`, `{ row, col }`).
//!
//! A gate is checked when it comes in (its type, its wires' columns, its coefficients); the rows
//! its wires name can only be checked against the whole circuit, when an index is made of it.

use std::mem::size_of;

use kimchi::circuits::gate::{CircuitGate, GateType};
use kimchi::circuits::wires::{Wire, COLUMNS, PERMUTS};

use crate::error::{fail, Error};

/// Most gates a vector holds: no larger circuit can be indexed here (Lagrange bases stop at this
/// domain size).
pub const MAX_GATES: usize = crate::srs::MAX_DOMAIN;

/// Gate types by the number JS passes: the order of kimchi's `GateType`.
const GATE_TYPES: [GateType; 18] = [
    GateType::Zero,
    GateType::Generic,
    GateType::Poseidon,
    GateType::CompleteAdd,
    GateType::VarBaseMul,
    GateType::EndoMul,
    GateType::EndoMulScalar,
    GateType::Lookup,
    GateType::CairoClaim,
    GateType::CairoInstruction,
    GateType::CairoFlags,
    GateType::CairoTransition,
    GateType::RangeCheck0,
    GateType::RangeCheck1,
    GateType::ForeignFieldAdd,
    GateType::ForeignFieldMul,
    GateType::Xor16,
    GateType::Rot64,
];

/// The gate type of a JS number, if there is one.
pub fn gate_type(typ: i32) -> Option<GateType> {
    usize::try_from(typ).ok().and_then(|i| GATE_TYPES.get(i).copied())
}

/// A wire: the cell `{ row, col }` a gate's cell is connected to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, kimchi_handles::Shape)]
#[shape(from_js, keep_names)]
pub struct NapiWire {
    pub row: u32,
    pub col: u32,
}

impl NapiWire {
    /// kimchi's wire, refused if its column is not one of the permuted ones or its row is beyond
    /// any circuit (`what` names it in the error).
    pub fn to_kimchi(self, what: &str) -> Result<Wire, Error> {
        let wire = Wire::new(self.row as usize, self.col as usize);
        check_wire(&wire, what)?;
        Ok(wire)
    }

    /// Only for wires that passed [`check_wire`] (so the row fits).
    pub fn from_kimchi(wire: &Wire) -> Self {
        Self { row: wire.row as u32, col: wire.col as u32 }
    }
}

/// kimchi indexes its permutation by a wire's column and row: both must be in range.
pub fn check_wire(wire: &Wire, what: &str) -> Result<(), Error> {
    if wire.col >= PERMUTS {
        return fail!("{what}.col is {}: a wire's column must be below {PERMUTS}", wire.col);
    }
    if wire.row >= MAX_GATES {
        return fail!("{what}.row is {}: a circuit has fewer than {MAX_GATES} rows", wire.row);
    }
    Ok(())
}

/// The seven wires of a gate, `{ w0, ..., w6 }`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, kimchi_handles::Shape)]
#[shape(from_js, keep_names)]
pub struct WasmGateWires {
    pub w0: NapiWire,
    pub w1: NapiWire,
    pub w2: NapiWire,
    pub w3: NapiWire,
    pub w4: NapiWire,
    pub w5: NapiWire,
    pub w6: NapiWire,
}

impl WasmGateWires {
    pub fn to_kimchi(self, what: &str) -> Result<[Wire; PERMUTS], Error> {
        let all = [self.w0, self.w1, self.w2, self.w3, self.w4, self.w5, self.w6];
        let mut wires = [Wire::new(0, 0); PERMUTS];
        for (i, (out, wire)) in wires.iter_mut().zip(all).enumerate() {
            *out = wire.to_kimchi(&format!("{what}.w{i}"))?;
        }
        Ok(wires)
    }

    pub fn from_kimchi(wires: &[Wire; PERMUTS]) -> Self {
        let [w0, w1, w2, w3, w4, w5, w6] = wires.map(|w| NapiWire::from_kimchi(&w));
        Self { w0, w1, w2, w3, w4, w5, w6 }
    }
}

/// What kimchi would trip over in a gate that did not come through [`NapiWire`] (deserialized
/// gates): wires out of range, or more coefficients than it has columns for.
pub fn check_gate<F: ark_ff::PrimeField>(gate: &CircuitGate<F>, what: &str) -> Result<(), Error> {
    for (i, wire) in gate.wires.iter().enumerate() {
        check_wire(wire, &format!("{what}.wires.w{i}"))?;
    }
    if gate.coeffs.len() > COLUMNS {
        return fail!("{what} has {} coefficients: at most {COLUMNS}", gate.coeffs.len());
    }
    Ok(())
}

/// The gates and the heap bytes of their coefficients, kept as gates come in so that measuring a
/// vector of 60,000 gates after each addition stays cheap.
#[derive(Debug, Clone, Default)]
pub struct Gates<F: ark_ff::PrimeField> {
    list: Vec<CircuitGate<F>>,
    coeff_bytes: usize,
}

impl<F: ark_ff::PrimeField> Gates<F> {
    /// Gates from kimchi (deserialized), each checked.
    pub fn checked(list: Vec<CircuitGate<F>>, what: &str) -> Result<Self, Error> {
        if list.len() > MAX_GATES {
            return fail!("{what}: {} gates, at most {MAX_GATES}", list.len());
        }
        for (i, gate) in list.iter().enumerate() {
            check_gate(gate, &format!("{what}: gate {i}"))?;
        }
        let coeff_bytes = list.iter().map(|g| g.coeffs.capacity() * size_of::<F>()).sum();
        Ok(Self { list, coeff_bytes })
    }

    pub fn as_slice(&self) -> &[CircuitGate<F>] {
        &self.list
    }

    fn push(&mut self, gate: CircuitGate<F>) {
        self.coeff_bytes += gate.coeffs.capacity() * size_of::<F>();
        self.list.push(gate);
    }

    pub fn heap_size(&self) -> usize {
        self.list.capacity() * size_of::<CircuitGate<F>>() + self.coeff_bytes
    }
}

macro_rules! gate_vector_family {
    ($f:ident, $P:ty) => {
        paste::paste! {
            pub mod $f {
                use std::sync::{Mutex, PoisonError};

                use kimchi::circuits::gate::Circuit;
                use kimchi::o1_utils::hasher::CryptoDigest;
                use kimchi_handles::{check_budget, Shared, Class, DeepSize};

                use super::*;
                use crate::pasta::Pasta;

                type F = <$P as Pasta>::F;

                #[doc = "A gate of an " $f:upper " circuit: `typ` is the gate type's number (0 to 17), `coeffs` its coefficients as flat 32-byte field elements (a `Uint8Array`, or an array of byte values)."]
                #[derive(Debug, Clone, PartialEq, Eq, kimchi_handles::Shape)]
                #[shape(from_js, keep_names)]
                pub struct [<Wasm $f:camel Gate>] {
                    pub typ: i32,
                    pub wires: WasmGateWires,
                    pub coeffs: Vec<u8>,
                }

                pub type Gate = [<Wasm $f:camel Gate>];

                impl Gate {
                    /// kimchi's gate, every part checked (`what` names the gate in errors).
                    pub fn to_kimchi(self, what: &str) -> Result<CircuitGate<F>, Error> {
                        let Some(typ) = gate_type(self.typ) else {
                            return fail!("{what}.typ is {}: a gate type is a number from 0 to {}", self.typ, GATE_TYPES.len() - 1);
                        };
                        let wires = self.wires.to_kimchi(&format!("{what}.wires"))?;
                        let coeffs = crate::field::fields_from_bytes::<F>(&self.coeffs)
                            .or_else(|problem| fail!("{what}.coeffs {problem}"))?;
                        if coeffs.len() > COLUMNS {
                            return fail!("{what}.coeffs has {} field elements: at most {COLUMNS}", coeffs.len());
                        }
                        Ok(CircuitGate { typ, wires, coeffs })
                    }

                    pub fn from_kimchi(gate: &CircuitGate<F>) -> Self {
                        Self {
                            typ: gate.typ as i32,
                            wires: WasmGateWires::from_kimchi(&gate.wires),
                            coeffs: crate::field::fields_to_bytes(&gate.coeffs),
                        }
                    }
                }

                #[doc = "The gates of an " $f:upper " circuit, added by JS one at a time."]
                #[kimchi_handles::class]
                #[derive(Default)]
                pub struct [<Wasm $f:camel GateVector>] {
                    gates: Mutex<Gates<F>>,
                }

                pub type WasmGateVector = [<Wasm $f:camel GateVector>];

                impl DeepSize for WasmGateVector {
                    fn heap_size(&self) -> usize {
                        self.with(|gates| gates.heap_size())
                    }
                }

                impl WasmGateVector {
                    pub fn from_gates(gates: Gates<F>) -> Self {
                        Self { gates: Mutex::new(gates) }
                    }

                    /// The gates, for the length of `f` (a poisoned lock only means a panic
                    /// elsewhere left it: every change to the gates is a single push or store).
                    pub fn with<R>(&self, f: impl FnOnce(&mut Gates<F>) -> R) -> R {
                        f(&mut self.gates.lock().unwrap_or_else(PoisonError::into_inner))
                    }

                    /// A copy of the gates (an index is made of them while JS keeps the vector).
                    pub fn to_vec(&self) -> Vec<CircuitGate<F>> {
                        self.with(|gates| gates.list.clone())
                    }

                    fn from_bytes(bytes: &[u8], what: &str) -> Result<Self, Error> {
                        // A decoded gate takes about four times its encoded bytes.
                        check_budget(Self::NAME, bytes.len().saturating_mul(4))?;
                        let list: Vec<CircuitGate<F>> =
                            rmp_serde::from_slice(bytes).or_else(|e| fail!("{what}: malformed gate vector bytes: {e}"))?;
                        Ok(Self::from_gates(Gates::checked(list, what)?))
                    }

                    fn to_bytes(&self, what: &str) -> Result<Vec<u8>, Error> {
                        self.with(|gates| rmp_serde::to_vec(&gates.list)).or_else(|e| fail!("{what}: {e}"))
                    }
                }

                #[kimchi_handles::export]
                impl [<Wasm $f:camel GateVector>] {
                    /// An empty gate vector.
                    #[export(constructor)]
                    pub fn new() -> Self {
                        Self::default()
                    }

                    /// The gates in kimchi's MessagePack encoding (the bytes kimchi-wasm writes).
                    pub fn serialize(&self) -> Result<Vec<u8>, Error> {
                        self.to_bytes(&format!("{}.serialize", Self::NAME))
                    }

                    /// A gate vector from `serialize`'s bytes, each gate checked.
                    pub fn deserialize(bytes: &[u8]) -> Result<WasmGateVector, Error> {
                        Self::from_bytes(bytes, &format!("{}.deserialize", Self::NAME))
                    }
                }

                /// An empty gate vector.
                #[kimchi_handles::export]
                pub fn [<caml_pasta_ $f _plonk_gate_vector_create>]() -> WasmGateVector {
                    WasmGateVector::default()
                }

                /// Appends a gate (checked first; the memory budget must have room for it).
                #[kimchi_handles::export]
                pub fn [<caml_pasta_ $f _plonk_gate_vector_add>](vector: Shared<WasmGateVector>, gate: Gate) -> Result<(), Error> {
                    const FUNCTION: &str = stringify!([<caml_pasta_ $f _plonk_gate_vector_add>]);
                    let gate = gate.to_kimchi("gate").map_err(|e| Error(format!("{FUNCTION}: {e}")))?;
                    if vector.with(|gates| gates.list.len()) >= MAX_GATES {
                        return fail!("{FUNCTION}: the vector has {MAX_GATES} gates, the most a circuit may have");
                    }
                    let bytes = size_of::<CircuitGate<F>>() + gate.coeffs.len() * size_of::<F>();
                    vector.grow(bytes, |vector| vector.with(|gates| gates.push(gate)))?;
                    Ok(())
                }

                /// Gate `index`, as plain data.
                #[kimchi_handles::export]
                pub fn [<caml_pasta_ $f _plonk_gate_vector_get>](vector: &WasmGateVector, index: u32) -> Result<Gate, Error> {
                    vector.with(|gates| match gates.list.get(index as usize) {
                        Some(gate) => Ok(Gate::from_kimchi(gate)),
                        None => fail!(
                            "{}: index {index} is out of range 0..{}",
                            stringify!([<caml_pasta_ $f _plonk_gate_vector_get>]),
                            gates.list.len()
                        ),
                    })
                }

                /// How many gates.
                #[kimchi_handles::export]
                pub fn [<caml_pasta_ $f _plonk_gate_vector_len>](vector: &WasmGateVector) -> u32 {
                    // At most MAX_GATES, so it fits.
                    vector.with(|gates| gates.list.len() as u32)
                }

                /// Connects the cell `target` to the cell `head` (the wire of `target` becomes `head`).
                #[kimchi_handles::export]
                pub fn [<caml_pasta_ $f _plonk_gate_vector_wrap>](vector: &WasmGateVector, target: NapiWire, head: NapiWire) -> Result<(), Error> {
                    const FUNCTION: &str = stringify!([<caml_pasta_ $f _plonk_gate_vector_wrap>]);
                    let head = head.to_kimchi("head").map_err(|e| Error(format!("{FUNCTION}: {e}")))?;
                    let target = target.to_kimchi("target").map_err(|e| Error(format!("{FUNCTION}: {e}")))?;
                    vector.with(|gates| {
                        let len = gates.list.len();
                        match gates.list.get_mut(target.row) {
                            Some(gate) => match gate.wires.get_mut(target.col) {
                                Some(wire) => {
                                    *wire = head;
                                    Ok(())
                                }
                                None => fail!("{FUNCTION}: target.col {} is out of range", target.col),
                            },
                            None => fail!("{FUNCTION}: target.row {} is out of range 0..{len}", target.row),
                        }
                    })
                }

                /// kimchi's digest of the circuit (SHA-256 of its canonical encoding, as
                /// kimchi-wasm computes it).
                #[kimchi_handles::export]
                pub fn [<caml_pasta_ $f _plonk_gate_vector_digest>](public_input_size: u32, vector: &WasmGateVector) -> Vec<u8> {
                    vector.with(|gates| Circuit::new(public_input_size as usize, &gates.list).digest().to_vec())
                }

                /// The circuit as kimchi's JSON (`{"public_input_size":n,"gates":[...]}`).
                #[kimchi_handles::export]
                pub fn [<caml_pasta_ $f _plonk_circuit_serialize>](public_input_size: u32, vector: &WasmGateVector) -> Result<String, Error> {
                    vector
                        .with(|gates| serde_json::to_string(&Circuit::new(public_input_size as usize, &gates.list)))
                        .or_else(|e| fail!("{}: {e}", stringify!([<caml_pasta_ $f _plonk_circuit_serialize>])))
                }

                /// The gates in kimchi's MessagePack encoding (as `serialize`).
                #[kimchi_handles::export]
                pub fn [<caml_pasta_ $f _plonk_gate_vector_to_bytes>](vector: &WasmGateVector) -> Result<Vec<u8>, Error> {
                    vector.to_bytes(stringify!([<caml_pasta_ $f _plonk_gate_vector_to_bytes>]))
                }

                /// A gate vector from `to_bytes`'s bytes (as `deserialize`).
                #[kimchi_handles::export]
                pub fn [<caml_pasta_ $f _plonk_gate_vector_from_bytes>](bytes: &[u8]) -> Result<WasmGateVector, Error> {
                    WasmGateVector::from_bytes(bytes, stringify!([<caml_pasta_ $f _plonk_gate_vector_from_bytes>]))
                }

                /// napi's other name for `from_bytes` (it returned an opaque object there).
                #[allow(non_snake_case)]
                #[kimchi_handles::export]
                pub fn [<camlPasta $f:camel PlonkGateVectorFromBytesExternal>](bytes: &[u8]) -> Result<WasmGateVector, Error> {
                    WasmGateVector::from_bytes(bytes, stringify!([<camlPasta $f:camel PlonkGateVectorFromBytesExternal>]))
                }
            }
        }
    };
}

gate_vector_family!(fp, crate::pasta::Fp);
gate_vector_family!(fq, crate::pasta::Fq);

pub use fp::{WasmFpGate, WasmFpGateVector};
pub use fq::{WasmFqGate, WasmFqGateVector};
