//go:build gumloop_pkgconfig

package gumloop

// With the gumloop_pkgconfig build tag, cgo links the libgumloop installed on the system (by
// `make install`, a distribution package or the C release archive) through pkg-config's gumloop
// package instead of the bundled static library:
//
//	go build -tags gumloop_pkgconfig ./...
//
// PKG_CONFIG_PATH names the directory of gumloop.pc when it is not in pkg-config's default
// search path. The header is still this module's gumloop.h, so the installed library
// must be the version of this module (LibraryVersion reports the one loaded).

/*
#cgo pkg-config: gumloop
*/
import "C"
