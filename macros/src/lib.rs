//! The macros of kimchi-handles. Each declaration is written once in Rust and yields:
//! - a wasm-bindgen export that converts and checks every argument through the core's traits
//!   (`FromJs`, `RefArg`, `IntoJs`), catches panics and turns errors into JS `Error`s;
//! - a metadata record (one JSON line in the WASM custom section `kimchi_handles`) from which the
//!   glue generator writes the JS classes and the TypeScript types.
//!
//! Kinds that depend on a type (a handle class, a number's range) come from the traits' `KIND`
//! constants, so the metadata cannot disagree with the conversion code; only `Option<_>`, `&_`
//! and `Result<_, _>` are read from the syntax.

use proc_macro::TokenStream;
use proc_macro2::{Span, TokenStream as TokenStream2};
use quote::{format_ident, quote};
use syn::parse::{Parse, ParseStream};
use syn::punctuated::Punctuated;
use syn::spanned::Spanned;
use syn::{
    Attribute, Error, Expr, ExprLit, FnArg, GenericArgument, ImplItem, ImplItemFn, Item, ItemFn, ItemImpl, ItemStruct,
    Lit, Meta, Pat, PathArguments, ReturnType, Token, Type, Visibility,
};

/// `#[class]` (or `#[class(js_name = "X")]`) on a struct: the struct is the value a JS handle of
/// that class owns. The struct must implement `DeepSize` and be `Send + Sync + 'static`.
#[proc_macro_attribute]
pub fn class(attr: TokenStream, item: TokenStream) -> TokenStream {
    expand(|| class_impl(attr.into(), syn::parse(item)?))
}

/// `#[export]` on a `pub fn` or on an `impl` block of a `#[class]` type (its `pub fn`s become
/// constructors, methods, static functions, getters or setters). Options: `js_name = "x"`;
/// `runs_when_memory_full` for a call that only reads and must work while memory is exhausted (in
/// unwinding builds other calls are refused then); on methods also `constructor`, `getter`,
/// `setter`, `skip`.
#[proc_macro_attribute]
pub fn export(attr: TokenStream, item: TokenStream) -> TokenStream {
    expand(|| match syn::parse::<Item>(item)? {
        Item::Fn(f) => export_fn(attr.into(), f),
        Item::Impl(i) => export_impl(attr.into(), i),
        other => Err(Error::new(other.span(), "#[export] goes on a `pub fn` or an `impl` block")),
    })
}

/// `#[derive(Shape)]` on a struct with named fields: a plain JS object out of Rust (`IntoJs`),
/// with camelCase keys and a TypeScript interface of the same name.
/// A record the core itself writes into the metadata (not from a declaration):
/// `__core_record!(NAME = "{...}")` defines the constant `NAME` (the record and its newline) and
/// puts it into the custom section the glue generator reads.
#[doc(hidden)]
#[proc_macro]
pub fn __core_record(input: TokenStream) -> TokenStream {
    struct Record(syn::Ident, syn::LitStr);
    impl Parse for Record {
        fn parse(input: ParseStream) -> syn::Result<Self> {
            let name = input.parse()?;
            input.parse::<syn::Token![=]>()?;
            Ok(Record(name, input.parse()?))
        }
    }
    let Record(name, json) = syn::parse_macro_input!(input as Record);
    quote! {
        const #name: &str = concat!(#json, "\n");
        #[cfg(target_arch = "wasm32")]
        const _: () = {
            #[link_section = "kimchi_handles"]
            #[used]
            static METADATA: [u8; #name.len()] = kimchi_handles::__private::record_bytes::<{ #name.len() }>(#name);
        };
    }
    .into()
}

#[proc_macro_derive(Shape, attributes(shape))]
pub fn shape(item: TokenStream) -> TokenStream {
    expand(|| shape_impl(syn::parse(item)?))
}

fn expand(f: impl FnOnce() -> syn::Result<TokenStream2>) -> TokenStream {
    f().unwrap_or_else(Error::into_compile_error).into()
}

fn krate() -> TokenStream2 {
    quote!(::kimchi_handles)
}

// ---- options ------------------------------------------------------------------------------------

#[derive(Default)]
struct Options {
    js_name: Option<String>,
    constructor: bool,
    getter: bool,
    setter: bool,
    skip: bool,
    runs_when_memory_full: bool,
}

impl Parse for Options {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let mut options = Options::default();
        for meta in Punctuated::<Meta, Token![,]>::parse_terminated(input)? {
            match &meta {
                Meta::Path(p) if p.is_ident("constructor") => options.constructor = true,
                Meta::Path(p) if p.is_ident("getter") => options.getter = true,
                Meta::Path(p) if p.is_ident("setter") => options.setter = true,
                Meta::Path(p) if p.is_ident("skip") => options.skip = true,
                Meta::Path(p) if p.is_ident("runs_when_memory_full") => options.runs_when_memory_full = true,
                // A string, or an identifier (what `paste!` can build inside `macro_rules!`).
                Meta::NameValue(nv) if nv.path.is_ident("js_name") => match &nv.value {
                    Expr::Lit(ExprLit { lit: Lit::Str(s), .. }) => options.js_name = Some(s.value()),
                    Expr::Path(p) if p.path.get_ident().is_some() => {
                        options.js_name = p.path.get_ident().map(|i| i.to_string());
                    }
                    other => return Err(Error::new(other.span(), "js_name takes a string or an identifier")),
                },
                other => return Err(Error::new(other.span(), "unknown option")),
            }
        }
        Ok(options)
    }
}

