//! Binary Merkle roots over ordered lists of digests (transactions, receipts).

use crate::hash::Hash;

/// The root of a binary Merkle tree over `leaves` under `domain`.
///
/// Leaves and inner nodes are hashed under distinct tags, and an odd node is carried up unpaired
/// rather than duplicated, so no two different lists share a root (the duplication flaw of
/// CVE-2012-2459 does not apply). The list length is bound into the root.
pub fn merkle_root(domain: &str, leaves: &[Hash]) -> Hash {
    let length = (leaves.len() as u64).to_le_bytes();
    if leaves.is_empty() {
        return Hash::digest(domain, &[b"empty", &length]);
    }
    let mut level: Vec<Hash> =
        leaves.iter().map(|leaf| Hash::digest(domain, &[b"leaf", leaf.as_bytes()])).collect();
    while level.len() > 1 {
        level = level
            .chunks(2)
            .map(|pair| match pair {
                [left, right] => Hash::digest(domain, &[b"node", left.as_bytes(), right.as_bytes()]),
                [single] => *single,
                _ => unreachable!("chunks(2) yields one or two items"),
            })
            .collect();
    }
    Hash::digest(domain, &[b"root", &length, level[0].as_bytes()])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn leaves(n: u8) -> Vec<Hash> {
        (0..n).map(|i| Hash::digest("leaf", &[&[i]])).collect()
    }

    #[test]
    fn every_prefix_and_reordering_has_its_own_root() {
        let all = leaves(9);
        let mut roots: Vec<Hash> = (0..=9).map(|n| merkle_root("t", &all[..n])).collect();
        let mut swapped = all.clone();
        swapped.swap(0, 1);
        roots.push(merkle_root("t", &swapped));
        let mut unique = roots.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), roots.len());
    }
}
