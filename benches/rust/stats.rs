//! Shared by the Rust benches: the p50 and mean of a run's timings.

use std::time::Duration;

/// The p50 and the mean of `samples`, in µs.
pub fn p50_mean_us(mut samples: Vec<Duration>) -> (f64, f64) {
    let total: Duration = samples.iter().sum();
    samples.sort_unstable();
    let micros = |d: Duration| d.as_secs_f64() * 1e6;
    let n = samples.len().max(1);
    (micros(samples[samples.len() / 2]), micros(total) / n as f64)
}
