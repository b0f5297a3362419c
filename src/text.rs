//! Text made without an allocation that could panic: a fixed buffer, and copies on the heap
//! only when the memory for them can be had. Errors and panics are often about memory running
//! out; reporting them must not run it out again.

use std::fmt::{self, Write};

/// Text of at most `N` bytes kept inline: what does not fit is cut at a character boundary and
/// ends in "…".
pub(crate) struct FixedText<const N: usize> {
    bytes: [u8; N],
    len: usize,
    cut: bool,
}

impl<const N: usize> FixedText<N> {
    const ELLIPSIS: &'static str = "…";

    pub(crate) const fn new() -> Self {
        Self { bytes: [0; N], len: 0, cut: false }
    }

    pub(crate) fn as_str(&self) -> &str {
        // Only whole characters are ever copied in.
        std::str::from_utf8(&self.bytes[..self.len]).unwrap_or("")
    }

    /// Whether the text was cut.
    pub(crate) fn is_cut(&self) -> bool {
        self.cut
    }

    pub(crate) fn clear(&mut self) {
        self.len = 0;
        self.cut = false;
    }
}

impl<const N: usize> Write for FixedText<N> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        if self.cut {
            return Err(fmt::Error);
        }
        let room = N - Self::ELLIPSIS.len() - self.len;
        if s.len() <= room {
            self.bytes[self.len..self.len + s.len()].copy_from_slice(s.as_bytes());
            self.len += s.len();
            return Ok(());
        }
        let mut end = room;
        while !s.is_char_boundary(end) {
            end -= 1;
        }
        for part in [&s[..end], Self::ELLIPSIS] {
            self.bytes[self.len..self.len + part.len()].copy_from_slice(part.as_bytes());
            self.len += part.len();
        }
        self.cut = true;
        Err(fmt::Error)
    }
}

/// A copy on the heap, if the memory for it can be had.
pub(crate) fn try_string(text: &str) -> Option<String> {
    let mut s = String::new();
    s.try_reserve_exact(text.len()).ok()?;
    s.push_str(text);
    Some(s)
}

/// An error's message on the heap, if the memory for it can be had.
pub(crate) fn try_format(value: &impl fmt::Display) -> Option<String> {
    struct Count(usize);
    impl Write for Count {
        fn write_str(&mut self, s: &str) -> fmt::Result {
            self.0 += s.len();
            Ok(())
        }
    }
    let mut count = Count(0);
    write!(count, "{value}").ok()?;
    let mut s = String::new();
    s.try_reserve_exact(count.0).ok()?;
    // Exactly the bytes counted: no growth, so no allocation here.
    write!(s, "{value}").ok()?;
    Some(s)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn fixed_text_cuts_at_a_character_boundary() {
        let mut t = FixedText::<8>::new();
        assert!(write!(t, "ab").is_ok());
        assert_eq!(t.as_str(), "ab");
        assert!(!t.is_cut());
        // 8 bytes, 3 of them for the ellipsis: room for 5, and "é" (2 bytes) does not split.
        assert!(write!(t, "cdéé").is_err());
        assert_eq!(t.as_str(), "abcd…");
        assert!(t.is_cut());
        assert!(write!(t, "x").is_err(), "nothing is added after the cut");
        assert_eq!(t.as_str(), "abcd…");
    }

    #[test]
    fn try_format_makes_the_whole_text() {
        assert_eq!(try_format(&format_args!("{}-{}", "x".repeat(3000), 5)).unwrap().len(), 3002);
        assert_eq!(try_string("abc").as_deref(), Some("abc"));
    }
}
