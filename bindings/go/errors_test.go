package gumloop

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"
)

// expect checks that err is an *Error with the code, readable through errors.As, and of the
// class through errors.Is.
func expect(t *testing.T, err error, class *ErrorClass, code Code) *Error {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("want %s, got %v", code.Name(), err)
	}
	if !errors.Is(err, class) || e.Code != code || e.Kind != code.Name() {
		t.Fatalf("want %s (%s), got %s (%s)", code.Name(), class.Stem(), e.Kind, e.Message)
	}
	if e.Document == "" || !json.Valid([]byte(e.Document)) {
		t.Fatalf("the error document is kept: %q", e.Document)
	}
	return e
}

func noRetries(o *Options) { o.MaxRetries = Int(0) }

func TestCallerErrorsAreRefusedBeforeAnythingIsSent(t *testing.T) {
	c := ada(t, nil)
	adminCall(t, "DELETE", "/requests", nil)
	_, err := c.Sessions.Create(ctx, "agent_pro", &CreateParams{Name: "   "})
	if e := expect(t, err, ErrInvalidArgument, CodeInvalidArgument); e.Param != "name" {
		t.Fatalf("param %q", e.Param)
	}
	_, err = c.Sessions.Retrieve(ctx, "sess_\xff")
	if e := expect(t, err, ErrInvalidArgument, CodeInvalidUTF8); e.Param != "session_id" {
		t.Fatalf("param %q", e.Param)
	}
	_, err = c.Sessions.Create(ctx, "agent_pro", &CreateParams{Metadata: map[string]any{"k": "\xfe"}})
	if e := expect(t, err, ErrInvalidArgument, CodeInvalidUTF8); e.Param != "body.metadata.k" {
		t.Fatalf("param %q", e.Param)
	}
	_, err = c.Sessions.Create(ctx, "agent_pro", &CreateParams{Extra: map[string]any{"stream": true}})
	expect(t, err, ErrInvalidArgument, CodeUseStreamingCall)
	_, err = c.Sessions.Retrieve(nil, "sess_any") //lint:ignore SA1012 a nil context is refused
	if e := expect(t, err, ErrInvalidArgument, CodeNullArgument); e.Param != "ctx" {
		t.Fatalf("param %q", e.Param)
	}
	if n := len(requests(t)); n != 0 {
		t.Fatalf("%d requests were sent", n)
	}
}

func TestAnIDStaysOnePathSegment(t *testing.T) {
	c := ada(t, noRetries)
	adminCall(t, "DELETE", "/requests", nil)
	_, err := c.Sessions.Create(ctx, "agent\x00/../x", nil)
	expect(t, err, ErrNotFound, CodeNotFound)
	log := requests(t)
	if len(log) != 1 || log[0]["path"] != "/api/v1/agents/agent%00%2F..%2Fx/sessions" {
		t.Fatalf("requests: %v", log)
	}
}

func TestClientOptionsAreChecked(t *testing.T) {
	base, _, _ := emulatorURLs(t)
	_, err := NewClient(&Options{AccessToken: "t", BaseURL: base, Extra: map[string]any{"acess_token": "typo"}})
	if e := expect(t, err, ErrInvalidArgument, CodeInvalidOption); e.Param != "acess_token" {
		t.Fatalf("param %q", e.Param)
	}
	t.Setenv("GUMLOOP_ACCESS_TOKEN", "")
	t.Setenv("GUMLOOP_API_KEY", "")
	c, err := NewClient(&Options{BaseURL: base})
	if err == nil {
		_, err = c.Sessions.Create(ctx, "agent_pro", nil)
		_ = c.Close()
	}
	expect(t, err, ErrAuthentication, CodeNoCredentials)
}

func TestServerErrorsKeepTheirDetails(t *testing.T) {
	c := ada(t, noRetries)
	_, err := c.Sessions.Retrieve(ctx, "sess_missing")
	e := expect(t, err, ErrNotFound, CodeNotFound)
	if e.Status != 404 || e.ServerCode != "session_not_found" || e.Type != "not_found_error" || e.Body == nil {
		t.Fatalf("%+v", e)
	}
	_, err = c.Sessions.Create(ctx, "agent_private", nil)
	expect(t, err, ErrPermissionDenied, CodeForbidden)
	r, err := c.Sessions.Create(ctx, "agent_pro", &CreateParams{SessionID: "sess_go_conflict"})
	if err != nil || r.Session.ID != "sess_go_conflict" {
		t.Fatal(err)
	}
	_, err = c.Sessions.Create(ctx, "agent_pro", &CreateParams{SessionID: "sess_go_conflict"})
	if e := expect(t, err, ErrConflict, CodeConflict); e.ServerCode != "session_already_exists" || e.Retryable {
		t.Fatalf("%+v", e)
	}

	bad := ada(t, func(o *Options) { o.AccessToken = "gk_nobody" })
	_, err = bad.Sessions.Create(ctx, "agent_pro", nil)
	expect(t, err, ErrUnauthorized, CodeUnauthorized)
}

