//! `application/x-www-form-urlencoded` text exactly as Python's `urllib.parse.urlencode` (which
//! the SDK's authorization URL and httpx's form bodies use) writes it: letters, digits and `_.-~`
//! as they are, a space as `+`, every other byte as `%XX` in capitals.

/// Appends `text`, encoded, to `out`.
fn encode_into(out: &mut String, text: &str) {
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'_' | b'.' | b'-' | b'~' => {
                out.push(byte as char)
            }
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
}

/// `name=value` pairs joined with `&`, in the order given.
pub(crate) fn encode(pairs: &[(&str, &str)]) -> String {
    let mut out = String::new();
    for (i, (name, value)) in pairs.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        encode_into(&mut out, name);
        out.push('=');
        encode_into(&mut out, value);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_as_python_urlencode() {
        // urlencode({"a b": "x/y?z=1&w", "s": "gumloop userinfo", "t": "~_.-*é"})
        assert_eq!(
            encode(&[
                ("a b", "x/y?z=1&w"),
                ("s", "gumloop userinfo"),
                ("t", "~_.-*é")
            ]),
            "a+b=x%2Fy%3Fz%3D1%26w&s=gumloop+userinfo&t=~_.-%2A%C3%A9"
        );
        assert_eq!(encode(&[]), "");
    }
}
