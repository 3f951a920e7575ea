package gumloop

import (
	"context"
	"errors"
	"testing"
	"time"
)

// contextEnded checks an error of a call whose context ended: the library's *Error
// (ErrCancelled, with its document) and, through errors.Is, the context's own error.
func contextEnded(t *testing.T, err error, want error) *Error {
	t.Helper()
	e := expect(t, err, ErrCancelled, CodeCancelled)
	if !errors.Is(err, want) || !errors.Is(err, ErrAPIConnection) {
		t.Fatalf("errors.Is(%v, %v) is false", err, want)
	}
	other := context.DeadlineExceeded
	if want == context.DeadlineExceeded {
		other = context.Canceled
	}
	if errors.Is(err, other) {
		t.Fatalf("%v is also %v", err, other)
	}
	return e
}

func TestCancellingTheContextEndsAStreamAndIsContextCanceled(t *testing.T) {
	c := ada(t, nil)
	r, err := c.Sessions.Create(ctx, "agent_pro", &CreateParams{Input: "[slow:60000] long"})
	if err != nil {
		t.Fatal(err)
	}
	callCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	events := 0
	var last error
	for _, err := range c.Sessions.ResumeStream(callCtx, r.Session.ID, r.Session.ID+":1") {
		if err != nil {
			last = err
			break
		}
		events++
		cancel()
	}
	e := contextEnded(t, last, context.Canceled)
	if events == 0 || e.Stream == nil {
		t.Fatalf("cancelled after %d events: %+v", events, e)
	}
	// A call on a context that has already ended sends nothing.
	adminCall(t, "DELETE", "/requests", nil)
	_, err = c.Sessions.Retrieve(callCtx, r.Session.ID)
	contextEnded(t, err, context.Canceled)
	if n := len(requests(t)); n != 0 {
		t.Fatalf("%d requests were sent", n)
	}
}

func TestADeadlineEndsACallAndIsDeadlineExceeded(t *testing.T) {
	c := ada(t, noRetries)
	arm(t, map[string]any{"method": "GET", "path": "/api/v1/sessions/*", "delay_ms": 30000})
	callCtx, cancel := context.WithTimeout(ctx, 300*time.Millisecond)
	defer cancel()
	_, err := c.Sessions.Retrieve(callCtx, "sess_slow")
	contextEnded(t, err, context.DeadlineExceeded)
	_, err = c.Sessions.Retrieve(callCtx, "sess_slow")
	contextEnded(t, err, context.DeadlineExceeded)
}

func TestAContextCauseIsKept(t *testing.T) {
	c := ada(t, nil)
	cause := errors.New("the user went away")
	callCtx, cancel := context.WithCancelCause(ctx)
	cancel(cause)
	_, err := c.Sessions.Retrieve(callCtx, "sess_any")
	contextEnded(t, err, context.Canceled)
	if !errors.Is(err, cause) {
		t.Fatalf("the cause is lost: %v", err)
	}
}

func TestANilContextIsRefusedEverywhere(t *testing.T) {
	c := ada(t, nil)
	adminCall(t, "DELETE", "/requests", nil)
	var none context.Context
	checks := map[string]error{}
	_, checks["Retrieve"] = c.Sessions.Retrieve(none, "sess_any")
	_, checks["Request"] = c.Request(none, "GET", []string{"agents"}, nil, nil)
	for _, err := range c.Sessions.Stream(none, "agent_pro", nil) {
		checks["Stream"] = err
	}
	for _, err := range c.Agents.ListAll(none, nil) {
		checks["Agents.ListAll"] = err
	}
	_, _, checks["DownloadBytes"] = c.Artifacts.DownloadBytes(none, "art_x", nil)
	for name, err := range checks {
		if e := expect(t, err, ErrInvalidArgument, CodeNullArgument); e.Param != "ctx" {
			t.Fatalf("%s: param %q", name, e.Param)
		}
	}
	if n := len(requests(t)); n != 0 {
		t.Fatalf("%d requests were sent", n)
	}
}

func TestAClosedClientSaysSo(t *testing.T) {
	c := ada(t, nil)
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	_, err := c.Sessions.Retrieve(ctx, "sess_any")
	expect(t, err, ErrInvalidArgument, CodeInvalidArgument)
	if !errors.Is(err, ErrClosed) {
		t.Fatalf("not ErrClosed: %v", err)
	}
}
