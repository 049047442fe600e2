//! A table of the generated operations' response handling, for the client crate's tests.
//!
//! The response fuzzing in the client crate (`tests/fuzz_responses/`) drives every
//! operation's response handling and must know, per operation, which statuses decode as the
//! success type, which as the documented error type, and what those types are. Reading that
//! from the generated source text is brittle, and a list kept by hand goes stale, so this pass
//! writes it down from the syntax tree, after `responses` has routed decoding through the
//! client crate, into `tests/generated/<vendor>_operations.rs`. The client itself carries no
//! table.
//!
//! Before (an operation builder's `send()`, abridged):
//!
//! ```ignore
//! ///Sends a `POST` request to `/members/invite`
//! pub async fn send(self) -> Result<ResponseValue<types::InviteMembersResponse>, Error<types::ValidationError>> {
//!     let info = OperationInfo { operation_id: "invite_members" };
//!     match response.status().as_u16() {
//!         200u16 => crate::response::decode(response).await,
//!         422u16 => Err(crate::response::declared_error(response).await),
//!         _ => Err(crate::response::undeclared_error(response).await),
//!     }
//! }
//! ```
//!
//! After, in the test file (`Operation::new` is the fuzzing's own):
//!
//! ```ignore
//! pub fn operations() -> Vec<crate::operations::Operation> {
//!     Vec::from([crate::operations::Operation::new::<
//!         periskope_wapikit::periskope::types::InviteMembersResponse,
//!         periskope_wapikit::periskope::types::ValidationError,
//!     >("invite_members", "POST", "/members/invite", &[200u16], &[422u16])])
//! }
//! ```

use quote::quote;
use syn::visit_mut::VisitMut;

use super::examples::Absolute;
use super::index::{Index, OperationItem};
use super::syntax::{Paths, module_items, type_name};
use crate::client_paths::{DECLARED_ERROR, DECODE, OPERATION_ROW, parse as parse_path};

/// One operation's row.
struct Row {
    id: String,
    method: String,
    path: String,
    success: Vec<u16>,
    declared: Vec<u16>,
    success_type: syn::Type,
    error_type: syn::Type,
}

