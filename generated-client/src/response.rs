//! Reading responses: the decoders the generated operations call (size-limited, keeping the
//! status and the text of any body they cannot decode). The headers every response carries
//! (rate limits, trace ids) are read in [`crate::headers`].

use progenitor_client::ResponseValue;
use serde::de::DeserializeOwned;

use crate::error::{ApiError, DecodeError, DecodeReason, Error, transport};

/// The largest response body a client reads by default: 10 MiB.
pub const DEFAULT_MAX_RESPONSE_SIZE: usize = 10 * 1024 * 1024;

/// What the client's `exec` hook attaches to every response it returns, for the decoders.
#[derive(Clone, Copy, Debug)]
pub(crate) struct ResponseContext {
    /// The operation, e.g. `invite_members`.
    pub operation: &'static str,
    /// The largest body to read, in bytes.
    pub max_body: usize,
}

fn context(response: &reqwest::Response) -> (Option<&'static str>, usize) {
    match response.extensions().get::<ResponseContext>() {
        Some(context) => (Some(context.operation), context.max_body),
        None => (None, DEFAULT_MAX_RESPONSE_SIZE),
    }
}

/// A body read up to a limit.
///
/// A body that arrives in one chunk (the usual case for small JSON bodies) is kept as that
/// chunk, without a copy; `C` is the chunk type `reqwest` hands out.
struct Body<C> {
    first: Option<C>,
    /// Every chunk, once there is more than one.
    joined: Vec<u8>,
    /// Whether the body went on past the limit (and only its start was kept).
    truncated: bool,
}

impl<C: AsRef<[u8]>> Body<C> {
    fn bytes(&self) -> &[u8] {
        match &self.first {
            Some(chunk) => chunk.as_ref(),
            None => &self.joined,
        }
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(self.bytes()).into_owned()
    }
}

/// Reads at most `limit` bytes of the body, chunk by chunk, so a huge body is never held whole.
async fn read_limited(
    response: &mut reqwest::Response,
    limit: usize,
) -> Result<Body<impl AsRef<[u8]> + use<>>, reqwest::Error> {
    let mut body = Body { first: None, joined: Vec::new(), truncated: false };
    let mut length = 0;
    while let Some(chunk) = response.chunk().await? {
        let room = limit - length;
        let end = chunk.len().min(room);
        body.truncated = chunk.len() > room;
        match body.first.take() {
            None if length == 0 && !body.truncated => body.first = Some(chunk),
            first => {
                if let Some(first) = first {
                    body.joined.extend_from_slice(&first);
                }
                body.joined.extend_from_slice(&chunk[..end]);
            }
        }
        length += end;
        if body.truncated {
            break;
        }
    }
    Ok(body)
}

/// Decodes a success response's JSON body as `T` (called by the generated operations).
pub(crate) async fn decode<T: DeserializeOwned, E>(
    mut response: reqwest::Response,
) -> Result<ResponseValue<T>, Error<E>> {
    let (operation, limit) = context(&response);
    let status = response.status();
    let headers = std::mem::take(response.headers_mut());
    let decode_error = |text: String, reason: DecodeReason| {
        Error::Decode(DecodeError { operation, status, headers: headers.clone(), text, reason })
    };
    if response.content_length().is_some_and(|length| length > limit as u64) {
        return Err(decode_error(String::new(), DecodeReason::TooLarge { limit }));
    }
    // reqwest's errors from reading a body carry no URL; the message names it as for a
    // failure before the headers.
    let url = response.url().clone();
    let body = read_limited(&mut response, limit)
        .await
        .map_err(|err| transport(operation, if err.url().is_some() { err } else { err.with_url(url) }))?;
    if body.truncated {
        return Err(decode_error(body.text(), DecodeReason::TooLarge { limit }));
    }
    // An empty body (a `204` documented with a JSON media type) reads as `null`: a `Value`, an
    // `Option` or `()` takes it; any other type keeps the error for the empty body.
    let decoded = match serde_json::from_slice(body.bytes()) {
        Err(err) if body.bytes().trim_ascii().is_empty() => serde_json::from_slice(b"null").map_err(|_| err),
        decoded => decoded,
    };
    match decoded {
        Ok(inner) => Ok(ResponseValue::new(inner, status, headers)),
        Err(err) => Err(decode_error(body.text(), DecodeReason::Json(err))),
    }
}

/// Upgrades a `101 Switching Protocols` response to the connection it opens (a websocket
/// operation); any other status is an error (called by the generated operations).
#[allow(dead_code, reason = "called by the generated code of vendors with websocket operations")]
pub(crate) async fn upgrade<E>(response: reqwest::Response) -> Result<ResponseValue<reqwest::Upgraded>, Error<E>> {
    let status = response.status();
    if status != reqwest::StatusCode::SWITCHING_PROTOCOLS {
        return Err(undeclared_error(response).await);
    }
    let headers = response.headers().clone();
    let operation = context(&response).0;
    let upgraded = response.upgrade().await.map_err(|err| transport(operation, err))?;
    Ok(ResponseValue::new(upgraded, status, headers))
}

/// Turns an error response whose status the operation documents with a JSON body into an
/// error, decoding the body as `E` when it fits (called by the generated operations).
pub(crate) async fn declared_error<E: DeserializeOwned>(response: reqwest::Response) -> Error<E> {
    api_error(response, |text| serde_json::from_str(text).ok()).await
}

/// Turns a response the operation documents without a JSON body, or does not document at all,
/// into an error (called by the generated operations).
pub(crate) async fn undeclared_error<E>(response: reqwest::Response) -> Error<E> {
    api_error(response, |_| None).await
}

async fn api_error<E>(mut response: reqwest::Response, decode: impl FnOnce(&str) -> Option<E>) -> Error<E> {
    let (operation, limit) = context(&response);
    let status = response.status();
    let headers = std::mem::take(response.headers_mut());
    // The status is the error: a body that breaks off while being read leaves no text, but the
    // caller still learns the status rather than a transport failure.
    let text = read_limited(&mut response, limit).await.map(|body| body.text()).unwrap_or_default();
    let body = decode(&text);
    Error::Api(ApiError { operation, status, headers, body, text })
}
