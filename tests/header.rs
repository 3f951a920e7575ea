//! The committed header's version macros must equal Cargo.toml's version (the Makefile's
//! `check-header` target separately checks the whole header against a fresh cbindgen run).

fn macro_value(header: &str, name: &str) -> String {
    let prefix = format!("#define {name} ");
    header
        .lines()
        .find_map(|line| line.strip_prefix(&prefix))
        .unwrap_or_else(|| panic!("{name} is missing from include/gumloop.h"))
        .trim()
        .to_string()
}

#[test]
fn version_macros_match_cargo_toml() {
    let header = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/include/gumloop.h"))
        .expect("include/gumloop.h is readable");
    let version = env!("CARGO_PKG_VERSION");
    assert_eq!(
        macro_value(&header, "GUMLOOP_VERSION_STRING"),
        format!("\"{version}\"")
    );
    let parts: Vec<u32> = [
        env!("CARGO_PKG_VERSION_MAJOR"),
        env!("CARGO_PKG_VERSION_MINOR"),
        env!("CARGO_PKG_VERSION_PATCH"),
    ]
    .iter()
    .map(|p| p.parse().unwrap())
    .collect();
    for (name, value) in [
        ("GUMLOOP_VERSION_MAJOR", parts[0]),
        ("GUMLOOP_VERSION_MINOR", parts[1]),
        ("GUMLOOP_VERSION_PATCH", parts[2]),
        (
            "GUMLOOP_VERSION_NUMBER",
            parts[0] * 10000 + parts[1] * 100 + parts[2],
        ),
    ] {
        assert_eq!(macro_value(&header, name), value.to_string(), "{name}");
    }
}

#[test]
fn every_exported_function_is_declared() {
    let header = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/include/gumloop.h"))
        .expect("include/gumloop.h is readable");
    for name in [
        "gumloop_oneshot_create_session",
        "gumloop_client_new",
        "gumloop_client_free",
        "gumloop_client_create_session",
        "gumloop_client_get_session",
        "gumloop_client_list_sessions",
        "gumloop_client_send_message",
        "gumloop_client_cancel_session",
        "gumloop_client_rename_session",
        "gumloop_client_wait_session",
        "gumloop_client_stream_session",
        "gumloop_client_stream_message",
        "gumloop_client_resume_stream",
        "gumloop_cancel_token_new",
        "gumloop_cancel_token_trigger",
        "gumloop_cancel_token_is_triggered",
        "gumloop_cancel_token_free",
        "gumloop_string_free",
        "gumloop_version_get",
        "gumloop_code_get_name",
        "gumloop_code_get_message",
    ] {
        let declared =
            header.contains(&format!(" {name}(")) || header.contains(&format!("*{name}("));
        assert!(declared, "{name} is not declared");
    }
    assert!(header.contains("extern \"C\" {"), "no C++ linkage guard");
}

/// Every macro the header defines is in the library's namespace: a public constant of the Rust
/// core that cbindgen picks up (and `cbindgen.toml` does not exclude) would otherwise reach every
/// C program as an unprefixed macro.
#[test]
fn every_macro_is_prefixed() {
    let header = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/include/gumloop.h"))
        .expect("include/gumloop.h is readable");
    let strays: Vec<&str> = header
        .lines()
        .filter_map(|line| line.trim_start().strip_prefix("#define "))
        .filter_map(|rest| rest.split_whitespace().next())
        .filter(|name| !name.starts_with("GUMLOOP_"))
        .collect();
    assert!(
        strays.is_empty(),
        "unprefixed macros in the header: {strays:?}"
    );
}

/// The `#define GUMLOOP_OK`/`GUMLOOP_ERR_*` code constants of the committed header, as (name,
/// value) pairs.
fn header_codes() -> Vec<(String, u32)> {
    let header = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/include/gumloop.h"))
        .expect("include/gumloop.h is readable");
    header
        .lines()
        .filter_map(|line| line.strip_prefix("#define "))
        .filter_map(|rest| rest.split_once(' '))
        .filter(|(name, _)| *name == "GUMLOOP_OK" || name.starts_with("GUMLOOP_ERR_"))
        .map(|(name, value)| {
            let value = value.trim().parse().unwrap_or_else(|_| panic!("{name}"));
            (name.to_string(), value)
        })
        .collect()
}

/// What the library calls `code` (`gumloop_code_get_name`).
fn library_name(code: u32) -> String {
    let name = gumloop::ffi::gumloop_code_get_name(code);
    // SAFETY: gumloop_code_get_name returns a static NUL-terminated string for any value.
    unsafe { std::ffi::CStr::from_ptr(name) }
        .to_str()
        .unwrap()
        .to_string()
}

/// The code constants (written as literals for cbindgen) and the library's kinds (which name the
/// constants) are the same set: a constant that no kind uses, or a kind whose name and number
/// disagree with the header, fails here.
#[test]
fn every_code_constant_is_a_kind_and_every_kind_has_its_constant() {
    let declared = header_codes();
    assert!(declared.len() > 1, "no code constants in the header");
    for (name, value) in &declared {
        assert_eq!(&library_name(*value), name, "{name} = {value}");
    }
    // Every number the library names lies in the documented ranges, which end at 999.
    let known: Vec<(String, u32)> = (0..1000)
        .map(|code| (library_name(code), code))
        .filter(|(name, _)| name != "GUMLOOP_ERR_UNKNOWN")
        .collect();
    let mut declared = declared;
    declared.sort_by_key(|(_, value)| *value);
    assert_eq!(known, declared);
}

