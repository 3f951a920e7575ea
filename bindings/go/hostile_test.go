package gumloop

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// deepServer answers every request with HTTP 200 and a JSON object nested 100,000 deep, as a
// hostile or broken server might (the emulator serves only sane answers).
func deepServer(t *testing.T) string {
	t.Helper()
	const depth = 100_000
	body := strings.Repeat(`{"a":`, depth) + "1" + strings.Repeat("}", depth)
	server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("accept") == "text/event-stream" {
			w.Header().Set("content-type", "text/event-stream")
			_, _ = w.Write([]byte("data: " + body + "\n\n"))
			return
		}
		w.Header().Set("content-type", "application/json")
		_, _ = w.Write([]byte(body))
	}))
	t.Cleanup(server.Close)
	return server.URL + "/api/v1"
}

func TestADeeplyNestedAnswerIsThePackagesOwnError(t *testing.T) {
	base := deepServer(t)
	c, err := NewClient(&Options{AccessToken: "t", BaseURL: base, StreamBaseURL: base, MaxRetries: Int(0)})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	checks := map[string]error{}
	_, checks["Sessions.Retrieve"] = c.Sessions.Retrieve(ctx, "sess_deep")
	_, checks["Sessions.List"] = c.Sessions.List(ctx, "agent_x", nil)
	_, checks["Agents.Retrieve"] = c.Agents.Retrieve(ctx, "agent_x")
	_, checks["Sessions.ListQueue"] = c.Sessions.ListQueue(ctx, "sess_deep")
	_, _, checks["Artifacts.DownloadBytes"] = c.Artifacts.DownloadBytes(ctx, "art_deep", nil)
	for _, err := range c.Agents.ListAll(ctx, nil) {
		checks["Agents.ListAll"] = err
	}
	for _, err := range c.Sessions.ResumeStream(ctx, "sess_deep", "sess_deep:1") {
		checks["Sessions.ResumeStream"] = err
	}
	for name, err := range checks {
		var e *Error
		if !errors.As(err, &e) || !errors.Is(err, ErrInvalidResponse) {
			t.Errorf("%s: %T %v", name, err, err)
		}
	}
}
