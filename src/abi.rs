//! How values cross between JS and Rust in exported functions: the one place where every argument
//! is checked. The `#[export]` macro reads each parameter through [`FromJs`] (by value) or
//! [`RefArg`] (by reference) and each result through [`IntoJs`]; each trait's `KIND` is the JSON
//! the glue generator turns into the JS-side check and the TypeScript type.
//!
//! Numbers: a count, size or index arrives as a JS number (an `f64`) and is accepted only if it
//! is a whole number in the range of the Rust type; anything else is an error that names the
//! function and the parameter. The generated JS also refuses non-numbers (`'3'`, `null`, `{}`,
//! `3n`) before the call, since the WASM boundary would otherwise convert them silently.

use std::fmt::{self, Write};
use std::ops::Deref;

use wasm_bindgen::convert::{FromWasmAbi, IntoWasmAbi, ReturnWasmAbi};
use wasm_bindgen::describe::WasmDescribe;
use wasm_bindgen::{JsCast, JsValue};

use crate::error::HandleError;
use crate::text::{try_format, FixedText};

/// Where an argument is being read: the function (`Payload.get`, `new Payload`) and the path to
/// the value (`index`, or `vk.evals.sigma_comm[3]` inside plain data). The path is written out
/// only for an error, so reading nested data allocates nothing for it.
#[derive(Debug, Clone, Copy)]
pub struct ArgPath<'a> {
    pub function: &'static str,
    step: Step<'a>,
}

#[derive(Debug, Clone, Copy)]
enum Step<'a> {
    Param(&'static str),
    Field(&'a ArgPath<'a>, &'static str),
    Index(&'a ArgPath<'a>, usize),
}

impl<'a> ArgPath<'a> {
    pub const fn new(function: &'static str, param: &'static str) -> Self {
        Self { function, step: Step::Param(param) }
    }

    /// A field of the value read here.
    pub fn field(&'a self, name: &'static str) -> ArgPath<'a> {
        ArgPath { function: self.function, step: Step::Field(self, name) }
    }

    /// An element of the array read here.
    pub fn index(&'a self, i: usize) -> ArgPath<'a> {
        ArgPath { function: self.function, step: Step::Index(self, i) }
    }

    /// The parameter's name, when this is a whole parameter (not a field or an element of one).
    pub fn param(&self) -> Option<&'static str> {
        match self.step {
            Step::Param(name) => Some(name),
            _ => None,
        }
    }

    /// `index`, `vk.evals.sigma_comm[3]`.
    pub fn path(&self) -> String {
        match self.step {
            Step::Param(name) => name.to_owned(),
            Step::Field(parent, name) => format!("{}.{name}", parent.path()),
            Step::Index(parent, i) => format!("{}[{i}]", parent.path()),
        }
    }

    /// An error about this argument: "`function`: `path` `problem`".
    #[cold]
    pub fn error(&self, problem: impl fmt::Display) -> CallError {
        CallError::Arg(format!("{}: {} {problem}", self.function, self.path()))
    }

    /// An argument's handle in a state the call cannot use: "`function`: `path`: `Payload #3 was
    /// disposed`" (a method's own handle: "`Payload.checksum`: `Payload #3 was disposed`").
    #[cold]
    pub fn handle_error(&self, error: impl fmt::Display) -> CallError {
        handle_arg_error(self.function, &self.path(), error)
    }
}

/// The one form of an error about the handle given as `param` (see [`ArgPath::handle_error`]).
#[cold]
pub(crate) fn handle_arg_error(function: &str, param: &str, error: impl fmt::Display) -> CallError {
    match param {
        "this" => CallError::Arg(format!("{function}: {error}")),
        _ => CallError::Arg(format!("{function}: {param}: {error}")),
    }
}

