// Package gumloop drives Gumloop agents from Go through libgumloop's C API.
//
// A Client holds the configuration and connection pool of one libgumloop client; it is safe for
// concurrent use by any number of goroutines. Every call takes a context.Context (a nil one is
// refused with ErrInvalidArgument): when it ends, the call is cancelled, its connection closed,
// and the *Error it returns matches both ErrCancelled and context.Canceled or
// context.DeadlineExceeded through errors.Is.
//
// Every failure is an *Error carrying the library's whole error document (errors.As reads it);
// errors.Is tests its class against the Err* values, derived from the library's description of
// its codes (ErrNotFound, ErrRateLimit, and the group classes ErrAPIStatus, ErrAPIConnection,
// ErrInvalidResponse, ErrInvalidArgument).
//
// Answers are typed structs, each with the server's JSON in Raw. Streams and paged lists are
// range-over-func iterators (iter.Seq2[T, error]).
//
// Behaviour (retries, exactly-once creation, stream resume, validation) lives in the library;
// this package converts arguments and results and owns the library's handles and strings.
//
// Build: cgo finds gumloop.h and libgumloop through CGO_CFLAGS and CGO_LDFLAGS, or through
// pkg-config once the library is installed (see the README beside this file).
package gumloop
