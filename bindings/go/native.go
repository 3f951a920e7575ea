package gumloop

/*
#include <stdlib.h>
#include "gumloop.h"
*/
import "C"

import "unsafe"

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

// LibraryVersion is the version of the loaded libgumloop, e.g. "0.2.0".
func LibraryVersion() string { return C.GoString(C.gumloop_version_get()) }

// HeaderVersion is the version of the gumloop.h this package was compiled against.
const HeaderVersion = C.GUMLOOP_VERSION_STRING
