//! Walking a paginated list operation page after page, as one stream of its items; each
//! vendor's list operations get their `items()` in a module here.

mod wapikit;

use std::future::Future;

use futures::Stream;

/// The most pages a walk fetches unless told otherwise: a server whose `total` keeps growing,
/// or that answers every page full, cannot keep a walk going forever.
pub const DEFAULT_MAX_PAGES: usize = 1000;

/// One page of a list: its items, and the pagination state the server reported with it.
pub(crate) struct Page<T> {
    pub items: Vec<T>,
    /// The page number the server says this is (counting from 1).
    pub page: i64,
    /// The page size the server used.
    pub per_page: i64,
    /// How many items the whole list has.
    pub total: i64,
}

impl<T> Page<T> {
    /// Whether no page follows this one: it is empty, short, or reaches the list's total.
    fn is_last(&self) -> bool {
        let count = i64::try_from(self.items.len()).unwrap_or(i64::MAX);
        count == 0 || count < self.per_page || self.page.saturating_mul(self.per_page) >= self.total
    }
}

/// The items of pages 1, 2, … as `fetch(page)` returns them, in order.
///
/// The walk stops after the last page (see [`Page::is_last`]), after `max_pages` pages, or at
/// the first error, which is the stream's last item: an error is never skipped over.
pub(crate) fn walk<T, E, Fut>(max_pages: usize, fetch: impl FnMut(i64) -> Fut) -> impl Stream<Item = Result<T, E>>
where
    Fut: Future<Output = Result<Page<T>, E>>,
{
    struct State<T, F> {
        fetch: F,
        next_page: i64,
        pages_left: usize,
        buffer: std::vec::IntoIter<T>,
        done: bool,
    }
    let state = State { fetch, next_page: 1, pages_left: max_pages, buffer: Vec::new().into_iter(), done: false };
    futures::stream::unfold(state, |mut state| async move {
        loop {
            if let Some(item) = state.buffer.next() {
                return Some((Ok(item), state));
            }
            if state.done || state.pages_left == 0 {
                return None;
            }
            state.pages_left -= 1;
            match (state.fetch)(state.next_page).await {
                Err(err) => {
                    state.done = true;
                    return Some((Err(err), state));
                }
                Ok(page) => {
                    state.done = page.is_last();
                    state.next_page = state.next_page.saturating_add(1);
                    state.buffer = page.items.into_iter();
                }
            }
        }
    })
}
