//! The table of states met by the exploration: their 64-bit fingerprints.
//!
//! The search's main cost is looking fingerprints up in a table far larger than the
//! processor's caches, so the table is made for it: [`FingerprintSet`] is open addressing
//! with linear probing over a plain array of fingerprints, 8 bytes a slot, where a lookup
//! usually touches one cache line (hashbrown touches two: its control bytes, then the
//! bucket). [`PartitionedSet`] splits it by fingerprint into parts that threads fill at
//! once. Only the state graph (`recover`) needs each state's number; it keeps a map.

use std::collections::hash_map::Entry;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// A hasher for keys that are already fingerprints.
#[derive(Default)]
pub(crate) struct Passthrough(u64);

impl Hasher for Passthrough {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0 << 8) | u64::from(*b);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

/// A set of 64-bit fingerprints: linear probing in a power-of-two array, at most 3/4 full,
/// the slot of a fingerprint given by its high bits (fingerprints are uniformly mixed
/// hashes). The fingerprint 0 marks an empty slot, so it is kept aside as a flag.
#[derive(Clone, Debug)]
pub(crate) struct FingerprintSet {
    slots: Vec<u64>,
    /// Fingerprints in `slots` (the fingerprint 0 aside).
    len: usize,
    /// `64 - log2(slots.len())`: a fingerprint's first slot is `fingerprint >> shift`.
    shift: u32,
    /// Whether the fingerprint 0 is in the set.
    zero: bool,
}

/// Slots of a new set.
const FIRST_SLOTS: usize = 1 << 10;

impl FingerprintSet {
    pub(crate) fn new() -> FingerprintSet {
        FingerprintSet {
            slots: vec![0; FIRST_SLOTS],
            len: 0,
            shift: 64 - FIRST_SLOTS.trailing_zeros(),
            zero: false,
        }
    }

    /// Whether the fingerprint is in the set.
    #[inline]
    pub(crate) fn contains(&self, key: u64) -> bool {
        if key == 0 {
            return self.zero;
        }
        let mask = self.slots.len() - 1;
        let mut i = (key >> self.shift) as usize;
        loop {
            let k = self.slots[i & mask];
            if k == key {
                return true;
            }
            if k == 0 {
                return false;
            }
            i += 1;
        }
    }

    /// Adds the fingerprint: whether it was new.
    #[inline]
    pub(crate) fn insert(&mut self, key: u64) -> bool {
        if key == 0 {
            return !std::mem::replace(&mut self.zero, true);
        }
        if self.len + 1 > self.capacity() {
            self.grow();
        }
        let mask = self.slots.len() - 1;
        let mut i = (key >> self.shift) as usize;
        loop {
            let slot = &mut self.slots[i & mask];
            if *slot == key {
                return false;
            }
            if *slot == 0 {
                *slot = key;
                self.len += 1;
                return true;
            }
            i += 1;
        }
    }

    /// Doubles the array (the old one is freed only once every fingerprint is moved).
    fn grow(&mut self) {
        let old = std::mem::take(&mut self.slots);
        let slots = old.len() * 2;
        self.slots = vec![0; slots];
        self.shift = 64 - slots.trailing_zeros();
        let mask = slots - 1;
        for key in old.into_iter().filter(|&k| k != 0) {
            let mut i = (key >> self.shift) as usize;
            while self.slots[i & mask] != 0 {
                i += 1;
            }
            self.slots[i & mask] = key;
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.len + usize::from(self.zero)
    }

    /// How many fingerprints it holds before it grows.
    pub(crate) fn capacity(&self) -> usize {
        self.slots.len() / 4 * 3
    }

    /// The slots of the array.
    fn slots(&self) -> usize {
        self.slots.len()
    }
}

/// Parts of a [`PartitionedSet`] (a power of two, and at least the threads a search uses
/// to fill them).
pub(crate) const PARTS: usize = 16;

/// A set of fingerprints in [`PARTS`] [`FingerprintSet`]s, a fingerprint's part given by
/// its low bits (its slot within the part is given by its high bits, so the two are
/// independent). Threads that own disjoint parts insert at once; and the parts grow one at
/// a time, so that a growing table holds its old and new arrays for a sixteenth of its
/// fingerprints, not for all of them.
#[derive(Clone, Debug)]
pub(crate) struct PartitionedSet {
    parts: Vec<FingerprintSet>,
}

impl PartitionedSet {
    pub(crate) fn new() -> PartitionedSet {
        PartitionedSet {
            parts: (0..PARTS).map(|_| FingerprintSet::new()).collect(),
        }
    }

