//! The fixed cost of a blocking call, without any network: a blocking C call runs on the
//! calling thread, on a single-threaded runtime checked out for the call (`runtime::local`:
//! the checkout, SIGPIPE blocked, a turn of the I/O driver before and after the call). Measured
//! on an empty future, against the same future polled on the shared runtime from the calling
//! thread (`runtime::block_on`, no checkout).
//!
//! `cargo bench --bench handover` prints one JSON line: the p50 and mean of each, in µs.

#[path = "stats.rs"]
mod stats;

use gumloop::block_on;
use gumloop::internal::run_here;
use std::time::{Duration, Instant};

const WARMUP: usize = 2_000;
const CALLS: usize = 20_000;

/// The p50 and the mean of `CALLS` timings of `call`, in µs.
fn measure(mut call: impl FnMut()) -> (f64, f64) {
    for _ in 0..WARMUP {
        call();
    }
    let mut samples: Vec<Duration> = Vec::with_capacity(CALLS);
    for _ in 0..CALLS {
        let start = Instant::now();
        call();
        samples.push(start.elapsed());
    }
    stats::p50_mean_us(samples)
}

fn main() {
    let (run_p50, run_mean) = measure(|| run_here(async {}).expect("run_here"));
    let (local_p50, local_mean) = measure(|| block_on(async {}).expect("block_on"));
    println!(
        "{{\"calls\":{CALLS},\"run_here_p50_us\":{run_p50:.2},\"run_here_mean_us\":{run_mean:.2},\
         \"block_on_p50_us\":{local_p50:.2},\"block_on_mean_us\":{local_mean:.2}}}"
    );
}
