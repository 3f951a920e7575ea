package gumloop

/*
#cgo CFLAGS: -I${SRCDIR}/../../include
#cgo LDFLAGS: -lgumloop
#include <stdlib.h>
#include "gumloop.h"

// The callback every stream uses; it forwards to goStreamEvent (stream.go).
extern int goStreamEvent(void *user_data, char *event_json, size_t len);

int gumloop_go_on_event(void *user_data, const char *event_json, size_t len) {
	return goStreamEvent(user_data, (char *)event_json, len);
}

gumloop_event_callback gumloop_go_callback(void) { return gumloop_go_on_event; }
*/
import "C"

import (
	"context"
	"sync"
	"unsafe"
)

// cString is a C copy of s, freed by the returned function.
func cString(s string) (*C.char, func()) {
	p := C.CString(s)
	return p, func() { C.free(unsafe.Pointer(p)) }
}

// takeString copies a string the library handed out and frees it.
func takeString(p *C.char) string {
	if p == nil {
		return ""
	}
	s := C.GoString(p)
	C.gumloop_string_free(p)
	return s
}

// withCancel gives a call a cancel token that is triggered when ctx ends, and releases both the
// token and the goroutine that watches ctx once the call has returned.
//
// A context that has already ended gives a triggered token: the library then refuses the call
// with GUMLOOP_ERR_CANCELLED before sending anything.
func withCancel(ctx context.Context, call func(token *C.gumloop_cancel_token) C.gumloop_code) C.gumloop_code {
	if ctx.Done() == nil {
		return call(nil)
	}
	token := C.gumloop_cancel_token_new()
	if ctx.Err() != nil {
		C.gumloop_cancel_token_trigger(token)
	}
	done := make(chan struct{})
	var watcher sync.WaitGroup
	watcher.Add(1)
	go func() {
		defer watcher.Done()
		select {
		case <-ctx.Done():
			C.gumloop_cancel_token_trigger(token)
		case <-done:
		}
	}()
	code := call(token)
	close(done)
	watcher.Wait()
	C.gumloop_cancel_token_free(token)
	return code
}

// LibraryVersion is the version of the loaded libgumloop, e.g. "0.2.0".
func LibraryVersion() string { return C.GoString(C.gumloop_version_get()) }

// HeaderVersion is the version of the gumloop.h this package was compiled against.
const HeaderVersion = C.GUMLOOP_VERSION_STRING
