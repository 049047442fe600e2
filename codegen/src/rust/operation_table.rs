//! A table of the generated operations' response handling, for the client crate's tests.
//!
//! The response fuzzing in the client crate drives every operation's response handling and
//! must know, per operation, which statuses decode as the success type, which as the
//! documented error type, and what those types are. Reading that from the generated source
//! text is brittle, so this pass writes it down from the syntax tree, after `responses` has
//! routed decoding through the client crate: one `#[doc(hidden)]` constant per vendor module.
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
//! After (added at the end of the file):
//!
//! ```ignore
//! #[doc(hidden)]
//! pub mod operations {
//!     pub struct Operation { pub id: &'static str, pub method: &'static str, .. }
//!     pub const ALL: &[Operation] = &[Operation {
//!         id: "invite_members", method: "POST", path: "/members/invite",
//!         success: &[200], declared: &[422],
//!         success_type: "types::InviteMembersResponse", error_type: "types::ValidationError",
//!     }];
//! }
//! ```

use quote::quote;
use syn::visit_mut::VisitMut;

use super::syntax::{doc_string, module_items, sends};
use crate::client_paths::{DECLARED_ERROR, DECODE};

/// One operation's row.
struct Row {
    id: String,
    method: String,
    path: String,
    success: Vec<u16>,
    declared: Vec<u16>,
    success_type: String,
    error_type: String,
}

/// Appends the `operations` module to `file`.
pub(crate) fn apply(file: &mut syn::File) {
    let mut rows = Vec::new();
    if let Some(builders) = module_items(&mut file.items, "builder") {
        for item in builders.iter() {
            let syn::Item::Impl(imp) = item else { continue };
            for member in &imp.items {
                if let syn::ImplItem::Fn(send) = member
                    && send.sig.ident == "send"
                    && let Some(row) = row(send)
                {
                    rows.push(row);
                }
            }
        }
    }
    rows.sort_by(|a, b| a.id.cmp(&b.id));
    let entries = rows.iter().map(|row| {
        let Row { id, method, path, success, declared, success_type, error_type } = row;
        quote! {
            Operation {
                id: #id,
                method: #method,
                path: #path,
                success: &[#(#success),*],
                declared: &[#(#declared),*],
                success_type: #success_type,
                error_type: #error_type,
            }
        }
    });
    file.items.push(syn::parse_quote! {
        /// Every operation's response handling, for the client crate's response tests: which
        /// statuses decode as the success type, which as the documented error type (any other
        /// status is an undeclared error), and the two types as this module names them.
        #[doc(hidden)]
        pub mod operations {
            /// One operation's response handling.
            #[derive(Debug, Clone, Copy)]
            pub struct Operation {
                /// The operation id its requests carry.
                pub id: &'static str,
                /// The HTTP method.
                pub method: &'static str,
                /// The path template.
                pub path: &'static str,
                /// The statuses whose body decodes as the success type.
                pub success: &'static [u16],
                /// The statuses whose body decodes as the documented error type.
                pub declared: &'static [u16],
                /// The success type, as written in this module.
                pub success_type: &'static str,
                /// The documented error type, as written in this module.
                pub error_type: &'static str,
            }
            /// Every operation, by id.
            pub const ALL: &[Operation] = &[#(#entries),*];
        }
    });
}

fn row(send: &syn::ImplItemFn) -> Option<Row> {
    let (method, path) = sends(&doc_string(&send.attrs)?)?;
    let syn::ReturnType::Type(_, returned) = &send.sig.output else { return None };
    // `Result<ResponseValue<T>, Error<E>>`.
    let [success_type, error_type] = generic_args(returned)?.try_into().ok()?;
    let mut visitor = Dispatch::default();
    // The crate enables syn's mutable visitor only; the walk changes nothing.
    visitor.visit_block_mut(&mut send.block.clone());
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

/// The first type argument of `ty`, written without spaces.
fn first_arg(ty: &syn::Type) -> Option<String> {
    let inner = generic_args(ty)?.into_iter().next()?;
    Some(quote!(#inner).to_string().replace(' ', ""))
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
            let body = &arm.body;
            let body = quote!(#body).to_string().replace(' ', "");
            if body.contains(&format!("{DECODE}(")) {
                self.success.push(status);
            } else if body.contains(&format!("{DECLARED_ERROR}(")) {
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
        apply(&mut file);
        let out = prettyplease::unparse(&file);
        for expected in [
            "id: \"invite_members\",",
            "method: \"POST\",",
            "path: \"/members/invite\",",
            "success: &[200u16],",
            "declared: &[422u16],",
            "success_type: \"::std::vec::Vec<types::Member>\",",
            "error_type: \"types::ValidationError\",",
        ] {
            assert!(out.contains(expected), "missing {expected:?} in:\n{out}");
        }
    }
}
