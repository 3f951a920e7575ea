package gumloop

import (
	"encoding/json"
	"reflect"
	"time"
)

// Options configure a Client. Each field carries the library's option name in its `option` tag;
// a zero field (empty string, 0, nil) is left out, so the library's default and the environment
// (GUMLOOP_ACCESS_TOKEN, GUMLOOP_USER_ID, GUMLOOP_TEAM_ID, GUMLOOP_BASE_URL,
// GUMLOOP_STREAM_BASE_URL) apply; explicit options win. Booleans are *bool, so that false can be
// said: use Bool(false).
type Options struct {
	// AccessToken is the bearer credential (a personal or team API key, or an OAuth token).
	AccessToken string `option:"access_token"`
	// APIKey is the official SDK's other name for the credential; AccessToken wins.
	APIKey string `option:"api_key"`
	// UserID is sent as x-auth-key with personal keys.
	UserID string `option:"user_id"`
	// TeamID scopes requests to a team.
	TeamID string `option:"team_id"`
	// BaseURL is the REST base URL, e.g. "https://api.gumloop.com/api/v1".
	BaseURL string `option:"base_url"`
	// StreamBaseURL is the streaming host's base URL (derived from BaseURL when empty).
	StreamBaseURL string `option:"stream_base_url"`
	// Timeout bounds a whole request (library default 90 s).
	Timeout time.Duration `option:"timeout_ms"`
	// ConnectTimeout bounds connecting (library default 30 s).
	ConnectTimeout time.Duration `option:"connect_timeout_ms"`
	// StreamIdleTimeout is how long a stream may stay silent before it is resumed.
	StreamIdleTimeout time.Duration `option:"stream_idle_timeout_ms"`
	// CACertPEM adds trusted roots, as PEM text.
	CACertPEM string `option:"ca_cert_pem"`
	// CACertPath adds trusted roots from a PEM file.
	CACertPath string `option:"ca_cert_path"`
	// Proxy is a proxy URL for every request.
	Proxy string `option:"proxy"`
	// UseEnvProxy says whether HTTPS_PROXY, HTTP_PROXY and NO_PROXY apply when Proxy is empty
	// (library default true; Bool(false) turns them off).
	UseEnvProxy *bool `option:"use_env_proxy"`
	// UserAgentSuffix is appended to the User-Agent header.
	UserAgentSuffix string `option:"user_agent_suffix"`
	// MaxResponseBytes caps an answer's size (library default 16 MiB).
	MaxResponseBytes int64 `option:"max_response_bytes"`
	// MaxUploadBytes caps an uploaded file's size, checked before anything is sent.
	MaxUploadBytes int64 `option:"max_upload_bytes"`
	// AllowInsecureHTTP permits plain http:// to hosts other than loopback (default false).
	AllowInsecureHTTP *bool `option:"allow_insecure_http"`
	// ExtraHeaders are sent with every request.
	ExtraHeaders map[string]string `option:"extra_headers"`
	// MaxRetries is the most repeats of a request where repeating is safe; nil keeps the
	// library's default (2), Int(0) turns retries off.
	MaxRetries *int `option:"max_retries"`
	// MaxBackoff is the longest wait between attempts.
	MaxBackoff time.Duration `option:"max_backoff_ms"`
	// AutoSessionID gives every create a generated session_id, so that it is created exactly
	// once even when its answer is lost (default false).
	AutoSessionID *bool `option:"auto_session_id"`
	// RefreshToken and ClientID turn on refresh on 401: a call that meets 401 refreshes the
	// access token once (one refresh for all calls that met it together) and is repeated once.
	RefreshToken string `option:"refresh_token"`
	// ClientID is the OAuth client's ID (alone, it makes a client for signing in).
	ClientID string `option:"client_id"`
	// ClientSecret is the OAuth client's secret, for clients that have one.
	ClientSecret string `option:"client_secret"`
	// OnTokens receives the pair of each refresh (the refresh token rotates: store it), on a
	// goroutine of this package, one pair at a time, after the call that caused it.
	OnTokens func(Tokens)
	// Extra holds options this package does not name yet; they are sent as given, and the
	// library refuses names it does not know.
	Extra map[string]any
}

// Bool is a pointer to v, for the *bool fields of Options and of call parameters.
func Bool(v bool) *bool { return &v }

// Int is a pointer to v, for Options.MaxRetries.
func Int(v int) *int { return &v }

var durationType = reflect.TypeOf(time.Duration(0))

// json is the options object the library reads: every non-zero tagged field under its option
// name (durations in milliseconds), then Extra's entries.
func (o *Options) json() ([]byte, error) {
	m := fields(o, "option")
	if err := checkText(m, ""); err != nil {
		return nil, err
	}
	return json.Marshal(m)
}
