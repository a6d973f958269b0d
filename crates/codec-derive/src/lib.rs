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
//! - `#[derive(Layout)]` describes the encoding and the JSON form as data
//!   (`atelier_primitives::layout`): the shapes of the fields as `Encode` writes them, and names
//!   and enum tagging as the type's `serde` attributes say. It understands the attributes that
//!   keep a value's JSON a plain function of its fields — container `tag`, `content`,
//!   `rename_all` (`snake_case`, `camelCase`), `transparent`, `deny_unknown_fields`, `default`;
//!   field `rename`, `default`, `with` (only `serde_u128`); variant `rename` — and refuses the
//!   others rather than describe a type wrongly. A `u128` field must say `with = serde_u128`,
//!   since a client reads 128-bit integers as decimal strings.
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

/// Derives `atelier_primitives::layout::Layout` (see the crate's documentation).
#[proc_macro_derive(Layout, attributes(codec))]
pub fn derive_layout(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    expand_layout(&input).unwrap_or_else(|e| e.to_compile_error()).into()
}

/// What a container's `#[serde(..)]` says about its JSON form.
#[derive(Default)]
struct SerdeContainer {
    tag: Option<String>,
    content: Option<String>,
    rename_all: Option<String>,
    transparent: bool,
}

/// What a field's or variant's `#[serde(..)]` says.
#[derive(Default)]
struct SerdeItem {
    rename: Option<String>,
    with: Option<String>,
}

fn string_value(meta: &syn::meta::ParseNestedMeta<'_>) -> syn::Result<String> {
    Ok(meta.value()?.parse::<syn::LitStr>()?.value())
}

/// Skips `= "…"` after an attribute this derive ignores.
fn skip_value(meta: &syn::meta::ParseNestedMeta<'_>) -> syn::Result<()> {
    if meta.input.peek(syn::Token![=]) {
        string_value(meta)?;
    }
    Ok(())
}

fn serde_container(attrs: &[syn::Attribute]) -> syn::Result<SerdeContainer> {
    let mut serde = SerdeContainer::default();
    for attr in attrs.iter().filter(|a| a.path().is_ident("serde")) {
        attr.parse_nested_meta(|meta| {
            let path = &meta.path;
            if path.is_ident("tag") {
                serde.tag = Some(string_value(&meta)?);
            } else if path.is_ident("content") {
                serde.content = Some(string_value(&meta)?);
            } else if path.is_ident("rename_all") {
                let rule = string_value(&meta)?;
                if rule != "snake_case" && rule != "camelCase" {
                    return Err(meta.error("Layout knows rename_all = \"snake_case\" or \"camelCase\""));
                }
                serde.rename_all = Some(rule);
            } else if path.is_ident("transparent") {
                serde.transparent = true;
            } else if path.is_ident("deny_unknown_fields") || path.is_ident("default") {
                skip_value(&meta)?;
            } else {
                return Err(meta.error("Layout cannot describe this serde attribute"));
            }
            Ok(())
        })?;
    }
    Ok(serde)
}

fn serde_item(attrs: &[syn::Attribute]) -> syn::Result<SerdeItem> {
    let mut serde = SerdeItem::default();
    for attr in attrs.iter().filter(|a| a.path().is_ident("serde")) {
        attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("rename") {
                serde.rename = Some(string_value(&meta)?);
            } else if meta.path.is_ident("with") {
                let with = string_value(&meta)?;
                if !with.ends_with("serde_u128") && !with.ends_with("serde_u128::option") {
                    return Err(meta.error("Layout knows `with` only for serde_u128"));
                }
                serde.with = Some(with);
            } else if meta.path.is_ident("default") {
                skip_value(&meta)?;
            } else {
                return Err(meta.error("Layout cannot describe this serde attribute"));
            }
            Ok(())
        })?;
    }
    Ok(serde)
}

/// `SubmitJob` → `submit_job` or `submitJob`; `max_fee` → `maxFee` (serde's `rename_all`).
fn rename(name: &str, rule: Option<&str>) -> String {
    match rule {
        Some("snake_case") => {
            let mut out = String::new();
            for (i, c) in name.chars().enumerate() {
                if c.is_uppercase() && i > 0 {
                    out.push('_');
                }
                out.extend(c.to_lowercase());
            }
            out
        }
        Some(_) => {
            let mut out = String::new();
            let mut upper = false;
            for (i, c) in name.chars().enumerate() {
                if c == '_' {
                    upper = true;
                } else if upper {
                    out.extend(c.to_uppercase());
                    upper = false;
                } else if i == 0 {
                    out.extend(c.to_lowercase());
                } else {
                    out.push(c);
                }
            }
            out
        }
        None => name.to_owned(),
    }
}

/// The type argument of `Vec<T>`.
fn vec_item(ty: &Type) -> syn::Result<&Type> {
    if let Type::Path(path) = ty
        && let Some(segment) = path.path.segments.last()
        && let syn::PathArguments::AngleBracketed(args) = &segment.arguments
        && let Some(syn::GenericArgument::Type(item)) = args.args.first()
    {
        return Ok(item);
    }
    Err(syn::Error::new(ty.span(), "expected Vec<T>"))
}

