//! What the setter of an optional string enum takes: the enum, its text, or an `Option` of it.
//!
//! A required enum argument takes anything that converts into the enum, its text included; an
//! optional field's setter takes the same, plus `None` to leave the field out.
//!
//! ```
//! use periskope_wapikit::periskope::types::{InviteMembersBody, MemberRole};
//!
//! let role = |body: InviteMembersBody| serde_json::to_value(body).unwrap()["role"].clone();
//! let builder = || InviteMembersBody::builder(["new.member@example.com"]);
//! for body in [
//!     builder().role("admin"),
//!     builder().role(String::from("admin")),
//!     builder().role(MemberRole::Admin),
//!     builder().role(Some(MemberRole::Admin)),
//! ] {
//!     assert_eq!(role(body.try_into().unwrap()), "admin");
//! }
//! assert!(role(builder().role(None).try_into().unwrap()).is_null());
//! let wrong: Result<InviteMembersBody, _> = builder().role("owner").try_into();
//! assert!(wrong.unwrap_err().to_string().contains("expected one of \"admin\", \"member\""));
//! ```

/// A value for an optional field of type `T`: `Option<T>` (`None` leaves the field out), and,
/// for each string enum, the enum and its text (implemented with the enum).
pub trait OptionalInput<T> {
    /// The field's value, or why the text is not one of the enum's values.
    fn into_optional(self) -> Result<Option<T>, String>;
}

impl<T> OptionalInput<T> for Option<T> {
    fn into_optional(self) -> Result<Option<T>, String> {
        Ok(self)
    }
}
