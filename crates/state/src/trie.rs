//! The state trie: a binary Merkle trie over hashed keys, whose root proves any value and any
//! absence.
//!
//! Each entry is a leaf at the path given by the bits of its key's hash, most significant first.
//! A subtree's hash is:
//! - [`Hash::ZERO`] when it holds no entry;
//! - its one leaf's hash when it holds exactly one: `H_leaf(key hash ‖ value hash)`, so a leaf
//!   sits as high as the other keys let it;
//! - `H_branch(left ‖ right)` otherwise.
//!
//! The trie is a function of the entries alone — not of the order or the blocks that wrote them —
//! so a node, a validator, the simulator and a state restored from an image reach the same root.
//! `H_leaf`, `H_branch`, the key hash and the value hash are BLAKE3 in keyed mode under four
//! distinct 32-byte keys ([`LEAF_KEY`], [`BRANCH_KEY`], [`KEY_HASH_KEY`], [`VALUE_HASH_KEY`]): a
//! branch or a leaf is one 64-byte block, one compression.
//!
//! Only branches (subtrees of two entries or more) are stored, by their [`NodePath`]; a branch
//! holds its two children, with a leaf child's key and value hashes inline. An update of `k` keys
//! over `n` entries reads and rewrites about `k · (log2(n / k) + 2)` branches, whatever the rest of
//! the state holds.
//!
//! A [`Proof`] is the siblings' hashes along the key's path, from the root down, and what the path
//! ends in: nothing (absent), the key's own leaf (present) or another key's leaf (absent: that
//! subtree holds only the other key). It is about `32 · log2(n)` bytes: 0.7 KiB at a million
//! entries.

use atelier_primitives::Hash;

use crate::StateError;

/// Key of `H_leaf`.
pub const LEAF_KEY: &[u8; 32] = b"atelier/state-trie/leaf/........";
/// Key of `H_branch`.
pub const BRANCH_KEY: &[u8; 32] = b"atelier/state-trie/branch/......";
/// Key of the hash of a state key, which gives its path.
pub const KEY_HASH_KEY: &[u8; 32] = b"atelier/state-trie/key/.........";
/// Key of the hash of a state value.
pub const VALUE_HASH_KEY: &[u8; 32] = b"atelier/state-trie/value/.......";

/// The hash of a state key: its path in the trie.
pub fn key_hash(key: &[u8]) -> Hash {
    Hash(*blake3::keyed_hash(KEY_HASH_KEY, key).as_bytes())
}

/// The hash of a state value.
pub fn value_hash(value: &[u8]) -> Hash {
    Hash(*blake3::keyed_hash(VALUE_HASH_KEY, value).as_bytes())
}

fn hash_pair(key: &[u8; 32], left: &Hash, right: &Hash) -> Hash {
    let mut block = [0u8; 64];
    block[..32].copy_from_slice(left.as_bytes());
    block[32..].copy_from_slice(right.as_bytes());
    Hash(*blake3::keyed_hash(key, &block).as_bytes())
}

/// Bit `depth` of `hash`, most significant first: which way its path turns below `depth`.
fn bit(hash: &Hash, depth: usize) -> bool {
    hash.0[depth / 8] >> (7 - depth % 8) & 1 == 1
}

/// An entry as the trie holds it: the hashes of its key and of its value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Leaf {
    /// The key's hash ([`key_hash`]).
    pub key: Hash,
    /// The value's hash ([`value_hash`]).
    pub value: Hash,
}

impl Leaf {
    /// The leaf for `key = value`.
    pub fn of(key: &[u8], value: &[u8]) -> Leaf {
        Leaf { key: key_hash(key), value: value_hash(value) }
    }

    /// `H_leaf(key ‖ value)`.
    pub fn hash(&self) -> Hash {
        hash_pair(LEAF_KEY, &self.key, &self.value)
    }
}

/// A subtree as its parent sees it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Child {
    /// No entry.
    #[default]
    Empty,
    /// Exactly one entry.
    Leaf(Leaf),
    /// Two entries or more: a stored [`Branch`] with this hash.
    Branch(Hash),
}

impl Child {
    /// The subtree's hash.
    pub fn hash(&self) -> Hash {
        match self {
            Child::Empty => Hash::ZERO,
            Child::Leaf(leaf) => leaf.hash(),
            Child::Branch(hash) => *hash,
        }
    }

