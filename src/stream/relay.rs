//! A stream whose network side runs on a runtime worker while another thread takes its events
//! (the poller's streams): how it owns its start, and the budget of event text it may queue for
//! that thread. The queue holds at most [`IN_FLIGHT_BYTES`] of event text, so a slow reader holds
//! the stream back instead of growing memory. (A blocking streaming call needs neither: it runs
//! on the caller's thread and calls the callback as each event is decoded.)

use crate::stream::Start;
use tokio::sync::Semaphore;

/// Event text queued for the reader at most (an event larger than this travels alone).
pub const IN_FLIGHT_BYTES: usize = 1 << 20;

/// How a stream starts, owning its arguments (the worker's task outlives no borrow).
pub type OwnedStart = Start<String>;

/// Takes an event of `len` bytes out of `budget`, waiting while it is spent; returns the cost to
/// give back when the event is taken, or `None` once the budget is closed (the reader is gone).
/// An event larger than the whole budget costs the whole budget and travels alone.
pub(crate) async fn reserve(budget: &Semaphore, len: usize) -> Option<u32> {
    let cost = len.clamp(1, IN_FLIGHT_BYTES) as u32;
    budget.acquire_many(cost).await.ok()?.forget();
    Some(cost)
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures_util::FutureExt;

    #[test]
    fn the_budget_is_spent_and_refused_once_closed() {
        let budget = Semaphore::new(10);
        assert_eq!(reserve(&budget, 6).now_or_never(), Some(Some(6)));
        // 6 of 10 bytes are in flight: 5 more must wait for the reader.
        assert_eq!(reserve(&budget, 5).now_or_never(), None);
        budget.add_permits(6);
        assert_eq!(reserve(&budget, 5).now_or_never(), Some(Some(5)));
        // The reader stopped: the budget is closed and every later event is refused.
        budget.close();
        assert_eq!(reserve(&budget, 1).now_or_never(), Some(None));
    }

    #[test]
    fn an_event_larger_than_the_budget_costs_the_whole_budget() {
        let budget = Semaphore::new(IN_FLIGHT_BYTES);
        let cost = reserve(&budget, IN_FLIGHT_BYTES + 1).now_or_never();
        assert_eq!(cost, Some(Some(IN_FLIGHT_BYTES as u32)));
    }
}