/// What a JS value is, for messages: `null`, `the string "3"`, `an object`.
pub fn describe(value: &JsValue) -> String {
    if value.is_null() {
        return "null".into();
    }
    if value.is_undefined() {
        return "undefined".into();
    }
    if let Some(short) = js_text(value, 20) {
        return format!("the string {short:?}");
    }
    if let Some(n) = value.as_f64() {
        return format!("the number {n}");
    }
    if let Some(b) = value.as_bool() {
        return b.to_string();
    }
    if value.is_bigint() {
        return "a bigint".into();
    }
    if value.is_function() {
        return "a function".into();
    }
    if js_sys::Array::is_array(value) {
        return "an array".into();
    }
    "an object".into()
}

/// Why an exported call failed; its `Display` is the message of the JS `Error`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CallError {
    /// An argument was not what the function takes.
    Arg(String),
    /// A handle was not live, over the budget, or in use.
    Handle(HandleError),
    /// The function itself returned an error.
    Failed(String),
    /// The function panicked (only in builds that unwind; elsewhere a panic aborts the instance).
    Panic { function: &'static str, message: String },
    /// The function was not started: memory is too full to recover from an allocation failing in
    /// it (builds that unwind keep a reserve for that).
    MemoryFull { function: &'static str },
    /// What every class has (`dispose`, `share`, `transfer`, `adopt`, `state`, `byteSize`) refused
    /// its handle: named `Class.verb` like a method (formatted without allocating).
    Builtin { class: &'static str, verb: &'static str, error: HandleError },
}

impl CallError {
    /// The error the body of `function` returned, named by it: every error a call raises says
    /// which call it was (a message that already starts with the name keeps it once).
    pub fn failed(function: &'static str, error: impl fmt::Display) -> Self {
        let message = error.to_string();
        if message.starts_with(function) {
            Self::Failed(message)
        } else {
            Self::Failed(format!("{function}: {message}"))
        }
    }
}

impl fmt::Display for CallError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Arg(message) | Self::Failed(message) => f.write_str(message),
            Self::Handle(error) => error.fmt(f),
            Self::Panic { function, message } if message.is_empty() => {
                write!(f, "{function} panicked, and no memory was left for its message")
            }
            Self::Panic { function, message } => write!(f, "{function} panicked: {message}"),
            Self::Builtin {
                class,
                verb,
                error: error @ (HandleError::WrongClass { .. } | HandleError::NotAHandle { .. }),
            } => {
                write!(f, "{class}.{verb}: this {error}")
            }
            Self::Builtin { class, verb, error } => write!(f, "{class}.{verb}: {error}"),
            Self::MemoryFull { function } => write!(
                f,
                "{function} was not started: WebAssembly memory is full (no room left to recover if an \
                 allocation failed in it); dispose handles and call it again"
            ),
        }
    }
}

impl std::error::Error for CallError {}

impl From<HandleError> for CallError {
    fn from(error: HandleError) -> Self {
        Self::Handle(error)
    }
}

