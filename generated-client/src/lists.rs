//! What the setters of string-list fields take: any list of string-likes.
//!
//! A setter of a plain list (`emails`) takes any `IntoIterator` of `Into<String>` items. A
//! setter of a three-state list (`labels`, a [`Nullable`]) must also take `Nullable::Null`, so
//! it takes a [`NullableStringList`]: a [`StringList`] (`["Sales"]`, `vec!["Sales"]`, a
//! `Vec<String>` or a reference to one, a slice, `names.iter()`), an `Option` of one (`None` leaves the field out, as everywhere in
//! this crate), or a `Nullable<Vec<String>>`.
//!
//! ```
//! use periskope_wapikit::Nullable;
//! use periskope_wapikit::periskope::types::UpdateMemberAccessBody;
//!
//! let labels = |body: UpdateMemberAccessBody| serde_json::to_value(body).unwrap()["labels"].clone();
//! let builder = || UpdateMemberAccessBody::builder(["test@example.com"]);
//! let names: Vec<String> = vec!["Sales".into()];
//! for body in [
//!     builder().labels(["Sales"]),
//!     builder().labels(vec!["Sales"]),
//!     builder().labels(&names[..]),
//!     builder().labels(&names),
//!     builder().labels(names.iter()),
//!     builder().labels(names.clone()),
//!     builder().labels(Some(["Sales"])),
//!     builder().labels(Nullable::Value(names.clone())),
//! ] {
//!     assert_eq!(labels(body.try_into().unwrap()), serde_json::json!(["Sales"]));
//! }
//! assert!(labels(builder().labels(Nullable::Null).try_into().unwrap()).is_null());
//! ```

use crate::Nullable;

/// A list of string-likes: an array, a `Vec` or a slice of anything that converts into a
/// `String`, a reference to one, or an iterator over a slice or a `Vec` (`names.iter()`).
pub trait StringList {
    /// The list as owned strings.
    fn into_strings(self) -> Vec<String>;
}

impl<S: Into<String>, const N: usize> StringList for [S; N] {
    fn into_strings(self) -> Vec<String> {
        self.into_iter().map(Into::into).collect()
    }
}

impl<S: Into<String>> StringList for Vec<S> {
    fn into_strings(self) -> Vec<String> {
        self.into_iter().map(Into::into).collect()
    }
}

impl<S: Clone + Into<String>> StringList for &[S] {
    fn into_strings(self) -> Vec<String> {
        self.iter().cloned().map(Into::into).collect()
    }
}

impl<S: Clone + Into<String>> StringList for &Vec<S> {
    fn into_strings(self) -> Vec<String> {
        self.as_slice().into_strings()
    }
}

impl<S: Clone + Into<String>, const N: usize> StringList for &[S; N] {
    fn into_strings(self) -> Vec<String> {
        self.as_slice().into_strings()
    }
}

impl<S: Clone + Into<String>> StringList for std::slice::Iter<'_, S> {
    fn into_strings(self) -> Vec<String> {
        self.cloned().map(Into::into).collect()
    }
}

impl<S: Into<String>> StringList for std::vec::IntoIter<S> {
    fn into_strings(self) -> Vec<String> {
        self.map(Into::into).collect()
    }
}

/// What a setter of a three-state list of strings takes: a [`StringList`] (sent as the list),
/// an `Option` of one (`None` leaves the field out, never `null`), or a `Nullable<Vec<String>>`
/// (`Nullable::Null` sends `null`).
pub trait NullableStringList {
    /// The value as the field holds it.
    fn into_nullable_strings(self) -> Nullable<Vec<String>>;
}

impl<L: StringList> NullableStringList for L {
    fn into_nullable_strings(self) -> Nullable<Vec<String>> {
        Nullable::Value(self.into_strings())
    }
}

impl<L: StringList> NullableStringList for Option<L> {
    fn into_nullable_strings(self) -> Nullable<Vec<String>> {
        self.map(StringList::into_strings).into()
    }
}

impl NullableStringList for Nullable<Vec<String>> {
    fn into_nullable_strings(self) -> Nullable<Vec<String>> {
        self
    }
}
