//! The table of every error code a transaction can end with, against the reviewed snapshot in
//! `tests/snapshots/error_codes.txt`: a renumbered, reused or vanished code fails here. Run with
//! `UPDATE_SNAPSHOTS=1` to rewrite the snapshot after a deliberate change (and say why in the
//! change: clients match on these numbers).

use std::{collections::BTreeMap, path::PathBuf};

use atelier_protocol::app::MsgError;

#[test]
fn every_error_code_is_unique_and_matches_the_reviewed_table() {
    let table = MsgError::code_table();
    let mut owners: BTreeMap<u32, (&str, &str)> = BTreeMap::new();
    for (module, code, name) in &table {
        if let Some(first) = owners.insert(*code, (module, name)) {
            panic!("code {code} is used by {first:?} and by {module}::{name}");
        }
    }
    let text: String =
        table.iter().map(|(module, code, name)| format!("{code:>5}  {module:<12}{name}\n")).collect();
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots/error_codes.txt");
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(&path, &text).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path).expect("the snapshot exists");
    assert!(text == expected, "the error codes changed:\n{}", diff(&expected, &text));
}

/// The lines only in one of the two tables, marked `-` (snapshot) and `+` (now).
fn diff(expected: &str, actual: &str) -> String {
    let old: Vec<&str> = expected.lines().collect();
    let new: Vec<&str> = actual.lines().collect();
    let removed = old.iter().filter(|l| !new.contains(l)).map(|l| format!("- {l}\n"));
    let added = new.iter().filter(|l| !old.contains(l)).map(|l| format!("+ {l}\n"));
    removed.chain(added).collect()
}
