//! Query parameters given as a JSON object: each value checked, then added to a URL.

use crate::error::{Error, Result};
use crate::json::parse_object;
use reqwest::Url;
use serde_json::Value;

/// Adds the parameters of `query_json` (a JSON object; NULL means none) to `url`.
///
/// `null` values are left out; `page_size` must be 1 to 100; the keys in `string_params` must
/// have string values; any other key may be a string, number or boolean, sent as given. With no
/// parameter left, the URL is unchanged: no bare `?` is sent (a signing proxy, a cache or a
/// strict router tells `/x?` from `/x`).
pub(crate) fn add_query(
    url: &mut Url,
    query_json: Option<&str>,
    string_params: &[&str],
) -> Result<()> {
    let query = parse_object(query_json).map_err(|mut e| {
        e.param = Some("query_json".into());
        e
    })?;
    let mut pairs: Vec<(&str, String)> = Vec::new();
    for (key, value) in &query {
        let invalid = |message: String| Error::invalid_argument(key.as_str(), message);
        let text = match value {
            Value::Null => continue,
            _ if key == "page_size" => match value.as_u64() {
                Some(n @ 1..=100) => n.to_string(),
                _ => {
                    return Err(invalid(
                        "`page_size` must be a whole number from 1 to 100".into(),
                    ))
                }
            },
            Value::String(s) => s.clone(),
            _ if string_params.contains(&key.as_str()) => {
                return Err(invalid(format!("`{key}` must be a string")))
            }
            Value::Number(n) => n.to_string(),
            Value::Bool(b) => b.to_string(),
            _ => {
                return Err(invalid(format!(
                    "query parameter `{key}` must be a string, number or boolean"
                )))
            }
        };
        pairs.push((key.as_str(), text));
    }
    if !pairs.is_empty() {
        url.query_pairs_mut().extend_pairs(pairs);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_parameter_means_no_question_mark() {
        for query in [None, Some("{}"), Some(r#"{"cursor":null}"#)] {
            let mut url = Url::parse("https://api.example/api/v1/agents").unwrap();
            add_query(&mut url, query, &[]).unwrap();
            assert_eq!(
                url.as_str(),
                "https://api.example/api/v1/agents",
                "{query:?}"
            );
        }
        let mut url = Url::parse("https://api.example/x").unwrap();
        add_query(&mut url, Some(r#"{"page_size":5,"q":"a b"}"#), &[]).unwrap();
        assert_eq!(url.as_str(), "https://api.example/x?page_size=5&q=a+b");
    }
}
