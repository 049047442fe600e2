//! The Wapikit API (`https://api.wapikit.com/api`).
//!
//! Requests carry the API key in the `x-access-token` header.
//!
//! ```no_run
//! # async fn example() -> Result<(), Box<dyn std::error::Error>> {
//! use periskope_wapikit::wapikit::{Client, types};
//!
//! let client = Client::new("my-api-key")?;
//! let invite = client
//!     .create_organization_invite(types::CreateNewOrganizationInviteSchema::builder(
//!         types::UserPermissionLevelEnum::Member,
//!         "new.member@example.com",
//!     ))
//!     .send()
//!     .await?;
//! println!("{:?}", invite.into_inner());
//! # Ok(()) }
//! ```

#[allow(unused_imports, unused_mut, unreachable_pub, clippy::all, clippy::pedantic)]
#[rustfmt::skip]
mod generated;

pub use generated::*;

crate::vendor::api_client! {
    name: "Wapikit",
    api_key_env: "WAPIKIT_API_KEY",
    base_url_env: "WAPIKIT_BASE_URL",
    auth: crate::Auth::Header("x-access-token"),
}
