//! Events a resumed stream must not deliver twice.
//!
//! A resume asks for the events after the last cursor delivered, but a server may replay from
//! an earlier point, even from the start. Each delivered cursor is remembered (as a 64-bit hash:
//! eight bytes an event), and after a resume:
//!
//! - events without a cursor are held until the first event with one shows what the server does;
//! - if that cursor was delivered already, the server is replaying: what was held is dropped,
//!   and so is every event up to and including the resume cursor (or up to the first cursor not
//!   delivered yet, which ends the replay and is delivered);
//! - if it is new, the server honoured the cursor: what was held is delivered, then the event;
//! - the final event is always delivered (with what was held before it), and so is what is held
//!   when the connection ends, or when more than [`MAX_HELD`] events are held.

use crate::stream::EventInfo;
use std::collections::HashSet;
use std::hash::{BuildHasherDefault, Hasher};

/// Events without a cursor held at most while a resume is undecided.
pub(crate) const MAX_HELD: usize = 256;

/// One event: its text for the caller, and what the library read from it.
pub(crate) type Event = (String, EventInfo);

#[derive(Debug)]
enum State {
    /// Every event is new.
    Live,
    /// Resumed after `cursor`; no event with a cursor seen yet.
    Undecided { cursor: u64, held: Vec<Event> },
    /// The server is replaying events delivered before, up to `cursor`.
    Replaying { cursor: u64 },
}

/// What a stream has delivered, across its connections.
#[derive(Debug)]
pub(crate) struct Replay {
    delivered: HashSet<u64, BuildHasherDefault<AlreadyHashed>>,
    state: State,
}

/// A cursor's 64-bit FNV-1a hash: cheap for the short cursors of every event. (Like the
/// standard hasher with its fixed keys, it is no defence against a server that forges
/// collisions; such a server can replay or withhold events anyway.)
fn hash(cursor: &str) -> u64 {
    cursor.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// The hasher of the set of delivered cursors, whose keys are hashes already.
#[derive(Default)]
struct AlreadyHashed(u64);

impl Hasher for AlreadyHashed {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.0 = (self.0 << 8) | u64::from(byte);
        }
    }

    fn write_u64(&mut self, value: u64) {
        self.0 = value;
    }
}

impl Replay {
    /// A stream that starts fresh, or, for a caller's resume, after `cursor`.
    pub fn new(resumed_after: Option<&str>) -> Replay {
        let mut replay = Replay {
            delivered: HashSet::default(),
            state: State::Live,
        };
        if let Some(cursor) = resumed_after {
            replay.delivered.insert(hash(cursor));
            replay.resumed(cursor);
        }
        replay
    }

    /// A new connection resumes after `cursor`.
    pub fn resumed(&mut self, cursor: &str) {
        self.state = State::Undecided {
            cursor: hash(cursor),
            held: Vec::new(),
        };
    }

    /// The connection ended: what was held is the caller's.
    pub fn connection_ended(&mut self) -> Vec<Event> {
        match std::mem::replace(&mut self.state, State::Live) {
            State::Undecided { held, .. } => held,
            _ => Vec::new(),
        }
    }