    /// The part a fingerprint belongs to.
    #[inline]
    pub(crate) fn part(key: u64) -> usize {
        (key as usize) & (PARTS - 1)
    }

    #[inline]
    pub(crate) fn contains(&self, key: u64) -> bool {
        self.parts[Self::part(key)].contains(key)
    }

    /// Adds the fingerprint: whether it was new.
    #[inline]
    pub(crate) fn insert(&mut self, key: u64) -> bool {
        self.parts[Self::part(key)].insert(key)
    }

    /// The parts, for threads to own: `parts_mut()[PartitionedSet::part(key)]` holds `key`.
    pub(crate) fn parts_mut(&mut self) -> &mut [FingerprintSet] {
        &mut self.parts
    }

    pub(crate) fn len(&self) -> usize {
        self.parts.iter().map(FingerprintSet::len).sum()
    }

    /// The bytes the set would hold with `incoming` more fingerprints inserted by `threads`
    /// threads: the parts that grow doubled, and while one grows, its old array too (at most
    /// one growing part per thread at a time).
    fn bytes_with(&self, incoming: u64, threads: usize) -> u64 {
        // Fingerprints are uniform: a part gets its share, twice over for safety.
        let share = 2 * incoming / PARTS as u64 + 1;
        let mut bytes = 0;
        let mut largest = 0;
        let mut growing = false;
        for part in &self.parts {
            let slots = part.slots() as u64 * 8;
            largest = largest.max(slots);
            if part.len() as u64 + share > part.capacity() as u64 {
                growing = true;
                bytes += 2 * slots;
            } else {
                bytes += slots;
            }
        }
        if growing {
            bytes += threads.clamp(1, PARTS) as u64 * largest;
        }
        bytes
    }
}

/// A table of fingerprints that can say whether one is in it.
pub(crate) trait Known: Sync {
    fn known(&self, key: u64) -> bool;
}

impl Known for FingerprintSet {
    #[inline]
    fn known(&self, key: u64) -> bool {
        self.contains(key)
    }
}

impl Known for PartitionedSet {
    #[inline]
    fn known(&self, key: u64) -> bool {
        self.contains(key)
    }
}

impl Known for HashMap<u64, u32, BuildHasherDefault<Passthrough>> {
    #[inline]
    fn known(&self, key: u64) -> bool {
        self.contains_key(&key)
    }
}

/// The fingerprints of the states met: a set, or — when the state graph is kept, whose
/// edges need the number of the state they lead to — a map to the state's number.
pub(crate) enum Seen {
    Set(PartitionedSet),
    Map(HashMap<u64, u32, BuildHasherDefault<Passthrough>>),
}

impl Seen {
    pub(crate) fn new(numbered: bool) -> Seen {
        if numbered {
            Seen::Map(HashMap::default())
        } else {
            Seen::Set(PartitionedSet::new())
        }
    }

    /// Records a state's fingerprint with its number: `Ok` if it is new, `Err` with the
    /// number of the state met before (0 in a set, which does not keep numbers).
    #[inline]
    pub(crate) fn insert(&mut self, key: u64, idx: u32) -> Result<(), u32> {
        match self {
            Seen::Set(s) => {
                if s.insert(key) {
                    Ok(())
                } else {
                    Err(0)
                }
            }
            Seen::Map(m) => match m.entry(key) {
                Entry::Occupied(e) => Err(*e.get()),
                Entry::Vacant(e) => {
                    e.insert(idx);
                    Ok(())
                }
            },
        }
    }

