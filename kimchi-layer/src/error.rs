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

/// `Err(Error(format!(...)))`.
macro_rules! fail {
    ($($arg:tt)*) => { Err($crate::error::Error(format!($($arg)*))) };
}
pub(crate) use fail;