func TestFaultsBecomeTheirClasses(t *testing.T) {
	cases := []struct {
		fault map[string]any
		code  Code
		class *ErrorClass
	}{
		{map[string]any{"status": 400}, CodeBadRequest, ErrBadRequest},
		{map[string]any{"status": 413}, CodePayloadTooLarge, ErrPayloadTooLarge},
		{map[string]any{"status": 429, "retry_after": 1}, CodeRateLimited, ErrRateLimit},
		{map[string]any{"status": 500}, CodeServer, ErrInternalServer},
		{map[string]any{"status": 418}, CodeHTTPStatus, ErrAPIStatus},
		{map[string]any{"garbage": true}, CodeInvalidResponse, ErrInvalidResponse},
		{map[string]any{"reset": "before_response"}, CodeConnectionLost, ErrAPIConnection},
		{map[string]any{"redirect": "http://127.0.0.2:1/elsewhere"}, CodeRedirect, ErrAPIConnection},
	}
	for _, tc := range cases {
		t.Run(tc.code.Name(), func(t *testing.T) {
			c := ada(t, noRetries)
			fault := map[string]any{"method": "GET", "path": "/api/v1/sessions/*"}
			for k, v := range tc.fault {
				fault[k] = v
			}
			arm(t, fault)
			_, err := c.Sessions.Retrieve(ctx, "sess_any")
			e := expect(t, err, tc.class, tc.code)
			if tc.code == CodeRateLimited && (e.RetryAfterMs == nil || *e.RetryAfterMs != 1000) {
				t.Fatalf("retry_after_ms %v", e.RetryAfterMs)
			}
			// Status errors are APIStatus errors, transport errors APIConnection errors.
			if e.Status >= 400 && !errors.Is(err, ErrAPIStatus) {
				t.Fatalf("%s with HTTP %d is no ErrAPIStatus", e.Kind, e.Status)
			}
		})
	}
}

func TestLimitsAndTransport(t *testing.T) {
	c := ada(t, func(o *Options) { o.MaxResponseBytes = 64 })
	_, err := c.Sessions.Create(ctx, "agent_pro", nil)
	expect(t, err, ErrInvalidResponse, CodeResponseTooLarge)

	slow := ada(t, func(o *Options) { noRetries(o); o.Timeout = 200 * time.Millisecond })
	arm(t, map[string]any{"method": "GET", "delay_ms": 5000})
	_, err = slow.Sessions.Retrieve(ctx, "sess_any")
	expect(t, err, ErrAPITimeout, CodeTimeout)

	nowhere, err := NewClient(&Options{AccessToken: "t", BaseURL: "http://127.0.0.1:1/api/v1", MaxRetries: new(int)})
	if err != nil {
		t.Fatal(err)
	}
	defer nowhere.Close()
	_, err = nowhere.Sessions.Retrieve(ctx, "sess_any")
	expect(t, err, ErrAPIConnection, CodeConnect)

	base, _, _ := emulatorURLs(t)
	tls, err := NewClient(&Options{AccessToken: "t", BaseURL: strings.Replace(base, "http://", "https://", 1), MaxRetries: new(int)})
	if err != nil {
		t.Fatal(err)
	}
	defer tls.Close()
	_, err = tls.Sessions.Retrieve(ctx, "sess_any")
	expect(t, err, ErrAPIConnection, CodeTLS)
}

func TestStreamsThatCannotResumeAreIncomplete(t *testing.T) {
	c := ada(t, nil)
	arm(t, map[string]any{"listener": "stream", "drop_stream_after": 0, "times": 100})
	var last error
	for _, err := range c.Sessions.Stream(ctx, "agent_pro", &CreateParams{Input: "[words:200] [slow:4000] x"}) {
		last = err
	}
	e := expect(t, last, ErrStreamIncomplete, CodeStreamIncomplete)
	if e.Stream == nil {
		t.Fatal("the stream summary is in the error")
	}
}

func TestALoopBodyMayCallTheClient(t *testing.T) {
	c := ada(t, nil)
	calls, final := 0, false
	for e, err := range c.Sessions.Stream(ctx, "agent_pro", &CreateParams{Input: "[words:3] x"}) {
		if err != nil {
			t.Fatal(err)
		}
		if e.Type == "interaction-ready" {
			calls++
			r, err := c.Sessions.Create(ctx, "agent_pro", nil)
			if err != nil || r.Session.State != "idle" {
				t.Fatalf("a call from the loop: %+v, %v", r, err)
			}
		}
		final = final || e.Final
	}
	if calls != 1 || !final {
		t.Fatalf("%d calls, final %v", calls, final)
	}
}

func TestCodesHaveNamesAndMessages(t *testing.T) {
	if CodeNotFound.Name() != "GUMLOOP_ERR_NOT_FOUND" || CodeNotFound.Message() == "" || CodeOK != 0 {
		t.Fatal(CodeNotFound.Name())
	}
	if ErrInternal.Stem() != "Internal" || ErrInternal.Error() == "" {
		t.Fatal("classes carry their stems")
	}
}

func TestABodyThatCannotBeJSONIsRefused(t *testing.T) {
	c := ada(t, nil)
	_, err := c.Sessions.Create(ctx, "agent_pro", &CreateParams{Extra: map[string]any{"x": make(chan int)}})
	if e := expect(t, err, ErrInvalidArgument, CodeInvalidJSON); e.Param != "args_json" {
		t.Fatalf("param %q", e.Param)
	}
}
