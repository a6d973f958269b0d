//! The derived encoding: fields in order, enum tags by position or as given, bounded sequences;
//! and derived error codes.

use atelier_primitives::{Address, Amount, Decode, DecodeError, Encode, ErrorCode};

#[derive(Debug, Clone, PartialEq, Eq, Encode, Decode)]
struct Named {
    id: u64,
    owner: Address,
    #[codec(max = 3)]
    shares: Vec<u32>,
    #[codec(max = 8)]
    label: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Encode, Decode)]
struct Pair(u32, Amount);

#[derive(Debug, Clone, PartialEq, Eq, Encode, Decode)]
enum Kind {
    Empty,
    Tuple(Pair),
    Fields {
        amount: Amount,
        #[codec(max = 2)]
        tags: Vec<u8>,
    },
}

#[test]
fn a_struct_encodes_its_fields_in_order_and_decodes_back() {
    let value = Named { id: 7, owner: Address([9; 20]), shares: vec![1, 2], label: "ab".into() };
    let bytes = value.to_bytes();
    let mut expected = Vec::new();
    7u64.encode_to(&mut expected);
    Address([9; 20]).encode_to(&mut expected);
    atelier_primitives::codec::encode_slice(&[1u32, 2], &mut expected);
    atelier_primitives::codec::encode_bytes(b"ab", &mut expected);
    assert_eq!(bytes, expected);
    assert_eq!(Named::from_bytes(&bytes).unwrap(), value);
}

#[test]
fn enum_tags_are_the_variant_positions() {
    assert_eq!(Kind::Empty.to_bytes(), vec![0]);
    let tuple = Kind::Tuple(Pair(1, Amount::new(2)));
    assert_eq!(tuple.to_bytes()[0], 1);
    let fields = Kind::Fields { amount: Amount::new(3), tags: vec![4, 5] };
    assert_eq!(fields.to_bytes()[0], 2);
    for value in [Kind::Empty, tuple, fields] {
        assert_eq!(Kind::from_bytes(&value.to_bytes()).unwrap(), value);
    }
    assert!(matches!(Kind::from_bytes(&[3]), Err(DecodeError::UnknownTag { tag: 3, .. })));
}

#[test]
fn sequences_and_strings_over_their_bound_are_refused() {
    let long = Named { id: 1, owner: Address::default(), shares: vec![1, 2, 3, 4], label: String::new() };
    assert!(matches!(Named::from_bytes(&long.to_bytes()), Err(DecodeError::TooLong { max: 3, .. })));
    let wordy = Named { id: 1, owner: Address::default(), shares: vec![], label: "123456789".into() };
    assert!(matches!(Named::from_bytes(&wordy.to_bytes()), Err(DecodeError::TooLong { max: 8, .. })));
}

#[derive(Debug, Clone, PartialEq, Eq, Encode, Decode)]
enum Tagged {
    #[codec(tag = 4)]
    Late(u8),
    First,
    #[codec(tag = 9)]
    Named {
        value: u16,
    },
}

#[test]
fn a_variant_with_its_own_tag_encodes_it_and_the_others_keep_their_positions() {
    assert_eq!(Tagged::Late(7).to_bytes(), vec![4, 7]);
    assert_eq!(Tagged::First.to_bytes(), vec![1]);
    assert_eq!(Tagged::Named { value: 2 }.to_bytes()[0], 9);
    for value in [Tagged::Late(7), Tagged::First, Tagged::Named { value: 2 }] {
        assert_eq!(Tagged::from_bytes(&value.to_bytes()).unwrap(), value);
    }
    assert!(matches!(Tagged::from_bytes(&[0]), Err(DecodeError::UnknownTag { tag: 0, .. })));
}

#[derive(Debug, ErrorCode)]
enum Inner {
    #[code(7)]
    Broke,
}

#[derive(Debug, ErrorCode)]
#[code(retired(12))]
enum Outer {
    #[code(10)]
    Plain,
    #[code(11)]
    Fields {
        #[allow(dead_code)]
        why: u8,
    },
    #[code(inner)]
    Wrapped(Inner),
}

#[test]
fn error_codes_come_from_their_variants_and_a_wrapper_keeps_the_inner_code() {
    assert_eq!(Outer::Plain.code(), 10);
    assert_eq!(Outer::Fields { why: 1 }.code(), 11);
    assert_eq!(Outer::Wrapped(Inner::Broke).code(), 7);
    assert_eq!(Outer::CODES, &[(10, "Plain"), (11, "Fields")]);
    assert_eq!(Outer::RETIRED, &[12]);
    assert_eq!(Inner::CODES, &[(7, "Broke")]);
}
