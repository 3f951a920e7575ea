package gumloop

/*
#include "gumloop.h"
*/
import "C"

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
)

// Code is a libgumloop result code (gumloop_code). Its values are the header's GUMLOOP_*
// constants; CodeOK is 0.
type Code uint32

// The codes of gumloop.h, taken from the header at compile time.
const (
	CodeOK               Code = C.GUMLOOP_OK
	CodeNullArgument     Code = C.GUMLOOP_ERR_NULL_ARGUMENT
	CodeInvalidUTF8      Code = C.GUMLOOP_ERR_INVALID_UTF8
	CodeInvalidJSON      Code = C.GUMLOOP_ERR_INVALID_JSON
	CodeInvalidArgument  Code = C.GUMLOOP_ERR_INVALID_ARGUMENT
	CodeInvalidOption    Code = C.GUMLOOP_ERR_INVALID_OPTION
	CodeNoCredentials    Code = C.GUMLOOP_ERR_NO_CREDENTIALS
	CodeUseStreamingCall Code = C.GUMLOOP_ERR_USE_STREAMING_CALL
	CodeWrongThread      Code = C.GUMLOOP_ERR_WRONG_THREAD
	CodeConnect          Code = C.GUMLOOP_ERR_CONNECT
	CodeTimeout          Code = C.GUMLOOP_ERR_TIMEOUT
	CodeTLS              Code = C.GUMLOOP_ERR_TLS
	CodeConnectionLost   Code = C.GUMLOOP_ERR_CONNECTION_LOST
	CodeCancelled        Code = C.GUMLOOP_ERR_CANCELLED
	CodeRedirect         Code = C.GUMLOOP_ERR_REDIRECT
	CodeBadRequest       Code = C.GUMLOOP_ERR_BAD_REQUEST
	CodeUnauthorized     Code = C.GUMLOOP_ERR_UNAUTHORIZED
	CodeForbidden        Code = C.GUMLOOP_ERR_FORBIDDEN
	CodeNotFound         Code = C.GUMLOOP_ERR_NOT_FOUND
	CodeConflict         Code = C.GUMLOOP_ERR_CONFLICT
	CodePayloadTooLarge  Code = C.GUMLOOP_ERR_PAYLOAD_TOO_LARGE
	CodeRateLimited      Code = C.GUMLOOP_ERR_RATE_LIMITED
	CodeServer           Code = C.GUMLOOP_ERR_SERVER
	CodeHTTPStatus       Code = C.GUMLOOP_ERR_HTTP_STATUS
	CodeInvalidResponse  Code = C.GUMLOOP_ERR_INVALID_RESPONSE
	CodeResponseTooLarge Code = C.GUMLOOP_ERR_RESPONSE_TOO_LARGE
	CodeStreamIncomplete Code = C.GUMLOOP_ERR_STREAM_INCOMPLETE
	CodeInternal         Code = C.GUMLOOP_ERR_INTERNAL
)

// Name is the code's constant name, e.g. "GUMLOOP_ERR_NOT_FOUND" (the library's own text).
func (c Code) Name() string { return C.GoString(C.gumloop_code_get_name(C.gumloop_code(c))) }

// Message is the library's one-line description of the code.
func (c Code) Message() string { return C.GoString(C.gumloop_code_get_message(C.gumloop_code(c))) }

// String is the code's name.
func (c Code) String() string { return c.Name() }

