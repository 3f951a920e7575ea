package gumloop

/*
#include "gumloop.h"
*/
import "C"

import (
	"encoding/json"
	"sync"
)

// Description is the loaded library's description of itself (gumloop_description_get): its
// operations with their arguments and result kinds, its client options, its codes with their
// groups and error stems, and the fields of an error document. This package derives its error
// classes from it; its tests check the package's methods, options and classes against it.
type Description struct {
	// Version is the library's version.
	Version string `json:"version"`
	// Operations are every operation the poller can start, by name.
	Operations []DescribedOperation `json:"operations"`
	// Options are every client option.
	Options []DescribedOption `json:"options"`
	// Codes are every result code, GUMLOOP_OK included.
	Codes []DescribedCode `json:"codes"`
	// Groups are the code ranges and their base error stems.
	Groups []DescribedGroup `json:"groups"`
	// ErrorFields are the fields of an error document's "error" object.
	ErrorFields []string `json:"error_fields"`
	// Raw is the description as the library wrote it.
	Raw json.RawMessage `json:"-"`
}

// DescribedOperation is one operation of the library's table.
type DescribedOperation struct {
	// Name is the name the poller starts it by, e.g. "get_session".
	Name string `json:"name"`
	// Function is the blocking C function, or empty when there is none.
	Function string `json:"function"`
	// Result is "json", "bytes" or "stream".
	Result string `json:"result"`
	// Arguments are the keys of its args_json (and "bytes" data).
	Arguments []DescribedArgument `json:"arguments"`
}

// DescribedArgument is one argument of an operation.
type DescribedArgument struct {
	Name     string `json:"name"`
	Type     string `json:"type"`
	Required bool   `json:"required"`
}

// DescribedOption is one client option.
type DescribedOption struct {
	Name    string          `json:"name"`
	Type    string          `json:"type"`
	Default json.RawMessage `json:"default"`
	Secret  bool            `json:"secret"`
}

// DescribedCode is one result code with its group and error stem (empty for GUMLOOP_OK).
type DescribedCode struct {
	Name    string `json:"name"`
	Code    Code   `json:"code"`
	Group   string `json:"group"`
	Error   string `json:"error"`
	Message string `json:"message"`
}

// DescribedGroup is a range of codes and the stem of their base error class.
type DescribedGroup struct {
	Name  string `json:"name"`
	First Code   `json:"first"`
	Last  Code   `json:"last"`
	Error string `json:"error"`
}

var (
	description     *Description
	descriptionErr  error
	descriptionOnce sync.Once
)

// LibraryDescription is the loaded library's description, read once. The text is the library's
// own and static; an error means it could not be read (a library this package does not match).
func LibraryDescription() (*Description, error) {
	descriptionOnce.Do(func() {
		text := C.GoString(C.gumloop_description_get())
		d := &Description{}
		if err := json.Unmarshal([]byte(text), d); err != nil {
			descriptionErr = invalidResponse("the library's description", err, text)
			return
		}
		d.Raw = json.RawMessage(text)
		description = d
	})
	return description, descriptionErr
}
