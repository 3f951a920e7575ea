//! The C boundary, and nothing else: argument checks, C strings to and from Rust, the panic
//! guard, and the stable codes. `include/gumloop.h` is generated from this module by cbindgen.
//!
//! Rules every function here keeps:
//! - every pointer is checked for NULL and every string for UTF-8 before use;
//! - every body runs inside a panic guard: a panic becomes `GUMLOOP_ERR_INTERNAL`, never an abort;
//! - `*out_json` is set on every return when `out_json` is not NULL: the result on `GUMLOOP_OK`,
//!   an error document otherwise. Free it with `gumloop_string_free`.

mod cancel;
mod client;
mod codes;
mod guard;
mod info;
mod oneshot;
mod sessions;
mod stream;
mod strings;
mod version;

pub use cancel::*;
pub use client::*;
pub use codes::*;
pub use info::*;
pub use oneshot::*;
pub use sessions::*;
pub use stream::*;
pub use strings::gumloop_string_free;
pub use version::*;
