//! Why a walk over a list's pages stopped before its last page: [`PaginationError`].

use std::fmt;
use std::time::Duration;

/// A walk over a paginated list (`items()`) that stopped before the list's last page, for a
/// reason of its own rather than a failed request (those are the other [`Error`](crate::Error)
/// variants): see [`kind`](Self::kind).
#[derive(Debug)]
pub struct PaginationError {
    operation: &'static str,
    kind: PaginationErrorKind,
}

/// Why a walk stopped early ([`PaginationError::kind`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum PaginationErrorKind {
    /// The server answered another page than the one asked for: it does not honour the `page`
    /// parameter, and going on would repeat items. None of that answer's items were yielded.
    PageMismatch {
        /// The page asked for.
        requested: i64,
        /// The page the answer says it is.
        answered: i64,
    },
    /// `items()` fetched its bound of pages ([`DEFAULT_MAX_PAGES`](crate::DEFAULT_MAX_PAGES))
    /// and the list goes on: the items yielded are not all of them.
    PageLimit {
        /// How many pages were fetched.
        pages: usize,
    },
    /// The walk did not finish within its deadline (`Items::timeout`), counted from its first
    /// request; the page in flight was abandoned.
    Deadline {
        /// The deadline.
        timeout: Duration,
    },
}

impl PaginationError {
    // Only the walk makes them, and only Wapikit's lists are paginated so far.
    #[cfg_attr(not(feature = "wapikit"), allow(dead_code))]
    pub(crate) fn new(operation: &'static str, kind: PaginationErrorKind) -> Self {
        Self { operation, kind }
    }

    /// The list operation walked, e.g. `get_organization_invites`.
    pub fn operation(&self) -> &'static str {
        self.operation
    }

    /// Why the walk stopped.
    pub fn kind(&self) -> PaginationErrorKind {
        self.kind
    }
}

impl fmt::Display for PaginationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let operation = self.operation;
        match self.kind {
            PaginationErrorKind::PageMismatch { requested, answered } => write!(
                f,
                "{operation}: asked for page {requested}, the server answered page {answered}; \
                 the walk stops rather than repeat items"
            ),
            PaginationErrorKind::PageLimit { pages } => write!(
                f,
                "{operation}: the list has more than {pages} pages, the walk's bound; \
                 walk with `items_within` to set another"
            ),
            PaginationErrorKind::Deadline { timeout } => write!(
                f,
                "{operation}: the walk did not finish within {timeout:?}; give it longer with `Items::timeout`"
            ),
        }
    }
}

impl std::error::Error for PaginationError {}
