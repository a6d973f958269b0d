//! `#[derive(Encode, Decode)]` for the canonical encoding of `atelier_primitives::codec`.
//!
//! - A struct encodes its fields in declaration order.
//! - An enum encodes a `u8` tag, the variant's position in declaration order unless the variant
//!   names its own with `#[codec(tag = N)]`, then its fields: append new variants, never reorder
//!   or remove one (a stored or signed value would change meaning). Tags must be distinct.
//! - A `Vec<T>` or `String` field needs `#[codec(max = N)]`, the longest length its decoder
//!   accepts, so that decoding untrusted bytes never over-allocates.
//!
//! - `#[derive(ErrorCode)]` gives an error enum its stable numeric codes: each variant carries
//!   `#[code(N)]`, or `#[code(inner)]` when it wraps another error (one field) whose code it
//!   keeps. It generates `code()` and implements `atelier_primitives::ErrorCode`: `CODES` (the
//!   table of every code the type defines, which a snapshot test guards) and `RETIRED`, the codes
//!   named by `#[code(retired(N, …))]` on the enum, no longer given out, which no variant may take
//!   again. Codes must be distinct.
//!
//! The generated code names `atelier_primitives`, so the deriving crate depends on it.

use proc_macro::TokenStream;
use proc_macro2::TokenStream as Tokens;
use quote::{format_ident, quote};
use syn::{Data, DeriveInput, Expr, Fields, Type, parse::Parse, parse_macro_input, spanned::Spanned};

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

/// Each variant's tag: `#[codec(tag = N)]` if given, else its position; distinct.
fn variant_tags(data: &syn::DataEnum) -> syn::Result<Vec<u8>> {
    let mut tags: Vec<u8> = Vec::with_capacity(data.variants.len());
    for (position, variant) in data.variants.iter().enumerate() {
        let mut tag = None;
        for attr in variant.attrs.iter().filter(|a| a.path().is_ident("codec")) {
            attr.parse_nested_meta(|meta| {
                if meta.path.is_ident("tag") {
                    tag = Some(meta.value()?.parse::<syn::LitInt>()?.base10_parse::<u8>()?);
                    Ok(())
                } else {
                    Err(meta.error("expected `tag = N` on a variant"))
                }
            })?;
        }
        let tag = match tag {
            Some(tag) => tag,
            None => {
                u8::try_from(position).map_err(|_| syn::Error::new(variant.span(), "at most 256 variants"))?
            }
        };
        if tags.contains(&tag) {
            return Err(syn::Error::new(variant.span(), format!("tag {tag} is used twice")));
        }
        tags.push(tag);
    }
    Ok(tags)
}

/// Derives `code()` and `CODES` for an error enum (see the crate's documentation).
#[proc_macro_derive(ErrorCode, attributes(code))]
pub fn derive_error_code(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    expand_error_code(&input).unwrap_or_else(|e| e.to_compile_error()).into()
}

/// What a variant's `#[code(..)]` says.
enum Code {
    /// Its own stable number.
    Own(u32),
    /// The wrapped error's code.
    Inner,
}

fn variant_code(variant: &syn::Variant) -> syn::Result<Code> {
    let mut code = None;
    for attr in variant.attrs.iter().filter(|a| a.path().is_ident("code")) {
        let parsed = attr.parse_args_with(|input: syn::parse::ParseStream<'_>| {
            if input.peek(syn::Ident) {
                let ident: syn::Ident = input.parse()?;
                if ident == "inner" {
                    Ok(Code::Inner)
                } else {
                    Err(syn::Error::new(ident.span(), "expected a number or `inner`"))
                }
            } else {
                Ok(Code::Own(input.parse::<syn::LitInt>()?.base10_parse::<u32>()?))
            }
        })?;
        code = Some(parsed);
    }
    code.ok_or_else(|| syn::Error::new(variant.span(), "every variant needs #[code(N)] or #[code(inner)]"))
}

/// The codes in the enum's `#[code(retired(N, …))]`.
fn retired_codes(input: &DeriveInput) -> syn::Result<Vec<u32>> {
    let mut retired = Vec::new();
    for attr in input.attrs.iter().filter(|a| a.path().is_ident("code")) {
        attr.parse_nested_meta(|meta| {
            if !meta.path.is_ident("retired") {
                return Err(meta.error("expected `retired(N, …)` on the enum"));
            }
            let content;
            syn::parenthesized!(content in meta.input);
            let codes = content.parse_terminated(syn::LitInt::parse, syn::Token![,])?;
            for code in codes {
                retired.push(code.base10_parse::<u32>()?);
            }
            Ok(())
        })?;
    }
    Ok(retired)
}

fn expand_error_code(input: &DeriveInput) -> syn::Result<Tokens> {
    let name = &input.ident;
    let Data::Enum(data) = &input.data else {
        return Err(syn::Error::new(input.span(), "ErrorCode derives on error enums"));
    };
    let retired = retired_codes(input)?;
    let mut arms = Vec::new();
    let mut table = Vec::new();
    let mut seen: Vec<u32> = Vec::new();
    for variant in &data.variants {
        let ident = &variant.ident;
        let label = ident.to_string();
        match variant_code(variant)? {
            Code::Own(code) => {
                if seen.contains(&code) {
                    return Err(syn::Error::new(variant.span(), format!("code {code} is used twice")));
                }
                if retired.contains(&code) {
                    return Err(syn::Error::new(variant.span(), format!("code {code} is retired")));
                }
                seen.push(code);
                let pattern = match &variant.fields {
                    Fields::Named(_) => quote! { { .. } },
                    Fields::Unnamed(_) => quote! { (..) },
                    Fields::Unit => quote! {},
                };
                arms.push(quote! { #name::#ident #pattern => #code, });
                table.push(quote! { (#code, #label) });
            }
            Code::Inner => {
                if !matches!(&variant.fields, Fields::Unnamed(f) if f.unnamed.len() == 1) {
                    return Err(syn::Error::new(variant.span(), "#[code(inner)] wraps exactly one error"));
                }
                arms.push(quote! { #name::#ident(inner) => inner.code(), });
            }
        }
    }
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    Ok(quote! {
        impl #impl_generics #name #ty_generics #where_clause {
            /// The stable numeric code; a wrapped error's is the inner error's.
            pub fn code(&self) -> u32 {
                match self {
                    #(#arms)*
                }
            }
        }

        impl #impl_generics atelier_primitives::ErrorCode for #name #ty_generics #where_clause {
            const CODES: &'static [(u32, &'static str)] = &[#(#table),*];
            const RETIRED: &'static [u32] = &[#(#retired),*];

            fn code(&self) -> u32 {
                #name::code(self)
            }
        }
    })
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
                .zip(variant_tags(data)?)
                .map(|(variant, tag)| {
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
                .zip(variant_tags(data)?)
                .map(|(variant, tag)| {
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