/// The vendor's operation table (`vendor` names its module in the client crate), as a test
/// file.
pub(crate) fn apply(file: &mut syn::File, vendor: &str, index: &Index) -> syn::File {
    let mut rows = Vec::new();
    if let Some(builders) = module_items(&mut file.items, "builder") {
        for item in builders.iter() {
            let syn::Item::Impl(imp) = item else { continue };
            let Some(operation) = type_name(&imp.self_ty).and_then(|builder| index.by_builder(&builder)) else {
                continue;
            };
            for member in &imp.items {
                if let syn::ImplItem::Fn(send) = member
                    && send.sig.ident == "send"
                    && let Some(row) = row(send, operation)
                {
                    rows.push(row);
                }
            }
        }
    }
    rows.sort_by(|a, b| a.id.cmp(&b.id));
    let new: syn::Path = parse_path(OPERATION_ROW);
    let row = parse_path(OPERATION_ROW.trim_end_matches("::new"));
    let entries = rows.iter_mut().map(|row| {
        Absolute(vendor).visit_type_mut(&mut row.success_type);
        Absolute(vendor).visit_type_mut(&mut row.error_type);
        let Row { id, method, path, success, declared, success_type, error_type } = row;
        quote! {
            #new::<#success_type, #error_type>(#id, #method, #path, &[#(#success),*], &[#(#declared),*])
        }
    });
    let doc = format!(
        " The {vendor} operations' response handling, read from the generated `send()`s: which statuses \
         decode as the success type, which as the documented error type (any other status is an undeclared \
         error), and the two types."
    );
    syn::parse_quote! {
        #![doc = #doc]
        /// Every operation, by id.
        pub fn operations() -> Vec<#row> {
            Vec::from([#(#entries),*])
        }
    }
}

fn row(send: &syn::ImplItemFn, operation: &OperationItem) -> Option<Row> {
    let (method, path) = (operation.method, operation.path.clone());
    let syn::ReturnType::Type(_, returned) = &send.sig.output else { return None };
    // `Result<ResponseValue<T>, Error<E>>`.
    let [success_type, error_type] = generic_args(returned)?.try_into().ok()?;
    let mut visitor = Dispatch::default();
    // The crate enables syn's mutable visitor only; the walk changes nothing.
    visitor.visit_block_mut(&mut send.block.clone());
    // A success body the client hands over as a byte stream (`ResponseValue::stream`) is not
    // decoded, so the fuzzing's JSON cases have nothing to check there: no row.
    if visitor.success.is_empty() {
        return None;
    }
    Some(Row {
        id: visitor.id?,
        method: method.to_uppercase(),
        path,
        success: visitor.success,
        declared: visitor.declared,
        success_type: first_arg(&success_type)?,
        error_type: first_arg(&error_type)?,
    })
}

/// The type arguments of a path type's last segment.
fn generic_args(ty: &syn::Type) -> Option<Vec<syn::Type>> {
    let syn::Type::Path(path) = ty else { return None };
    let syn::PathArguments::AngleBracketed(args) = &path.path.segments.last()?.arguments else { return None };
    Some(
        args.args
            .iter()
            .filter_map(|arg| match arg {
                syn::GenericArgument::Type(ty) => Some(ty.clone()),
                _ => None,
            })
            .collect(),
    )
}

/// The first type argument of `ty`.
fn first_arg(ty: &syn::Type) -> Option<syn::Type> {
    generic_args(ty)?.into_iter().next()
}

/// What a `send()` body says: its operation id and which statuses go where.
#[derive(Default)]
struct Dispatch {
    id: Option<String>,
    success: Vec<u16>,
    declared: Vec<u16>,
}

impl VisitMut for Dispatch {
    fn visit_field_value_mut(&mut self, field: &mut syn::FieldValue) {
        if let syn::Member::Named(name) = &field.member
            && name == "operation_id"
            && let syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(id), .. }) = &field.expr
        {
            self.id = Some(id.value());
        }
        syn::visit_mut::visit_field_value_mut(self, field);
    }

    fn visit_arm_mut(&mut self, arm: &mut syn::Arm) {
        if let syn::Pat::Lit(syn::PatLit { lit: syn::Lit::Int(status), .. }) = &arm.pat
            && let Ok(status) = status.base10_parse::<u16>()
        {
            let body = Paths::of(|paths| syn::visit::Visit::visit_expr(paths, &arm.body));
            if body.contains(DECODE) {
                self.success.push(status);
            } else if body.contains(DECLARED_ERROR) {
                self.declared.push(status);
            }
        }
        syn::visit_mut::visit_arm_mut(self, arm);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_each_operations_statuses_and_types() {
        let mut file: syn::File = syn::parse_str(
            r#"
            pub mod builder {
                impl<'a> InviteMembers<'a> {
                    ///Sends a `POST` request to `/members/invite`
                    pub async fn send(self) -> Result<ResponseValue<::std::vec::Vec<types::Member>>, Error<types::ValidationError>> {
                        let info = OperationInfo { operation_id: "invite_members" };
                        match response.status().as_u16() {
                            200u16 => crate::response::decode(response).await,
                            422u16 => Err(crate::response::declared_error(response).await),
                            404u16 => Err(crate::response::undeclared_error(response).await),
                            _ => Err(crate::response::undeclared_error(response).await),
                        }
                    }
                }
            }
            "#,
        )
        .expect("test source parses");
        let out = prettyplease::unparse(&apply(
            &mut file,
            "periskope",
            &Index::of(&[("invite_members", "post", "/members/invite")]),
        ))
        .replace(char::is_whitespace, "");
        let expected = "crate::operations::Operation::new::<::std::vec::Vec<periskope_wapikit::periskope::types::Member>,\
                        periskope_wapikit::periskope::types::ValidationError,>(\"invite_members\",\"POST\",\
                        \"/members/invite\",&[200u16],&[422u16])";
        assert!(out.contains(expected), "missing {expected:?} in:\n{out}");
    }

    #[test]
    fn a_streamed_success_body_has_no_row() {
        let mut file: syn::File = syn::parse_str(
            r#"
            pub mod builder {
                impl<'a> GetEvents<'a> {
                    ///Sends a `GET` request to `/events`
                    pub async fn send(self) -> Result<ResponseValue<ByteStream>, Error<types::ErrorBody>> {
                        let info = OperationInfo { operation_id: "get_events" };
                        match response.status().as_u16() {
                            200u16 => Ok(ResponseValue::stream(response)),
                            429u16 => Err(crate::response::declared_error(response).await),
                            _ => Err(crate::response::undeclared_error(response).await),
                        }
                    }
                }
            }
            "#,
        )
        .expect("test source parses");
        let out = prettyplease::unparse(&apply(&mut file, "wapikit", &Index::of(&[("get_events", "get", "/events")])));
        assert!(!out.contains("get_events"), "{out}");
    }
}
