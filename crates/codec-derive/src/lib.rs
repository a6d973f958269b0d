//! `#[derive(Encode, Decode)]` for the canonical encoding of `atelier_primitives::codec`.
//!
//! - A struct encodes its fields in declaration order.
//! - An enum encodes a `u8` tag, the variant's position in declaration order, then its fields:
//!   append new variants, never reorder or remove one (a stored or signed value would change
//!   meaning).
//! - A `Vec<T>` or `String` field needs `#[codec(max = N)]`, the longest length its decoder
//!   accepts, so that decoding untrusted bytes never over-allocates.
//!
//! The generated code names `atelier_primitives`, so the deriving crate depends on it.

use proc_macro::TokenStream;
use proc_macro2::TokenStream as Tokens;
use quote::{format_ident, quote};
use syn::{Data, DeriveInput, Expr, Fields, Type, parse_macro_input, spanned::Spanned};

/// Derives `atelier_primitives::Encode`.
#[proc_macro_derive(Encode, attributes(codec))]
pub fn derive_encode(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    expand_encode(&input).unwrap_or_else(|e| e.to_compile_error()).into()
}

/// Derives `atelier_primitives::Decode`.
#[proc_macro_derive(Decode, attributes(codec))]
pub fn derive_decode(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    expand_decode(&input).unwrap_or_else(|e| e.to_compile_error()).into()
}

/// How one field is written and read.
enum Kind {
    /// Through its own `Encode`/`Decode`.
    Plain,
    /// A length-prefixed sequence of at most the given length.
    Vec(Expr),
    /// A length-prefixed UTF-8 string of at most the given bytes.
    String(Expr),
}

fn kind(field: &syn::Field) -> syn::Result<Kind> {
    let mut max = None;
    for attr in field.attrs.iter().filter(|a| a.path().is_ident("codec")) {
        attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("max") {
                max = Some(meta.value()?.parse::<Expr>()?);
                Ok(())
            } else {
                Err(meta.error("expected `max = N`"))
            }
        })?;
    }
    let last = match &field.ty {
        Type::Path(path) => path.path.segments.last().map(|s| s.ident.to_string()),
        _ => None,
    };
    match (last.as_deref(), max) {
        (Some("Vec"), Some(max)) => Ok(Kind::Vec(max)),
        (Some("String"), Some(max)) => Ok(Kind::String(max)),
        (Some("Vec" | "String"), None) => {
            Err(syn::Error::new(field.span(), "a Vec or String field needs #[codec(max = N)]"))
        }
        (_, Some(_)) => Err(syn::Error::new(field.span(), "#[codec(max)] applies to Vec and String fields")),
        (_, None) => Ok(Kind::Plain),
    }
}

