//! The sandbox's memory: bounded maps (the oldest entry goes when one is full) and sets that
//! never forget, behind one mutex, held only between awaits, so concurrent requests see each
//! change whole.

use std::collections::hash_map::RandomState;
use std::collections::{HashMap, HashSet, VecDeque};
use std::hash::BuildHasher;
use std::sync::{Mutex, MutexGuard};

/// A map that forgets its oldest entries beyond `capacity`.
pub struct Bounded<V> {
    map: HashMap<String, V>,
    order: VecDeque<String>,
    capacity: usize,
}

impl<V> Bounded<V> {
    /// An empty map for at most `capacity` entries.
    pub fn new(capacity: usize) -> Bounded<V> {
        Bounded { map: HashMap::new(), order: VecDeque::new(), capacity: capacity.max(1) }
    }

    /// Inserts unless the key is present; `false` when it was (the old value stays).
    pub fn insert_new(&mut self, key: String, value: V) -> bool {
        if self.map.contains_key(&key) {
            return false;
        }
        while self.order.len() >= self.capacity {
            if let Some(oldest) = self.order.pop_front() {
                self.map.remove(&oldest);
            }
        }
        self.order.push_back(key.clone());
        self.map.insert(key, value);
        true
    }

    /// The entry, if still kept.
    pub fn get(&self, key: &str) -> Option<&V> {
        self.map.get(key)
    }

    /// The entry, to change.
    pub fn get_mut(&mut self, key: &str) -> Option<&mut V> {
        self.map.get_mut(key)
    }

    /// How many entries are kept.
    pub fn len(&self) -> usize {
        self.map.len()
    }

    /// Whether none is.
    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }
}

/// A set that never forgets a key: for what must stay used for good (a nonce, an invoice that
/// had a sale) whatever the bounded maps drop. It keeps a 64-bit hash of each key, not the key,
/// so it grows by a fixed size a key, whatever the key's length. Two keys of one hash can only
/// make a new key look used (refused), never a used one new; and the hash is keyed at random
/// each run, so no one can choose keys that collide.
#[derive(Default)]
pub struct Forever {
    hashes: HashSet<u64>,
    hasher: RandomState,
}

impl Forever {
    /// Inserts `key`; `false` when it was there already.
    pub fn insert(&mut self, key: &str) -> bool {
        self.hashes.insert(self.hasher.hash_one(key))
    }
}

/// A value behind a mutex that a panicking holder cannot poison for everyone else.
pub struct Shared<T>(Mutex<T>);

impl<T> Shared<T> {
    /// Wraps `value`.
    pub fn new(value: T) -> Shared<T> {
        Shared(Mutex::new(value))
    }

    /// The value, locked.
    pub fn lock(&self) -> MutexGuard<'_, T> {
        self.0.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// `bytes` random bytes as lower-case hex.
pub fn random_hex(bytes: usize) -> String {
    let mut buffer = vec![0u8; bytes];
    // The operating system's generator; failing it, the sandbox cannot make tokens at all.
    getrandom::fill(&mut buffer).expect("the operating system's random generator");
    buffer.iter().map(|byte| format!("{byte:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_oldest_entries_go_first_and_keys_are_taken_once() {
        let mut map = Bounded::new(2);
        assert!(map.insert_new("a".into(), 1));
        assert!(!map.insert_new("a".into(), 9));
        assert_eq!(map.get("a"), Some(&1));
        map.insert_new("b".into(), 2);
        map.insert_new("c".into(), 3);
        assert_eq!((map.get("a"), map.get("b"), map.get("c"), map.len()), (None, Some(&2), Some(&3), 2));
        assert_eq!(random_hex(32).len(), 64);
        assert_ne!(random_hex(16), random_hex(16));
    }

    #[test]
    fn forever_keeps_every_key() {
        let mut set = Forever::default();
        for key in 0..10_000 {
            assert!(set.insert(&key.to_string()));
        }
        assert!((0..10_000).all(|key| !set.insert(&key.to_string())));
        assert!(set.insert("10000"));
    }
}