    /// Appends the canonical encoding: a tag (0 empty, 1 leaf, 2 branch) and the hashes.
    pub fn encode_to(&self, out: &mut Vec<u8>) {
        match self {
            Child::Empty => out.push(0),
            Child::Leaf(leaf) => {
                out.push(1);
                out.extend_from_slice(leaf.key.as_bytes());
                out.extend_from_slice(leaf.value.as_bytes());
            }
            Child::Branch(hash) => {
                out.push(2);
                out.extend_from_slice(hash.as_bytes());
            }
        }
    }

    /// Reads one child from the front of `bytes`, returning it and the rest.
    pub fn decode_from(bytes: &[u8]) -> Option<(Child, &[u8])> {
        let (&tag, rest) = bytes.split_first()?;
        let hash = |bytes: &[u8]| -> Option<Hash> { Some(Hash(bytes.get(..32)?.try_into().ok()?)) };
        match tag {
            0 => Some((Child::Empty, rest)),
            1 => {
                Some((Child::Leaf(Leaf { key: hash(rest)?, value: hash(rest.get(32..)?)? }), rest.get(64..)?))
            }
            2 => Some((Child::Branch(hash(rest)?), rest.get(32..)?)),
            _ => None,
        }
    }
}

/// A stored subtree of two entries or more.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Branch {
    /// The subtree whose paths turn left (bit 0) here.
    pub left: Child,
    /// The subtree whose paths turn right (bit 1) here.
    pub right: Child,
}

impl Branch {
    /// `H_branch(left ‖ right)`.
    pub fn hash(&self) -> Hash {
        hash_pair(BRANCH_KEY, &self.left.hash(), &self.right.hash())
    }

    /// The canonical encoding: the two children's.
    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(2 * 65);
        self.left.encode_to(&mut out);
        self.right.encode_to(&mut out);
        out
    }

    /// Reads back [`Branch::encode`]; `None` if the bytes are not one.
    pub fn decode(bytes: &[u8]) -> Option<Branch> {
        let (left, rest) = Child::decode_from(bytes)?;
        let (right, rest) = Child::decode_from(rest)?;
        rest.is_empty().then_some(Branch { left, right })
    }

    fn child(&self, right: bool) -> Child {
        if right { self.right } else { self.left }
    }
}

/// Where a branch is: its depth and the path bits above it (those below are zero).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct NodePath {
    depth: u8,
    bits: [u8; 32],
}

impl std::hash::Hash for NodePath {
    /// The depth and the first eight bytes of path: below the top levels, the path bits are a
    /// hash's, so eight of them tell nearly every branch apart, and a point lookup hashes one word.
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        let mut word = [0u8; 8];
        word.copy_from_slice(&self.bits[..8]);
        state.write_u64(u64::from_le_bytes(word) ^ u64::from(self.depth));
    }
}

impl NodePath {
    /// The root's path.
    pub const ROOT: NodePath = NodePath { depth: 0, bits: [0; 32] };

    /// The depth: how many bits of path lead here.
    pub fn depth(&self) -> usize {
        usize::from(self.depth)
    }

    /// The path one level down, turning right if `right`. `None` below the last bit.
    fn child(&self, right: bool) -> Option<NodePath> {
        let depth = self.depth.checked_add(1)?;
        let mut bits = self.bits;
        if right {
            let at = self.depth();
            bits[at / 8] |= 0x80 >> (at % 8);
        }
        Some(NodePath { depth, bits })
    }

    /// The compact encoding: the depth, then the bytes that hold its bits.
    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(1 + self.depth().div_ceil(8));
        out.push(self.depth);
        out.extend_from_slice(&self.bits[..self.depth().div_ceil(8)]);
        out
    }

    /// Reads back [`NodePath::encode`]; `None` if the bytes are not one.
    pub fn decode(bytes: &[u8]) -> Option<NodePath> {
        let (&depth, used) = bytes.split_first()?;
        let mut bits = [0u8; 32];
        if used.len() != usize::from(depth).div_ceil(8) {
            return None;
        }
        bits[..used.len()].copy_from_slice(used);
        let path = NodePath { depth, bits };
        // Bits below the depth must be zero, or one branch would have two encodings.
        (path.masked() == path).then_some(path)
    }

    fn masked(&self) -> NodePath {
        let mut bits = [0u8; 32];
        let depth = self.depth();
        bits[..depth / 8].copy_from_slice(&self.bits[..depth / 8]);
        if !depth.is_multiple_of(8) {
            bits[depth / 8] = self.bits[depth / 8] & !(0xffu8 >> (depth % 8));
        }
        NodePath { depth: self.depth, bits }
    }
}

