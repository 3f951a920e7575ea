//! `GET /agents/{agent_id}/sessions` (docs/API.md §4.2): cursor pages and filters.

use hyper::{Response, StatusCode};
use serde_json::json;

use super::Ctx;
use crate::auth::resolve_agent;
use crate::body::RespBody;
use crate::errors::{json_response, ApiError};
use crate::store::{Session, State};
use crate::view::session_json;

/// Sort order of a listing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Order {
    Newest,
    Oldest,
}

fn hex(s: &str) -> String {
    s.bytes().map(|b| format!("{b:02x}")).collect()
}

fn unhex(s: &str) -> Option<String> {
    if !s.len().is_multiple_of(2) {
        return None;
    }
    let bytes: Option<Vec<u8>> = (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok())
        .collect();
    String::from_utf8(bytes?).ok()
}

/// The opaque cursor: the creation number of the last item returned, with its order.
fn encode_cursor(order: Order, seq: u64) -> String {
    let o = if order == Order::Newest { "n" } else { "o" };
    hex(&format!("gumloop-emulator:{o}:{seq}"))
}

fn decode_cursor(cursor: &str) -> Option<(Order, u64)> {
    let text = unhex(cursor)?;
    let rest = text.strip_prefix("gumloop-emulator:")?;
    let (o, seq) = rest.split_once(':')?;
    let order = match o {
        "n" => Order::Newest,
        "o" => Order::Oldest,
        _ => return None,
    };
    Some((order, seq.parse().ok()?))
}

fn matches_search(s: &Session, needle: &str) -> bool {
    if s.name.to_lowercase().contains(needle) {
        return true;
    }
    s.messages.iter().any(|m| {
        m.get("content")
            .and_then(|c| c.as_str())
            .is_some_and(|c| c.to_lowercase().contains(needle))
    })
}

/// Lists the agent's sessions, newest first unless `sort_order=oldest`.
pub fn list(ctx: &Ctx, raw_agent: &str) -> Result<Response<RespBody>, ApiError> {
    let caller = ctx.caller()?;
    let q = &ctx.query;
    let page_size = match q.get("page_size") {
        None => 20,
        Some(v) => match v.parse::<usize>() {
            Ok(n) if (1..=100).contains(&n) => n,
            _ => {
                return Err(ApiError::invalid(
                    "page_size",
                    "`page_size` must be an integer from 1 to 100",
                ))
            }
        },
    };
    let order = match q.get("sort_order") {
        None | Some("") | Some("newest") => Order::Newest,
        Some("oldest") => Order::Oldest,
        Some(_) => {
            return Err(ApiError::invalid(
                "sort_order",
                "`sort_order` must be `newest` or `oldest`",
            ))
        }
    };
    let state = match q.get("state").filter(|s| !s.is_empty()) {
        None => None,
        Some(s) => Some(
            State::parse(s)
                .ok_or_else(|| ApiError::invalid("state", format!("unknown state `{s}`")))?,
        ),
    };
    let after = match q.get("cursor").filter(|c| !c.is_empty()) {
        None => None,
        Some(c) => match decode_cursor(c) {
            Some((o, seq)) if o == order => Some(seq),
            _ => return Err(ApiError::invalid("cursor", "`cursor` is not valid here")),
        },
    };
    let search = q
        .get("search")
        .or_else(|| q.get("search_query"))
        .filter(|s| !s.is_empty())
        .map(str::to_lowercase);
    let kind = q.get("type").filter(|s| !s.is_empty());
    let creator = q.get("creator_user_id").filter(|s| !s.is_empty());
    let trigger = q.get("trigger_id").filter(|s| !s.is_empty());

    let app = ctx.app;
    let mut store = app.store();
    let (agent_id, _agent) = resolve_agent(app, &mut store, &caller, raw_agent)?;
    let mut hits: Vec<&Session> = store
        .sessions
        .values()
        .filter(|s| s.agent_id == agent_id)
        .filter(|s| state.is_none_or(|st| s.state == st))
        .filter(|s| kind.is_none_or(|k| s.kind == k))
        .filter(|s| creator.is_none_or(|c| s.creator_user_id == c))
        .filter(|s| trigger.is_none_or(|t| s.trigger_id.as_deref() == Some(t)))
        .filter(|s| match after {
            None => true,
            Some(a) if order == Order::Newest => s.seq < a,
            Some(a) => s.seq > a,
        })
        .filter(|s| search.as_deref().is_none_or(|n| matches_search(s, n)))
        .collect();
    match order {
        Order::Newest => hits.sort_unstable_by_key(|s| std::cmp::Reverse(s.seq)),
        Order::Oldest => hits.sort_unstable_by_key(|s| s.seq),
    }
    let more = hits.len() > page_size;
    hits.truncate(page_size);
    let next_cursor = match hits.last() {
        Some(last) if more => Some(encode_cursor(order, last.seq)),
        _ => None,
    };
    let sessions: Vec<_> = hits
        .iter()
        .map(|s| session_json(app, &store, s, false))
        .collect();
    Ok(json_response(
        StatusCode::OK,
        &json!({"sessions": sessions, "next_cursor": next_cursor}),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursor_round_trip() {
        let c = encode_cursor(Order::Oldest, 42);
        assert_eq!(decode_cursor(&c), Some((Order::Oldest, 42)));
        assert_eq!(decode_cursor("zz"), None);
        assert_eq!(decode_cursor("abc"), None);
    }
}
