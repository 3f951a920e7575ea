//! Gives the shared library its SONAME, so every `cargo build` (not only `make install`) makes a
//! library that programs link to by its ABI version.
//!
//! The SONAME is `libgumloop.so.MAJOR` from 1.0 on and `libgumloop.so.0.MINOR` before (a 0.x
//! minor may break the ABI), derived from the package version in Cargo.toml. Programs linked
//! against it record that name, so an ABI-breaking release installs beside the old one instead
//! of breaking the programs built against it. Only ELF targets get it; `make install` names the
//! installed files after it.

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let major = std::env::var("CARGO_PKG_VERSION_MAJOR").expect("cargo sets the major version");
    let minor = std::env::var("CARGO_PKG_VERSION_MINOR").expect("cargo sets the minor version");
    let abi = if major == "0" {
        format!("0.{minor}")
    } else {
        major
    };
    let family = std::env::var("CARGO_CFG_TARGET_FAMILY").unwrap_or_default();
    let vendor = std::env::var("CARGO_CFG_TARGET_VENDOR").unwrap_or_default();
    if family.split(',').any(|f| f == "unix") && vendor != "apple" {
        println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,libgumloop.so.{abi}");
    }
}
