// Package gumloop drives Gumloop agents from Go through libgumloop's C API.
//
// A Client holds the configuration and connection pool of one libgumloop client; it is safe for
// concurrent use by any number of goroutines. Every call takes a context.Context: cancelling it
// ends the call with an error whose code is CodeCancelled, and closes the call's connection.
// Failures are *Error values carrying the library's whole error document; use errors.As to read
// it, or errors.Is against the Err* values to test the kind.
//
// Behaviour (retries, exactly-once creation, stream resume, validation) lives in the library;
// this package converts arguments and results and owns the library's handles and strings.
//
// Build: cgo finds gumloop.h and libgumloop through CGO_CFLAGS and CGO_LDFLAGS, or through
// pkg-config once the library is installed (see the README beside this file).
package gumloop
