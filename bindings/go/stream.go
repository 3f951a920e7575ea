package gumloop

/*
#include <stddef.h>
#include "gumloop.h"

gumloop_event_callback gumloop_go_callback(void);
*/
import "C"

import (
	"context"
	"encoding/json"
	"errors"
	"runtime/cgo"
	"unsafe"
)

// EventHandler receives each stream event once, in order, on the goroutine that made the
// streaming call. Returning a non-nil error stops the stream: the call then returns that error.
type EventHandler func(Event) error

// ErrStop may be returned by an EventHandler to stop a stream without an error of its own: the
// call then returns ErrStop.
var ErrStop = errors.New("gumloop: stream stopped by the handler")

// streamState is what the C callback reaches through its user data.
type streamState struct {
	handler  EventHandler
	err      error
	panicked any
	didPanic bool
}

//export goStreamEvent
func goStreamEvent(userData unsafe.Pointer, eventJSON *C.char, length C.size_t) (stop C.int) {
	state := (*(*cgo.Handle)(userData)).Value().(*streamState)
	defer func() {
		// A panic must not unwind through the library's frames: it is kept and raised again
		// once the C call has returned.
		if r := recover(); r != nil {
			state.panicked, state.didPanic = r, true
			stop = 1
		}
	}()
	text := C.GoStringN(eventJSON, C.int(length))
	event := Event{}
	if err := json.Unmarshal([]byte(text), &event); err != nil {
		state.err = invalidResponse("a stream event", err, text)
		return 1
	}
	event.Raw = json.RawMessage(text)
	if err := state.handler(event); err != nil {
		state.err = err
		return 1
	}
	return 0
}

// stream runs one streaming call: start is given the C callback and its user data.
func (s *Sessions) stream(ctx context.Context, handler EventHandler, args []arg,
	start func(h *C.gumloop_client, p []*C.char, cb C.gumloop_event_callback, data unsafe.Pointer, t *C.gumloop_cancel_token, out **C.char) C.gumloop_code) (*StreamSummary, error) {
	callback := C.gumloop_go_callback()
	if handler == nil {
		// The library refuses a NULL callback with GUMLOOP_ERR_NULL_ARGUMENT.
		callback = nil
	}
	state := &streamState{handler: handler}
	handle := cgo.NewHandle(state)
	defer handle.Delete()
	text, err := s.client.call(ctx, args, func(h *C.gumloop_client, p []*C.char, t *C.gumloop_cancel_token, out **C.char) C.gumloop_code {
		return start(h, p, callback, unsafe.Pointer(&handle), t, out)
	})
	if state.didPanic {
		panic(state.panicked)
	}
	if state.err != nil {
		return nil, state.err
	}
	if err != nil {
		return nil, err
	}
	summary := &StreamSummary{}
	if err := json.Unmarshal([]byte(text), summary); err != nil {
		return nil, invalidResponse("a stream summary", err, text)
	}
	return summary, nil
}

// Stream creates a session and streams its first run to handler, resuming automatically after
// drops and stalls. It returns when the run's final event has been handled.
func (s *Sessions) Stream(ctx context.Context, agentID string, params *CreateParams, handler EventHandler) (*StreamSummary, error) {
	body, err := params.body()
	if err != nil {
		return nil, callerError(CodeInvalidJSON, "body_json", err.Error())
	}
	return s.stream(ctx, handler, []arg{{"agent_id", agentID}, {"body_json", string(body)}}, func(h *C.gumloop_client, p []*C.char, cb C.gumloop_event_callback, d unsafe.Pointer, t *C.gumloop_cancel_token, out **C.char) C.gumloop_code {
		return C.gumloop_client_stream_session(h, p[0], p[1], cb, d, t, out)
	})
}

// StreamMessage sends a message (or approval responses) and streams the run it starts.
func (s *Sessions) StreamMessage(ctx context.Context, sessionID string, params *SendParams, handler EventHandler) (*StreamSummary, error) {
	body, err := params.body()
	if err != nil {
		return nil, callerError(CodeInvalidJSON, "body_json", err.Error())
	}
	return s.stream(ctx, handler, []arg{{"session_id", sessionID}, {"body_json", string(body)}}, func(h *C.gumloop_client, p []*C.char, cb C.gumloop_event_callback, d unsafe.Pointer, t *C.gumloop_cancel_token, out **C.char) C.gumloop_code {
		return C.gumloop_client_stream_message(h, p[0], p[1], cb, d, t, out)
	})
}

// ResumeStream replays a session's events after cursor (a StreamCursor seen earlier), then
// follows the run live.
func (s *Sessions) ResumeStream(ctx context.Context, sessionID, cursor string, handler EventHandler) (*StreamSummary, error) {
	return s.stream(ctx, handler, []arg{{"session_id", sessionID}, {"cursor", cursor}}, func(h *C.gumloop_client, p []*C.char, cb C.gumloop_event_callback, d unsafe.Pointer, t *C.gumloop_cancel_token, out **C.char) C.gumloop_code {
		return C.gumloop_client_resume_stream(h, p[0], p[1], cb, d, t, out)
	})
}
