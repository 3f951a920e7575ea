package gumloop

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/url"
	"strings"
	"sync"
	"testing"
)

const redirectURI = "http://127.0.0.1:8765/callback"

// signIn goes through the authorization step as a user would (the emulator approves without a
// browser) and exchanges the code.
func signIn(t *testing.T) *Tokens {
	t.Helper()
	base, _, _ := emulatorURLs(t)
	adminCall(t, "POST", "/reset", nil)
	auth, err := BuildAuthorizationURL(AuthorizationParams{ClientID: "gumloop_cli", RedirectURI: redirectURI, Scopes: []string{"gumloop_api", "userinfo"}, BaseURL: base})
	if err != nil {
		t.Fatal(err)
	}
	u, err := url.Parse(auth.URL)
	if err != nil || u.Path != "/oauth/authorize" {
		t.Fatalf("url %q: %v", auth.URL, err)
	}
	q := u.Query()
	want := map[string]string{"response_type": "code", "client_id": "gumloop_cli", "redirect_uri": redirectURI, "scope": "gumloop_api userinfo", "state": auth.State, "code_challenge_method": "S256"}
	for k, v := range want {
		if q.Get(k) != v {
			t.Fatalf("%s = %q, want %q", k, q.Get(k), v)
		}
	}
	if len(q.Get("code_challenge")) != 43 || len(auth.CodeVerifier) < 43 {
		t.Fatalf("PKCE: %q / %q", q.Get("code_challenge"), auth.CodeVerifier)
	}
	approved := adminCall(t, "POST", "/oauth/approve", map[string]any{"url": auth.URL})
	if approved["state"] != auth.State {
		t.Fatalf("approve: %v", approved)
	}
	signer, err := NewClient(&Options{ClientID: "gumloop_cli", BaseURL: base})
	if err != nil {
		t.Fatal(err)
	}
	defer signer.Close()
	tokens, err := signer.OAuth.ExchangeCode(ctx, ExchangeParams{ClientID: "gumloop_cli", Code: approved["code"].(string), RedirectURI: redirectURI, CodeVerifier: auth.CodeVerifier})
	if err != nil || tokens.AccessToken == "" || tokens.RefreshToken == "" {
		t.Fatalf("exchange: %+v, %v", tokens, err)
	}
	return tokens
}

func TestAnExpiredTokenIsRefreshedOnceForTenCallsAndTheNewPairHandedOver(t *testing.T) {
	tokens := signIn(t)
	base, stream, _ := emulatorURLs(t)
	handed := make(chan Tokens, 10)
	c, err := NewClient(&Options{AccessToken: tokens.AccessToken, RefreshToken: tokens.RefreshToken, ClientID: "gumloop_cli", BaseURL: base, StreamBaseURL: stream,
		OnTokens: func(t Tokens) { handed <- t }})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	adminCall(t, "POST", "/oauth/expire", nil)
	var wg sync.WaitGroup
	for i := 0; i < 10; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := c.Agents.Retrieve(ctx, "gumball"); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if counts := adminCall(t, "GET", "/oauth", nil); counts["refreshes"] != float64(1) {
		t.Fatalf("refreshes: %v", counts)
	}
	got := <-handed
	if got.RefreshToken == "" || got.RefreshToken == tokens.RefreshToken || got.AccessToken == tokens.AccessToken {
		t.Fatalf("the new pair: %+v", got)
	}
	if len(handed) != 0 {
		t.Fatalf("%d more pairs handed over", len(handed))
	}
}

func TestARevokedRefreshTokenIsAClearError(t *testing.T) {
	tokens := signIn(t)
	base, _, _ := emulatorURLs(t)
	c, err := NewClient(&Options{ClientID: "gumloop_cli", BaseURL: base})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.OAuth.Revoke(ctx, "gumloop_cli", tokens.RefreshToken); err != nil {
		t.Fatal(err)
	}
	_, err = c.OAuth.RefreshToken(ctx, "gumloop_cli", tokens.RefreshToken, "")
	if e := expect(t, err, ErrBadRequest, CodeBadRequest); e.ServerCode != "invalid_grant" {
		t.Fatalf("%+v", e)
	}
	// A client with only a client ID has no credential for the API: nothing is sent.
	_, err = c.Agents.Retrieve(ctx, "gumball")
	expect(t, err, ErrAuthentication, CodeNoCredentials)
}

func TestCredentialsChangeOnALiveClient(t *testing.T) {
	c := ada(t, func(o *Options) { o.AccessToken = "gk_nobody" })
	_, err := c.Agents.Retrieve(ctx, "agent_pro")
	expect(t, err, ErrUnauthorized, CodeUnauthorized)
	if !errors.Is(err, ErrAuthentication) {
		t.Fatal("an unauthorized call is an authentication error")
	}
	generation, err := c.SetCredentials(Credentials{AccessToken: String("gk_personal_ada")})
	if err != nil || generation == 0 {
		t.Fatalf("set: %d, %v", generation, err)
	}
	if _, err := c.Agents.Retrieve(ctx, "agent_pro"); err != nil {
		t.Fatal(err)
	}
	_, err = c.SetCredentials(Credentials{UserID: String("user\r\nx")})
	expect(t, err, ErrInvalidArgument, CodeInvalidArgument)
	if _, err := c.Agents.Retrieve(ctx, "agent_pro"); err != nil {
		t.Fatalf("a refused change changed something: %v", err)
	}
}

// handlerFunc collects records.
type collect struct {
	mu      sync.Mutex
	records []slog.Record
}

func (c *collect) Enabled(context.Context, slog.Level) bool { return true }
func (c *collect) Handle(_ context.Context, r slog.Record) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.records = append(c.records, r)
	return nil
}
func (c *collect) WithAttrs([]slog.Attr) slog.Handler { return c }
func (c *collect) WithGroup(string) slog.Handler      { return c }

func TestA503Then200CallLogsTwoAttempts(t *testing.T) {
	c := ada(t, nil)
	records := &collect{}
	if err := SetLogger(slog.New(records)); err != nil {
		t.Fatal(err)
	}
	defer SetLogger(nil)
	arm(t, map[string]any{"method": "GET", "path": "/api/v1/agents/agent_pro", "status": 503})
	if _, err := c.Agents.Retrieve(ctx, "agent_pro"); err != nil {
		t.Fatal(err)
	}
	records.mu.Lock()
	defer records.mu.Unlock()
	var attempts []string
	var text bytes.Buffer
	for _, r := range records.records {
		attrs := map[string]string{}
		r.Attrs(func(a slog.Attr) bool { attrs[a.Key] = a.Value.String(); return true })
		text.WriteString(r.Message + " " + strings.Join([]string{attrs["event"], attrs["status"], attrs["operation"]}, " ") + "\n")
		if attrs["event"] == "attempt" && attrs["operation"] == "get_agent" {
			attempts = append(attempts, attrs["status"]+"@"+attrs["attempt"]+"/"+r.Level.String())
		}
	}
	if len(attempts) != 2 || attempts[0] != "503@1/INFO" || attempts[1] != "200@2/DEBUG" {
		t.Fatalf("attempts %v; records:\n%s", attempts, text.String())
	}
	if strings.Contains(text.String(), "gk_personal_ada") || strings.Contains(text.String(), "user_ada") {
		t.Fatal("a record holds a secret")
	}
}
