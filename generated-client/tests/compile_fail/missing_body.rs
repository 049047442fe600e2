// The request body is an argument of the operation method: the call does not compile without it.
use periskope_wapikit::periskope::Client;

async fn invite(client: Client) {
    let _ = client.invite_members().send().await;
}

fn main() {}