/// README.md's table of codes lists exactly the header's constants, with their numbers.
#[test]
fn the_readme_code_table_is_the_headers() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"))
        .expect("README.md is readable");
    let mut listed: Vec<(String, u32)> = readme
        .lines()
        .filter_map(|line| {
            let cells: Vec<&str> = line.split('|').map(str::trim).collect();
            let value = cells.get(1)?.parse().ok()?;
            let name = cells.get(2)?.strip_prefix('`')?.strip_suffix('`')?;
            name.starts_with("GUMLOOP_")
                .then(|| (name.to_string(), value))
        })
        .collect();
    listed.sort_by_key(|(_, value)| *value);
    let mut declared = header_codes();
    declared.sort_by_key(|(_, value)| *value);
    assert_eq!(listed, declared);
}

/// The error document's fields as the header's opening comment lists them in braces.
fn documented_error_fields(header: &str) -> Vec<String> {
    let start = header
        .find("{\"error\":{")
        .expect("the header lists the error document's fields");
    let end = start + header[start..].find("}}").expect("the list ends");
    header[start + "{\"error\":{".len()..end]
        .split(',')
        .map(|f| {
            f.trim()
                .trim_start_matches('*')
                .trim()
                .trim_matches('"')
                .to_string()
        })
        .collect()
}

#[test]
fn the_header_lists_every_field_of_the_error_document() {
    let header = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/include/gumloop.h"))
        .expect("include/gumloop.h is readable");
    let document = gumloop::Error::new(gumloop::ErrorKind::Timeout, "x").to_document();
    let mut fields: Vec<String> = document["error"]
        .as_object()
        .expect("an object")
        .keys()
        .cloned()
        .collect();
    let mut listed = documented_error_fields(&header);
    listed.sort();
    fields.sort();
    assert_eq!(
        listed, fields,
        "the header's list and Error::to_document differ"
    );
    // The streaming call's extra field is named after the list.
    assert!(
        header.contains("plus \"stream\""),
        "the header names the stream field"
    );
}

/// The library's description (`gumloop_description_get`), parsed.
fn description() -> serde_json::Value {
    let text = gumloop::ffi::gumloop_description_get();
    // SAFETY: gumloop_description_get returns a static NUL-terminated string.
    let text = unsafe { std::ffi::CStr::from_ptr(text) };
    serde_json::from_slice(text.to_bytes()).expect("the description is JSON")
}

/// The functions of the client that are not operations: its life, the call by name, and its
/// live credentials.
const CLIENT_FUNCTIONS_NOT_OPERATIONS: &[&str] = &[
    "gumloop_client_new",
    "gumloop_client_free",
    "gumloop_client_call",
    "gumloop_client_set_credentials",
    "gumloop_client_take_tokens",
    "gumloop_client_get_refresh_count",
];

/// The names of the functions the committed header declares.
fn header_functions() -> Vec<String> {
    let header = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/include/gumloop.h"))
        .expect("include/gumloop.h is readable");
    header
        .lines()
        .filter(|line| !line.starts_with([' ', '#', '/']))
        .filter_map(|line| line.split_once('(').map(|(head, _)| head))
        .filter_map(|head| head.rsplit([' ', '*']).next())
        .filter(|name| name.starts_with("gumloop_"))
        .map(str::to_string)
        .collect()
}

/// The description's operations are exactly the header's `gumloop_client_*` operation
/// functions: an operation without its function, or a function the description does not list,
/// fails here.
#[test]
fn the_description_lists_every_operation_function_of_the_header() {
    let mut declared: Vec<String> = header_functions()
        .into_iter()
        .filter(|name| name.starts_with("gumloop_client_"))
        .filter(|name| !CLIENT_FUNCTIONS_NOT_OPERATIONS.contains(&name.as_str()))
        .collect();
    declared.sort();
    let mut described: Vec<String> = description()["operations"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|op| op["function"].as_str().map(str::to_string))
        .collect();
    described.sort();
    assert!(declared.len() > 20, "too few functions found: {declared:?}");
    assert_eq!(described, declared);
    for op in description()["operations"].as_array().unwrap() {
        let name = op["name"].as_str().unwrap();
        if let Some(function) = op["function"].as_str() {
            assert_eq!(function, format!("gumloop_client_{name}"));
        }
    }
}

/// The description's codes are the header's constants, with their numbers.
#[test]
fn the_description_lists_every_code_of_the_header() {
    let mut described: Vec<(String, u32)> = description()["codes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["name"].as_str().unwrap().to_string(),
                c["code"].as_u64().unwrap() as u32,
            )
        })
        .collect();
    described.sort_by_key(|(_, value)| *value);
    let mut declared = header_codes();
    declared.sort_by_key(|(_, value)| *value);
    assert_eq!(described, declared);
    assert_eq!(description()["version"], env!("CARGO_PKG_VERSION"));
}

/// The header states how many call infos a poller keeps: the library's number.
#[test]
fn the_header_states_the_number_of_infos_a_poller_keeps() {
    let header = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/include/gumloop.h"))
        .expect("include/gumloop.h is readable");
    let stated = format!("those of the last {}", gumloop::internal::held_infos());
    assert!(
        header.contains(&stated),
        "the header does not say {stated:?}"
    );
}
