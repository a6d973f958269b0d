//! The layout of a transaction as the SDK reads it, the TypeScript types it implies, and a sample
//! message of every kind built from the layout alone.

use std::{collections::BTreeMap, fmt::Write};

use atelier_primitives::layout::{Body, Definition, Field, Registry, Shape, Tagging};
use atelier_protocol::Tx;

/// Every type a transaction reaches.
pub(crate) fn registry() -> Registry {
    Registry::of::<Tx>()
}

const GENERATED: &str =
    "// Written by the chain's tests (crates/protocol/tests/sdk_vectors.rs): do not edit.\n\n";

/// `src/generated/layout.ts`: the registry as a constant the codec reads.
pub(crate) fn layout_module(registry: &Registry) -> String {
    let json = serde_json::to_string_pretty(registry).unwrap();
    format!(
        "{GENERATED}import type {{ Definition }} from \"../layout.js\";\n\n\
         /** Every type a transaction reaches, by name: its encoding and its JSON form. */\n\
         export const LAYOUT: Readonly<Record<string, Definition>> = {json};\n"
    )
}

/// The TypeScript type of a value of `shape`.
fn ts_type(shape: &Shape) -> String {
    match shape {
        Shape::Bool => "boolean".into(),
        Shape::Uint { bits: 128 } | Shape::Amount => "string".into(),
        Shape::Uint { bits: 64 } | Shape::Height => "U64".into(),
        Shape::Uint { .. } | Shape::Bps => "number".into(),
        Shape::Bytes { .. } | Shape::Text { .. } => "string".into(),
        Shape::List { item, .. } => match **item {
            Shape::Option { .. } => format!("({})[]", ts_type(item)),
            _ => format!("{}[]", ts_type(item)),
        },
        Shape::Option { item } => format!("{} | null", ts_type(item)),
        Shape::Named { name } => (*name).to_owned(),
    }
}

/// `{ a: A; b: B }` with `extra` members first.
fn ts_object(extra: &[String], fields: &[Field]) -> String {
    let members: Vec<String> = extra
        .iter()
        .cloned()
        .chain(fields.iter().map(|field| format!("{}: {}", field.name, ts_type(&field.shape))))
        .collect();
    format!("{{ {} }}", members.join("; "))
}

/// One variant's TypeScript type.
fn ts_variant(tagging: &Tagging, name: &str, body: &Body) -> String {
    let tag = |tag: &str| format!("{tag}: \"{name}\"");
    match (tagging, body) {
        (Tagging::External, Body::Unit) => format!("\"{name}\""),
        (Tagging::External, Body::Newtype { shape }) => format!("{{ {name}: {} }}", ts_type(shape)),
        (Tagging::External, Body::Fields { fields }) => format!("{{ {name}: {} }}", ts_object(&[], fields)),
        (Tagging::Internal { tag: t }, Body::Unit) => ts_object(&[tag(t)], &[]),
        (Tagging::Internal { tag: t }, Body::Newtype { shape }) => {
            format!("({} & {})", ts_object(&[tag(t)], &[]), ts_type(shape))
        }
        (Tagging::Internal { tag: t }, Body::Fields { fields }) => ts_object(&[tag(t)], fields),
        (Tagging::Adjacent { tag: t, .. }, Body::Unit) => ts_object(&[tag(t)], &[]),
        (Tagging::Adjacent { tag: t, content }, Body::Newtype { shape }) => {
            ts_object(&[tag(t), format!("{content}: {}", ts_type(shape))], &[])
        }
        (Tagging::Adjacent { tag: t, content }, Body::Fields { fields }) => {
            ts_object(&[tag(t), format!("{content}: {}", ts_object(&[], fields))], &[])
        }
    }
}

/// `src/generated/types.ts`: a TypeScript type for every type in the registry.
pub(crate) fn types_module(registry: &Registry) -> String {
    let mut out = String::from(GENERATED);
    out.push_str("/** A number the chain holds in 64 bits: a `bigint` past 2^53. */\nexport type U64 = number | bigint;\n");
    for (name, definition) in registry.iter() {
        out.push('\n');
        match definition {
            Definition::Struct { fields } => {
                writeln!(out, "export interface {name} {{").unwrap();
                for field in fields {
                    writeln!(out, "  {}: {};", field.name, ts_type(&field.shape)).unwrap();
                }
                out.push_str("}\n");
            }
            Definition::Newtype { shape } => {
                writeln!(out, "export type {name} = {};", ts_type(shape)).unwrap()
            }
            Definition::Enum { tagging, variants } => {
                writeln!(out, "export type {name} =").unwrap();
                for (i, variant) in variants.iter().enumerate() {
                    let end = if i + 1 == variants.len() { ";" } else { "" };
                    writeln!(out, "  | {}{end}", ts_variant(tagging, &variant.name, &variant.body)).unwrap();
                }
            }
        }
    }
    out
}