fn parse_options(tokens: TokenStream2) -> syn::Result<Options> {
    syn::parse2(tokens)
}

/// Takes our `#[export(...)]` attributes off a method, returning their options.
fn take_method_options(attrs: &mut Vec<Attribute>) -> syn::Result<Options> {
    let mut options = Options::default();
    let mut error = None;
    attrs.retain(|a| {
        if !a.path().is_ident("export") {
            return true;
        }
        let parsed = match &a.meta {
            Meta::Path(_) => Ok(Options::default()),
            _ => a.parse_args::<Options>(),
        };
        match parsed {
            Ok(o) => options = o,
            Err(e) => error = Some(e),
        }
        false
    });
    error.map_or(Ok(options), Err)
}

// ---- JSON of names and docs ---------------------------------------------------------------------

fn json_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn doc_of(attrs: &[Attribute]) -> String {
    let lines: Vec<String> = attrs
        .iter()
        .filter(|a| a.path().is_ident("doc"))
        .filter_map(|a| match &a.meta {
            Meta::NameValue(nv) => match &nv.value {
                Expr::Lit(ExprLit { lit: Lit::Str(s), .. }) => Some(s.value()),
                _ => None,
            },
            _ => None,
        })
        .map(|l| l.strip_prefix(' ').map(str::to_owned).unwrap_or(l))
        .collect();
    lines.join("\n").trim().to_owned()
}

/// `live_bytes` -> `liveBytes`; leading underscores dropped.
fn camel(name: &str) -> String {
    let mut out = String::new();
    let mut upper = false;
    for c in name.trim_start_matches('_').chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// The metadata record: a static byte array in the custom section, built at compile time from
/// string literals and the traits' `KIND` constants.
fn metadata(parts: Vec<TokenStream2>) -> TokenStream2 {
    let root = krate();
    quote! {
        #[cfg(target_arch = "wasm32")]
        const _: () = {
            const RECORD: &str = #root::__private::concatcp!(#(#parts,)* "\n");
            #[link_section = "kimchi_handles"]
            #[used]
            static METADATA: [u8; RECORD.len()] = #root::__private::record_bytes::<{ RECORD.len() }>(RECORD);
        };
    }
}

fn lit(s: impl Into<String>) -> TokenStream2 {
    let s: String = s.into();
    quote!(#s)
}

// ---- #[class] -----------------------------------------------------------------------------------

fn class_impl(attr: TokenStream2, item: ItemStruct) -> syn::Result<TokenStream2> {
    let options = parse_options(attr)?;
    if options.constructor || options.getter || options.setter || options.skip {
        return Err(Error::new(Span::call_site(), "#[class] takes only js_name"));
    }
    if !item.generics.params.is_empty() {
        return Err(Error::new(item.generics.span(), "a handle class cannot be generic: declare one per type"));
    }
    let root = krate();
    let ident = &item.ident;
    let name = options.js_name.unwrap_or_else(|| ident.to_string());
    if name.contains("__") {
        return Err(Error::new(ident.span(), "class names cannot contain `__`"));
    }
    let kind = |which: &str| format!("{{\"k\":\"{which}\",\"class\":{}}}", json_string(&name));
    let (ref_kind, owned_kind) = (kind("ref"), kind("take"));
    let handle_kind = format!("{{\"k\":\"handle\",\"class\":{},\"nan\":true}}", json_string(&name));
    let array_kind = format!("{{\"k\":\"array\",\"of\":{handle_kind}}}");
    let ref_array_kind = format!("{{\"k\":\"array\",\"of\":{ref_kind}}}");
    let record = metadata(vec![lit(format!(
        "{{\"t\":\"class\",\"name\":{},\"doc\":{}}}",
        json_string(&name),
        json_string(&doc_of(&item.attrs))
    ))]);
    Ok(quote! {
        #item

        impl #root::Class for #ident {
            const NAME: &'static str = #name;
            const OWNED_KIND: &'static str = #owned_kind;
            const REF_KIND: &'static str = #ref_kind;
            const HANDLE_KIND: &'static str = #handle_kind;
            const REF_ARRAY_KIND: &'static str = #ref_array_kind;
            fn class_id() -> #root::ClassId {
                static ID: #root::__private::ClassIdCell = #root::__private::ClassIdCell::new();
                ID.get(#name)
            }
        }

        impl #root::RefArg for #ident {
            type Abi = f64;
            type Guard = #root::Shared<#ident>;
            const KIND: &'static str = #ref_kind;
            #[inline]
            fn guard(abi: f64, arg: &#root::ArgPath<'_>) -> ::core::result::Result<Self::Guard, #root::CallError> {
                #root::__private::borrow_key::<#ident>(abi, arg)
            }
        }

        impl #root::IntoJs for #ident {
            type Abi = f64;
            type Ret = f64;
            const KIND: &'static str = #handle_kind;
            #[inline]
            fn into_js(self) -> ::core::result::Result<f64, #root::CallError> {
                #root::__private::new_key(self)
            }
            #[inline]
            fn ret(result: ::core::result::Result<Self::Abi, #root::CallError>) -> f64 {
                #root::__private::fast_return(result)
            }
            fn into_value(self) -> ::core::result::Result<#root::__private::wasm_bindgen::JsValue, #root::CallError> {
                self.into_js().map(#root::__private::wasm_bindgen::JsValue::from)
            }
        }

        /// An array of new handles (each element of a returned `Vec`).
        impl #root::Element for #ident {
            const ARRAY_KIND: &'static str = #array_kind;
        }

        #record
    })
}

