//! Wapikit's list operations (`page`, `per_page`, and `paginationMeta` in the answer) as streams
//! of items.

use futures::Stream;

use super::{DEFAULT_MAX_PAGES, Page, walk};
use crate::wapikit::{builder, types};

/// What the invite list's `send()` returns on failure: named in full, since the module's default
/// error body follows the operations a spec declares.
type Error = crate::Error<types::ErrorResponse>;

impl<'a> builder::GetOrganizationInvites<'a> {
    /// Every invite, page after page from page 1 (`per_page` and `sort_by` as set on this
    /// request; the `page` it was made with is ignored), as one stream.
    ///
    /// The stream ends after the last page (an empty or short page, or one that reaches the
    /// `total` the server reports), after [`DEFAULT_MAX_PAGES`](crate::DEFAULT_MAX_PAGES)
    /// pages, or with the first error as its last item.
    ///
    /// ```no_run
    /// # async fn example(client: periskope_wapikit::wapikit::Client) -> Result<(), periskope_wapikit::wapikit::Error> {
    /// use futures::StreamExt;
    ///
    /// let mut invites = std::pin::pin!(client.get_organization_invites(1, 50).items());
    /// while let Some(invite) = invites.next().await {
    ///     println!("{}", invite?.email);
    /// }
    /// # Ok(()) }
    /// ```
    pub fn items(self) -> impl Stream<Item = Result<types::OrganizationMemberInviteSchema, Error>> + 'a {
        self.items_within(DEFAULT_MAX_PAGES)
    }

    /// As [`items`](Self::items), fetching at most `max_pages` pages.
    pub fn items_within(
        self,
        max_pages: usize,
    ) -> impl Stream<Item = Result<types::OrganizationMemberInviteSchema, Error>> + 'a {
        walk(max_pages, move |page| {
            let request = self.clone().page(page);
            async move {
                let list = request.send().await?.into_inner();
                let meta = list.pagination_meta;
                Ok(Page { items: list.invites, page: meta.page, per_page: meta.per_page, total: meta.total })
            }
        })
    }
}