/// Read access to a stored trie: its top and its branches.
pub trait TrieRead {
    /// The top of the trie: the root is its hash.
    fn trie_top(&self) -> Result<Child, StateError>;

    /// The branch at `path`, if one is stored there.
    fn branch(&self, path: &NodePath) -> Result<Option<Branch>, StateError>;

    /// The state root.
    fn state_root(&self) -> Result<Hash, StateError> {
        Ok(self.trie_top()?.hash())
    }

    /// The proof of `key`'s value, or of its absence, against [`TrieRead::state_root`].
    fn prove(&self, key: &[u8]) -> Result<Proof, StateError> {
        let path_hash = key_hash(key);
        let mut siblings = Vec::new();
        let mut path = NodePath::ROOT;
        let mut at = self.trie_top()?;
        while let Child::Branch(_) = at {
            let branch = self.branch(&path)?.ok_or_else(|| missing(&path))?;
            let right = bit(&path_hash, path.depth());
            siblings.push(branch.child(!right).hash());
            at = branch.child(right);
            path = path.child(right).ok_or_else(|| missing(&path))?;
        }
        let end = match at {
            Child::Leaf(leaf) => Some(leaf),
            Child::Empty | Child::Branch(_) => None,
        };
        Ok(Proof { siblings, end })
    }
}

fn missing(path: &NodePath) -> StateError {
    StateError::corrupt(&path.encode(), "the state trie has no branch where its parent points")
}

/// Branches written or removed by updates not yet committed, in the order written, with the top
/// they lead to. Where one path is written twice (changes extended by later ones), the later
/// write holds.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TrieChanges {
    branches: Vec<(NodePath, Option<Branch>)>,
    top: Child,
}

impl TrieChanges {
    /// The top of the trie after the changes.
    pub fn top(&self) -> Child {
        self.top
    }

    /// The state root after the changes.
    pub fn root(&self) -> Hash {
        self.top.hash()
    }

    /// Applies `later` on top of `self`.
    pub fn extend(&mut self, later: TrieChanges) {
        self.branches.extend(later.branches);
        self.top = later.top;
    }

    /// The branch writes (`None` removes), in the order written: applied in order, the later
    /// write to a path holds.
    pub fn branches(&self) -> impl Iterator<Item = &(NodePath, Option<Branch>)> {
        self.branches.iter()
    }

    /// [`TrieChanges::branches`], consuming the changes.
    pub fn into_branches(self) -> impl Iterator<Item = (NodePath, Option<Branch>)> {
        self.branches.into_iter()
    }
}

/// The trie after setting (`Some`) or removing (`None`) the entries with the given key hashes
/// over `trie`. `updates` must be sorted by key hash, with no key twice.
///
/// A large update splits at the top of the trie, one subtree per core: subtrees share nothing,
/// and their branches are gathered in a fixed order, so the result is the same on any machine.
/// This is the only place the chain's execution path uses threads.
pub fn update<T: TrieRead + Sync + ?Sized>(
    trie: &T,
    updates: &[(Hash, Option<Hash>)],
) -> Result<TrieChanges, StateError> {
    debug_assert!(updates.windows(2).all(|pair| pair[0].0 < pair[1].0), "updates sorted and unique");
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).min(8);
    let levels = if updates.len() >= crate::PARALLEL_THRESHOLD {
        threads.next_power_of_two().trailing_zeros()
    } else {
        0
    };
    let (top, branches) = update_split(trie, NodePath::ROOT, trie.trie_top()?, updates, levels)?;
    Ok(TrieChanges { branches, top: top.child })
}

type BranchWrites = Vec<(NodePath, Option<Branch>)>;

