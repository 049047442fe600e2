//! Wapikit's list operations (`page`, `per_page`, and `paginationMeta` in the answer) as streams
//! of items.

use super::{Items, Page};
use crate::wapikit::{builder, types};

impl<'a> builder::GetOrganizationInvites<'a> {
    /// Every invite, page after page from page 1 (`per_page` and `sort_by` as set on this
    /// request; the `page` it was made with is ignored), as one stream: see [`Items`](crate::Items)
    /// for when it ends and the errors it ends with.
    ///
    /// ```no_run
    /// # async fn example(client: periskope_wapikit::wapikit::Client) -> Result<(), periskope_wapikit::wapikit::Error> {
    /// use futures::StreamExt;
    ///
    /// let mut invites = client.get_organization_invites(1, 50).items();
    /// while let Some(invite) = invites.next().await {
    ///     println!("{}", invite?.email);
    /// }
    /// # Ok(()) }
    /// ```
    pub fn items(self) -> Items<'a, types::OrganizationMemberInviteSchema, types::ErrorResponse> {
        Items::new("get_organization_invites", move |page| {
            let request = self.clone().page(page);
            async move {
                let list = request.send().await?.into_inner();
                let meta = list.pagination_meta;
                Ok(Page { items: list.invites, page: meta.page, per_page: meta.per_page, total: meta.total })
            }
        })
    }

    /// As [`items`](Self::items), fetching at most `max_pages` pages; stopping there is not an
    /// error ([`Items::truncated`](crate::Items::truncated) says whether invites were left).
    pub fn items_within(
        self,
        max_pages: usize,
    ) -> Items<'a, types::OrganizationMemberInviteSchema, types::ErrorResponse> {
        self.items().within(max_pages)
    }
}
