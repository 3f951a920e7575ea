//! Cursor pages shared by every listing: `page_size` (1..100, default 20) and opaque
//! cursors that name the last item returned.

use super::Query;
use crate::errors::ApiError;

/// `page_size` when absent.
pub const DEFAULT_PAGE_SIZE: usize = 20;
/// Largest `page_size`.
pub const MAX_PAGE_SIZE: usize = 100;

/// `page_size` from the query.
pub fn page_size(q: &Query) -> Result<usize, ApiError> {
    match q.get("page_size") {
        None => Ok(DEFAULT_PAGE_SIZE),
        Some(v) => match v.parse::<usize>() {
            Ok(n) if (1..=MAX_PAGE_SIZE).contains(&n) => Ok(n),
            _ => Err(ApiError::invalid(
                "page_size",
                "`page_size` must be an integer from 1 to 100",
            )),
        },
    }
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

/// An opaque cursor for `value` in the listing named by `tag`.
pub fn encode(tag: &str, value: &str) -> String {
    hex(&format!("gumloop-emulator:{tag}:{value}"))
}

/// The value of a cursor made by [`encode`] with the same `tag`.
pub fn decode(cursor: &str, tag: &str) -> Option<String> {
    let text = unhex(cursor)?;
    let rest = text.strip_prefix("gumloop-emulator:")?;
    rest.strip_prefix(tag)?
        .strip_prefix(':')
        .map(str::to_string)
}

/// The `cursor` query parameter decoded for `tag`: `None` when absent or empty, 400 when
/// it is not a cursor of this listing.
pub fn after(q: &Query, tag: &str) -> Result<Option<String>, ApiError> {
    match q.get("cursor").filter(|c| !c.is_empty()) {
        None => Ok(None),
        Some(c) => decode(c, tag)
            .map(Some)
            .ok_or_else(|| ApiError::invalid("cursor", "`cursor` is not valid here")),
    }
}

/// Cuts `items` to one page; the cursor of the next page names the page's last item.
pub fn page<T>(
    mut items: Vec<T>,
    size: usize,
    tag: &str,
    key: impl Fn(&T) -> String,
) -> (Vec<T>, Option<String>) {
    let more = items.len() > size;
    items.truncate(size);
    let next = match items.last() {
        Some(last) if more => Some(encode(tag, &key(last))),
        _ => None,
    };
    (items, next)
}

/// Sort order of a listing by creation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Order {
    /// Newest first (the default).
    Newest,
    /// Oldest first.
    Oldest,
}

/// `sort_order`: `newest` (default, also when empty) or `oldest`.
pub fn order(q: &Query) -> Result<Order, ApiError> {
    match q.get("sort_order") {
        None | Some("") | Some("newest") => Ok(Order::Newest),
        Some("oldest") => Ok(Order::Oldest),
        Some(_) => Err(ApiError::invalid(
            "sort_order",
            "`sort_order` must be `newest` or `oldest`",
        )),
    }
}

/// The paging of a listing ordered by creation number, read from the query before
/// anything else is looked up: `page_size`, `sort_order` and a `cursor` that is valid
/// only for the same listing and order.
#[derive(Debug, Clone)]
pub struct ByCreation {
    size: usize,
    order: Order,
    tag: String,
    after: Option<u64>,
}

impl ByCreation {
    /// Reads and checks the paging parameters of `listing` (400 on bad values).
    pub fn parse(q: &Query, listing: &str) -> Result<ByCreation, ApiError> {
        let size = page_size(q)?;
        let order = order(q)?;
        let tag = match order {
            Order::Newest => format!("{listing}-newest"),
            Order::Oldest => format!("{listing}-oldest"),
        };
        let after = match after(q, &tag)? {
            None => None,
            Some(last) => Some(
                last.parse()
                    .map_err(|_| ApiError::invalid("cursor", "`cursor` is not valid here"))?,
            ),
        };
        Ok(ByCreation {
            size,
            order,
            tag,
            after,
        })
    }

    /// The page: items after the cursor, sorted, cut; with the next page's cursor.
    pub fn page<T>(&self, mut items: Vec<T>, seq: impl Fn(&T) -> u64) -> (Vec<T>, Option<String>) {
        if let Some(last) = self.after {
            items.retain(|item| match self.order {
                Order::Newest => seq(item) < last,
                Order::Oldest => seq(item) > last,
            });
        }
        match self.order {
            Order::Newest => items.sort_unstable_by_key(|item| std::cmp::Reverse(seq(item))),
            Order::Oldest => items.sort_unstable_by_key(|item| seq(item)),
        }
        page(items, self.size, &self.tag, |item| seq(item).to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_only_in_their_listing() {
        let c = encode("o", "42");
        assert_eq!(decode(&c, "o").as_deref(), Some("42"));
        assert_eq!(decode(&c, "n"), None);
        assert_eq!(decode(&encode("on", "1"), "o"), None);
        assert_eq!(decode("zz", "o"), None);
        assert_eq!(decode("abc", "o"), None);
    }
}