    /// The number of a known state (0 in a set).
    pub(crate) fn number(&self, key: u64) -> u32 {
        match self {
            Seen::Set(_) => 0,
            Seen::Map(m) => m.get(&key).copied().unwrap_or(0),
        }
    }

    pub(crate) fn len(&self) -> usize {
        match self {
            Seen::Set(s) => s.len(),
            Seen::Map(m) => m.len(),
        }
    }

    /// The bytes the table would hold with `incoming` more fingerprints inserted by
    /// `threads` threads: when it has to grow, the new table and the old one at once.
    pub(crate) fn bytes_with(&self, incoming: u64, threads: usize) -> u64 {
        let m = match self {
            Seen::Set(s) => return s.bytes_with(incoming, threads),
            Seen::Map(m) => m,
        };
        // hashbrown keeps a bucket and a control byte per slot, at most 7/8 full.
        let (capacity, slots, slot) = (
            m.capacity() as u64,
            (m.capacity() as u64 + 1).next_power_of_two(),
            std::mem::size_of::<(u64, u32)>() as u64 + 1,
        );
        if self.len() as u64 + incoming > capacity {
            3 * slots * slot
        } else {
            slots * slot
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    /// Pseudo-random fingerprints (xorshift), `n` of them from `seed`.
    fn fingerprints(seed: u64, n: u64) -> impl Iterator<Item = (u64, u64)> {
        (0..n).scan(seed, |x, i| {
            *x ^= *x << 13;
            *x ^= *x >> 7;
            *x ^= *x << 17;
            Some((i, *x))
        })
    }

    #[test]
    fn a_set_agrees_with_std_through_growth_and_the_zero_fingerprint() {
        let mut ours = FingerprintSet::new();
        let mut std_set = HashSet::new();
        // Fingerprints clustered in their high bits (the slot) and low ones, 0 among them.
        for (i, x) in fingerprints(0x9e37_79b9_7f4a_7c15, 100_000) {
            let key = match i % 5 {
                0 => 0,
                1 => x & 0xffff_0000_0000_0000,
                2 => i,
                _ => x,
            };
            assert_eq!(ours.contains(key), std_set.contains(&key), "{key:#x}");
            assert_eq!(ours.insert(key), std_set.insert(key), "{key:#x}");
            assert!(ours.contains(key));
            assert_eq!(ours.len(), std_set.len());
        }
        assert!(ours.capacity() >= ours.len());
        assert!(!ours.contains(0x1234_5678_9abc_def1) || std_set.contains(&0x1234_5678_9abc_def1));
    }

    #[test]
    fn a_partitioned_set_agrees_with_std_and_its_parts_own_their_fingerprints() {
        let mut ours = PartitionedSet::new();
        let mut std_set = HashSet::new();
        for (i, x) in fingerprints(0x2545_f491_4f6c_dd1d, 50_000) {
            // Some fingerprints differ only in their low bits (the part), some only in their
            // high ones (the slot), and 0 is among them.
            let key = match i % 4 {
                0 => x & 0xf,
                1 => x & 0xffff_0000_0000_000f,
                _ => x,
            };
            assert_eq!(ours.insert(key), std_set.insert(key), "{key:#x}");
            assert!(ours.contains(key));
            assert!(ours.parts_mut()[PartitionedSet::part(key)].contains(key));
        }
        assert_eq!(ours.len(), std_set.len());
        for &key in &std_set {
            assert!(ours.contains(key));
        }
        assert!(!ours.contains(0x0123_4567_89ab_cdef) || std_set.contains(&0x0123_4567_89ab_cdef));
    }
}
