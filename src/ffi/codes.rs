//! The stable result codes of the C API: the core's constants (`crate::codes`, where cbindgen
//! reads them as literals), re-exported at the boundary.

pub use crate::codes::*;
