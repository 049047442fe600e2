//! One hostile response, built in memory, and what reading its body must give.

use std::collections::VecDeque;
use std::io::ErrorKind;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use http_body::{Frame, SizeHint};
use reqwest::StatusCode;
use reqwest::header::HeaderMap;

use periskope_wapikit::DEFAULT_MAX_RESPONSE_SIZE;

/// One hostile response, and the client state it meets.
#[derive(Debug)]
pub struct Case {
    pub operation: usize,
    pub status: StatusCode,
    pub headers: HeaderMap,
    /// The body, as the chunks it arrives in.
    pub chunks: Vec<Vec<u8>>,
    /// The connection breaks before chunk number `breaks_at` (`chunks.len()`: after the last).
    pub breaks_at: Option<usize>,
    /// Whether it breaks by timing out rather than by a reset.
    pub breaks_by_timeout: bool,
    /// The size the body announces (a `Content-Length`), true or not.
    pub hint: Hint,
    /// The client's size limit; `None` leaves out the runtime's context, as for a response
    /// that did not come through `exec`, and the decoders use the default limit.
    pub limit: Option<usize>,
    pub attempt: u32,
    pub elapsed: Duration,
    pub retry_non_idempotent: bool,
}

#[derive(Clone, Copy, Debug)]
pub enum Hint {
    Exact(u64),
    Unknown,
    Range(u64, u64),
}

impl Hint {
    pub fn size_hint(self) -> SizeHint {
        match self {
            Hint::Exact(length) => SizeHint::with_exact(length),
            Hint::Unknown => SizeHint::new(),
            Hint::Range(lower, upper) => {
                let mut hint = SizeHint::new();
                hint.set_lower(lower);
                hint.set_upper(upper.max(lower));
                hint
            }
        }
    }
}

impl Case {
    pub fn response(&self) -> reqwest::Response {
        let body = HostileBody {
            chunks: self.chunks.iter().map(|chunk| Bytes::copy_from_slice(chunk)).collect(),
            sent: 0,
            breaks_at: self.breaks_at,
            breaks_by_timeout: self.breaks_by_timeout,
            hint: self.hint,
        };
        let mut response = http::Response::new(reqwest::Body::wrap(body));
        *response.status_mut() = self.status;
        *response.headers_mut() = self.headers.clone();
        reqwest::Response::from(response)
    }

    pub fn limit(&self) -> usize {
        self.limit.unwrap_or(DEFAULT_MAX_RESPONSE_SIZE)
    }

    /// What reading the body up to the limit must give.
    pub fn expected_read(&self) -> Read {
        let limit = self.limit();
        let mut bytes = Vec::new();
        for index in 0..=self.chunks.len() {
            if self.breaks_at == Some(index) {
                return Read::Broken;
            }
            let Some(chunk) = self.chunks.get(index) else { break };
            let room = limit - bytes.len();
            if chunk.len() > room {
                bytes.extend_from_slice(&chunk[..room]);
                return Read::Cut(bytes);
            }
            bytes.extend_from_slice(chunk);
        }
        Read::Whole(bytes)
    }
}

pub enum Read {
    Whole(Vec<u8>),
    Cut(Vec<u8>),
    Broken,
}

/// A response body that arrives in the given chunks, may break off, and may announce a size
/// it does not have.
struct HostileBody {
    chunks: VecDeque<Bytes>,
    sent: usize,
    breaks_at: Option<usize>,
    breaks_by_timeout: bool,
    hint: Hint,
}

impl http_body::Body for HostileBody {
    type Data = Bytes;
    type Error = std::io::Error;

    fn poll_frame(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        let this = self.get_mut();
        if this.breaks_at == Some(this.sent) {
            this.breaks_at = None;
            this.chunks.clear();
            let kind = if this.breaks_by_timeout { ErrorKind::TimedOut } else { ErrorKind::ConnectionReset };
            return Poll::Ready(Some(Err(std::io::Error::new(kind, "the connection broke"))));
        }
        this.sent += 1;
        Poll::Ready(this.chunks.pop_front().map(|chunk| Ok(Frame::data(chunk))))
    }

    fn size_hint(&self) -> SizeHint {
        self.hint.size_hint()
    }
}
