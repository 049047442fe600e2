// `emails` is a required field of the invite body: its builder does not compile without it.
use periskope_wapikit::periskope::types;

fn main() {
    let _ = types::InviteMembersBody::builder().role(types::MemberRole::Admin);
}
