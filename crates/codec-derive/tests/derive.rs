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

mod layout {
    use atelier_primitives::{
        Address, Amount, Decode, Encode, Layout,
        layout::{Body, Definition, Field, Registry, Shape, Tagging},
    };
    use serde::Serialize;

    #[derive(Serialize, Encode, Decode, Layout)]
    #[serde(transparent)]
    struct Id(u64);

    #[derive(Serialize, Encode, Decode, Layout)]
    #[serde(rename_all = "camelCase", deny_unknown_fields)]
    struct Order {
        order_id: Id,
        #[serde(rename = "for")]
        buyer: Address,
        #[codec(max = 4)]
        notes: Vec<Option<Amount>>,
    }

    #[derive(Serialize, Encode, Decode, Layout)]
    #[serde(tag = "type", rename_all = "snake_case")]
    enum Request {
        PlaceOrder(Order),
        #[codec(tag = 5)]
        CancelAll {
            #[codec(max = 10)]
            reason: String,
        },
    }

    #[derive(Serialize, Encode, Decode, Layout)]
    #[serde(tag = "kind", content = "id", rename_all = "snake_case")]
    enum Target {
        Nothing,
        One(Id),
    }

    #[derive(Serialize, Encode, Decode, Layout)]
    #[serde(rename_all = "snake_case")]
    enum Wrapped {
        Request(Request),
        Target(Target),
    }

    /// The names an object has in serde's JSON, in order.
    fn keys(value: &serde_json::Value) -> Vec<String> {
        value.as_object().unwrap().keys().cloned().collect()
    }

    #[test]
    fn the_layout_names_fields_and_variants_as_serde_writes_them() {
        let order = Order { order_id: Id(1), buyer: Address([1; 20]), notes: vec![None] };
        let json = serde_json::to_value(&order).unwrap();
        let registry = Registry::of::<Wrapped>();
        let Some(Definition::Struct { fields }) = registry.get("Order") else { panic!("Order is a struct") };
        let mut names: Vec<String> = fields.iter().map(|f| f.name.clone()).collect();
        let mut expected = keys(&json);
        names.sort();
        expected.sort();
        assert_eq!(names, expected);
        assert_eq!(
            fields[2],
            Field {
                name: "notes".into(),
                shape: Shape::List {
                    max: 4,
                    item: Box::new(Shape::Option { item: Box::new(Shape::Amount) })
                }
            }
        );

        let request = serde_json::to_value(Request::CancelAll { reason: "x".into() }).unwrap();
        assert_eq!(request, serde_json::json!({ "type": "cancel_all", "reason": "x" }));
        let Some(Definition::Enum { tagging, variants }) = registry.get("Request") else { panic!("an enum") };
        assert_eq!(tagging, &Tagging::Internal { tag: "type".into() });
        assert_eq!((variants[1].tag, variants[1].name.as_str()), (5, "cancel_all"));
        assert_eq!(variants[0].body, Body::Newtype { shape: Shape::Named { name: "Order" } });

        let target = serde_json::to_value(Target::One(Id(3))).unwrap();
        assert_eq!(target, serde_json::json!({ "kind": "one", "id": 3 }));
        let Some(Definition::Enum { tagging, .. }) = registry.get("Target") else { panic!("an enum") };
        assert_eq!(tagging, &Tagging::Adjacent { tag: "kind".into(), content: "id".into() });

        assert_eq!(registry.get("Id"), Some(&Definition::Newtype { shape: Shape::Uint { bits: 64 } }));
        let Some(Definition::Enum { tagging: Tagging::External, variants }) = registry.get("Wrapped") else {
            panic!("externally tagged")
        };
        assert_eq!(variants.iter().map(|v| v.name.as_str()).collect::<Vec<_>>(), ["request", "target"]);
    }
}
