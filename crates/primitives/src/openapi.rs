//! OpenAPI schemas (feature `openapi`) for the types whose JSON form is text or a bounded number,
//! so that the API's document says exactly what its answers hold.

use utoipa::{
    PartialSchema, ToSchema,
    openapi::{ObjectBuilder, RefOr, Type, schema::Schema},
};

use crate::{Address, Amount, Bps, CoinText, Denom, Hash, Height, PublicKey, Signature};

macro_rules! text_schema {
    ($($type:ty => ($description:literal, $pattern:literal)),+ $(,)?) => {$(
        impl PartialSchema for $type {
            fn schema() -> RefOr<Schema> {
                ObjectBuilder::new()
                    .schema_type(Type::String)
                    .description(Some($description))
                    .pattern(Some($pattern))
                    .into()
            }
        }

        impl ToSchema for $type {}
    )+};
}

text_schema! {
    Address => ("A bech32 address with prefix `atelier`.", "^atelier1[02-9ac-hj-np-z]{38}$"),
    Amount => ("An amount in base units, as a decimal string (it may exceed 2^53).", "^[0-9]{1,39}$"),
    Denom => ("A denomination: 2 to 16 characters of [a-z0-9], starting with a letter.", "^[a-z][a-z0-9]{1,15}$"),
    Hash => ("A 32-byte hash, hex.", "^[0-9a-f]{64}$"),
    PublicKey => ("An ed25519 public key, hex.", "^[0-9a-f]{64}$"),
    Signature => ("An ed25519 signature, hex.", "^[0-9a-f]{128}$"),
    CoinText => ("An amount with its unit: `5GDC`, `0.25GDC`, `1.5USD`, or base units `5000000ugdc`.", "^[0-9._]+ ?[A-Za-z][A-Za-z0-9]*$"),
}

impl PartialSchema for Height {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::Integer)
            .format(Some(utoipa::openapi::SchemaFormat::KnownFormat(utoipa::openapi::KnownFormat::Int64)))
            .minimum(Some(0))
            .description(Some("A block height."))
            .into()
    }
}

impl ToSchema for Height {}

impl PartialSchema for Bps {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::Integer)
            .minimum(Some(0))
            .maximum(Some(10_000))
            .description(Some("A share in basis points: 10 000 is 100%."))
            .into()
    }
}

impl ToSchema for Bps {}
