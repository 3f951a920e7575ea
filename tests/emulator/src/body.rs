//! The response body type shared by every handler, and the channel body used for
//! streams and deliberately broken responses.

use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use http_body::{Body, Frame};
use http_body_util::{combinators::BoxBody, BodyExt, Full};
use tokio::sync::mpsc;

/// Error type of response bodies; a body error makes hyper drop the connection.
pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// Every response the emulator sends has this body type.
pub type RespBody = BoxBody<Bytes, BoxError>;

/// A complete, in-memory body.
pub fn full(bytes: impl Into<Bytes>) -> RespBody {
    Full::new(bytes.into())
        .map_err(|never| match never {})
        .boxed()
}

/// An empty body.
pub fn empty() -> RespBody {
    full(Bytes::new())
}

/// A body fed from a channel: `Ok` chunks are sent as they arrive, an `Err` aborts the
/// connection, and dropping the sender ends the body cleanly.
pub struct ChannelBody {
    rx: mpsc::Receiver<Result<Bytes, BoxError>>,
}

impl ChannelBody {
    /// A new channel body and the sender that feeds it.
    pub fn channel(capacity: usize) -> (mpsc::Sender<Result<Bytes, BoxError>>, RespBody) {
        let (tx, rx) = mpsc::channel(capacity);
        (tx, ChannelBody { rx }.boxed())
    }
}

impl Body for ChannelBody {
    type Data = Bytes;
    type Error = BoxError;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, BoxError>>> {
        match self.rx.poll_recv(cx) {
            Poll::Ready(Some(Ok(chunk))) => Poll::Ready(Some(Ok(Frame::data(chunk)))),
            Poll::Ready(Some(Err(e))) => Poll::Ready(Some(Err(e))),
            Poll::Ready(None) => Poll::Ready(None),
            Poll::Pending => Poll::Pending,
        }
    }
}

/// The error a deliberately broken body ends with.
#[derive(Debug)]
pub struct Aborted(pub &'static str);

impl std::fmt::Display for Aborted {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "emulator fault: {}", self.0)
    }
}

impl std::error::Error for Aborted {}
