package gumloop

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

// expect checks that err is an *Error with the code, readable through errors.As and errors.Is.
func expect(t *testing.T, err error, want *Error) *Error {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("want %s, got %v", want.Kind, err)
	}
	if !errors.Is(err, want) || e.Code != want.Code || e.Kind != want.Code.Name() {
		t.Fatalf("want %s, got %s (%s)", want.Kind, e.Kind, e.Message)
	}
	if e.Document == "" || !json.Valid([]byte(e.Document)) {
		t.Fatalf("the error document is kept: %q", e.Document)
	}
	return e
}

func noRetries(o *Options) { zero := 0; o.MaxRetries = &zero }

func TestCallerErrorsAreRefusedBeforeAnythingIsSent(t *testing.T) {
	c := ada(t, nil)
	adminCall(t, "DELETE", "/requests", nil)
	_, err := c.Sessions.Create(ctx, "agent_pro", &CreateParams{Name: "   "})
	if e := expect(t, err, ErrInvalidArgument); e.Param != "name" {
		t.Fatalf("param %q", e.Param)
	}
	_, err = c.Sessions.Retrieve(ctx, "sess_\xff")
	if e := expect(t, err, ErrInvalidUTF8); e.Param != "session_id" {
		t.Fatalf("param %q", e.Param)
	}
	_, err = c.Sessions.Create(ctx, "agent_pro", &CreateParams{Metadata: map[string]any{"k": "\xfe"}})
	if e := expect(t, err, ErrInvalidUTF8); e.Param != "body.metadata.k" {
		t.Fatalf("param %q", e.Param)
	}
	_, err = c.Sessions.Create(ctx, "agent_pro", &CreateParams{Extra: map[string]any{"stream": true}})
	expect(t, err, ErrUseStreamingCall)
	_, err = c.Sessions.Stream(ctx, "agent_pro", nil, nil)
	expect(t, err, ErrNullArgument)
	if n := len(requests(t)); n != 0 {
		t.Fatalf("%d requests were sent", n)
	}
}

func TestAnIDStaysOnePathSegment(t *testing.T) {
	c := ada(t, noRetries)
	adminCall(t, "DELETE", "/requests", nil)
	_, err := c.Sessions.Create(ctx, "agent\x00/../x", nil)
	expect(t, err, ErrNotFound)
	log := requests(t)
	if len(log) != 1 || log[0]["path"] != "/api/v1/agents/agent%00%2F..%2Fx/sessions" {
		t.Fatalf("requests: %v", log)
	}
}

func TestClientOptionsAreChecked(t *testing.T) {
	base, _, _ := emulatorURLs(t)
	_, err := NewClient(&Options{AccessToken: "t", BaseURL: base, Extra: map[string]any{"acess_token": "typo"}})
	if e := expect(t, err, ErrInvalidOption); e.Param != "acess_token" {
		t.Fatalf("param %q", e.Param)
	}
	t.Setenv("GUMLOOP_ACCESS_TOKEN", "")
	t.Setenv("GUMLOOP_API_KEY", "")
	c, err := NewClient(&Options{BaseURL: base})
	if err == nil {
		_, err = c.Sessions.Create(ctx, "agent_pro", nil)
		_ = c.Close()
	}
	expect(t, err, ErrNoCredentials)
}

func TestServerErrorsKeepTheirDetails(t *testing.T) {
	c := ada(t, noRetries)
	_, err := c.Sessions.Retrieve(ctx, "sess_missing")
	e := expect(t, err, ErrNotFound)
	if e.Status != 404 || e.ServerCode != "session_not_found" || e.Type != "not_found_error" || e.Body == nil {
		t.Fatalf("%+v", e)
	}
	_, err = c.Sessions.Create(ctx, "agent_private", nil)
	expect(t, err, ErrForbidden)
	r, err := c.Sessions.Create(ctx, "agent_pro", &CreateParams{SessionID: "sess_go_conflict"})
	if err != nil || r.Session.ID != "sess_go_conflict" {
		t.Fatal(err)
	}
	_, err = c.Sessions.Create(ctx, "agent_pro", &CreateParams{SessionID: "sess_go_conflict"})
	if e := expect(t, err, ErrConflict); e.ServerCode != "session_already_exists" || e.Retryable {
		t.Fatalf("%+v", e)
	}

	bad := ada(t, func(o *Options) { o.AccessToken = "gk_nobody" })
	_, err = bad.Sessions.Create(ctx, "agent_pro", nil)
	expect(t, err, ErrUnauthorized)
}

