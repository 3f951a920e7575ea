package gumloop

import (
	"bytes"
	"encoding/json"
	"net/http"
	"os"
	"testing"
)

// The suite runs under scripts/with-emulator.sh, which exports the emulator's URLs.
func emulatorURLs(t *testing.T) (base, stream, admin string) {
	t.Helper()
	base, stream, admin = os.Getenv("GUMLOOP_BASE_URL"), os.Getenv("GUMLOOP_STREAM_BASE_URL"), os.Getenv("GUMLOOP_EMULATOR_ADMIN")
	if base == "" || stream == "" || admin == "" {
		t.Fatal("GUMLOOP_BASE_URL, GUMLOOP_STREAM_BASE_URL and GUMLOOP_EMULATOR_ADMIN must be set: run under scripts/with-emulator.sh (make test-go does)")
	}
	return base, stream, admin
}

// adminCall sends one request to the emulator's admin API and decodes its JSON answer.
func adminCall(t *testing.T, method, path string, body any) map[string]any {
	t.Helper()
	_, _, admin := emulatorURLs(t)
	var reader *bytes.Reader
	if body != nil {
		data, err := json.Marshal(body)
		if err != nil {
			t.Fatal(err)
		}
		reader = bytes.NewReader(data)
	} else {
		reader = bytes.NewReader(nil)
	}
	request, err := http.NewRequest(method, admin+path, reader)
	if err != nil {
		t.Fatal(err)
	}
	request.Header.Set("content-type", "application/json")
	response, err := http.DefaultClient.Do(request)
	if err != nil {
		t.Fatal(err)
	}
	defer response.Body.Close()
	if response.StatusCode >= 300 {
		t.Fatalf("admin %s %s: HTTP %d", method, path, response.StatusCode)
	}
	out := map[string]any{}
	_ = json.NewDecoder(response.Body).Decode(&out)
	return out
}

// arm arms one emulator fault.
func arm(t *testing.T, fault map[string]any) { adminCall(t, "POST", "/faults", fault) }

// requests is the emulator's request log.
func requests(t *testing.T) []map[string]any {
	log := adminCall(t, "GET", "/requests", nil)
	var out []map[string]any
	for _, r := range log["requests"].([]any) {
		out = append(out, r.(map[string]any))
	}
	return out
}

// ada is a client with Ada's personal key against the emulator; the emulator is reset first.
func ada(t *testing.T, tweak func(*Options)) *Client {
	t.Helper()
	base, stream, _ := emulatorURLs(t)
	adminCall(t, "POST", "/reset", nil)
	opts := &Options{AccessToken: "gk_personal_ada", UserID: "user_ada", BaseURL: base, StreamBaseURL: stream}
	if tweak != nil {
		tweak(opts)
	}
	c, err := NewClient(opts)
	if err != nil {
		t.Fatalf("NewClient: %v", err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return c
}
