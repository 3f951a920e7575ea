//go:build !gumloop_pkgconfig

package gumloop

// How cgo finds libgumloop by default: the static library bundled in this module, at
// lib/linux_amd64/libgumloop.a (the released module carries it; `make dist` puts it there).
// Static linking makes a Go program one self-contained file that needs no libgumloop at run
// time. The directory is searched by -lgumloop after any -L of CGO_LDFLAGS, so a development
// build (CGO_LDFLAGS="-L target/debug ...") links that library instead. On other platforms
// -lgumloop is looked for where CGO_LDFLAGS or the system's linker paths say; build with the
// gumloop_pkgconfig tag to use an installed library. The system libraries listed are the ones the
// Rust standard library needs when linked statically (rustc's native-static-libs for
// x86_64-unknown-linux-gnu); they cost nothing when the shared library is linked instead.

/*
#cgo linux,amd64 LDFLAGS: -L${SRCDIR}/lib/linux_amd64
#cgo LDFLAGS: -lgumloop
#cgo linux LDFLAGS: -lgcc_s -lutil -lrt -lpthread -lm -ldl -lc
*/
import "C"