/// [`update`] below `path`, its top `levels` levels of branches split across threads.
fn update_split<T: TrieRead + Sync + ?Sized>(
    trie: &T,
    path: NodePath,
    at: Child,
    updates: &[(Hash, Option<Hash>)],
    levels: u32,
) -> Result<(Hashed, BranchWrites), StateError> {
    let sequential = || -> Result<(Hashed, BranchWrites), StateError> {
        // Each update rewrites its path below the branches it shares with others: a few
        // branches each, reserved at once.
        let mut writer = Writer { trie, branches: Vec::with_capacity(updates.len().saturating_mul(4)) };
        let top = writer.update(path, at, updates)?;
        Ok((top, writer.branches))
    };
    if levels == 0 || updates.is_empty() || !matches!(at, Child::Branch(_)) {
        return sequential();
    }
    let branch = trie.branch(&path)?.ok_or_else(|| missing(&path))?;
    let (Some(left_path), Some(right_path)) = (path.child(false), path.child(true)) else {
        return Err(missing(&path));
    };
    let split = updates.partition_point(|(key, _)| !bit(key, path.depth()));
    let (left_updates, right_updates) = updates.split_at(split);
    let left_side = || update_split(trie, left_path, branch.left, left_updates, levels - 1);
    let (left, right) = std::thread::scope(|scope| {
        let left = scope.spawn(left_side);
        let right = update_split(trie, right_path, branch.right, right_updates, levels - 1);
        // A worker only panics if the machine is out of memory; redo its share here then.
        (left.join().unwrap_or_else(|_| left_side()), right)
    });
    let ((left, mut branches), (right, right_branches)) = (left?, right?);
    branches.extend(right_branches);
    let mut writer = Writer { trie, branches };
    let top = writer.join(path, left, right, true);
    Ok((top, writer.branches))
}

/// The trie of `entries` built from nothing: what [`update`] reaches from an empty trie. Keys
/// must be distinct.
pub fn build<'e>(entries: impl IntoIterator<Item = (&'e [u8], &'e [u8])>) -> TrieChanges {
    struct Nothing;
    impl TrieRead for Nothing {
        fn trie_top(&self) -> Result<Child, StateError> {
            Ok(Child::Empty)
        }
        fn branch(&self, _: &NodePath) -> Result<Option<Branch>, StateError> {
            Ok(None)
        }
    }
    let mut leaves: Vec<Leaf> = entries.into_iter().map(|(key, value)| Leaf::of(key, value)).collect();
    leaves.sort_unstable_by_key(|leaf| leaf.key);
    let mut writer = Writer { trie: &Nothing, branches: Vec::with_capacity(leaves.len().saturating_mul(2)) };
    let top = writer.build(NodePath::ROOT, &leaves).child;
    TrieChanges { branches: writer.branches, top }
}

struct Writer<'a, T: ?Sized> {
    trie: &'a T,
    branches: BranchWrites,
}

/// A subtree with its hash, computed once where it is made.
#[derive(Clone, Copy)]
struct Hashed {
    child: Child,
    hash: Hash,
}

impl Hashed {
    const EMPTY: Hashed = Hashed { child: Child::Empty, hash: Hash::ZERO };

    fn of(child: Child) -> Hashed {
        Hashed { child, hash: child.hash() }
    }
}

impl<T: TrieRead + ?Sized> Writer<'_, T> {
    fn update(
        &mut self,
        path: NodePath,
        at: Child,
        updates: &[(Hash, Option<Hash>)],
    ) -> Result<Hashed, StateError> {
        if updates.is_empty() {
            return Ok(Hashed::of(at));
        }
        match at {
            Child::Branch(_) => {
                let branch = self.trie.branch(&path)?.ok_or_else(|| missing(&path))?;
                let split = updates.partition_point(|(key, _)| !bit(key, path.depth()));
                let (left, right) = match (path.child(false), path.child(true)) {
                    (Some(left_path), Some(right_path)) => (
                        self.update(left_path, branch.left, &updates[..split])?,
                        self.update(right_path, branch.right, &updates[split..])?,
                    ),
                    _ => return Err(missing(&path)),
                };
                Ok(self.join(path, left, right, true))
            }
            Child::Leaf(held) => {
                // The subtree's one entry meets the updates: rebuild it from the entries left.
                let mut entries = Vec::with_capacity(updates.len() + 1);
                let mut held = Some(held);
                for &(key, value) in updates {
                    if let Some(leaf) = held.filter(|leaf| leaf.key <= key) {
                        if leaf.key < key {
                            entries.push(leaf);
                        }
                        held = None;
                    }
                    if let Some(value) = value {
                        entries.push(Leaf { key, value });
                    }
                }
                entries.extend(held);
                Ok(self.build(path, &entries))
            }
            Child::Empty => {
                let entries: Vec<Leaf> =
                    updates.iter().filter_map(|&(key, value)| Some(Leaf { key, value: value? })).collect();
                Ok(self.build(path, &entries))
            }
        }
    }

    fn build(&mut self, path: NodePath, entries: &[Leaf]) -> Hashed {
        match entries {
            [] => Hashed::EMPTY,
            [one] => Hashed::of(Child::Leaf(*one)),
            _ => {
                let split = entries.partition_point(|leaf| !bit(&leaf.key, path.depth()));
                // Two distinct 256-bit keys part at some bit, so a subtree of two or more never
                // reaches below the last one.
                let (Some(left_path), Some(right_path)) = (path.child(false), path.child(true)) else {
                    return Hashed::EMPTY;
                };
                let left = self.build(left_path, &entries[..split]);
                let right = self.build(right_path, &entries[split..]);
                self.join(path, left, right, false)
            }
        }
    }

    /// The subtree at `path` with these children, storing (or removing, if `was_branch`) the
    /// branch there.
    fn join(&mut self, path: NodePath, left: Hashed, right: Hashed, was_branch: bool) -> Hashed {
        let joined = match (left.child, right.child) {
            (Child::Empty, Child::Empty) => Hashed::EMPTY,
            (Child::Leaf(_), Child::Empty) => left,
            (Child::Empty, Child::Leaf(_)) => right,
            _ => {
                self.branches.push((path, Some(Branch { left: left.child, right: right.child })));
                let hash = hash_pair(BRANCH_KEY, &left.hash, &right.hash);
                return Hashed { child: Child::Branch(hash), hash };
            }
        };
        if was_branch {
            self.branches.push((path, None));
        }
        joined
    }
}

