//! Cancellation: a token one thread triggers to end another thread's blocking call.

use crate::error::{Error, ErrorKind, Result};
use futures_util::future::{select, Either};
use std::future::Future;
use std::pin::pin;
use std::sync::atomic::{AtomicBool, Ordering};
use tokio::sync::Notify;

/// A cancellation flag shared between the thread that waits and the thread that cancels.
///
/// Once triggered it stays triggered: every call given it ends with `Cancelled` as soon as it can
/// (at once when it is already triggered).
#[derive(Debug, Default)]
pub struct CancelToken {
    cancelled: AtomicBool,
    notify: Notify,
}

impl CancelToken {
    /// A token that is not triggered.
    pub fn new() -> CancelToken {
        CancelToken::default()
    }

    /// Triggers the token, waking every call waiting on it.
    pub fn cancel(&self) {
        self.cancelled.store(true, Ordering::SeqCst);
        self.notify.notify_waiters();
    }

    /// Whether the token was triggered.
    pub fn is_cancelled(&self) -> bool {
        self.cancelled.load(Ordering::SeqCst)
    }

    /// Completes when the token is triggered.
    pub async fn cancelled(&self) {
        loop {
            let notified = self.notify.notified();
            let mut notified = pin!(notified);
            // Register before checking, so a trigger between the check and the wait is not lost.
            notified.as_mut().enable();
            if self.is_cancelled() {
                return;
            }
            notified.await;
        }
    }
}

/// The error of a cancelled call.
pub fn cancelled_error() -> Error {
    Error::new(ErrorKind::Cancelled, "the call was cancelled")
}

/// Runs `future` unless `cancel` is triggered first.
pub async fn with_cancel<F: Future>(cancel: Option<&CancelToken>, future: F) -> Result<F::Output> {
    let Some(token) = cancel else {
        return Ok(future.await);
    };
    if token.is_cancelled() {
        return Err(cancelled_error());
    }
    match select(pin!(future), pin!(token.cancelled())).await {
        Either::Left((output, _)) => Ok(output),
        Either::Right(((), _)) => Err(cancelled_error()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::block_on;
    use std::sync::Arc;
    use std::time::Duration;

    #[test]
    fn a_triggered_token_ends_a_pending_call() {
        let token = Arc::new(CancelToken::new());
        let trigger = Arc::clone(&token);
        let waker = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(50));
            trigger.cancel();
        });
        let outcome = block_on(with_cancel(Some(&token), std::future::pending::<()>())).unwrap();
        waker.join().unwrap();
        assert_eq!(outcome.unwrap_err().kind, ErrorKind::Cancelled);
        // Already triggered: refused at once.
        let again = block_on(with_cancel(Some(&token), async { 1 })).unwrap();
        assert_eq!(again.unwrap_err().kind, ErrorKind::Cancelled);
    }

    #[test]
    fn without_a_token_the_call_runs() {
        assert_eq!(
            block_on(with_cancel(None, async { 7 })).unwrap().unwrap(),
            7
        );
    }
}