/// Whether `ty` is spelled `u128` or `Option<u128>`.
fn is_u128(ty: &Type) -> bool {
    let spelled = quote!(#ty).to_string().replace(' ', "");
    spelled == "u128" || spelled == "Option<u128>"
}

/// The shape expression of a field.
fn field_shape(field: &syn::Field) -> syn::Result<Tokens> {
    let ty = &field.ty;
    if is_u128(ty) && serde_item(&field.attrs)?.with.is_none() {
        return Err(syn::Error::new(
            field.span(),
            "a u128 field needs #[serde(with = \"crate::serde_u128\")]: clients read 128-bit integers as strings",
        ));
    }
    Ok(match kind(field)? {
        Kind::Plain => quote! { <#ty as atelier_primitives::layout::Layout>::shape() },
        Kind::Vec(max) => {
            let item = vec_item(ty)?;
            quote! { atelier_primitives::layout::list::<#item>(#max) }
        }
        Kind::String(max) => quote! { atelier_primitives::layout::text(#max) },
    })
}

/// The calls that define the named types a field reaches.
fn field_defines(field: &syn::Field) -> syn::Result<Tokens> {
    let ty = match kind(field)? {
        Kind::Plain => &field.ty,
        Kind::Vec(_) => vec_item(&field.ty)?,
        Kind::String(_) => return Ok(quote! {}),
    };
    Ok(quote! { <#ty as atelier_primitives::layout::Layout>::define(registry); })
}

/// `vec![Field { .. }, ..]` for named fields, and the calls defining what they reach.
fn named_fields(fields: &syn::FieldsNamed, rule: Option<&str>) -> syn::Result<(Tokens, Tokens)> {
    let mut entries = Vec::new();
    let mut defines = Vec::new();
    for field in &fields.named {
        let ident = field.ident.as_ref().map(ToString::to_string).unwrap_or_default();
        let name = serde_item(&field.attrs)?.rename.unwrap_or_else(|| rename(&ident, rule));
        let shape = field_shape(field)?;
        entries.push(quote! { atelier_primitives::layout::Field { name: #name.to_owned(), shape: #shape } });
        defines.push(field_defines(field)?);
    }
    Ok((quote! { vec![#(#entries),*] }, quote! { #(#defines)* }))
}

/// The one field of a newtype, or an error naming what Layout cannot describe.
fn only_field(fields: &Fields) -> syn::Result<&syn::Field> {
    match fields {
        Fields::Unnamed(f) if f.unnamed.len() == 1 => Ok(&f.unnamed[0]),
        Fields::Named(f) if f.named.len() == 1 => Ok(&f.named[0]),
        other => Err(syn::Error::new(other.span(), "Layout describes tuples of exactly one field")),
    }
}

fn expand_layout(input: &DeriveInput) -> syn::Result<Tokens> {
    let name = &input.ident;
    let label = name.to_string();
    let serde = serde_container(&input.attrs)?;
    let (definition, defines) = match &input.data {
        Data::Struct(data) => match &data.fields {
            Fields::Named(fields) if !serde.transparent => {
                let (fields, defines) = named_fields(fields, serde.rename_all.as_deref())?;
                (quote! { atelier_primitives::layout::Definition::Struct { fields: #fields } }, defines)
            }
            fields => {
                let field = only_field(fields)?;
                let shape = field_shape(field)?;
                (
                    quote! { atelier_primitives::layout::Definition::Newtype { shape: #shape } },
                    field_defines(field)?,
                )
            }
        },
        Data::Enum(data) => {
            let tagging = match (&serde.tag, &serde.content) {
                (None, None) => quote! { atelier_primitives::layout::Tagging::External },
                (Some(tag), None) => {
                    quote! { atelier_primitives::layout::Tagging::Internal { tag: #tag.to_owned() } }
                }
                (Some(tag), Some(content)) => quote! {
                    atelier_primitives::layout::Tagging::Adjacent { tag: #tag.to_owned(), content: #content.to_owned() }
                },
                (None, Some(_)) => return Err(syn::Error::new(input.span(), "serde `content` needs `tag`")),
            };
            let mut variants = Vec::new();
            let mut defines = Vec::new();
            for (variant, tag) in data.variants.iter().zip(variant_tags(data)?) {
                let json_name = serde_item(&variant.attrs)?
                    .rename
                    .unwrap_or_else(|| rename(&variant.ident.to_string(), serde.rename_all.as_deref()));
                let body = match &variant.fields {
                    Fields::Unit => quote! { atelier_primitives::layout::Body::Unit },
                    Fields::Named(fields) => {
                        let (fields, reach) = named_fields(fields, None)?;
                        defines.push(reach);
                        quote! { atelier_primitives::layout::Body::Fields { fields: #fields } }
                    }
                    fields => {
                        let field = only_field(fields)?;
                        let shape = field_shape(field)?;
                        defines.push(field_defines(field)?);
                        quote! { atelier_primitives::layout::Body::Newtype { shape: #shape } }
                    }
                };
                variants.push(quote! {
                    atelier_primitives::layout::Variant { tag: #tag, name: #json_name.to_owned(), body: #body }
                });
            }
            (
                quote! {
                    atelier_primitives::layout::Definition::Enum { tagging: #tagging, variants: vec![#(#variants),*] }
                },
                quote! { #(#defines)* },
            )
        }
        Data::Union(_) => return Err(syn::Error::new(input.span(), "unions have no canonical encoding")),
    };
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    Ok(quote! {
        impl #impl_generics atelier_primitives::layout::Layout for #name #ty_generics #where_clause {
            fn shape() -> atelier_primitives::layout::Shape {
                atelier_primitives::layout::Shape::Named { name: #label }
            }

            fn define(registry: &mut atelier_primitives::layout::Registry) {
                if registry.needs(#label) {
                    registry.insert(#label, #definition);
                    #defines
                }
            }
        }
    })
}
