//! The keys JS objects hold: a slot of the registry and that slot's generation, in the 53 bits a JS
//! number holds exactly (`generation * 2^24 + slot`).
//!
//! A slot's generation changes every time the slot gets a new handle, and a slot whose generation
//! would come back to its first value is retired instead of reused, so a key never names two
//! handles: a stale key finds another generation and is refused. Each slot's first generation is
//! random, so a made-up number names a live handle with odds of about one in 2^29: blind
//! forgeries and corrupted objects are refused, while an object that copies a real key simply acts
//! for that handle, as holding its object would.

/// Slots a registry may have (16M live handles at most).
pub(crate) const SLOT_BITS: u32 = 24;
pub(crate) const MAX_SLOTS: usize = 1 << SLOT_BITS;
/// Generations per slot.
pub(crate) const GEN_BITS: u32 = 53 - SLOT_BITS;
pub(crate) const GEN_MASK: u32 = (1 << GEN_BITS) - 1;

/// 2^53: keys are below it.
const LIMIT: f64 = 9_007_199_254_740_992.0;

/// A handle's key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Key {
    pub(crate) slot: u32,
    pub(crate) generation: u32,
}

impl Key {
    /// The JS number for this key.
    pub fn to_f64(self) -> f64 {
        f64::from(self.generation) * f64::from(1u32 << SLOT_BITS) + f64::from(self.slot)
    }

    /// A key from a JS number, `None` for a number that cannot be one (it then names no handle).
    #[inline]
    pub fn from_f64(key: f64) -> Option<Key> {
        // Below 2^53 and not negative (NaN is not in the range), and whole.
        if !(0.0..LIMIT).contains(&key) || key != key.trunc() {
            return None;
        }
        let key = key as u64;
        Some(Key { slot: (key & (MAX_SLOTS as u64 - 1)) as u32, generation: (key >> SLOT_BITS) as u32 })
    }
}

/// The generator of first generations (splitmix64): fast, and seeded per instance.
#[derive(Debug, Clone)]
pub(crate) struct Generations(u64);

impl Generations {
    pub(crate) fn new(seed: u64) -> Self {
        Self(seed)
    }

    pub(crate) fn first(&mut self) -> u32 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        ((z ^ (z >> 31)) as u32) & GEN_MASK
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_round_trip_through_js_numbers() {
        for (slot, generation) in [(0, 0), (5, 7), (MAX_SLOTS as u32 - 1, GEN_MASK)] {
            let key = Key { slot, generation };
            assert_eq!(Key::from_f64(key.to_f64()), Some(key));
        }
        assert!(Key { slot: MAX_SLOTS as u32 - 1, generation: GEN_MASK }.to_f64() < LIMIT);
        assert_eq!(LIMIT, (1u64 << 53) as f64);
        for bad in [-1.0, 0.5, f64::NAN, f64::INFINITY, LIMIT] {
            assert_eq!(Key::from_f64(bad), None, "{bad}");
        }
    }

    #[test]
    fn first_generations_spread_over_the_range() {
        let mut g = Generations::new(1);
        let firsts: Vec<u32> = (0..1000).map(|_| g.first()).collect();
        assert!(firsts.iter().all(|f| *f <= GEN_MASK));
        assert!(firsts.iter().any(|f| *f > GEN_MASK / 2) && firsts.iter().any(|f| *f < GEN_MASK / 2));
    }
}
