//! What a run will do, derived from its input and the markers in it:
//! `[fail]`, `[approval]` / `[approval:N]` (N tool approvals), `[human_input]` (one ask
//! with a question), `[slow:N]` (N ms), `[words:N]` (an answer of N words) and
//! `[artifact:NAME]` / `[artifact:NAME:BYTES]` (an artifact the completed run leaves).

use std::time::Duration;

use crate::artifacts::MAX_ARTIFACT_BYTES;
use crate::files::Attached;
use crate::ids::new_id;

/// Largest N of `[approval:N]` (an approvals request answers at most 20 asks).
pub const MAX_ASKS: usize = 20;

/// How a run ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// `completed`.
    Complete,
    /// `failed` (`[fail]`).
    Fail,
    /// `approval_required`, pausing on `tools` tool approvals (`[approval]`,
    /// `[approval:N]`) and, with `human`, one human-input ask (`[human_input]`).
    Approval {
        /// Number of `tool_approval` asks.
        tools: usize,
        /// Whether a `human_input` ask comes too.
        human: bool,
    },
}

/// Everything a run needs, fixed when it is requested.
#[derive(Debug, Clone)]
pub struct RunPlan {
    /// The user's input, as sent.
    pub input: String,
    /// The input without markers, trimmed.
    pub cleaned: String,
    /// The assistant's answer.
    pub answer: String,
    /// The answer split into word deltas whose concatenation is `answer`.
    pub deltas: Vec<String>,
    /// How the run ends.
    pub outcome: Outcome,
    /// How long the run takes.
    pub delay: Duration,
    /// Id of the assistant message the run produces.
    pub message_id: String,
    /// The user who asked.
    pub user_id: String,
    /// Artifacts the run leaves when it completes: (name, size if the marker gave one).
    pub artifacts: Vec<(String, Option<u64>)>,
}

/// An `artifact:` marker's name and size: `NAME` or `NAME:BYTES` (BYTES up to
/// [`MAX_ARTIFACT_BYTES`]); `None` for an empty name.
fn artifact_marker(rest: &str) -> Option<(String, Option<u64>)> {
    let (name, size) = match rest.rsplit_once(':') {
        Some((name, n)) if n.trim().parse::<u64>().is_ok() => (name, n.trim().parse().ok()),
        _ => (rest, None),
    };
    let name = name.trim();
    if name.is_empty() || size.is_some_and(|s| s > MAX_ARTIFACT_BYTES) {
        return None;
    }
    Some((name.to_string(), size))
}

const VOCABULARY: [&str; 12] = [
    "alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliett",
    "kilo", "lima",
];