// ---- #[export] ----------------------------------------------------------------------------------

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Function,
    Constructor,
    Static,
    Method,
    Getter,
    Setter,
}

impl Kind {
    fn as_str(self) -> &'static str {
        match self {
            Kind::Function => "function",
            Kind::Constructor => "constructor",
            Kind::Static => "static",
            Kind::Method => "method",
            Kind::Getter => "getter",
            Kind::Setter => "setter",
        }
    }
}

/// How a parameter type is read: by reference (`RefArg`) or by value (`FromJs`), maybe optional.
enum ParamTy {
    Ref(Type),
    Val(Type),
}

/// How a method gets its object: `&self` (borrowed for the call), or `this: Shared<Self>` (the
/// borrow itself, for methods that measure their value again after changing it).
enum Receiver {
    Ref,
    Val(Box<Type>),
}

struct Param {
    js_name: String,
    ty: ParamTy,
    optional: bool,
}

fn option_inner(ty: &Type) -> Option<&Type> {
    generic_inner(ty, "Option")
}

fn generic_inner<'a>(ty: &'a Type, name: &str) -> Option<&'a Type> {
    let Type::Path(p) = ty else { return None };
    if p.qself.is_some() {
        return None;
    }
    let last = p.path.segments.last()?;
    if last.ident != name {
        return None;
    }
    let PathArguments::AngleBracketed(args) = &last.arguments else { return None };
    match args.args.first()? {
        GenericArgument::Type(t) => Some(t),
        _ => None,
    }
}

fn result_types(ty: &Type) -> Option<(&Type, &Type)> {
    let Type::Path(p) = ty else { return None };
    let last = p.path.segments.last()?;
    if last.ident != "Result" {
        return None;
    }
    let PathArguments::AngleBracketed(args) = &last.arguments else { return None };
    let mut types = args.args.iter().filter_map(|a| match a {
        GenericArgument::Type(t) => Some(t),
        _ => None,
    });
    Some((types.next()?, types.next()?))
}

/// `Self` inside an impl block stands for the class type.
fn replace_self(ty: &Type, self_ty: Option<&Type>) -> Type {
    struct Replace<'a>(&'a Type);
    impl syn::visit_mut::VisitMut for Replace<'_> {
        fn visit_type_mut(&mut self, ty: &mut Type) {
            if let Type::Path(p) = ty {
                if p.qself.is_none() && p.path.is_ident("Self") {
                    *ty = self.0.clone();
                    return;
                }
            }
            syn::visit_mut::visit_type_mut(self, ty);
        }
    }
    let mut ty = ty.clone();
    if let Some(s) = self_ty {
        syn::visit_mut::VisitMut::visit_type_mut(&mut Replace(s), &mut ty);
    }
    ty
}

