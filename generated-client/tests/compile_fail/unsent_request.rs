// An operation builder is `#[must_use]`: a request built and never sent is flagged (here
// denied), instead of doing nothing silently.
#![deny(unused_must_use)]
use periskope_wapikit::periskope::{Client, types};

fn invite(client: &Client) {
    client.invite_members(types::InviteMembersBody::builder(["new.member@example.com"]));
}

fn main() {}