/// Splits text into pieces that each hold one word with the whitespace before it (the
/// first piece also holds any leading whitespace); their concatenation is the text.
pub fn split_words(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut seen_word = false;
    let mut prev_ws = false;
    for ch in text.chars() {
        let ws = ch.is_whitespace();
        if ws && !prev_ws && seen_word {
            out.push(std::mem::take(&mut current));
        }
        seen_word |= !ws;
        current.push(ch);
        prev_ws = ws;
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// Number of words in a text.
pub fn word_count(text: &str) -> u64 {
    text.split_whitespace().count() as u64
}

impl RunPlan {
    /// Plans a run of `input` for `user_id`; `default_delay_ms` applies without `[slow:N]`.
    pub fn new(input: &str, default_delay_ms: u64, user_id: &str) -> RunPlan {
        let mut fail = false;
        let mut tools = 0usize;
        let mut human = false;
        let mut artifacts = Vec::new();
        let mut delay_ms = default_delay_ms;
        let mut words: Option<usize> = None;
        let mut cleaned = String::new();
        let mut rest = input;
        while let Some(open) = rest.find('[') {
            cleaned.push_str(&rest[..open]);
            let after = &rest[open..];
            let Some(close) = after.find(']') else {
                cleaned.push_str(after);
                rest = "";
                break;
            };
            let marker = &after[1..close];
            let known = match marker.split_once(':') {
                None if marker == "fail" => {
                    fail = true;
                    true
                }
                None if marker == "approval" => {
                    tools = tools.max(1);
                    true
                }
                None if marker == "human_input" => {
                    human = true;
                    true
                }
                Some(("approval", n)) => match n.trim().parse::<usize>() {
                    Ok(n) if (1..=MAX_ASKS).contains(&n) => {
                        tools = n;
                        true
                    }
                    _ => false,
                },
                Some(("artifact", rest)) => match artifact_marker(rest) {
                    Some(a) => {
                        artifacts.push(a);
                        true
                    }
                    None => false,
                },
                Some(("slow", n)) => n.trim().parse().map(|n| delay_ms = n).is_ok(),
                Some(("words", n)) => n.trim().parse().map(|n| words = Some(n)).is_ok(),
                _ => false,
            };
            if !known {
                cleaned.push_str(&after[..=close]);
            }
            rest = &after[close + 1..];
        }
        cleaned.push_str(rest);
        let cleaned = cleaned.split_whitespace().collect::<Vec<_>>().join(" ");
        let outcome = if fail {
            Outcome::Fail
        } else if tools > 0 || human {
            Outcome::Approval { tools, human }
        } else {
            Outcome::Complete
        };
        let answer = match words {
            Some(n) => (0..n)
                .map(|i| VOCABULARY[i % VOCABULARY.len()])
                .collect::<Vec<_>>()
                .join(" "),
            None if cleaned.is_empty() => "Echo.".to_string(),
            None => format!("Echo: {cleaned}"),
        };
        RunPlan {
            input: input.to_string(),
            deltas: split_words(&answer),
            answer,
            cleaned,
            outcome,
            delay: Duration::from_millis(delay_ms),
            message_id: new_id("msg_"),
            user_id: user_id.to_string(),
            artifacts,
        }
    }
}

impl RunPlan {
    /// The run that continues a turn once its asks are resolved: it completes with
    /// `answer`.
    pub fn continuation(answer: String, delay_ms: u64, user_id: &str) -> RunPlan {
        RunPlan {
            input: String::new(),
            cleaned: String::new(),
            deltas: split_words(&answer),
            answer,
            outcome: Outcome::Complete,
            delay: Duration::from_millis(delay_ms),
            message_id: new_id("msg_"),
            user_id: user_id.to_string(),
            artifacts: Vec::new(),
        }
    }

    /// The same plan, its answer naming each attached file with its size.
    pub fn with_attachments(mut self, files: &[Attached]) -> RunPlan {
        if files.is_empty() {
            return self;
        }
        let list: Vec<String> = files
            .iter()
            .map(|f| format!("{} ({} bytes)", f.name, f.size))
            .collect();
        self.answer = format!("{} Attached files: {}.", self.answer, list.join(", "));
        self.deltas = split_words(&self.answer);
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deltas_concatenate_to_the_answer() {
        for text in ["Echo: a  b\tc", "  lead", "one", "", "x y "] {
            assert_eq!(split_words(text).concat(), text);
        }
        assert_eq!(split_words("Echo: hi there"), ["Echo:", " hi", " there"]);
    }

    #[test]
    fn markers_steer_the_plan() {
        let p = RunPlan::new("hello [slow:50] [words:3] world", 200, "u");
        assert_eq!(p.delay, Duration::from_millis(50));
        assert_eq!(p.answer, "alpha bravo charlie");
        assert_eq!(p.cleaned, "hello world");
        assert_eq!(RunPlan::new("[fail] x", 1, "u").outcome, Outcome::Fail);
        let asks = |input: &str| RunPlan::new(input, 1, "u").outcome;
        assert_eq!(
            asks("[approval]"),
            Outcome::Approval {
                tools: 1,
                human: false
            }
        );
        assert_eq!(
            asks("[approval:3] [human_input]"),
            Outcome::Approval {
                tools: 3,
                human: true
            }
        );
        assert_eq!(
            asks("[human_input]"),
            Outcome::Approval {
                tools: 0,
                human: true
            }
        );
        assert_eq!(asks("[approval] [fail]"), Outcome::Fail);
        // Out of range counts are not markers: the text stays.
        for text in ["[approval:0]", "[approval:21]", "[approval:x]"] {
            let p = RunPlan::new(text, 1, "u");
            assert_eq!(p.outcome, Outcome::Complete, "{text}");
            assert_eq!(p.answer, format!("Echo: {text}"));
        }
        let p = RunPlan::new("a [artifact:r.txt] [artifact:x:y:12] [artifact: ]", 1, "u");
        assert_eq!(
            p.artifacts,
            [("r.txt".to_string(), None), ("x:y".to_string(), Some(12))]
        );
        assert_eq!(p.cleaned, "a [artifact: ]");
        let p = RunPlan::new("[artifact:big:67108865]", 1, "u");
        assert!(p.artifacts.is_empty());
        let p = RunPlan::new("keep [this] text", 1, "u");
        assert_eq!(p.answer, "Echo: keep [this] text");
        assert_eq!(p.outcome, Outcome::Complete);
    }
}
