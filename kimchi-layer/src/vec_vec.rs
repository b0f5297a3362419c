//! `WasmVecVecFp` / `WasmVecVecFq`: vectors of field vectors, built by JS one column at a time
//! (the witness of a proof, the challenges of previous proofs). A handle, since a witness is
//! megabytes; proof creation takes it. JS appends through shared access, so the columns sit
//! behind a lock (never contended in practice: one thread builds a witness).

use std::mem::size_of;
use std::sync::Mutex;

use crate::error::{fail, Error};

/// Most columns a vector accepts (a witness has 15).
pub const MAX_COLUMNS: usize = 1 << 16;

macro_rules! vec_vec {
    ($f:ident, $P:ty) => {
        paste::paste! {
            pub mod $f {
                use super::*;
                use crate::field::Fields;
                use crate::pasta::Pasta;
                use kimchi_handles::{Shared, Class, DeepSize};

                type F = <$P as Pasta>::F;

                #[doc = "A vector of vectors of " $f:upper " elements (a witness: one vector per column)."]
                #[kimchi_handles::class]
                pub struct [<WasmVecVec $f:camel>] {
                    columns: Mutex<Vec<Vec<F>>>,
                }

                pub type WasmVecVec = [<WasmVecVec $f:camel>];

                impl DeepSize for WasmVecVec {
                    fn heap_size(&self) -> usize {
                        self.with(|columns| {
                            columns.capacity() * size_of::<Vec<F>>()
                                + columns.iter().map(|c| c.capacity() * size_of::<F>()).sum::<usize>()
                        })
                    }
                }

                impl WasmVecVec {
                    pub fn from_columns(columns: Vec<Vec<F>>) -> Self {
                        Self { columns: Mutex::new(columns) }
                    }

                    /// The columns, for the length of `f` (a poisoned lock only means a panic
                    /// elsewhere left it; the columns are still whole).
                    pub fn with<R>(&self, f: impl FnOnce(&mut Vec<Vec<F>>) -> R) -> R {
                        f(&mut self.columns.lock().unwrap_or_else(std::sync::PoisonError::into_inner))
                    }

                    pub fn into_columns(self) -> Vec<Vec<F>> {
                        self.columns.into_inner().unwrap_or_else(std::sync::PoisonError::into_inner)
                    }
                }

                #[kimchi_handles::export]
                impl [<WasmVecVec $f:camel>] {
                    /// An empty vector with room for `capacity` columns.
                    #[export(constructor)]
                    pub fn new(capacity: u32) -> Result<WasmVecVec, Error> {
                        let capacity = capacity as usize;
                        if capacity > MAX_COLUMNS {
                            return fail!("new {}: capacity {capacity} is more than {MAX_COLUMNS}", Self::NAME);
                        }
                        Ok(Self::from_columns(Vec::with_capacity(capacity)))
                    }

                    /// Appends a column (a flat `Uint8Array` of 32 bytes per element); the ledger
                    /// counts the new bytes, which the memory budget must have room for.
                    pub fn push(this: Shared<Self>, vector: Fields<F>) -> Result<(), Error> {
                        if this.with(|c| c.len()) >= MAX_COLUMNS {
                            return fail!("{}.push: more than {MAX_COLUMNS} columns", Self::NAME);
                        }
                        let bytes = vector.0.capacity() * size_of::<F>() + size_of::<Vec<F>>();
                        this.grow(bytes, |this| this.with(|columns| columns.push(vector.0)))?;
                        Ok(())
                    }

                    /// Column `index`, flat.
                    pub fn get(&self, index: u32) -> Result<Fields<F>, Error> {
                        self.with(|columns| match columns.get(index as usize) {
                            Some(c) => Ok(Fields(c.clone())),
                            None => fail!("{}.get: index {index} is out of range 0..{}", Self::NAME, columns.len()),
                        })
                    }

                    /// Replaces column `index`.
                    /// The memory budget must have room for what the new column adds over the old.
                    pub fn set(this: Shared<Self>, index: u32, vector: Fields<F>) -> Result<(), Error> {
                        let old = this.with(|columns| columns.get(index as usize).map(Vec::capacity));
                        let Some(old) = old else {
                            return fail!("{}.set: index {index} is out of range 0..{}", Self::NAME, this.with(|c| c.len()));
                        };
                        let added = vector.0.capacity().saturating_sub(old) * size_of::<F>();
                        this.grow(added, |this| {
                            this.with(|columns| match columns.get_mut(index as usize) {
                                Some(c) => {
                                    *c = vector.0;
                                    Ok(())
                                }
                                // Another thread shortened the vector meanwhile.
                                None => fail!("{}.set: index {index} is out of range 0..{}", Self::NAME, columns.len()),
                            })
                        })?
                    }

                    /// How many columns.
                    #[export(getter)]
                    pub fn length(&self) -> u32 {
                        self.with(|c| c.len() as u32)
                    }
                }
            }
        }
    };
}

vec_vec!(fp, crate::pasta::Fp);
vec_vec!(fq, crate::pasta::Fq);