/// What a trie says about one key, and the hashes that tie it to the root.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Proof {
    /// The hashes of the subtrees beside the key's path, from the root down.
    pub siblings: Vec<Hash>,
    /// The leaf the path ends in, if any: the key's own (present) or another's (absent).
    pub end: Option<Leaf>,
}

/// Why a proof does not hold.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ProofError {
    /// The proof's hashes do not lead to the root.
    #[error("the proof leads to root {computed}, not {expected}")]
    WrongRoot {
        /// The root the proof leads to.
        computed: Hash,
        /// The root it was checked against.
        expected: Hash,
    },
    /// The proof holds, but about another value.
    #[error("the proof shows another value for the key")]
    OtherValue,
    /// The proof holds, but shows the key present (or absent) where the claim says otherwise.
    #[error("the proof shows the key {shown}")]
    Presence {
        /// "present" or "absent".
        shown: &'static str,
    },
    /// The path is longer than a key's hash has bits.
    #[error("the proof has {0} siblings; a path has at most 256")]
    TooLong(usize),
}

impl Proof {
    /// The root this proof leads to for the key whose path is `path`.
    fn root_for(&self, path: &Hash) -> Result<Hash, ProofError> {
        if self.siblings.len() > 256 {
            return Err(ProofError::TooLong(self.siblings.len()));
        }
        let mut hash = self.end.map_or(Hash::ZERO, |leaf| leaf.hash());
        for (depth, sibling) in self.siblings.iter().enumerate().rev() {
            hash = if bit(path, depth) {
                hash_pair(BRANCH_KEY, sibling, &hash)
            } else {
                hash_pair(BRANCH_KEY, &hash, sibling)
            };
        }
        Ok(hash)
    }

    /// Checks that under `root`, `key` holds `value` (`None`: that it is absent).
    pub fn verify(&self, root: &Hash, key: &[u8], value: Option<&[u8]>) -> Result<(), ProofError> {
        let path = key_hash(key);
        let computed = self.root_for(&path)?;
        if computed != *root {
            return Err(ProofError::WrongRoot { computed, expected: *root });
        }
        let shown = self.end.filter(|leaf| leaf.key == path).map(|leaf| leaf.value);
        match (shown, value) {
            (Some(shown), Some(value)) if shown == value_hash(value) => Ok(()),
            (Some(_), Some(_)) => Err(ProofError::OtherValue),
            (None, None) => Ok(()),
            (Some(_), None) => Err(ProofError::Presence { shown: "present" }),
            (None, Some(_)) => Err(ProofError::Presence { shown: "absent" }),
        }
    }

    /// The size of the proof's hashes in bytes: 32 per sibling, 64 for an end leaf.
    pub fn byte_len(&self) -> usize {
        32 * self.siblings.len() + if self.end.is_some() { 64 } else { 0 }
    }
}