// Error is a failed call: the library's error document, whole. Every failure this package
// returns is an *Error (errors.As(err, &e) reads it), whatever found it: the library, the server,
// or this package refusing an argument or an answer before or after the library.
//
// errors.Is tests its class against the Err* values, which follow the library's description:
// each code has one class (ErrNotFound, ErrRateLimit, ...) and its group's base class
// (ErrAPIStatus, ErrAPIConnection, ...); an *Error that ended because the call's context ended
// also matches context.Canceled or context.DeadlineExceeded.
type Error struct {
	// Code is the call's result code.
	Code Code `json:"gumloop_code"`
	// Kind is the code's name as the document gives it, e.g. "GUMLOOP_ERR_CONFLICT".
	Kind string `json:"kind"`
	// Message says what went wrong.
	Message string `json:"message"`
	// Status is the HTTP status the server answered, or 0 when no answer came.
	Status int `json:"status"`
	// ServerCode is the server's error code, e.g. "session_already_exists".
	ServerCode string `json:"code"`
	// Type is the server's error type, e.g. "invalid_request_error".
	Type string `json:"type"`
	// Param names the argument or field at fault.
	Param string `json:"param"`
	// Details are the server's or the library's details (JSON; null when none).
	Details json.RawMessage `json:"details"`
	// Retryable says whether repeating this exact call is safe and may succeed.
	Retryable bool `json:"retryable"`
	// RetryAfterMs is the wait the server asked for, when it asked.
	RetryAfterMs *int64 `json:"retry_after_ms"`
	// TraceID is the server's trace ID, when it gave one.
	TraceID string `json:"trace_id"`
	// Attempts is how many requests the call made.
	Attempts int `json:"attempts"`
	// Body is the server's whole body (JSON; a JSON string when it was not JSON).
	Body json.RawMessage `json:"body"`
	// Stream is a failed stream's summary (JSON; null for other calls).
	Stream json.RawMessage `json:"stream"`
	// Document is the error document as the library wrote it.
	Document string `json:"-"`
	// cause is what ended the call from outside the library: the context's error, or
	// ErrClosed. Unwrap returns it.
	cause error
}

// Error formats the kind, the HTTP status when there was one, and the message.
func (e *Error) Error() string {
	if e.Status != 0 {
		return fmt.Sprintf("gumloop: %s (HTTP %d): %s", e.Kind, e.Status, e.Message)
	}
	return fmt.Sprintf("gumloop: %s: %s", e.Kind, e.Message)
}

// Is reports whether target is one of the error's classes (see Error).
func (e *Error) Is(target error) bool {
	class, ok := target.(*ErrorClass)
	if !ok {
		return false
	}
	for _, c := range classesOf(e.Code) {
		if c == class {
			return true
		}
	}
	return false
}

// Unwrap is what ended the call from outside the library, if anything did: the context's error
// (context.Canceled, context.DeadlineExceeded, or both it and the context's cause), or
// ErrClosed.
func (e *Error) Unwrap() error { return e.cause }

// Class is the error's own class, e.g. ErrNotFound (nil for a code the library does not
// describe).
func (e *Error) Class() *ErrorClass {
	if classes := classesOf(e.Code); len(classes) > 0 {
		return classes[0]
	}
	return nil
}

// withContextCause marks e as ended by ctx.
func withContextCause(e *Error, ctx context.Context) *Error {
	e.cause = ctx.Err()
	if cause := context.Cause(ctx); cause != nil && cause != e.cause {
		e.cause = errors.Join(e.cause, cause)
	}
	return e
}

// errorFrom reads the error document of a failed call. A document that cannot be read still
// gives an *Error with the code, its name and the text as the message.
func errorFrom(code C.gumloop_code, document string) *Error {
	e := &Error{Code: Code(code), Document: document}
	var wrapper struct {
		Error json.RawMessage `json:"error"`
	}
	if err := json.Unmarshal([]byte(document), &wrapper); err == nil && wrapper.Error != nil {
		if err := json.Unmarshal(wrapper.Error, e); err == nil {
			return e
		}
	}
	e.Kind = e.Code.Name()
	e.Message = document
	return e
}

// callerError is an error this package finds before calling the library (a string C cannot
// carry), with a document in the library's shape.
func callerError(code Code, param, message string) *Error {
	e := &Error{Code: code, Kind: code.Name(), Param: param, Message: message}
	e.writeDocument()
	return e
}

// writeDocument sets Document from the fields, in the library's shape: every field of the
// document, null where unknown (attempts 0: nothing was sent).
func (e *Error) writeDocument() {
	fields := map[string]any{}
	text, _ := json.Marshal(e)
	_ = json.Unmarshal(text, &fields)
	for k, v := range fields {
		if v == "" || (k == "status" && v == float64(0)) {
			fields[k] = nil
		}
	}
	if e.Stream == nil {
		delete(fields, "stream")
	}
	doc, _ := json.Marshal(map[string]any{"error": fields})
	e.Document = string(doc)
}

// invalidResponse is the error for a successful answer this package cannot read.
func invalidResponse(what string, cause error, text string) *Error {
	e := callerError(CodeInvalidResponse, "", fmt.Sprintf("the answer cannot be read as %s: %v", what, cause))
	e.Body, _ = json.Marshal(text)
	e.writeDocument()
	return e
}
