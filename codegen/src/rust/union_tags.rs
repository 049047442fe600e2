//! The tags of untagged unions: the enums `rust::open_enums` leaves closed.
//!
//! Typify makes a `oneOf` of objects an untagged enum, which serde decodes as the first member
//! that accepts the value. Members told apart by a property of their own enum type (a
//! discriminator, `messageType: {enum: [Video]}` in one, `{enum: [Image]}` in the next) are
//! only told apart while those enums are closed: opened, the first member of the same shape
//! accepts every other member's value (`Image` as `VideoMessageMessageType::Unknown("Image")`,
//! a document's `fileName` dropped). Such a property is a tag: a value upstream adds to it is
//! a new member, not a new value of an old one.
//!
//! A tag here: a field with the same JSON name in every struct member of a union, required,
//! each of an enum type of its own (a type shared by two members tells nothing apart).

use std::collections::{HashMap, HashSet};

use super::syntax::{SerdeAttrs, type_name};

/// The names of the enums that tag the members of an untagged union of `items` (the
/// `types` module).
pub(crate) fn tags(items: &[syn::Item]) -> HashSet<String> {
    let structs: HashMap<String, &syn::ItemStruct> = items
        .iter()
        .filter_map(|item| match item {
            syn::Item::Struct(def) => Some((def.ident.to_string(), def)),
            _ => None,
        })
        .collect();
    let enums: HashSet<String> = items
        .iter()
        .filter_map(|item| match item {
            syn::Item::Enum(def) => Some(def.ident.to_string()),
            _ => None,
        })
        .collect();
    let mut out = HashSet::new();
    for item in items {
        let syn::Item::Enum(union) = item else { continue };
        if !SerdeAttrs::of(&union.attrs).untagged {
            continue;
        }
        // Each member's required fields of an enum type: JSON name → enum.
        let members: Vec<HashMap<String, String>> = union
            .variants
            .iter()
            .filter_map(|variant| match &variant.fields {
                syn::Fields::Unnamed(fields) if fields.unnamed.len() == 1 => {
                    structs.get(&type_name(&fields.unnamed[0].ty)?).map(|def| enum_fields(def, &enums))
                }
                _ => None,
            })
            .collect();
        if members.len() < 2 {
            continue;
        }
        for json in members[0].keys() {
            let types: Vec<&String> = members.iter().filter_map(|fields| fields.get(json)).collect();
            let distinct: HashSet<&&String> = types.iter().collect();
            if types.len() == members.len() && distinct.len() == types.len() {
                out.extend(types.into_iter().cloned());
            }
        }
    }
    out
}

/// The fields of `def` whose type is one of `enums` (a bare name, so required): JSON name → enum.
fn enum_fields(def: &syn::ItemStruct, enums: &HashSet<String>) -> HashMap<String, String> {
    let syn::Fields::Named(named) = &def.fields else { return HashMap::new() };
    named
        .named
        .iter()
        .filter_map(|field| {
            let syn::Type::Path(path) = &field.ty else { return None };
            let name = path.path.get_ident()?.to_string();
            if !enums.contains(&name) {
                return None;
            }
            let ident = field.ident.as_ref()?.to_string();
            let json =
                SerdeAttrs::of(&field.attrs).rename.unwrap_or_else(|| ident.trim_start_matches("r#").to_string());
            Some((json, name))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_property_of_its_own_enum_in_every_member_is_a_tag() {
        let file: syn::File = syn::parse_quote! {
            #[serde(untagged)]
            pub enum Message { Video(VideoMessage), Image(ImageMessage), Note(Note) }
            pub struct VideoMessage { #[serde(rename = "messageType")] pub message_type: VideoKind, pub kind: Shared }
            pub struct ImageMessage { #[serde(rename = "messageType")] pub message_type: ImageKind, pub kind: Shared }
            pub struct Note { #[serde(rename = "messageType")] pub message_type: NoteKind, pub kind: Shared }
            pub enum VideoKind { Video }
            pub enum ImageKind { Image }
            pub enum NoteKind { Note }
            pub enum Shared { A, B }
            // Not a union: its enum stays open.
            pub struct Plain { pub kind: Other }
            pub enum Other { C }
        };
        let mut tags: Vec<String> = tags(&file.items).into_iter().collect();
        tags.sort();
        assert_eq!(tags, ["ImageKind", "NoteKind", "VideoKind"]);
    }
}