func TestFaultsBecomeTheirKinds(t *testing.T) {
	cases := []struct {
		fault map[string]any
		want  *Error
	}{
		{map[string]any{"status": 400}, ErrBadRequest},
		{map[string]any{"status": 413}, ErrPayloadTooLarge},
		{map[string]any{"status": 429, "retry_after": 1}, ErrRateLimited},
		{map[string]any{"status": 500}, ErrServer},
		{map[string]any{"status": 418}, ErrHTTPStatus},
		{map[string]any{"garbage": true}, ErrInvalidResponse},
		{map[string]any{"reset": "before_response"}, ErrConnectionLost},
		{map[string]any{"redirect": "http://127.0.0.2:1/elsewhere"}, ErrRedirect},
	}
	for _, tc := range cases {
		t.Run(tc.want.Kind, func(t *testing.T) {
			c := ada(t, noRetries)
			fault := map[string]any{"method": "GET", "path": "/api/v1/sessions/*"}
			for k, v := range tc.fault {
				fault[k] = v
			}
			arm(t, fault)
			_, err := c.Sessions.Retrieve(ctx, "sess_any")
			e := expect(t, err, tc.want)
			if tc.want == ErrRateLimited && (e.RetryAfterMs == nil || *e.RetryAfterMs != 1000) {
				t.Fatalf("retry_after_ms %v", e.RetryAfterMs)
			}
		})
	}
}

func TestLimitsAndTransport(t *testing.T) {
	c := ada(t, func(o *Options) { o.MaxResponseBytes = 64 })
	_, err := c.Sessions.Create(ctx, "agent_pro", nil)
	expect(t, err, ErrResponseTooLarge)

	slow := ada(t, func(o *Options) { noRetries(o); o.Timeout = 200 * time.Millisecond })
	arm(t, map[string]any{"method": "GET", "delay_ms": 5000})
	_, err = slow.Sessions.Retrieve(ctx, "sess_any")
	expect(t, err, ErrTimeout)

	nowhere, err := NewClient(&Options{AccessToken: "t", BaseURL: "http://127.0.0.1:1/api/v1", MaxRetries: new(int)})
	if err != nil {
		t.Fatal(err)
	}
	defer nowhere.Close()
	_, err = nowhere.Sessions.Retrieve(ctx, "sess_any")
	expect(t, err, ErrConnect)

	base, _, _ := emulatorURLs(t)
	tls, err := NewClient(&Options{AccessToken: "t", BaseURL: strings.Replace(base, "http://", "https://", 1), MaxRetries: new(int)})
	if err != nil {
		t.Fatal(err)
	}
	defer tls.Close()
	_, err = tls.Sessions.Retrieve(ctx, "sess_any")
	expect(t, err, ErrTLS)
}

func TestStreamsThatCannotResumeAreIncomplete(t *testing.T) {
	c := ada(t, nil)
	arm(t, map[string]any{"listener": "stream", "drop_stream_after": 0, "times": 100})
	_, err := c.Sessions.Stream(ctx, "agent_pro", &CreateParams{Input: "[words:200] [slow:4000] x"}, func(Event) error { return nil })
	e := expect(t, err, ErrStreamIncomplete)
	if e.Stream == nil {
		t.Fatal("the stream summary is in the error")
	}
}

func TestCancellingTheContextEndsTheCall(t *testing.T) {
	c := ada(t, nil)
	r, err := c.Sessions.Create(ctx, "agent_pro", &CreateParams{Input: "[slow:60000] long"})
	if err != nil {
		t.Fatal(err)
	}
	callCtx, cancel := context.WithCancel(ctx)
	events := 0
	_, err = c.Sessions.ResumeStream(callCtx, r.Session.ID, r.Session.ID+":1", func(Event) error {
		events++
		cancel()
		return nil
	})
	e := expect(t, err, ErrCancelled)
	if events == 0 || e.Stream == nil {
		t.Fatalf("cancelled after %d events: %+v", events, e)
	}
	_, err = c.Sessions.Retrieve(callCtx, r.Session.ID)
	expect(t, err, ErrCancelled)
}

func TestAHandlerMayCallTheClient(t *testing.T) {
	c := ada(t, nil)
	calls := 0
	summary, err := c.Sessions.Stream(ctx, "agent_pro", &CreateParams{Input: "[words:3] x"}, func(e Event) error {
		if e.Type == "interaction-ready" {
			calls++
			r, err := c.Sessions.Create(ctx, "agent_pro", nil)
			if err != nil || r.Session.State != "idle" {
				return fmt.Errorf("a call from the handler: %+v, %v", r, err)
			}
		}
		return nil
	})
	if err != nil || calls != 1 || !summary.Final {
		t.Fatalf("%d calls, %+v, %v", calls, summary, err)
	}
}

func TestCodesHaveNamesAndMessages(t *testing.T) {
	if CodeNotFound.Name() != "GUMLOOP_ERR_NOT_FOUND" || CodeNotFound.Message() == "" || CodeOK != 0 {
		t.Fatal(CodeNotFound.Name())
	}
	if ErrInternal.Code != CodeInternal {
		t.Fatal("sentinels carry their codes")
	}
}

func TestABodyThatCannotBeJSONIsRefused(t *testing.T) {
	c := ada(t, nil)
	_, err := c.Sessions.Create(ctx, "agent_pro", &CreateParams{Extra: map[string]any{"x": make(chan int)}})
	if e := expect(t, err, ErrInvalidJSON); e.Param != "args_json" {
		t.Fatalf("param %q", e.Param)
	}
}
