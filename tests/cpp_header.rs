//! The C++ header (include/gumloop.hpp) reads every field of the error document: each name the
//! library writes into it must have its branch in `gumloop::error`, so a field added to the
//! document later cannot be forgotten there. (That the header wraps every C function is checked
//! by scripts/check-hpp-coverage.sh in `make test-cpp`.)

#[test]
fn the_cpp_error_reads_every_document_field() {
    let hpp = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/include/gumloop.hpp"))
        .expect("include/gumloop.hpp is readable");
    let missing: Vec<&str> = gumloop::DOCUMENT_FIELDS
        .iter()
        .copied()
        .chain([gumloop::STREAM_FIELD])
        // The code comes with the call's return value: gumloop::error::code() is that.
        .filter(|field| *field != "gumloop_code")
        .filter(|field| !hpp.contains(&format!("field == \"{field}\"")))
        .collect();
    assert!(
        missing.is_empty(),
        "gumloop::error does not read these error document fields: {missing:?}"
    );
}
