//! The canonical encoding described as data, so that clients in other languages encode, decode
//! and sign exactly what the chain does without a hand-written encoder per message.
//!
//! A type's [`Layout`] is its binary shape (field order, integer widths, tags, length bounds) and
//! its JSON form (field names, how an enum names its variant), derived with `#[derive(Layout)]`
//! beside `Encode` and `Decode`. [`Registry::of`] collects a type's definition and every named type
//! it reaches; written out as JSON, that is what the TypeScript SDK's codec reads.
//!
//! JSON forms follow the types' `serde` attributes: objects by field name; an enum as serde writes
//! it (externally tagged, or internally or adjacently tagged by `tag`/`content`); amounts and other
//! 128-bit integers as decimal strings; hashes, keys and signatures in hex; addresses in bech32.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::{Address, Amount, Bps, Denom, Hash, Height, PublicKey, Signature};

/// How one value is written: an atom of the encoding, a bounded sequence, or a named type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Shape {
    /// `0` or `1`; JSON `true`/`false`.
    Bool,
    /// A little-endian unsigned integer of `bits` bits; JSON a number, or a decimal string when
    /// `bits` is 128.
    Uint {
        /// 8, 16, 32, 64 or 128.
        bits: u16,
    },
    /// A `u16` share in basis points, at most 10 000; JSON a number.
    Bps,
    /// An amount of base units, a `u128`; JSON a decimal string.
    Amount,
    /// A block height, a `u64`; JSON a number.
    Height,
    /// Bytes of a fixed length; JSON as `text` says.
    Bytes {
        /// The length.
        len: u16,
        /// How JSON writes them.
        text: BytesText,
    },
    /// A `u32` length then UTF-8, at most `max` bytes; JSON a string. A denomination is one with
    /// its own rules (`denom`).
    Text {
        /// Longest accepted, in bytes.
        max: u32,
        /// Set for a denomination: 1 to 16 characters of `[a-z0-9]` starting with a letter.
        #[serde(skip_serializing_if = "std::ops::Not::not")]
        denom: bool,
    },
    /// A `u32` count then the items, at most `max`; JSON an array.
    List {
        /// Most items accepted.
        max: u32,
        /// Each item.
        item: Box<Shape>,
    },
    /// A tag `0` (none; JSON `null`) or `1` then the value.
    Option {
        /// The value when present.
        item: Box<Shape>,
    },
    /// A type defined in the registry under this name.
    Named {
        /// Its name.
        name: &'static str,
    },
}

/// How fixed-length bytes read in JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BytesText {
    /// Lowercase hex.
    Hex,
    /// An account address: bech32 with the `atelier` prefix.
    Address,
}

/// A named field: its JSON name and its shape.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Field {
    /// The name JSON gives it.
    pub name: String,
    /// How it is written.
    pub shape: Shape,
}

/// What a variant carries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Body {
    /// Nothing.
    Unit,
    /// One value, written as that value.
    Newtype {
        /// Its shape.
        shape: Shape,
    },
    /// Named fields, in encoding order.
    Fields {
        /// The fields.
        fields: Vec<Field>,
    },
}

/// An enum's variant: its tag in the encoding, its name in JSON, and what it carries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Variant {
    /// The `u8` tag.
    pub tag: u8,
    /// The name JSON gives it.
    pub name: String,
    /// What follows the tag.
    pub body: Body,
}

/// How JSON names an enum's variant (serde's representations).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Tagging {
    /// `"name"` for a unit variant, otherwise `{"name": body}`.
    External,
    /// `{"<tag>": "name", ...fields}`: the body's fields beside the tag.
    Internal {
        /// The tag's field name.
        tag: String,
    },
    /// `{"<tag>": "name", "<content>": body}`.
    Adjacent {
        /// The tag's field name.
        tag: String,
        /// The body's field name.
        content: String,
    },
}