fn encode_field(kind: &Kind, access: Tokens) -> Tokens {
    match kind {
        Kind::Plain => quote! { atelier_primitives::Encode::encode_to(#access, out); },
        Kind::Vec(_) => quote! { atelier_primitives::codec::encode_slice(#access, out); },
        Kind::String(_) => quote! { atelier_primitives::codec::encode_bytes((#access).as_bytes(), out); },
    }
}

fn decode_field(kind: &Kind, name: &str) -> Tokens {
    match kind {
        Kind::Plain => quote! { atelier_primitives::Decode::decode_from(reader)? },
        Kind::Vec(max) => quote! { reader.vec(#name, #max)? },
        Kind::String(max) => quote! { reader.string(#name, #max)? },
    }
}

/// The fields as (binding, kind, name for errors).
fn fields(fields: &Fields) -> syn::Result<Vec<(syn::Ident, Kind, String)>> {
    fields
        .iter()
        .enumerate()
        .map(|(i, field)| {
            let binding = field.ident.clone().unwrap_or_else(|| format_ident!("field_{i}"));
            let name = field.ident.as_ref().map_or_else(|| i.to_string(), ToString::to_string);
            Ok((binding, kind(field)?, name))
        })
        .collect()
}

/// `{ a, b }`, `(field_0, field_1)` or nothing, for patterns and constructors.
fn shape(fields: &Fields, values: Vec<Tokens>) -> Tokens {
    match fields {
        Fields::Named(named) => {
            let names = named.named.iter().map(|f| f.ident.clone());
            quote! { { #(#names: #values),* } }
        }
        Fields::Unnamed(_) => quote! { ( #(#values),* ) },
        Fields::Unit => quote! {},
    }
}

fn expand_encode(input: &DeriveInput) -> syn::Result<Tokens> {
    let name = &input.ident;
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    let body = match &input.data {
        Data::Struct(data) => {
            let writes = fields(&data.fields)?.into_iter().enumerate().map(|(i, (binding, kind, _))| {
                let access = match &data.fields {
                    Fields::Named(_) => quote! { &self.#binding },
                    _ => {
                        let index = syn::Index::from(i);
                        quote! { &self.#index }
                    }
                };
                encode_field(&kind, access)
            });
            quote! { #(#writes)* }
        }
        Data::Enum(data) => {
            let arms = data
                .variants
                .iter()
                .enumerate()
                .map(|(tag, variant)| {
                    let tag = u8::try_from(tag)
                        .map_err(|_| syn::Error::new(variant.span(), "at most 256 variants"))?;
                    let ident = &variant.ident;
                    let fields = fields(&variant.fields)?;
                    let pattern = shape(
                        &variant.fields,
                        fields.iter().map(|(binding, _, _)| quote! { #binding }).collect(),
                    );
                    let pattern = match &variant.fields {
                        Fields::Named(_) => {
                            let bindings = fields.iter().map(|(binding, _, _)| binding);
                            quote! { { #(#bindings),* } }
                        }
                        _ => pattern,
                    };
                    let writes =
                        fields.iter().map(|(binding, kind, _)| encode_field(kind, quote! { #binding }));
                    Ok(quote! { #name::#ident #pattern => { out.push(#tag); #(#writes)* } })
                })
                .collect::<syn::Result<Vec<_>>>()?;
            quote! { match self { #(#arms)* } }
        }
        Data::Union(_) => return Err(syn::Error::new(input.span(), "unions have no canonical encoding")),
    };
    Ok(quote! {
        impl #impl_generics atelier_primitives::Encode for #name #ty_generics #where_clause {
            #[allow(unused_variables)]
            fn encode_to(&self, out: &mut Vec<u8>) {
                #body
            }
        }
    })
}

fn expand_decode(input: &DeriveInput) -> syn::Result<Tokens> {
    let name = &input.ident;
    let what = name.to_string();
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    let body = match &input.data {
        Data::Struct(data) => {
            let values =
                fields(&data.fields)?.iter().map(|(_, kind, field)| decode_field(kind, field)).collect();
            let construct = shape(&data.fields, values);
            quote! { Ok(#name #construct) }
        }
        Data::Enum(data) => {
            let arms = data
                .variants
                .iter()
                .enumerate()
                .map(|(tag, variant)| {
                    let tag = u8::try_from(tag)
                        .map_err(|_| syn::Error::new(variant.span(), "at most 256 variants"))?;
                    let ident = &variant.ident;
                    let values = fields(&variant.fields)?
                        .iter()
                        .map(|(_, kind, field)| decode_field(kind, field))
                        .collect();
                    let construct = shape(&variant.fields, values);
                    Ok(quote! { #tag => Ok(#name::#ident #construct), })
                })
                .collect::<syn::Result<Vec<_>>>()?;
            quote! {
                match reader.tag()? {
                    #(#arms)*
                    tag => Err(atelier_primitives::DecodeError::UnknownTag { what: #what, tag }),
                }
            }
        }
        Data::Union(_) => return Err(syn::Error::new(input.span(), "unions have no canonical encoding")),
    };
    Ok(quote! {
        impl #impl_generics atelier_primitives::Decode for #name #ty_generics #where_clause {
            fn decode_from(reader: &mut atelier_primitives::Reader<'_>) -> Result<Self, atelier_primitives::DecodeError> {
                #body
            }
        }
    })
}
