//! Errors of the kimchi layer. Each message is what a JS user reads in the thrown `Error`.

use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error(pub String);

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

impl From<kimchi_handles::HandleError> for Error {
    fn from(error: kimchi_handles::HandleError) -> Self {
        Self(error.to_string())
    }
}

impl From<kimchi_handles::CallError> for Error {
    fn from(error: kimchi_handles::CallError) -> Self {
        Self(error.to_string())
    }
}

/// `Err(Error(format!(...)))`.
#[macro_export]
#[doc(hidden)]
macro_rules! fail {
    ($($arg:tt)*) => { Err($crate::error::Error(format!($($arg)*))) };
}
pub use crate::fail;