/// A parameter taken by value.
pub trait FromJs: Sized {
    /// What wasm-bindgen passes.
    type Abi: FromWasmAbi + WasmDescribe;
    /// JSON for the glue generator: `{"k": kind, ...}`.
    const KIND: &'static str;
    fn from_js(abi: Self::Abi, arg: &ArgPath<'_>) -> Result<Self, CallError>;
    /// The same from any JS value: a field of plain data, an element of an array.
    fn from_value(value: JsValue, arg: &ArgPath<'_>) -> Result<Self, CallError>;
}

/// A parameter taken by reference (`&T`): a guard keeps the value for the length of the call.
pub trait RefArg {
    type Abi: FromWasmAbi + WasmDescribe;
    type Guard: Deref<Target = Self>;
    const KIND: &'static str;
    fn guard(abi: Self::Abi, arg: &ArgPath<'_>) -> Result<Self::Guard, CallError>;
}

/// A result returned to JS.
///
/// How an export returns it (`Ret`, through [`IntoJs::ret`]) is one of two protocols:
/// - fast, for keys, whole numbers and nothing: an `f64`, NaN when the call failed, with the
///   error kept for the glue to fetch (`__kh_take_error`); a JS number needs no allocation, while
///   wasm-bindgen's `Result` comes back as an array (measured: 31 against 13 ns a call);
/// - wasm-bindgen's `Result` for everything else.
///
/// `KIND` says which (`"nan":true`), so the generated JS checks for NaN only where it means an
/// error.
pub trait IntoJs: Sized {
    type Abi: IntoWasmAbi + WasmDescribe;
    type Ret: ReturnWasmAbi;
    const KIND: &'static str;
    /// The conversion, run inside the call (a panic in it, an allocation failing, is the call's
    /// error like any other).
    fn into_js(self) -> Result<Self::Abi, CallError>;
    /// The converted result, or the call's error, in this kind's protocol (allocates nothing).
    fn ret(result: Result<Self::Abi, CallError>) -> Self::Ret;

    /// The result as a JS value (for fields of shapes and elements of arrays).
    fn into_value(self) -> Result<JsValue, CallError>;
}

/// What may be an element of a JS array argument or result (`Vec<T>`): plain data
/// (`#[derive(Shape)]`), handles, numbers, byte arrays, and the value types a crate declares (a
/// field element).
pub trait Element {
    /// JSON of `Vec<Self>` for the glue generator.
    const ARRAY_KIND: &'static str;
}

// ---- numbers ------------------------------------------------------------------------------------

/// The one check of every whole-number argument.
#[inline]
fn whole(value: f64, min: f64, max: f64, arg: &ArgPath<'_>) -> Result<f64, CallError> {
    // In range (NaN is not) and whole; the bounds are finite.
    if value >= min && value <= max && value == value.trunc() {
        Ok(value)
    } else {
        Err(not_whole(value, min, max, arg))
    }
}

#[cold]
#[inline(never)]
fn not_whole(value: f64, min: f64, max: f64, arg: &ArgPath<'_>) -> CallError {
    arg.error(format_args!("must be a whole number from {min} to {max}, got {}", show_number(value)))
}

/// A JS value that must be a number (the generated JS checks top-level arguments; nested data is
/// checked here).
fn number(value: &JsValue, arg: &ArgPath<'_>) -> Result<f64, CallError> {
    value.as_f64().ok_or_else(|| arg.error(format_args!("must be a number, got {}", describe(value))))
}

fn show_number(value: f64) -> String {
    if value.is_nan() {
        "NaN (not a number)".into()
    } else {
        value.to_string()
    }
}

/// Largest integer a JS number holds exactly.
pub const MAX_SAFE_INTEGER: f64 = 9_007_199_254_740_991.0;

macro_rules! whole_numbers {
    ($($t:ty => $min:literal, $max:literal, $fmin:literal, $fmax:literal;)*) => {$(
        impl FromJs for $t {
            type Abi = f64;
            const KIND: &'static str = concat!("{\"k\":\"int\",\"min\":", $min, ",\"max\":", $max, "}");
            #[inline]
            fn from_js(abi: f64, arg: &ArgPath<'_>) -> Result<Self, CallError> {
                // In range and whole, so the cast is exact.
                whole(abi, $fmin, $fmax, arg).map(|v| v as $t)
            }
            fn from_value(value: JsValue, arg: &ArgPath<'_>) -> Result<Self, CallError> {
                Self::from_js(number(&value, arg)?, arg)
            }
        }


        impl IntoJs for $t {
            type Abi = f64;
            type Ret = f64;
            const KIND: &'static str = "{\"k\":\"num\",\"nan\":true}";
            #[inline]
            fn into_js(self) -> Result<f64, CallError> {
                let value = self as f64;
                if value.abs() > MAX_SAFE_INTEGER {
                    return Err(CallError::Failed(format!("{self} does not fit a JS number exactly")));
                }
                Ok(value)
            }
            #[inline]
            fn ret(result: Result<Self::Abi, CallError>) -> f64 {
                fast_return(result)
            }
            fn into_value(self) -> Result<JsValue, CallError> {
                self.into_js().map(JsValue::from)
            }
        }
    )*};
}

// `usize` is a size in WASM memory: 32 bits there, and kept to that range natively too, so a
// size that works in tests works in WASM.
whole_numbers! {
    u8 => 0, 255, 0.0, 255.0;
    u16 => 0, 65535, 0.0, 65535.0;
    u32 => 0, 4294967295, 0.0, 4294967295.0;
    usize => 0, 4294967295, 0.0, 4294967295.0;
    u64 => 0, 9007199254740991, 0.0, 9007199254740991.0;
    i32 => -2147483648, 2147483647, -2147483648.0, 2147483647.0;
    i64 => -9007199254740991, 9007199254740991, -9007199254740991.0, 9007199254740991.0;
}

macro_rules! number_elements {
    ($($t:ty => $min:literal, $max:literal;)*) => {$(
        impl Element for $t {
            const ARRAY_KIND: &'static str =
                concat!("{\"k\":\"array\",\"of\":{\"k\":\"int\",\"min\":", $min, ",\"max\":", $max, "}}");
        }
    )*};
}

// Not `u8`: a `Vec<u8>` is bytes (a `Uint8Array`), not an array of numbers.
number_elements! {
    u16 => 0, 65535;
    u32 => 0, 4294967295;
    usize => 0, 4294967295;
    u64 => 0, 9007199254740991;
    i32 => -2147483648, 2147483647;
    i64 => -9007199254740991, 9007199254740991;
}

impl FromJs for f64 {
    type Abi = f64;
    const KIND: &'static str = "{\"k\":\"num\"}";
    fn from_js(abi: f64, arg: &ArgPath<'_>) -> Result<Self, CallError> {
        if abi.is_nan() {
            return Err(arg.error("must be a number, got NaN"));
        }
        Ok(abi)
    }
    fn from_value(value: JsValue, arg: &ArgPath<'_>) -> Result<Self, CallError> {
        Self::from_js(number(&value, arg)?, arg)
    }
}

impl IntoJs for f64 {
    type Abi = f64;
    type Ret = Result<f64, JsValue>;
    const KIND: &'static str = "{\"k\":\"num\"}";
    fn into_js(self) -> Result<f64, CallError> {
        Ok(self)
    }
    fn ret(result: Result<Self::Abi, CallError>) -> Self::Ret {
        result_return(result)
    }
    fn into_value(self) -> Result<JsValue, CallError> {
        Ok(JsValue::from(self))
    }
}

impl FromJs for bool {
    type Abi = bool;
    const KIND: &'static str = "{\"k\":\"bool\"}";
    fn from_js(abi: bool, _: &ArgPath<'_>) -> Result<Self, CallError> {
        Ok(abi)
    }
    fn from_value(value: JsValue, arg: &ArgPath<'_>) -> Result<Self, CallError> {
        value.as_bool().ok_or_else(|| arg.error(format_args!("must be a boolean, got {}", describe(&value))))
    }
}

impl IntoJs for bool {
    type Abi = bool;
    type Ret = Result<bool, JsValue>;
    const KIND: &'static str = "{\"k\":\"bool\"}";
    fn into_js(self) -> Result<bool, CallError> {
        Ok(self)
    }
    fn ret(result: Result<Self::Abi, CallError>) -> Self::Ret {
        result_return(result)
    }
    fn into_value(self) -> Result<JsValue, CallError> {
        Ok(JsValue::from(self))
    }
}

// ---- values wasm-bindgen converts itself ----------------------------------------------------------

/// A guard for values that need no keeping (bytes copied into WASM, a string).
pub struct Held<T>(T);

impl<T> Deref for Held<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

/// Bytes, copied from a `Uint8Array` (inside plain data, an array of numbers from 0 to 255 too).
///
/// Bytes and strings cross as JS values and are copied into WASM memory inside the call: passed
/// the usual way, wasm-bindgen allocates for them before the call starts, and an allocation failing
/// there aborts the instance even in a build that unwinds.
impl FromJs for Vec<u8> {
    type Abi = JsValue;
    const KIND: &'static str = "{\"k\":\"bytes\"}";
    fn from_js(abi: JsValue, arg: &ArgPath<'_>) -> Result<Self, CallError> {
        Self::from_value(abi, arg)
    }
    fn from_value(value: JsValue, arg: &ArgPath<'_>) -> Result<Self, CallError> {
        if let Some(bytes) = value.dyn_ref::<js_sys::Uint8Array>() {
            return copy_bytes(bytes, arg);
        }
        if let Some(array) = value.dyn_ref::<js_sys::Array>() {
            return (0..array_length(array, arg)?)
                .map(|i| {
                    let arg = arg.index(i as usize);
                    u8::from_value(array_element(array, i, &arg)?, &arg)
                })
                .collect();
        }
        Err(arg.error(format_args!("must be a Uint8Array, got {}", describe(&value))))
    }
}

const LOOKALIKE: &str =
    "must be a Uint8Array, got an object that only looks like one (a proxy, or made from its prototype)";

/// The bytes of a view, copied. Allocating the copy may grow WASM memory, which detaches the views
/// of the old buffer when it is not shared: a view of this instance's own memory is then read again
/// at the same place in the grown buffer.
fn copy_bytes(view: &js_sys::Uint8Array, arg: &ArgPath<'_>) -> Result<Vec<u8>, CallError> {
    // A proxy of a Uint8Array, or an object made from its prototype, passes `instanceof` but has no
    // bytes: its getters would throw through WASM frames.
    if !js_sys::ArrayBuffer::is_view(view) {
        return Err(arg.error(LOOKALIKE));
    }
    let (length, offset) = (view.length(), view.byte_offset());
    if length == 0 {
        return Ok(Vec::new()); // also a view detached before the call, which cannot be read
    }
    let memory = wasm_bindgen::memory().unchecked_into::<js_sys::WebAssembly::Memory>();
    let own = js_sys::Object::is(&view.buffer(), &memory.buffer());
    let mut out = vec![0; length as usize];
    if view.length() == length {
        view.copy_to(&mut out);
    } else if own {
        js_sys::Uint8Array::new_with_byte_offset_and_length(&memory.buffer(), offset, length).copy_to(&mut out);
    } else {
        return Err(arg.error("must be a Uint8Array that stays attached during the call"));
    }
    Ok(out)
}

impl Element for Vec<u8> {
    const ARRAY_KIND: &'static str = "{\"k\":\"array\",\"of\":{\"k\":\"bytes\"}}";
}

impl RefArg for [u8] {
    type Abi = JsValue;
    type Guard = Vec<u8>;
    const KIND: &'static str = "{\"k\":\"bytes\"}";
    fn guard(abi: JsValue, arg: &ArgPath<'_>) -> Result<Vec<u8>, CallError> {
        Vec::<u8>::from_value(abi, arg)
    }
}

impl IntoJs for Vec<u8> {
    type Abi = Vec<u8>;
    type Ret = Result<Vec<u8>, JsValue>;
    const KIND: &'static str = "{\"k\":\"bytes\"}";
    fn into_js(self) -> Result<Vec<u8>, CallError> {
        Ok(self)
    }
    fn ret(result: Result<Self::Abi, CallError>) -> Self::Ret {
        result_return(result)
    }
    fn into_value(self) -> Result<JsValue, CallError> {
        Ok(js_sys::Uint8Array::from(&self[..]).into())
    }
}

/// A string: the generated JS passes it as UTF-8 bytes (see `Vec<u8>`); inside plain data, a JS
/// string read here.
impl FromJs for String {
    type Abi = JsValue;
    const KIND: &'static str = "{\"k\":\"string\"}";
    fn from_js(abi: JsValue, arg: &ArgPath<'_>) -> Result<Self, CallError> {
        Self::from_value(abi, arg)
    }
    fn from_value(value: JsValue, arg: &ArgPath<'_>) -> Result<Self, CallError> {
        if let Some(bytes) = value.dyn_ref::<js_sys::Uint8Array>() {
            return String::from_utf8(copy_bytes(bytes, arg)?)
                .map_err(|_| arg.error("must be a string (its UTF-8 bytes are not valid)"));
        }
        js_text(&value, u32::MAX).ok_or_else(|| arg.error(format_args!("must be a string, got {}", describe(&value))))
    }
}

impl RefArg for str {
    type Abi = JsValue;
    type Guard = String;
    const KIND: &'static str = "{\"k\":\"string\"}";
    fn guard(abi: JsValue, arg: &ArgPath<'_>) -> Result<String, CallError> {
        String::from_value(abi, arg)
    }
}

/// A JS string's first `max` UTF-16 units, read one by one (wasm-bindgen's own reading allocates
/// before Rust sees the string, where a failure aborts the instance). `None` if not a string.
fn js_text(value: &JsValue, max: u32) -> Option<String> {
    let s = value.dyn_ref::<js_sys::JsString>()?;
    let units: Vec<u16> = (0..s.length().min(max)).map(|i| s.char_code_at(i) as u16).collect();
    Some(String::from_utf16_lossy(&units))
}

impl IntoJs for String {
    type Abi = String;
    type Ret = Result<String, JsValue>;
    const KIND: &'static str = "{\"k\":\"string\"}";
    fn into_js(self) -> Result<String, CallError> {
        Ok(self)
    }
    fn ret(result: Result<Self::Abi, CallError>) -> Self::Ret {
        result_return(result)
    }
    fn into_value(self) -> Result<JsValue, CallError> {
        Ok(JsValue::from(self))
    }
}

impl IntoJs for &'static str {
    type Abi = &'static str;
    type Ret = Result<&'static str, JsValue>;
    const KIND: &'static str = "{\"k\":\"string\"}";
    fn into_js(self) -> Result<&'static str, CallError> {
        Ok(self)
    }
    fn ret(result: Result<Self::Abi, CallError>) -> Self::Ret {
        result_return(result)
    }
    fn into_value(self) -> Result<JsValue, CallError> {
        Ok(JsValue::from_str(self))
    }
}

/// A JS function (a callback), checked to be callable by the generated JS.
impl RefArg for js_sys::Function {
    type Abi = js_sys::Function;
    type Guard = Held<js_sys::Function>;
    const KIND: &'static str = "{\"k\":\"function\"}";
    fn guard(abi: js_sys::Function, _: &ArgPath<'_>) -> Result<Held<js_sys::Function>, CallError> {
        Ok(Held(abi))
    }
}

impl FromJs for js_sys::Function {
    type Abi = js_sys::Function;
    const KIND: &'static str = "{\"k\":\"function\"}";
    fn from_js(abi: js_sys::Function, _: &ArgPath<'_>) -> Result<Self, CallError> {
        Ok(abi)
    }
    fn from_value(value: JsValue, arg: &ArgPath<'_>) -> Result<Self, CallError> {
        value.dyn_into().map_err(|v| arg.error(format_args!("must be a function, got {}", describe(&v))))
    }
}

/// Any JS value, unchecked.
impl FromJs for JsValue {
    type Abi = JsValue;
    const KIND: &'static str = "{\"k\":\"any\"}";
    fn from_js(abi: JsValue, _: &ArgPath<'_>) -> Result<Self, CallError> {
        Ok(abi)
    }
    fn from_value(value: JsValue, _: &ArgPath<'_>) -> Result<Self, CallError> {
        Ok(value)
    }
}

/// A JS array, each element read as `T`.
impl<T: Element + FromJs> FromJs for Vec<T> {
    type Abi = JsValue;
    const KIND: &'static str = T::ARRAY_KIND;
    fn from_js(abi: JsValue, arg: &ArgPath<'_>) -> Result<Self, CallError> {
        Self::from_value(abi, arg)
    }
    fn from_value(value: JsValue, arg: &ArgPath<'_>) -> Result<Self, CallError> {
        let Some(array) = value.dyn_ref::<js_sys::Array>() else {
            return Err(arg.error(format_args!("must be an array, got {}", describe(&value))));
        };
        (0..array_length(array, arg)?)
            .map(|i| {
                let arg = arg.index(i as usize);
                T::from_value(array_element(array, i, &arg)?, &arg)
            })
            .collect()
    }
}

// An array from JS may be a proxy whose traps throw: read through `Reflect`, a throw is this call's
// error, where reading it directly would throw through WASM frames and skip Rust's destructors
// (the arguments already copied in would be lost).

/// The length of an array from JS.
pub fn array_length(array: &js_sys::Array, arg: &ArgPath<'_>) -> Result<u32, CallError> {
    let length = js_sys::Reflect::get(array, &JsValue::from_str("length")).map_err(|e| unreadable(&e, arg))?;
    match length.as_f64() {
        Some(n) if (0.0..=f64::from(u32::MAX)).contains(&n) && n.fract() == 0.0 => Ok(n as u32),
        _ => Err(arg.error(format_args!("must be an array, got one whose length is {}", describe(&length)))),
    }
}

/// Element `index` of an array from JS (`arg` names the element).
pub fn array_element(array: &js_sys::Array, index: u32, arg: &ArgPath<'_>) -> Result<JsValue, CallError> {
    js_sys::Reflect::get_u32(array, index).map_err(|e| unreadable(&e, arg))
}

#[cold]
fn unreadable(thrown: &JsValue, arg: &ArgPath<'_>) -> CallError {
    let message = js_sys::Reflect::get(thrown, &JsValue::from_str("message"))
        .ok()
        .and_then(|m| js_text(&m, 200))
        .unwrap_or_else(|| describe(thrown));
    arg.error(format_args!("could not be read: reading it threw {message:?}"))
}

impl IntoJs for JsValue {
    type Abi = JsValue;
    type Ret = Result<JsValue, JsValue>;
    const KIND: &'static str = "{\"k\":\"any\"}";
    fn into_js(self) -> Result<JsValue, CallError> {
        Ok(self)
    }
    fn ret(result: Result<Self::Abi, CallError>) -> Self::Ret {
        result_return(result)
    }
    fn into_value(self) -> Result<JsValue, CallError> {
        Ok(self)
    }
}

/// A JS array of plain data.
impl<T: Element + IntoJs> IntoJs for Vec<T> {
    type Abi = JsValue;
    type Ret = Result<JsValue, JsValue>;
    const KIND: &'static str = T::ARRAY_KIND;
    fn into_js(self) -> Result<JsValue, CallError> {
        let array = js_sys::Array::new();
        for item in self {
            array.push(&item.into_value()?);
        }
        Ok(array.into())
    }
    fn ret(result: Result<Self::Abi, CallError>) -> Self::Ret {
        result_return(result)
    }
    fn into_value(self) -> Result<JsValue, CallError> {
        self.into_js()
    }
}

// ---- the two return protocols --------------------------------------------------------------------

/// The fast protocol: the number, or NaN with the error kept for `__kh_take_error`.
#[inline]
pub fn fast_return(result: Result<f64, CallError>) -> f64 {
    match result {
        Ok(value) => value,
        Err(error) => {
            stash_error(&error);
            f64::NAN
        }
    }
}

/// wasm-bindgen's protocol: `Result`, thrown by its glue.
pub fn result_return<A>(result: Result<A, CallError>) -> Result<A, JsValue> {
    result.map_err(|e| js_error(&e))
}

thread_local! {
    // The error of the last call that returned NaN, until the glue takes it.
    static ERROR: std::cell::RefCell<Option<JsValue>> = const { std::cell::RefCell::new(None) };
}

#[cold]
pub(crate) fn stash_error(error: &CallError) {
    let value = js_error(error);
    let _ = ERROR.try_with(|e| e.replace(Some(value)));
}

/// The error of the last call that returned NaN (the fast protocol), taken once.
pub(crate) fn take_error() -> JsValue {
    ERROR
        .try_with(|e| e.borrow_mut().take())
        .ok()
        .flatten()
        .unwrap_or_else(|| wasm_bindgen::JsError::new("kimchi-handles: a call failed and its error was lost").into())
}

/// The JS `Error` of a call's error. Its message is made on the stack (an error often reports
/// memory running out, and nothing is caught outside the call); a longer one is tried on the heap.
#[cold]
pub(crate) fn js_error(error: &CallError) -> JsValue {
    let mut text = FixedText::<1024>::new();
    let _ = write!(text, "{error}");
    if text.is_cut() {
        if let Some(full) = try_format(error) {
            return wasm_bindgen::JsError::new(&full).into();
        }
    }
    wasm_bindgen::JsError::new(text.as_str()).into()
}

// ---- plain data's fields ------------------------------------------------------------------------

/// A field of a plain object under construction (cannot fail on a fresh object).
pub fn set_field(object: &js_sys::Object, key: &str, value: &JsValue) {
    let _ = js_sys::Reflect::set(object, &JsValue::from_str(key), value);
}

/// A field of plain data from JS (`undefined` when absent, or when a getter throws).
pub fn get_field(object: &JsValue, key: &str) -> JsValue {
    js_sys::Reflect::get(object, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

/// Plain data must be an object (a class instance is one too).
pub fn expect_object(value: &JsValue, arg: &ArgPath<'_>) -> Result<(), CallError> {
    if value.is_object() && !value.is_function() {
        Ok(())
    } else {
        Err(arg.error(format_args!("must be an object, got {}", describe(value))))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    const CX: ArgPath<'static> = ArgPath::new("Payload.get", "index");

    #[test]
    fn whole_numbers_in_range_only() {
        assert_eq!(u32::from_js(7.0, &CX), Ok(7));
        assert_eq!(u32::from_js(4294967295.0, &CX), Ok(u32::MAX));
        for bad in [1.5, -1.0, 4294967296.0, f64::NAN, f64::INFINITY, -0.5] {
            let message = u32::from_js(bad, &CX).unwrap_err().to_string();
            assert!(
                message.starts_with("Payload.get: index must be a whole number from 0 to 4294967295, got "),
                "{message}"
            );
        }
        assert!(u8::from_js(256.0, &CX).is_err());
        assert_eq!(i32::from_js(-5.0, &CX), Ok(-5));
        assert_eq!(u64::from_js(MAX_SAFE_INTEGER, &CX), Ok(9_007_199_254_740_991));
        assert!(u64::from_js(MAX_SAFE_INTEGER + 1.0, &CX).is_err());
        assert_eq!(
            usize::from_js(f64::NAN, &CX).unwrap_err().to_string(),
            "Payload.get: index must be a whole number from 0 to 4294967295, got NaN (not a number)"
        );
    }

    #[test]
    fn large_results_do_not_lose_precision_silently() {
        assert_eq!(
            u64::MAX.into_js().unwrap_err().to_string(),
            "18446744073709551615 does not fit a JS number exactly"
        );
        assert!((1u64 << 53).into_js().is_err());
        assert_eq!(7u64.into_js(), Ok(7.0));
    }
}
