//! Walking a paginated list operation page after page, as one stream of its items ([`Items`]).
//! The walk is the same for every list; each vendor's list operations get their `items()` in a
//! module here, a few lines that fetch one page and say where its items and page number are.

mod wapikit;

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, ready};
use std::time::Duration;

use futures::Stream;
use futures::future::BoxFuture;
use tokio::time::Instant;

use crate::error::{Error, PaginationError, PaginationErrorKind};

/// The most pages `items()` fetches: a server whose `total` keeps growing, or that answers
/// every page full, cannot keep a walk going forever.
pub const DEFAULT_MAX_PAGES: usize = 1000;

/// How long a walk may take by default, from its first request to its last item
/// ([`Items::timeout`]).
pub const DEFAULT_WALK_TIMEOUT: Duration = Duration::from_secs(300);

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

/// Fetches page `n` of the list.
type Fetch<'a, T, E> = Box<dyn FnMut(i64) -> BoxFuture<'a, Result<Page<T>, Error<E>>> + Send + 'a>;

/// A page being fetched, raced with the walk's deadline: `None` when the deadline came first.
type InFlight<'a, T, E> = BoxFuture<'a, Option<Result<Page<T>, Error<E>>>>;

/// Every item of a paginated list, fetched page after page from page 1: the stream a list
/// operation's `items()` returns (`T` is the item type, `E` the operation's error body).
///
/// It is `Unpin` and `Send`: call `.next().await` on it directly (`futures::StreamExt`), keep it
/// in a struct or move it to another task. It fetches a page only when its items are wanted,
/// and ends:
///
/// - after the list's last page (an empty or short page, or one that reaches the `total` the
///   server reports);
/// - with the first error as its last item: a failed request (the operation's usual errors),
///   or an [`Error::Pagination`] when the server answers another page than the one asked for
///   (it does not honour `page`, and going on would repeat items), when the walk passes its
///   deadline ([`timeout`](Self::timeout), [`DEFAULT_WALK_TIMEOUT`] unless set;
///   [`Error::is_timeout`] is true), or when `items()` fetched [`DEFAULT_MAX_PAGES`] pages and
///   the list goes on: the items you got are not all of them;
/// - after the bound of pages you chose with `items_within(n)`, without an error:
///   [`truncated`](Self::truncated) then says whether the list went on.
///
/// ```no_run
/// # async fn example(client: periskope_wapikit::wapikit::Client) -> Result<(), periskope_wapikit::wapikit::Error> {
/// use std::time::Duration;
/// use futures::StreamExt;
///
/// let mut invites = client.get_organization_invites(1, 50).items().timeout(Duration::from_secs(60));
/// while let Some(invite) = invites.next().await {
///     println!("{}", invite?.email);
/// }
/// # Ok(()) }
/// ```
#[must_use = "a stream does nothing until it is polled"]
pub struct Items<'a, T, E> {
    operation: &'static str,
    fetch: Fetch<'a, T, E>,
    in_flight: Option<InFlight<'a, T, E>>,
    /// The items of the last page fetched that were not yielded yet.
    buffer: std::vec::IntoIter<T>,
    next_page: i64,
    fetched: usize,
    max_pages: usize,
    /// Whether reaching `max_pages` with pages left is an error (`items()`) or the caller's
    /// choice (`items_within`).
    bound_is_error: bool,
    timeout: Duration,
    /// When the first page was asked for.
    started: Option<Instant>,
    ended: bool,
    truncated: bool,
}

// Nothing in `Items` is pinned in place: the page in flight is boxed, the items are moved out.
impl<T, E> Unpin for Items<'_, T, E> {}

