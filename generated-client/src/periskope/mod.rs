//! The Periskope API (`https://api.periskope.app/v1`).
//!
//! Requests carry `Authorization: Bearer <api key>`; chat, message and phone endpoints also
//! need the `x-phone` header, set with [`ClientBuilder::phone`](crate::ClientBuilder::phone).
//!
//! ```no_run
//! # async fn example() -> Result<(), Box<dyn std::error::Error>> {
//! use periskope_wapikit::periskope::{Client, types};
//!
//! let client = Client::new("my-api-key")?;
//! let invited = client
//!     .invite_members(types::InviteMembersBody::builder(["test@example.com"]))
//!     .send()
//!     .await?;
//! println!("{:?}", invited.into_inner());
//! # Ok(()) }
//! ```

#[allow(unused_imports, unused_mut, unreachable_pub, clippy::all, clippy::pedantic)]
#[rustfmt::skip]
mod generated;

pub use generated::*;

use crate::ClientBuilder;

crate::vendor::api_client! {
    name: "Periskope",
    api_key_env: "PERISKOPE_API_KEY",
    base_url_env: "PERISKOPE_BASE_URL",
    auth: crate::Auth::Bearer,
    env_headers: [PHONE_ENV = "PERISKOPE_PHONE" => "x-phone"],
}

impl ClientBuilder<Client> {
    /// Sends `x-phone: <phone>` with every request: the connected phone number with country
    /// code, digits only (`919876512340`), or a phone id (`phone-xxxxxxxxxxxx`).
    pub fn phone(self, phone: impl Into<String>) -> Self {
        self.header("x-phone", phone)
    }
}
