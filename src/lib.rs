//! libgumloop
