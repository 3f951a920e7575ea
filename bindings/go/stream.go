package gumloop

import (
	"context"
	"encoding/json"
	"iter"
)

// A stream is an iter.Seq2[Event, error] for a range loop:
//
//	for ev, err := range client.Sessions.Stream(ctx, agentID, &gumloop.CreateParams{Input: "hi"}) {
//		if err != nil { return err }
//		if ev.Type == "text-delta" { fmt.Print(ev.Delta) }
//	}
//
// The call starts when the loop does. Each event comes once, in order, on the loop's goroutine;
// the library resumes the stream after drops and stalls without repeating or losing an event.
// The loop ends after the final event; a failure is yielded once as the error (an *Error: a
// stream that cannot be resumed is ErrStreamIncomplete, with Error.Stream summarizing it) and
// ends the loop. Leaving the loop early (break, return, a panic) cancels the call, and returns
// once the library has let go of it. The loop's body may make other calls of the client.

// stream runs one streaming operation as an iterator of decoded events.
func (s *Sessions) stream(ctx context.Context, operation string, args map[string]any) iter.Seq2[Event, error] {
	return func(yield func(Event, error) bool) {
		_, err := s.client.run(ctx, operation, args, nil, func(text string) error {
			var event Event
			if err := json.Unmarshal([]byte(text), &event); err != nil {
				return invalidResponse("a stream event", err, text)
			}
			if !yield(event, nil) {
				return errStopped
			}
			return nil
		})
		if err != nil && err != errStopped {
			yield(Event{}, err)
		}
	}
}

// Stream creates a session and streams its first run.
func (s *Sessions) Stream(ctx context.Context, agentID string, params *CreateParams) iter.Seq2[Event, error] {
	return s.stream(ctx, "stream_session", map[string]any{"agent_id": agentID, "body": fields(params, "param")})
}

// StreamMessage sends a message (or approval responses) and streams the run it starts.
func (s *Sessions) StreamMessage(ctx context.Context, sessionID string, params *SendParams) iter.Seq2[Event, error] {
	return s.stream(ctx, "stream_message", map[string]any{"session_id": sessionID, "body": fields(params, "param")})
}

// ResumeStream replays a session's events after cursor (an Event.StreamCursor seen earlier, or
// ApprovalResult.StreamCursor), then follows the run live. A run that has ended gives one
// "finish" event with FinishReason "not_resumable": Retrieve the session then.
func (s *Sessions) ResumeStream(ctx context.Context, sessionID, cursor string) iter.Seq2[Event, error] {
	return s.stream(ctx, "resume_stream", map[string]any{"session_id": sessionID, "cursor": cursor})
}