/// A named type's definition.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Definition {
    /// Fields in encoding order; JSON an object.
    Struct {
        /// The fields.
        fields: Vec<Field>,
    },
    /// One value, written (in bytes and JSON) as that value.
    Newtype {
        /// Its shape.
        shape: Shape,
    },
    /// A `u8` tag then the variant's body.
    Enum {
        /// How JSON names the variant.
        tagging: Tagging,
        /// The variants, in declaration order.
        variants: Vec<Variant>,
    },
}

/// Named types and their definitions.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Registry(BTreeMap<&'static str, Definition>);

impl Registry {
    /// The definitions `T` reaches.
    pub fn of<T: Layout>() -> Self {
        let mut registry = Registry::default();
        T::define(&mut registry);
        registry
    }

    /// Whether `name` still needs defining; the caller then calls [`Registry::insert`] and defines
    /// the types its fields name (checking first stops recursion).
    pub fn needs(&self, name: &str) -> bool {
        !self.0.contains_key(name)
    }

    /// Defines `name`.
    ///
    /// # Panics
    /// When two different types share a name: a client could not tell them apart.
    pub fn insert(&mut self, name: &'static str, definition: Definition) {
        if let Some(existing) = self.0.get(name) {
            assert_eq!(existing, &definition, "two types are both named {name}");
        }
        self.0.insert(name, definition);
    }

    /// The definition of `name`.
    pub fn get(&self, name: &str) -> Option<&Definition> {
        self.0.get(name)
    }

    /// Every definition, by name.
    pub fn iter(&self) -> impl Iterator<Item = (&'static str, &Definition)> {
        self.0.iter().map(|(name, definition)| (*name, definition))
    }
}

/// A type whose encoding is described as data (see the module's documentation).
pub trait Layout {
    /// How a value of the type is written where it appears.
    fn shape() -> Shape;

    /// Adds the type's definition, and those of the types it names, unless present.
    fn define(_registry: &mut Registry) {}
}

macro_rules! atom {
    ($($type:ty => $shape:expr),* $(,)?) => {$(
        impl Layout for $type {
            fn shape() -> Shape {
                $shape
            }
        }
    )*};
}
atom! {
    bool => Shape::Bool,
    u8 => Shape::Uint { bits: 8 },
    u16 => Shape::Uint { bits: 16 },
    u32 => Shape::Uint { bits: 32 },
    u64 => Shape::Uint { bits: 64 },
    u128 => Shape::Uint { bits: 128 },
    Bps => Shape::Bps,
    Amount => Shape::Amount,
    Height => Shape::Height,
    Hash => Shape::Bytes { len: 32, text: BytesText::Hex },
    PublicKey => Shape::Bytes { len: 32, text: BytesText::Hex },
    Signature => Shape::Bytes { len: 64, text: BytesText::Hex },
    Address => Shape::Bytes { len: 20, text: BytesText::Address },
    Denom => Shape::Text { max: Denom::MAX_LEN as u32, denom: true },
}

impl<T: Layout> Layout for Option<T> {
    fn shape() -> Shape {
        Shape::Option { item: Box::new(T::shape()) }
    }

    fn define(registry: &mut Registry) {
        T::define(registry);
    }
}

/// The shape of a bounded sequence of `T` (a `Vec` field with `#[codec(max = N)]`).
pub fn list<T: Layout>(max: usize) -> Shape {
    Shape::List { max: u32::try_from(max).unwrap_or(u32::MAX), item: Box::new(T::shape()) }
}

/// The shape of a bounded string (a `String` field with `#[codec(max = N)]`).
pub fn text(max: usize) -> Shape {
    Shape::Text { max: u32::try_from(max).unwrap_or(u32::MAX), denom: false }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_optional_amount_is_an_option_around_the_amount_atom() {
        assert_eq!(<Option<Amount>>::shape(), Shape::Option { item: Box::new(Shape::Amount) });
        assert!(Registry::of::<Option<Amount>>().iter().next().is_none());
    }

    #[test]
    #[should_panic(expected = "two types are both named Twin")]
    fn two_different_types_with_one_name_are_refused() {
        let mut registry = Registry::default();
        registry.insert("Twin", Definition::Newtype { shape: Shape::Bool });
        registry.insert("Twin", Definition::Newtype { shape: Shape::Amount });
    }
}
