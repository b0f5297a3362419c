//! Lookup tables as JS data, for each field: the fixed tables and runtime-table configurations an
//! index is made with (`WasmPastaFpLookupTable`, `JsRuntimeTableCfgFp`), and the runtime tables a
//! proof is created with (`WasmFpRuntimeTable`).
//!
//! o1js builds a fixed table as `new WasmPastaFpLookupTable(id, vecVec)`, its columns in a
//! `WasmVecVecFp` handle; napi's own type is the plain `{ id, data: Uint8Array[] }`. The `data`
//! field takes either. The columns are copied: the handle stays with its owner.

use kimchi::circuits::lookup::runtime_tables::{RuntimeTable, RuntimeTableCfg};
use kimchi::circuits::lookup::tables::LookupTable;
use kimchi_handles::{ArgPath, CallError, FromJs, IntoJs};
use wasm_bindgen::JsValue;

use crate::error::{fail, Error};

/// Most rows all the tables of one circuit may have together: a longer table could not fit the
/// largest domain an index is made over here.
pub const MAX_TABLE_ROWS: usize = crate::srs::MAX_DOMAIN;

/// The checks kimchi needs before it reads a table: at least one column, all of the same length
/// (kimchi indexes every column by the first one's rows before it checks their lengths).
fn check_columns<F>(columns: &[Vec<F>], what: &str) -> Result<(), Error> {
    let Some(first) = columns.first() else {
        return fail!("{what}.data has no column");
    };
    if first.len() > MAX_TABLE_ROWS {
        return fail!("{what}.data has {} rows: at most {MAX_TABLE_ROWS}", first.len());
    }
    for (i, column) in columns.iter().enumerate().skip(1) {
        if column.len() != first.len() {
            return fail!("{what}.data[{i}] has {} rows, but data[0] has {}", column.len(), first.len());
        }
    }
    Ok(())
}

