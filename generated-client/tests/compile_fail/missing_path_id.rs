// The member's id is a path parameter, an argument of the operation method: a call written as
// before (the id and the body set on the builder) does not compile, and the message names `id`.
use periskope_wapikit::wapikit::{Client, types};

async fn update(client: Client) {
    let body = types::UpdateOrganizationMemberSchema::builder().access_level(types::UserPermissionLevelEnum::Member);
    let _ = client.update_organization_member_by_id().id("m1").body(body).send().await;
}

fn main() {}
