//! Wapikit's list operations (`page`, `per_page`, and `paginationMeta` in the answer) as streams
//! of items: every one of them has `items()` and `items_within(n)`.

use super::{Items, Page};
use crate::wapikit::{Client, builder, types};

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

/// `items()` and `items_within(n)` for a list operation's builder: `$field` of the answer holds
/// the items, `paginationMeta` the page state (when the answer may leave it out, a page
/// without it is the last).
macro_rules! paged {
    ($builder:ident, $operation:literal, $field:ident: $item:ty, $what:literal) => {
        paged!(@impl $builder, $operation, $field: $item, $what, |meta| meta);
    };
    ($builder:ident, $operation:literal, $field:ident: $item:ty, $what:literal, meta optional) => {
        paged!(@impl $builder, $operation, $field: $item, $what, |meta| meta.unwrap_or(types::PaginationMeta {
            page: 0,
            per_page: i64::MAX,
            total: 0,
        }));
    };
    (@impl $builder:ident, $operation:literal, $field:ident: $item:ty, $what:literal, |$meta:ident| $read:expr) => {
        impl<'a> builder::$builder<'a> {
            #[doc = concat!(
                "Every ", $what, ", page after page from page 1 (the other inputs as set on this request; the \
                 `page` it was made with is ignored), as one stream: see [`Items`](crate::Items) for when it \
                 ends and the errors it ends with."
            )]
            pub fn items(self) -> Items<'a, $item, types::ErrorResponse> {
                Items::new($operation, move |page| {
                    let request = self.clone().page(page);
                    async move {
                        let list = request.send().await?.into_inner();
                        let $meta = list.pagination_meta;
                        let meta = $read;
                        // An answer without its page state is the last page, of the page asked for.
                        let page = if meta.page == 0 { page } else { meta.page };
                        Ok(Page { items: list.$field, page, per_page: meta.per_page, total: meta.total })
                    }
                })
            }

            /// As [`items`](Self::items), fetching at most `max_pages` pages; stopping there is
            /// not an error ([`Items::truncated`](crate::Items::truncated) says whether items were
            /// left).
            pub fn items_within(self, max_pages: usize) -> Items<'a, $item, types::ErrorResponse> {
                self.items().within(max_pages)
            }
        }
    };
}

paged!(GetUserNotifications, "get_user_notifications", notifications: types::NotificationSchema, "notification");
paged!(GetUserOrganizations, "get_user_organizations", organizations: types::OrganizationSchema, "organization");
paged!(GetOrganizationRoles, "get_organization_roles", roles: types::OrganizationRoleSchema, "role");
paged!(GetOrganizationTags, "get_organization_tags", tags: types::TagSchema, "tag");
paged!(GetOrganizationMembers, "get_organization_members", members: types::OrganizationMemberSchema, "member");
paged!(GetContacts, "get_contacts", contacts: types::ContactSchema, "contact");
paged!(GetContactLists, "get_contact_lists", lists: types::ContactListSchema, "contact list");
paged!(GetCampaigns, "get_campaigns", campaigns: types::CampaignSchema, "campaign");
paged!(GetConversations, "get_conversations", conversations: types::ConversationSchema, "conversation");
paged!(GetConversationMessages, "get_conversation_messages", messages: types::MessageSchema, "message of the conversation");
paged!(GetMessages, "get_messages", messages: types::MessageSchema, "message", meta optional);
paged!(GetIntegrations, "get_integrations", integrations: types::IntegrationSchema, "integration");
paged!(GetAiChats, "get_ai_chats", chats: types::AiChatSchema, "AI chat");
paged!(GetAiChatMessages, "get_ai_chat_messages", messages: types::AiChatMessageSchema, "message of the AI chat");
paged!(GetAiChatMessageVotes, "get_ai_chat_message_votes", votes: types::AiChatMessageVoteSchema, "vote");

/// `Client::<operation>_items(..)`: the walk of a list whose `page` is a required argument of
/// its method, without that argument (the walk sets each page itself).
macro_rules! walk {
    ($operation:ident, $walk:ident, $item:ty, ($($arg:ident: $ty:ty),*)) => {
        impl Client {
            #[doc = concat!(
                "Every item of [`", stringify!($operation), "`](Self::", stringify!($operation), "), page after \
                 page from page 1: its `items()`, without the `page` argument it sets itself. Set the \
                 operation's optional inputs with `", stringify!($operation), "(..)` and `items()` instead."
            )]
            pub fn $walk(&self, $($arg: $ty,)* per_page: i64) -> Items<'_, $item, types::ErrorResponse> {
                self.$operation($($arg,)* 1, per_page).items()
            }
        }
    };
}

walk!(get_user_notifications, get_user_notifications_items, types::NotificationSchema, ());
walk!(get_user_organizations, get_user_organizations_items, types::OrganizationSchema, ());
walk!(get_organization_roles, get_organization_roles_items, types::OrganizationRoleSchema, ());
walk!(get_organization_tags, get_organization_tags_items, types::TagSchema, ());
walk!(get_organization_invites, get_organization_invites_items, types::OrganizationMemberInviteSchema, ());
walk!(get_organization_members, get_organization_members_items, types::OrganizationMemberSchema, ());
walk!(get_contacts, get_contacts_items, types::ContactSchema, ());
walk!(get_contact_lists, get_contact_lists_items, types::ContactListSchema, ());
walk!(get_campaigns, get_campaigns_items, types::CampaignSchema, ());
walk!(get_conversations, get_conversations_items, types::ConversationSchema, ());
walk!(get_conversation_messages, get_conversation_messages_items, types::MessageSchema, (id: &str));
walk!(get_ai_chat_messages, get_ai_chat_messages_items, types::AiChatMessageSchema, (id: &str));
walk!(get_ai_chat_message_votes, get_ai_chat_message_votes_items, types::AiChatMessageVoteSchema, (id: &str));