macro_rules! lookup_family {
    ($f:ident, $P:ty) => {
        paste::paste! {
            pub mod $f {
                use super::*;
                use crate::field::Fields;
                use crate::pasta::Pasta;
                use kimchi_handles::{Shared, Class};

                type F = <$P as Pasta>::F;
                type VecVec = crate::vec_vec::$f::WasmVecVec;

                /// The columns of a fixed lookup table: from a `WasmVecVec` handle or an array of
                /// flat `Uint8Array` columns; always an array of columns out.
                #[derive(Debug, Clone, PartialEq, Eq, Default)]
                pub struct Columns(pub Vec<Vec<F>>);

                impl FromJs for Columns {
                    type Abi = JsValue;
                    const KIND: &'static str = "{\"k\":\"any\"}";
                    fn from_js(abi: JsValue, arg: &ArgPath<'_>) -> Result<Self, CallError> {
                        Self::from_value(abi, arg)
                    }
                    fn from_value(value: JsValue, arg: &ArgPath<'_>) -> Result<Self, CallError> {
                        if js_sys::Array::is_array(&value) {
                            let columns = Vec::<Fields<F>>::from_value(value, arg)?;
                            return Ok(Columns(columns.into_iter().map(|c| c.0).collect()));
                        }
                        if !value.is_object() {
                            return Err(arg.error(format_args!(
                                "must be a {} or an array of Uint8Array columns, got {}",
                                VecVec::NAME,
                                kimchi_handles::abi::describe(&value)
                            )));
                        }
                        let handle = Shared::<VecVec>::from_value(value, arg)?;
                        Ok(Columns(handle.with(|columns| columns.clone())))
                    }
                }

                impl IntoJs for Columns {
                    type Abi = JsValue;
                    type Ret = Result<JsValue, JsValue>;
                    const KIND: &'static str = "{\"k\":\"any\"}";
                    fn into_js(self) -> Result<JsValue, CallError> {
                        let array = js_sys::Array::new();
                        for column in self.0 {
                            array.push(&Fields(column).into_value()?);
                        }
                        Ok(array.into())
                    }
                    fn ret(result: Result<Self::Abi, CallError>) -> Self::Ret {
                        kimchi_handles::__private::result_return(result)
                    }
                    fn into_value(self) -> Result<JsValue, CallError> {
                        self.into_js()
                    }
                }

                #[doc = "A fixed lookup table of an " $f:upper " circuit: `new WasmPasta" $f:camel "LookupTable(id, data)`, `data` a `WasmVecVec" $f:camel "` or an array of flat columns."]
                #[derive(Debug, Clone, PartialEq, Eq, kimchi_handles::Shape)]
                #[shape(from_js, keep_names, constructor)]
                pub struct [<WasmPasta $f:camel LookupTable>] {
                    pub id: i32,
                    pub data: Columns,
                }

                pub type Table = [<WasmPasta $f:camel LookupTable>];

                impl Table {
                    /// kimchi's table, refused if kimchi could not read it (`what` names it).
                    pub fn to_kimchi(self, what: &str) -> Result<LookupTable<F>, Error> {
                        check_columns(&self.data.0, what)?;
                        Ok(LookupTable { id: self.id, data: self.data.0 })
                    }
                }

                #[doc = "The configuration of a runtime table of an " $f:upper " circuit: `{ id, firstColumn }`."]
                #[derive(Debug, Clone, PartialEq, Eq, kimchi_handles::Shape)]
                #[shape(from_js)]
                pub struct [<JsRuntimeTableCfg $f:camel>] {
                    pub id: i32,
                    pub first_column: Fields<F>,
                }

                pub type TableCfg = [<JsRuntimeTableCfg $f:camel>];

                impl TableCfg {
                    pub fn to_kimchi(self) -> RuntimeTableCfg<F> {
                        RuntimeTableCfg { id: self.id, first_column: self.first_column.0 }
                    }
                }

                #[doc = "A runtime table given to proof creation for an " $f:upper " circuit: `{ id, data }`, `data` one flat column."]
                #[derive(Debug, Clone, PartialEq, Eq, kimchi_handles::Shape)]
                #[shape(from_js, keep_names, constructor)]
                pub struct [<Wasm $f:camel RuntimeTable>] {
                    pub id: i32,
                    pub data: Fields<F>,
                }

                pub type RuntimeTableData = [<Wasm $f:camel RuntimeTable>];

                impl RuntimeTableData {
                    pub fn to_kimchi(self) -> RuntimeTable<F> {
                        RuntimeTable { id: self.id, data: self.data.0 }
                    }
                }

                /// kimchi's fixed tables, naming the first one it could not read
                /// (`lookupTables[2].data[1] has 5 rows, but data[0] has 6`), and checking that
                /// all of them, with the runtime tables, fit the largest domain.
                pub fn tables_to_kimchi(tables: Vec<Table>, cfgs: &[TableCfg]) -> Result<Vec<LookupTable<F>>, Error> {
                    let tables = tables
                        .into_iter()
                        .enumerate()
                        .map(|(i, t)| t.to_kimchi(&format!("lookupTables[{i}]")))
                        .collect::<Result<Vec<_>, _>>()?;
                    let rows = tables.iter().map(LookupTable::len).sum::<usize>()
                        + cfgs.iter().map(|c| c.first_column.0.len()).sum::<usize>();
                    if rows > MAX_TABLE_ROWS {
                        return fail!("the lookup tables have {rows} rows together: at most {MAX_TABLE_ROWS}");
                    }
                    Ok(tables)
                }

                /// kimchi's runtime tables (proof creation checks them against the index's
                /// configurations and returns an error if they differ).
                pub fn runtime_tables_to_kimchi(tables: Vec<RuntimeTableData>) -> Vec<RuntimeTable<F>> {
                    tables.into_iter().map(RuntimeTableData::to_kimchi).collect()
                }
            }
        }
    };
}

lookup_family!(fp, crate::pasta::Fp);
lookup_family!(fq, crate::pasta::Fq);

pub use fp::{JsRuntimeTableCfgFp, WasmFpRuntimeTable, WasmPastaFpLookupTable};
pub use fq::{JsRuntimeTableCfgFq, WasmFqRuntimeTable, WasmPastaFqLookupTable};
