//! What the log queue costs a call: `get_agent` against an in-process emulator, with the queue
//! off and at `debug` (every attempt recorded, the queue drained every 100 calls), through the
//! blocking C function so that records name their operation.
//!
//! `cargo bench --bench log_overhead` prints one JSON line: the p50 and mean of each, in µs.

#[path = "stats.rs"]
mod stats;

use gumloop::ffi;
use std::ffi::{CStr, CString};
use std::ptr;
use std::time::{Duration, Instant};

const WARMUP: usize = 500;
const CALLS: usize = 5_000;

fn take_string(out: *mut std::ffi::c_char) -> usize {
    if out.is_null() {
        return 0;
    }
    // SAFETY: a string the library returned, freed once here.
    let len = unsafe { CStr::from_ptr(out) }.to_bytes().len();
    // SAFETY: as above.
    unsafe { ffi::gumloop_string_free(out) };
    len
}

fn set_level(level: &str) {
    let level = CString::new(level).unwrap();
    let mut out = ptr::null_mut();
    // SAFETY: a NUL-terminated string and a writable out-parameter.
    assert_eq!(
        unsafe { ffi::gumloop_log_set_level(level.as_ptr(), &mut out) },
        0
    );
    take_string(out);
}

fn drain() {
    let mut out = ptr::null_mut();
    // SAFETY: a writable out-parameter.
    assert_eq!(unsafe { ffi::gumloop_log_take(&mut out) }, 0);
    take_string(out);
}

/// The p50 and mean of `CALLS` calls of get_agent, in µs.
fn measure(client: *mut ffi::gumloop_client, draining: bool) -> (f64, f64) {
    let agent = CString::new("agent_pro").unwrap();
    let call = || {
        let mut out = ptr::null_mut();
        // SAFETY: a live client, a NUL-terminated string, a writable out-parameter.
        let code =
            unsafe { ffi::gumloop_client_get_agent(client, agent.as_ptr(), ptr::null(), &mut out) };
        take_string(out);
        assert_eq!(code, 0);
    };
    for _ in 0..WARMUP {
        call();
    }
    drain();
    let mut samples: Vec<Duration> = Vec::with_capacity(CALLS);
    for n in 0..CALLS {
        let start = Instant::now();
        call();
        if draining && n % 100 == 99 {
            drain();
        }
        samples.push(start.elapsed());
    }
    stats::p50_mean_us(samples)
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let emulator = runtime
        .block_on(gumloop_emulator::start(gumloop_emulator::Config::default()))
        .unwrap();
    let options = serde_json::json!({
        "access_token": "gk_personal_ada", "user_id": "user_ada", "base_url": emulator.api_url,
    });
    let options = CString::new(options.to_string()).unwrap();
    let mut client = ptr::null_mut();
    let mut out = ptr::null_mut();
    // SAFETY: NUL-terminated options and writable out-parameters.
    assert_eq!(
        unsafe { ffi::gumloop_client_new(options.as_ptr(), &mut client, &mut out) },
        0
    );
    set_level("off");
    let (off_p50, off_mean) = measure(client, false);
    set_level("debug");
    let (on_p50, on_mean) = measure(client, true);
    set_level("off");
    // SAFETY: the client made above, freed once.
    unsafe { ffi::gumloop_client_free(client) };
    emulator.shutdown();
    println!(
        "{{\"calls\":{CALLS},\"off_p50_us\":{off_p50:.1},\"off_mean_us\":{off_mean:.1},\
         \"debug_p50_us\":{on_p50:.1},\"debug_mean_us\":{on_mean:.1}}}"
    );
}