    /// Takes one event off the wire; returns the events to deliver now, in order.
    pub fn take(&mut self, event: Event) -> Vec<Event> {
        let cursor = event.1.cursor.as_deref().map(hash);
        let state = std::mem::replace(&mut self.state, State::Live);
        let (state, out) = match (state, cursor) {
            (State::Live, _) => (State::Live, vec![event]),
            (State::Undecided { cursor, mut held }, None) => {
                held.push(event);
                if held.last().is_some_and(|e| e.1.is_final) || held.len() > MAX_HELD {
                    (State::Live, held)
                } else {
                    (State::Undecided { cursor, held }, Vec::new())
                }
            }
            (
                State::Undecided {
                    cursor: resume,
                    mut held,
                },
                Some(c),
            ) => {
                if self.delivered.contains(&c) {
                    let state = if c == resume {
                        State::Live
                    } else {
                        State::Replaying { cursor: resume }
                    };
                    (state, Vec::new())
                } else {
                    held.push(event);
                    (State::Live, held)
                }
            }
            (State::Replaying { cursor }, None) if !event.1.is_final => {
                (State::Replaying { cursor }, Vec::new())
            }
            (State::Replaying { .. }, None) => (State::Live, vec![event]),
            (State::Replaying { cursor: resume }, Some(c)) => {
                if c == resume {
                    (State::Live, Vec::new())
                } else if self.delivered.contains(&c) {
                    (State::Replaying { cursor: resume }, Vec::new())
                } else {
                    (State::Live, vec![event])
                }
            }
        };
        self.state = state;
        for (_, info) in &out {
            if let Some(cursor) = &info.cursor {
                self.delivered.insert(hash(cursor));
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(name: &str, cursor: Option<&str>, is_final: bool) -> Event {
        let info = EventInfo {
            cursor: cursor.map(str::to_string),
            is_final,
            ..EventInfo::default()
        };
        (name.to_string(), info)
    }

    fn names(events: Vec<Event>) -> Vec<String> {
        events.into_iter().map(|(n, _)| n).collect()
    }

    fn feed(replay: &mut Replay, events: &[Event]) -> Vec<String> {
        let mut out = Vec::new();
        for e in events {
            out.extend(names(replay.take(e.clone())));
        }
        out
    }

    #[test]
    fn a_resume_that_honours_the_cursor_loses_nothing() {
        let mut r = Replay::new(None);
        assert_eq!(
            feed(
                &mut r,
                &[ev("a", Some("1"), false), ev("b", Some("2"), false)]
            ),
            ["a", "b"]
        );
        r.resumed("2");
        let got = feed(
            &mut r,
            &[
                ev("start", None, false),
                ev("c", Some("3"), false),
                ev("f", None, true),
            ],
        );
        assert_eq!(got, ["start", "c", "f"]);
    }

    #[test]
    fn a_replay_from_the_start_or_the_middle_is_dropped() {
        let mut r = Replay::new(None);
        feed(
            &mut r,
            &[
                ev("ready", None, false),
                ev("a", Some("1"), false),
                ev("b", Some("2"), false),
            ],
        );
        r.resumed("2");
        let got = feed(
            &mut r,
            &[
                ev("ready", None, false),
                ev("a", Some("1"), false),
                ev("between", None, false),
                ev("b", Some("2"), false),
                ev("c", Some("3"), false),
                ev("f", None, true),
            ],
        );
        assert_eq!(got, ["c", "f"]);
        r.resumed("3");
        assert_eq!(
            feed(
                &mut r,
                &[ev("b", Some("2"), false), ev("d", Some("4"), false)]
            ),
            ["d"]
        );
    }

    #[test]
    fn what_is_held_is_delivered_when_the_connection_ends_or_the_stream_finishes() {
        let mut r = Replay::new(Some("9"));
        assert!(feed(&mut r, &[ev("x", None, false)]).is_empty());
        assert_eq!(names(r.connection_ended()), ["x"]);
        r.resumed("9");
        assert_eq!(
            feed(&mut r, &[ev("y", None, false), ev("f", None, true)]),
            ["y", "f"]
        );
        r.resumed("9");
        let many: Vec<Event> = (0..=MAX_HELD).map(|_| ev("z", None, false)).collect();
        assert_eq!(feed(&mut r, &many).len(), MAX_HELD + 1);
    }

    #[test]
    fn a_callers_resume_drops_the_event_at_its_cursor() {
        let mut r = Replay::new(Some("5"));
        assert_eq!(
            feed(
                &mut r,
                &[ev("e", Some("5"), false), ev("g", Some("6"), false)]
            ),
            ["g"]
        );
    }
}
