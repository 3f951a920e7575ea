package gumloop

import (
	"context"
	"encoding/json"
	"errors"
)

// EventHandler receives each stream event once, in order, on the goroutine that made the
// streaming call. Returning a non-nil error stops the stream: the call then returns that error.
// A handler may make other calls of the client.
type EventHandler func(Event) error

// ErrStop may be returned by an EventHandler to stop a stream without an error of its own: the
// call then returns ErrStop.
var ErrStop = errors.New("gumloop: stream stopped by the handler")

// stream runs one streaming operation, decoding each event for the handler.
func (s *Sessions) stream(ctx context.Context, operation string, args map[string]any, handler EventHandler) (*StreamSummary, error) {
	if handler == nil {
		return nil, callerError(CodeNullArgument, "handler", "the event handler must not be nil")
	}
	text, err := s.client.run(ctx, operation, args, nil, func(text string) error {
		event := Event{}
		if err := json.Unmarshal([]byte(text), &event); err != nil {
			return invalidResponse("a stream event", err, text)
		}
		event.Raw = json.RawMessage(text)
		return handler(event)
	})
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
	return s.stream(ctx, "stream_session", map[string]any{"agent_id": agentID, "body": params.fields()}, handler)
}

// StreamMessage sends a message (or approval responses) and streams the run it starts.
func (s *Sessions) StreamMessage(ctx context.Context, sessionID string, params *SendParams, handler EventHandler) (*StreamSummary, error) {
	return s.stream(ctx, "stream_message", map[string]any{"session_id": sessionID, "body": params.fields()}, handler)
}

// ResumeStream replays a session's events after cursor (a StreamCursor seen earlier), then
// follows the run live.
func (s *Sessions) ResumeStream(ctx context.Context, sessionID, cursor string, handler EventHandler) (*StreamSummary, error) {
	return s.stream(ctx, "resume_stream", map[string]any{"session_id": sessionID, "cursor": cursor}, handler)
}