/// A message of one kind, in the chain's encoding.
pub(crate) struct Sample {
    /// The module's name in JSON.
    pub(crate) module: String,
    /// The message kind's name in JSON.
    pub(crate) kind: String,
    /// Its canonical bytes (a `Msg`).
    pub(crate) bytes: Vec<u8>,
}

/// Writes values from the layout alone: integers that count up, valid shares, denominations and
/// text, two items per list, and each enum's variants in turn, so that successive samples of one
/// kind reach every variant of every enum inside it.
struct Sampler<'a> {
    registry: &'a Registry,
    counter: u64,
    /// Per enum, how many values it has written: the next variant is this modulo its count.
    turns: BTreeMap<&'static str, usize>,
}

impl Sampler<'_> {
    fn next(&mut self) -> u64 {
        self.counter += 1;
        self.counter
    }

    fn write(&mut self, shape: &Shape, out: &mut Vec<u8>) {
        match shape {
            Shape::Bool => out.push(u8::from(self.next() % 2 == 1)),
            Shape::Uint { bits } => {
                let value = u128::from(self.next()) * 1_000_003;
                let bytes = usize::from(*bits / 8);
                // Narrow integers wrap; a 128-bit one goes past 2^64.
                let value = if bytes == 16 { value << 64 | value } else { value };
                out.extend_from_slice(&value.to_le_bytes()[..bytes]);
            }
            Shape::Bps => {
                out.extend_from_slice(&u16::try_from(self.next() * 250 % 10_001).unwrap().to_le_bytes())
            }
            Shape::Amount => out.extend_from_slice(&(u128::from(self.next()) * 1_000_000_007).to_le_bytes()),
            Shape::Height => out.extend_from_slice(&(self.next() * 1_000).to_le_bytes()),
            Shape::Bytes { len, .. } => {
                let seed = self.next();
                out.extend((0..*len).map(|i| (seed * 31 + u64::from(i) * 7) as u8));
            }
            Shape::Text { max, denom } => {
                let text = if *denom {
                    ["ugdc", "uusd", "ufoo"][(self.next() % 3) as usize].to_owned()
                } else {
                    let text = format!("text {} · ünïcode", self.next());
                    text.chars().take(*max as usize).collect()
                };
                out.extend_from_slice(&u32::try_from(text.len()).unwrap().to_le_bytes());
                out.extend_from_slice(text.as_bytes());
            }
            Shape::List { max, item } => {
                let count = (*max).min(2);
                out.extend_from_slice(&count.to_le_bytes());
                for _ in 0..count {
                    self.write(item, out);
                }
            }
            Shape::Option { item } => {
                if self.next().is_multiple_of(3) {
                    out.push(0);
                } else {
                    out.push(1);
                    self.write(item, out);
                }
            }
            Shape::Named { name } => match self.registry.get(name).unwrap() {
                Definition::Struct { fields } => self.fields(fields, out),
                Definition::Newtype { shape } => self.write(shape, out),
                Definition::Enum { variants, .. } => {
                    let turn = self.turns.entry(name).or_default();
                    let variant = &variants[*turn % variants.len()];
                    *turn += 1;
                    out.push(variant.tag);
                    self.body(&variant.body, out);
                }
            },
        }
    }

    fn fields(&mut self, fields: &[Field], out: &mut Vec<u8>) {
        for field in fields {
            self.write(&field.shape, out);
        }
    }

    fn body(&mut self, body: &Body, out: &mut Vec<u8>) {
        match body {
            Body::Unit => {}
            Body::Newtype { shape } => self.write(shape, out),
            Body::Fields { fields } => self.fields(fields, out),
        }
    }

    /// Whether every enum written so far has written each of its variants.
    fn covered(&self) -> bool {
        self.turns.iter().all(|(name, turns)| match self.registry.get(name) {
            Some(Definition::Enum { variants, .. }) => *turns >= variants.len(),
            _ => true,
        })
    }
}

/// For each module and each of its message kinds, samples until every enum the kind reaches has
/// shown every variant.
pub(crate) fn samples(registry: &Registry) -> Vec<Sample> {
    let Some(Definition::Enum { variants: modules, .. }) = registry.get("Msg") else {
        panic!("Msg is an enum")
    };
    let mut samples = Vec::new();
    for module in modules {
        let Body::Newtype { shape: Shape::Named { name } } = &module.body else {
            panic!("a module's message")
        };
        let Some(Definition::Enum { variants: kinds, .. }) = registry.get(name) else {
            panic!("{name} is an enum")
        };
        for kind in kinds {
            let mut sampler = Sampler { registry, counter: 0, turns: BTreeMap::new() };
            for round in 0.. {
                assert!(round < 128, "{} never covers its enums", kind.name);
                let mut bytes = vec![module.tag, kind.tag];
                sampler.body(&kind.body, &mut bytes);
                samples.push(Sample { module: module.name.clone(), kind: kind.name.clone(), bytes });
                if sampler.covered() {
                    break;
                }
            }
        }
    }
    samples
}