impl<'a, T: 'a, E: 'a> Items<'a, T, E> {
    /// The walk of list operation `operation`, whose page `n` `fetch(n)` fetches.
    pub(crate) fn new<F, Fut>(operation: &'static str, mut fetch: F) -> Self
    where
        F: FnMut(i64) -> Fut + Send + 'a,
        Fut: Future<Output = Result<Page<T>, Error<E>>> + Send + 'a,
    {
        Items {
            operation,
            fetch: Box::new(move |page| Box::pin(fetch(page))),
            in_flight: None,
            buffer: Vec::new().into_iter(),
            next_page: 1,
            fetched: 0,
            max_pages: DEFAULT_MAX_PAGES,
            bound_is_error: true,
            timeout: DEFAULT_WALK_TIMEOUT,
            started: None,
            ended: false,
            truncated: false,
        }
    }

    /// Fetches at most `max_pages` pages, and ends without an error after them.
    pub(crate) fn within(mut self, max_pages: usize) -> Self {
        self.max_pages = max_pages;
        self.bound_is_error = false;
        self
    }

    /// The deadline of the whole walk (default [`DEFAULT_WALK_TIMEOUT`]), counted from its first
    /// request: every page, its retries and waits, and the time your code takes between items.
    /// Past it the page in flight is abandoned and the stream ends with an [`Error::Pagination`]
    /// whose [`is_timeout`](Error::is_timeout) is true. Each page is also a call, bounded by the
    /// client's own `timeout`.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Whether the walk stopped at its bound of pages while the list went on (after
    /// `items_within(n)`, or the error that ends `items()` at [`DEFAULT_MAX_PAGES`]); read it
    /// once the stream has ended.
    pub fn truncated(&self) -> bool {
        self.truncated
    }

    fn error(&self, kind: PaginationErrorKind) -> Error<E> {
        Error::Pagination(PaginationError::new(self.operation, kind))
    }

    /// Starts fetching the next page, within what is left of the walk's deadline. Outside a
    /// Tokio runtime there is no timer: the request itself returns the error that says so.
    fn start_next_page(&mut self) -> InFlight<'a, T, E> {
        self.fetched += 1;
        let fetch = (self.fetch)(self.next_page);
        if tokio::runtime::Handle::try_current().is_err() {
            return Box::pin(async move { Some(fetch.await) });
        }
        let started = *self.started.get_or_insert_with(Instant::now);
        match started.checked_add(self.timeout) {
            // Past the deadline, the request is not even sent.
            Some(deadline) if deadline <= Instant::now() => Box::pin(async { None }),
            Some(deadline) => Box::pin(async move { tokio::time::timeout_at(deadline, fetch).await.ok() }),
            None => Box::pin(async move { Some(fetch.await) }),
        }
    }
}

impl<'a, T: 'a, E: 'a> Stream for Items<'a, T, E> {
    type Item = Result<T, Error<E>>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let walk = &mut *self;
        loop {
            if let Some(item) = walk.buffer.next() {
                return Poll::Ready(Some(Ok(item)));
            }
            if walk.ended {
                return Poll::Ready(None);
            }
            if walk.in_flight.is_none() {
                if walk.fetched >= walk.max_pages {
                    // The last page fetched was not the list's last.
                    (walk.ended, walk.truncated) = (true, true);
                    let limit = walk.error(PaginationErrorKind::PageLimit { pages: walk.fetched });
                    return Poll::Ready(walk.bound_is_error.then_some(Err(limit)));
                }
                let next = walk.start_next_page();
                walk.in_flight = Some(next);
            }
            let Some(in_flight) = walk.in_flight.as_mut() else { continue };
            let outcome = ready!(in_flight.as_mut().poll(cx));
            walk.in_flight = None;
            let requested = walk.next_page;
            let page = match outcome {
                Some(Ok(page)) if page.page == requested => page,
                Some(Ok(page)) => {
                    walk.ended = true;
                    let kind = PaginationErrorKind::PageMismatch { requested, answered: page.page };
                    return Poll::Ready(Some(Err(walk.error(kind))));
                }
                Some(Err(err)) => {
                    walk.ended = true;
                    return Poll::Ready(Some(Err(err)));
                }
                None => {
                    walk.ended = true;
                    let kind = PaginationErrorKind::Deadline { timeout: walk.timeout };
                    return Poll::Ready(Some(Err(walk.error(kind))));
                }
            };
            walk.ended = page.is_last();
            walk.next_page = requested.saturating_add(1);
            walk.buffer = page.items.into_iter();
        }
    }
}

impl<T, E> fmt::Debug for Items<'_, T, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Items")
            .field("operation", &self.operation)
            .field("next_page", &self.next_page)
            .field("fetched", &self.fetched)
            .field("max_pages", &self.max_pages)
            .field("timeout", &self.timeout)
            .field("ended", &self.ended)
            .field("truncated", &self.truncated)
            .finish_non_exhaustive()
    }
}
