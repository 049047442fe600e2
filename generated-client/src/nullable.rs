//! [`Nullable`]: a field that can be left out, sent as `null`, or given a value.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A request or response field where `null` and leaving the field out mean different things.
///
/// Periskope's update-access request is the example: `labels: null` clears a member's label
/// access, a list sets it, and leaving `labels` out keeps it as it is.
///
/// | value | JSON |
/// | --- | --- |
/// | `Nullable::Absent` (the default) | the field is left out |
/// | `Nullable::Null` | `"field": null` |
/// | `Nullable::Value(v)` | `"field": v` |
///
/// Builder setters accept a plain value (`["Sales"]`), an `Option`, or a
/// `Nullable`. An `Option` never sends `null`: `Some(v)` sends `v` and `None` leaves the field
/// out, as `None` does everywhere else in Rust (an unconfigured `Option` must not clear
/// anything). `null` is sent only when asked for by name, with [`Nullable::Null`] or
/// [`Nullable::null()`]:
///
/// ```
/// use periskope_wapikit::Nullable;
/// use periskope_wapikit::periskope::types::UpdateMemberAccessBody;
///
/// let body: UpdateMemberAccessBody = UpdateMemberAccessBody::builder(["test@example.com"])
///     .labels(Nullable::Null)
///     .try_into()
///     .unwrap();
/// assert_eq!(serde_json::to_string(&body).unwrap(), r#"{"emails":["test@example.com"],"labels":null}"#);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Nullable<T> {
    /// Leave the field out.
    #[default]
    Absent,
    /// Send `null`.
    Null,
    /// Send this value.
    Value(T),
}

impl<T> Nullable<T> {
    /// `null`, spelled as a call: the one way besides [`Nullable::Null`] to send `null`.
    pub const fn null() -> Self {
        Nullable::Null
    }

    /// Whether the field is left out; used by serde to skip it.
    pub fn is_absent(&self) -> bool {
        matches!(self, Nullable::Absent)
    }

    /// Whether the field is `null`.
    pub fn is_null(&self) -> bool {
        matches!(self, Nullable::Null)
    }

    /// The value, if there is one.
    pub fn value(&self) -> Option<&T> {
        match self {
            Nullable::Value(value) => Some(value),
            Nullable::Absent | Nullable::Null => None,
        }
    }

    /// The value, if there is one, by value.
    pub fn into_value(self) -> Option<T> {
        match self {
            Nullable::Value(value) => Some(value),
            Nullable::Absent | Nullable::Null => None,
        }
    }
}

impl<T> From<T> for Nullable<T> {
    fn from(value: T) -> Self {
        Nullable::Value(value)
    }
}

/// `Some(v)` sends `v`; `None` leaves the field out, never `null` (send `null` with
/// [`Nullable::Null`] or [`Nullable::null()`]).
///
/// ```
/// use periskope_wapikit::Nullable;
///
/// let not_configured: Option<Vec<String>> = None;
/// let labels: Nullable<Vec<String>> = not_configured.into();
/// assert_eq!(labels, Nullable::Absent);
/// let limit: Nullable<u32> = Some(1).into();
/// assert_eq!(limit, Nullable::Value(1));
/// ```
impl<T> From<Option<T>> for Nullable<T> {
    fn from(value: Option<T>) -> Self {
        match value {
            Some(value) => Nullable::Value(value),
            None => Nullable::Absent,
        }
    }
}

impl<T: Serialize> Serialize for Nullable<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Nullable::Value(value) => value.serialize(serializer),
            // `Absent` is skipped by `skip_serializing_if`; on its own it can only be `null`.
            Nullable::Null | Nullable::Absent => serializer.serialize_none(),
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Nullable<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(Option::<T>::deserialize(deserializer)?.map_or(Nullable::Null, Nullable::Value))
    }
}