fn param_ty(ty: &Type) -> syn::Result<(ParamTy, bool)> {
    let (ty, optional) = match option_inner(ty) {
        Some(inner) => (inner, true),
        None => (ty, false),
    };
    Ok(match ty {
        Type::Reference(r) if r.mutability.is_some() => {
            return Err(Error::new(
                r.span(),
                "exported functions take `&T`, not `&mut T`: JS may hold other references",
            ))
        }
        Type::Reference(r) => (ParamTy::Ref((*r.elem).clone()), optional),
        other => (ParamTy::Val(other.clone()), optional),
    })
}

fn kind_const(ty: &ParamTy) -> TokenStream2 {
    let root = krate();
    match ty {
        ParamTy::Ref(t) => quote!(<#t as #root::RefArg>::KIND),
        ParamTy::Val(t) => quote!(<#t as #root::FromJs>::KIND),
    }
}

struct Signature<'a> {
    rust_name: &'a syn::Ident,
    js_name: String,
    class: Option<(Type, String)>,
    kind: Kind,
    doc: String,
    receiver: Option<Receiver>,
    params: Vec<Param>,
    output: &'a ReturnType,
    runs_when_memory_full: bool,
}

/// The wasm-bindgen export and the metadata record for one function or method.
fn generate(sig: Signature<'_>) -> syn::Result<TokenStream2> {
    let root = krate();
    let class_name = sig.class.as_ref().map(|(_, n)| n.clone());
    // What errors and panics name: `Payload.checksum`, `new Payload`, `consumePayload`.
    let display = match (&class_name, sig.kind) {
        (Some(c), Kind::Constructor) => format!("new {c}"),
        (Some(c), _) => format!("{c}.{}", sig.js_name),
        (None, _) => sig.js_name.clone(),
    };
    let raw_name = match &class_name {
        Some(c) => format!("__kh__{c}__{}", sig.js_name),
        None => format!("__kh__{}", sig.js_name),
    };
    if sig.js_name.contains("__") {
        return Err(Error::new(sig.rust_name.span(), "exported names cannot contain `__`"));
    }
    let raw_ident = format_ident!("{}", raw_name);

    let mut abi_params = Vec::new();
    let mut conversions = Vec::new();
    let mut call_args = Vec::new();
    match &sig.receiver {
        Some(Receiver::Ref) => {
            let (ty, _) = sig.class.as_ref().ok_or_else(|| Error::new(Span::call_site(), "self outside a class"))?;
            abi_params.push(quote!(this: <#ty as #root::RefArg>::Abi));
            conversions.push(
                quote!(let __this = <#ty as #root::RefArg>::guard(this, &#root::ArgPath::new(FUNCTION, "this"))?;),
            );
            call_args.push(quote!(&*__this));
        }
        Some(Receiver::Val(ty)) => {
            abi_params.push(quote!(this: <#ty as #root::FromJs>::Abi));
            conversions.push(
                quote!(let __this = <#ty as #root::FromJs>::from_js(this, &#root::ArgPath::new(FUNCTION, "this"))?;),
            );
            call_args.push(quote!(__this));
        }
        None => {}
    }
    let mut params_json = Vec::new();
    for (i, p) in sig.params.iter().enumerate() {
        let abi = format_ident!("a{i}");
        let local = format_ident!("__p{i}");
        let name = &p.js_name;
        let (abi_ty, convert, pass) = match (&p.ty, p.optional) {
            (ParamTy::Ref(t), false) => (
                quote!(<#t as #root::RefArg>::Abi),
                quote!(<#t as #root::RefArg>::guard(#abi, &#root::ArgPath::new(FUNCTION, #name))?),
                quote!(&*#local),
            ),
            (ParamTy::Ref(t), true) => (
                quote!(::core::option::Option<<#t as #root::RefArg>::Abi>),
                quote!(match #abi { Some(a) => Some(<#t as #root::RefArg>::guard(a, &#root::ArgPath::new(FUNCTION, #name))?), None => None }),
                quote!(#local.as_deref()),
            ),
            (ParamTy::Val(t), false) => (
                quote!(<#t as #root::FromJs>::Abi),
                quote!(<#t as #root::FromJs>::from_js(#abi, &#root::ArgPath::new(FUNCTION, #name))?),
                quote!(#local),
            ),
            (ParamTy::Val(t), true) => (
                quote!(::core::option::Option<<#t as #root::FromJs>::Abi>),
                quote!(match #abi { Some(a) => Some(<#t as #root::FromJs>::from_js(a, &#root::ArgPath::new(FUNCTION, #name))?), None => None }),
                quote!(#local),
            ),
        };
        abi_params.push(quote!(#abi: #abi_ty));
        conversions.push(quote!(let #local = #convert;));
        call_args.push(pass);
        let kind = kind_const(&p.ty);
        let (open, close) = if p.optional { ("{\"k\":\"opt\",\"of\":", "}") } else { ("", "") };
        let sep = if i == 0 { "" } else { "," };
        params_json.push(lit(format!("{sep}{{\"name\":{},\"ty\":{open}", json_string(name))));
        params_json.push(kind);
        params_json.push(lit(format!("{close}}}")));
    }

    // The return: `T`, `Option<T>`, `Result<T, E>` or `Result<Option<T>, E>`, or nothing.
    let (ok_ty, fallible) = match sig.output {
        ReturnType::Default => (None, false),
        ReturnType::Type(_, ty) => {
            let ty = replace_self(ty, sig.class.as_ref().map(|(t, _)| t));
            match result_types(&ty) {
                Some((ok, _err)) => (Some(ok.clone()), true),
                None => (Some(ty), false),
            }
        }
    };
    let is_unit = |t: &Type| matches!(t, Type::Tuple(tuple) if tuple.elems.is_empty());
    // What the export returns, how the result gets there, and its JSON.
    let (ret_ty, ret_wrap, ret_json): (TokenStream2, TokenStream2, Vec<TokenStream2>) = match &ok_ty {
        Some(t) if !is_unit(t) => match option_inner(t) {
            Some(inner) => (
                quote!(::core::result::Result<::core::option::Option<<#inner as #root::IntoJs>::Abi>, #root::__private::wasm_bindgen::JsValue>),
                quote!(#root::__private::option_return::<#inner>),
                vec![lit("{\"k\":\"opt\",\"of\":"), quote!(<#inner as #root::IntoJs>::KIND), lit("}")],
            ),
            None => (
                quote!(<#t as #root::IntoJs>::Ret),
                quote!(<#t as #root::IntoJs>::ret),
                vec![quote!(<#t as #root::IntoJs>::KIND)],
            ),
        },
        _ => (quote!(f64), quote!(#root::__private::unit_return), vec![lit("{\"k\":\"unit\",\"nan\":true}")]),
    };
    if sig.kind == Kind::Constructor && !matches!(&ok_ty, Some(t) if option_inner(t).is_none() && !is_unit(t)) {
        return Err(Error::new(sig.rust_name.span(), "a constructor returns `Self` or `Result<Self, E>`"));
    }
    let call_target = match &sig.class {
        Some((ty, _)) => {
            let f = sig.rust_name;
            quote!(<#ty>::#f)
        }
        None => {
            let f = sig.rust_name;
            quote!(#f)
        }
    };
    let body_result = if fallible {
        quote!(let __r = #call_target(#(#call_args),*).map_err(|e| #root::CallError::failed(FUNCTION, e))?;)
    } else {
        quote!(let __r = #call_target(#(#call_args),*);)
    };

    let mut record = vec![lit(format!(
        "{{\"t\":\"fn\",\"kind\":\"{}\",\"class\":{},\"name\":{},\"raw\":{},\"doc\":{},\"params\":[",
        sig.kind.as_str(),
        class_name.as_deref().map_or("null".into(), json_string),
        json_string(&sig.js_name),
        json_string(&raw_name),
        json_string(&sig.doc),
    ))];
    record.extend(params_json);
    record.push(lit("],\"ret\":"));
    record.extend(ret_json);
    record.push(lit("}"));
    let record = metadata(record);
    let wb = quote!(#root::__private::wasm_bindgen);
    // The result becomes what crosses to JS inside the call, so a failure there is the call's error.
    let into_js = match &ok_ty {
        Some(t) if !is_unit(t) => match option_inner(t) {
            Some(inner) => {
                quote!(match __r { Some(v) => <#inner as #root::IntoJs>::into_js(v).map(Some), None => Ok(None) })
            }
            None => quote!(<#t as #root::IntoJs>::into_js(__r)),
        },
        _ => quote!(Ok(__r)),
    };
    let call = if sig.runs_when_memory_full {
        quote!(#root::__private::call_when_memory_full)
    } else {
        quote!(#root::__private::call)
    };
    Ok(quote! {
        #[doc(hidden)]
        #[allow(non_snake_case, clippy::too_many_arguments, clippy::unused_unit)]
        #[#wb::prelude::wasm_bindgen(js_name = #raw_name, wasm_bindgen = #wb)]
        pub fn #raw_ident(#(#abi_params),*) -> #ret_ty {
            const FUNCTION: &str = #display;
            #ret_wrap(#call(FUNCTION, move || {
                #(#conversions)*
                #body_result
                #into_js
            }))
        }
        #record
    })
}

fn check_plain_fn(sig: &syn::Signature) -> syn::Result<()> {
    if !sig.generics.params.is_empty() {
        return Err(Error::new(sig.generics.span(), "exported functions cannot be generic"));
    }
    if sig.asyncness.is_some() {
        return Err(Error::new(sig.span(), "exported functions cannot be async"));
    }
    Ok(())
}

fn params_of(
    inputs: &Punctuated<FnArg, Token![,]>,
    self_ty: Option<&Type>,
) -> syn::Result<(Option<Receiver>, Vec<Param>)> {
    let mut receiver = None;
    let mut params = Vec::new();
    for (position, input) in inputs.iter().enumerate() {
        match input {
            FnArg::Receiver(r) => {
                if r.reference.is_none() || r.mutability.is_some() {
                    return Err(Error::new(
                        r.span(),
                        "exported methods take `&self`; take another handle's value with `Owned<T>`",
                    ));
                }
                receiver = Some(Receiver::Ref);
            }
            FnArg::Typed(pt) => {
                let Pat::Ident(id) = &*pt.pat else {
                    return Err(Error::new(pt.pat.span(), "exported parameters must be plain names"));
                };
                let ty = replace_self(&pt.ty, self_ty);
                if position == 0 && id.ident == "this" && self_ty.is_some() {
                    receiver = Some(Receiver::Val(Box::new(ty)));
                    continue;
                }
                let (ty_kind, optional) = param_ty(&ty)?;
                params.push(Param { js_name: camel(&id.ident.to_string()), ty: ty_kind, optional });
            }
        }
    }
    Ok((receiver, params))
}

fn export_fn(attr: TokenStream2, f: ItemFn) -> syn::Result<TokenStream2> {
    let options = parse_options(attr)?;
    if options.constructor || options.getter || options.setter {
        return Err(Error::new(
            Span::call_site(),
            "constructor, getter and setter belong on methods of an #[export] impl",
        ));
    }
    if !matches!(f.vis, Visibility::Public(_)) {
        return Err(Error::new(f.sig.ident.span(), "#[export] functions must be `pub`"));
    }
    check_plain_fn(&f.sig)?;
    let (receiver, params) = params_of(&f.sig.inputs, None)?;
    if receiver.is_some() {
        return Err(Error::new(f.sig.span(), "self outside an impl block"));
    }
    let generated = generate(Signature {
        rust_name: &f.sig.ident,
        js_name: options.js_name.unwrap_or_else(|| f.sig.ident.to_string()),
        class: None,
        kind: Kind::Function,
        doc: doc_of(&f.attrs),
        receiver,
        params,
        output: &f.sig.output,
        runs_when_memory_full: options.runs_when_memory_full,
    })?;
    Ok(quote!(#f #generated))
}

fn export_impl(attr: TokenStream2, mut block: ItemImpl) -> syn::Result<TokenStream2> {
    let options = parse_options(attr)?;
    if options.js_name.is_some() || options.constructor || options.getter || options.setter || options.skip {
        return Err(Error::new(Span::call_site(), "#[export] on an impl block takes no options"));
    }
    if block.trait_.is_some() || !block.generics.params.is_empty() {
        return Err(Error::new(block.span(), "#[export] goes on an inherent, non-generic impl of a #[class] type"));
    }
    let root = krate();
    let self_ty = (*block.self_ty).clone();
    let class_name_expr = quote!(<#self_ty as #root::Class>::NAME);
    // The class's JS name is a constant of the `Class` impl; the records need it as text, so the
    // generated code checks at compile time that the impl block's type path names it.
    let class_name = match &self_ty {
        Type::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
        _ => None,
    }
    .ok_or_else(|| Error::new(self_ty.span(), "expected a class type"))?;
    let mut generated = Vec::new();
    for item in &mut block.items {
        let ImplItem::Fn(method) = item else { continue };
        let options = take_method_options(&mut method.attrs)?;
        if options.skip || !matches!(method.vis, Visibility::Public(_)) {
            continue;
        }
        generated.push(export_method(method, options, &self_ty, &class_name)?);
    }
    let name_check = quote! {
        const _: () = assert!(
            #root::__private::str_eq(#class_name_expr, #class_name),
            "#[export] impl blocks must name the class by its JS name (use the struct's own name, or a matching js_name)"
        );
    };
    Ok(quote!(#block #name_check #(#generated)*))
}

fn export_method(method: &ImplItemFn, options: Options, self_ty: &Type, class_name: &str) -> syn::Result<TokenStream2> {
    check_plain_fn(&method.sig)?;
    let (receiver, params) = params_of(&method.sig.inputs, Some(self_ty))?;
    let kind = match (options.constructor, options.getter, options.setter, receiver.is_some()) {
        (true, false, false, false) => Kind::Constructor,
        (false, true, false, true) => Kind::Getter,
        (false, false, true, true) => Kind::Setter,
        (false, false, false, true) => Kind::Method,
        (false, false, false, false) => Kind::Static,
        _ => {
            return Err(Error::new(
                method.sig.ident.span(),
                "constructors take no self; getters and setters take &self; use one of them at most",
            ))
        }
    };
    if kind == Kind::Getter && !params.is_empty() {
        return Err(Error::new(method.sig.ident.span(), "a getter takes only &self"));
    }
    if kind == Kind::Setter && params.len() != 1 {
        return Err(Error::new(method.sig.ident.span(), "a setter takes &self and one value"));
    }
    let rust = method.sig.ident.to_string();
    let js_name = options.js_name.unwrap_or_else(|| match kind {
        Kind::Constructor => "constructor".into(),
        Kind::Setter => rust.strip_prefix("set_").map_or_else(|| rust.clone(), str::to_owned),
        _ => rust.clone(),
    });
    generate(Signature {
        rust_name: &method.sig.ident,
        js_name,
        class: Some((self_ty.clone(), class_name.to_owned())),
        kind,
        doc: doc_of(&method.attrs),
        receiver,
        params,
        output: &method.sig.output,
        runs_when_memory_full: options.runs_when_memory_full,
    })
}

// ---- #[derive(Shape)] ---------------------------------------------------------------------------

#[derive(Default)]
struct ShapeOptions {
    js_name: Option<String>,
    keep_names: bool,
    from_js: bool,
    constructor: bool,
}

fn shape_options(attrs: &[Attribute]) -> syn::Result<ShapeOptions> {
    let mut options = ShapeOptions::default();
    for attr in attrs.iter().filter(|a| a.path().is_ident("shape")) {
        attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("keep_names") {
                options.keep_names = true;
            } else if meta.path.is_ident("from_js") {
                options.from_js = true;
            } else if meta.path.is_ident("constructor") {
                options.constructor = true;
            } else if meta.path.is_ident("js_name") {
                options.js_name = Some(meta.value()?.parse::<syn::LitStr>()?.value());
            } else {
                return Err(meta.error("expected keep_names, from_js, constructor or js_name"));
            }
            Ok(())
        })?;
    }
    Ok(options)
}

/// A field's JS name: `#[shape(name = "x")]`, else camelCase (or as written with `keep_names`).
fn field_name(field: &syn::Field, keep: bool) -> syn::Result<String> {
    let ident = field.ident.as_ref().ok_or_else(|| Error::new(field.span(), "named fields only"))?;
    let mut name = if keep { ident.to_string().trim_start_matches("r#").to_owned() } else { camel(&ident.to_string()) };
    for attr in field.attrs.iter().filter(|a| a.path().is_ident("shape")) {
        attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("name") {
                name = meta.value()?.parse::<syn::LitStr>()?.value();
                Ok(())
            } else {
                Err(meta.error("expected name = \"...\""))
            }
        })?;
    }
    Ok(name)
}

/// `#[derive(Shape)]`: plain data that crosses as a JS object. Always out of Rust (`IntoJs`) and
/// as an array element; with `#[shape(from_js)]` into Rust as well (`FromJs`, each field checked
/// and named in errors by its path); with `#[shape(constructor)]` the glue also defines a JS class
/// of that name whose constructor takes the fields in order (for JS code that builds the data
/// with `new`). Fields are camelCase in JS unless `#[shape(keep_names)]`.
fn shape_impl(item: syn::DeriveInput) -> syn::Result<TokenStream2> {
    let root = krate();
    let syn::Data::Struct(data) = &item.data else {
        return Err(Error::new(item.span(), "Shape is for structs with named fields"));
    };
    let syn::Fields::Named(fields) = &data.fields else {
        return Err(Error::new(item.span(), "Shape is for structs with named fields"));
    };
    if !item.generics.params.is_empty() {
        return Err(Error::new(item.generics.span(), "a Shape cannot be generic"));
    }
    let options = shape_options(&item.attrs)?;
    if options.constructor && !options.from_js {
        return Err(Error::new(item.span(), "#[shape(constructor)] builds data for Rust to read: add from_js"));
    }
    let ident = &item.ident;
    let name = options.js_name.clone().unwrap_or_else(|| ident.to_string());
    let mut sets = Vec::new();
    let mut reads = Vec::new();
    let mut record = vec![lit(format!(
        "{{\"t\":\"shape\",\"name\":{},\"doc\":{},\"ctor\":{},\"fields\":[",
        json_string(&name),
        json_string(&doc_of(&item.attrs)),
        options.constructor,
    ))];
    for (i, field) in fields.named.iter().enumerate() {
        let Some(field_ident) = &field.ident else { continue };
        let key = field_name(field, options.keep_names)?;
        let sep = if i == 0 { "" } else { "," };
        record.push(lit(format!(
            "{sep}{{\"name\":{},\"doc\":{},\"ty\":",
            json_string(&key),
            json_string(&doc_of(&field.attrs))
        )));
        let get = quote!(#root::__private::get_field(&value, #key));
        match option_inner(&field.ty) {
            Some(inner) => {
                sets.push(quote! {
                    let value = match self.#field_ident {
                        Some(v) => <#inner as #root::IntoJs>::into_value(v)?,
                        None => #root::__private::wasm_bindgen::JsValue::NULL,
                    };
                    #root::__private::set_field(&object, #key, &value);
                });
                reads.push(quote! {
                    #field_ident: {
                        let field = #get;
                        if field.is_undefined() || field.is_null() {
                            None
                        } else {
                            Some(<#inner as #root::FromJs>::from_value(field, &arg.field(#key))?)
                        }
                    }
                });
                record.push(lit("{\"k\":\"opt\",\"of\":"));
                record.push(quote!(<#inner as #root::IntoJs>::KIND));
                record.push(lit("}}"));
            }
            None => {
                let ty = &field.ty;
                sets.push(quote!(#root::__private::set_field(&object, #key, &<#ty as #root::IntoJs>::into_value(self.#field_ident)?);));
                reads.push(quote!(#field_ident: <#ty as #root::FromJs>::from_value(#get, &arg.field(#key))?));
                record.push(quote!(<#ty as #root::IntoJs>::KIND));
                record.push(lit("}"));
            }
        }
    }
    record.push(lit("]}"));
    let kind = format!("{{\"k\":\"shape\",\"name\":{}}}", json_string(&name));
    let array_kind = format!("{{\"k\":\"array\",\"of\":{kind}}}");
    let record = metadata(record);
    let from_js = options.from_js.then(|| {
        quote! {
            impl #root::FromJs for #ident {
                type Abi = #root::__private::wasm_bindgen::JsValue;
                const KIND: &'static str = #kind;
                fn from_js(abi: Self::Abi, arg: &#root::ArgPath<'_>) -> ::core::result::Result<Self, #root::CallError> {
                    Self::from_value(abi, arg)
                }
                fn from_value(
                    value: #root::__private::wasm_bindgen::JsValue,
                    arg: &#root::ArgPath<'_>,
                ) -> ::core::result::Result<Self, #root::CallError> {
                    #root::__private::expect_object(&value, arg)?;
                    Ok(Self { #(#reads,)* })
                }
            }
        }
    });
    Ok(quote! {
        impl #root::Element for #ident {
            const ARRAY_KIND: &'static str = #array_kind;
        }

        impl #root::IntoJs for #ident {
            type Abi = #root::__private::wasm_bindgen::JsValue;
            type Ret = ::core::result::Result<Self::Abi, #root::__private::wasm_bindgen::JsValue>;
            const KIND: &'static str = #kind;
            fn into_js(self) -> ::core::result::Result<Self::Abi, #root::CallError> {
                let object = #root::__private::js_sys::Object::new();
                #(#sets)*
                Ok(object.into())
            }
            fn ret(result: ::core::result::Result<Self::Abi, #root::CallError>) -> Self::Ret {
                #root::__private::result_return(result)
            }
            fn into_value(self) -> ::core::result::Result<#root::__private::wasm_bindgen::JsValue, #root::CallError> {
                self.into_js()
            }
        }
        #from_js
        #record
    })
}
