//! The operation a future runs for, so that its records name it.

use std::future::Future;

tokio::task_local! {
    static OPERATION: &'static str;
}

/// Runs `future` as operation `name`: records made inside it carry the name.
pub(crate) async fn in_operation<F: Future>(name: &'static str, future: F) -> F::Output {
    OPERATION.scope(name, future).await
}

/// The operation of the running future, if one was named.
pub(crate) fn operation() -> Option<&'static str> {
    OPERATION.try_with(|name| *name).ok()
}
