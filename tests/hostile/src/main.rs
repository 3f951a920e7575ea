//! `gumloop-hostile SCENARIO -- CMD [ARGS...]`: serves one named scenario of the hostile server
//! on 127.0.0.1, runs CMD with `GUMLOOP_HOSTILE_URL` set to the server's URL, and exits with
//! CMD's status. A CMD killed by a signal is reported by name and gives 128 + the signal's
//! number, so a test that dies by SIGPIPE fails visibly.

use std::os::unix::process::ExitStatusExt;
use std::process::{Command, ExitCode};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(name), Some(dashes)) = (args.first(), args.get(1)) else {
        eprintln!("usage: gumloop-hostile SCENARIO -- CMD [ARGS...]");
        return ExitCode::from(2);
    };
    let Some(handler) = gumloop_hostile::scenario(name) else {
        eprintln!("gumloop-hostile: unknown scenario {name:?}");
        return ExitCode::from(2);
    };
    if dashes != "--" || args.len() < 3 {
        eprintln!("usage: gumloop-hostile SCENARIO -- CMD [ARGS...]");
        return ExitCode::from(2);
    }
    let server = gumloop_hostile::HostileServer::start(handler);
    let status = Command::new(&args[2])
        .args(&args[3..])
        .env("GUMLOOP_HOSTILE_URL", server.url())
        .status();
    drop(server);
    match status {
        Ok(status) => match (status.code(), status.signal()) {
            (Some(code), _) => ExitCode::from(u8::try_from(code).unwrap_or(1)),
            (None, Some(signal)) => {
                eprintln!("gumloop-hostile: {} was killed by signal {signal}", args[2]);
                ExitCode::from(u8::try_from(128 + signal).unwrap_or(255))
            }
            (None, None) => ExitCode::from(1),
        },
        Err(e) => {
            eprintln!("gumloop-hostile: cannot run {}: {e}", args[2]);
            ExitCode::from(127)
        }
    }
}
