package gumloop

/*
#include <stdlib.h>
#include "gumloop.h"
*/
import "C"

import (
	"context"
	"encoding/json"
	"errors"
	"runtime"
	"strings"
	"sync"
	"time"
)

// Options configure a Client. Zero fields are left out, so the library's defaults and the
// environment (GUMLOOP_ACCESS_TOKEN, GUMLOOP_USER_ID, GUMLOOP_TEAM_ID, GUMLOOP_BASE_URL,
// GUMLOOP_STREAM_BASE_URL) apply; explicit options win.
type Options struct {
	// AccessToken is the bearer credential (a personal or team API key, or an OAuth token).
	AccessToken string
	// UserID is sent as x-auth-key with personal keys.
	UserID string
	// TeamID scopes requests to a team.
	TeamID string
	// BaseURL is the REST base URL, e.g. "https://api.gumloop.com/api/v1".
	BaseURL string
	// StreamBaseURL is the streaming host's base URL (derived from BaseURL when empty).
	StreamBaseURL string
	// Timeout bounds a whole request (library default 90 s).
	Timeout time.Duration
	// ConnectTimeout bounds connecting (library default 30 s).
	ConnectTimeout time.Duration
	// StreamIdleTimeout is how long a stream may stay silent before it is resumed.
	StreamIdleTimeout time.Duration
	// CACertPEM and CACertPath add trusted roots (PEM text, or a PEM file).
	CACertPEM, CACertPath string
	// Proxy is a proxy URL.
	Proxy string
	// UserAgentSuffix is appended to the User-Agent header.
	UserAgentSuffix string
	// MaxResponseBytes caps an answer's size (library default 16 MiB).
	MaxResponseBytes int64
	// AllowInsecureHTTP permits plain http:// to hosts other than loopback.
	AllowInsecureHTTP bool
	// ExtraHeaders are sent with every request.
	ExtraHeaders map[string]string
	// MaxRetries is the most repeats of a request where repeating is safe; nil keeps the
	// library's default (2), a pointer to 0 turns retries off.
	MaxRetries *int
	// MaxBackoff is the longest wait between attempts.
	MaxBackoff time.Duration
	// AutoSessionID gives every create a generated session_id, so that it is created exactly
	// once even when its answer is lost.
	AutoSessionID bool
	// Extra holds options this package does not name yet; they are sent as given.
	Extra map[string]any
}

// json is the options object the library reads.
func (o *Options) json() ([]byte, error) {
	m := map[string]any{}
	for k, v := range o.Extra {
		m[k] = v
	}
	text := map[string]string{
		"access_token": o.AccessToken, "user_id": o.UserID, "team_id": o.TeamID,
		"base_url": o.BaseURL, "stream_base_url": o.StreamBaseURL, "ca_cert_pem": o.CACertPEM,
		"ca_cert_path": o.CACertPath, "proxy": o.Proxy, "user_agent_suffix": o.UserAgentSuffix,
	}
	for k, v := range text {
		if v != "" {
			m[k] = v
		}
	}
	millis := map[string]time.Duration{
		"timeout_ms": o.Timeout, "connect_timeout_ms": o.ConnectTimeout,
		"stream_idle_timeout_ms": o.StreamIdleTimeout, "max_backoff_ms": o.MaxBackoff,
	}
	for k, v := range millis {
		if v != 0 {
			m[k] = v.Milliseconds()
		}
	}
	if o.MaxResponseBytes != 0 {
		m["max_response_bytes"] = o.MaxResponseBytes
	}
	if o.AllowInsecureHTTP {
		m["allow_insecure_http"] = true
	}
	if o.ExtraHeaders != nil {
		m["extra_headers"] = o.ExtraHeaders
	}
	if o.MaxRetries != nil {
		m["max_retries"] = *o.MaxRetries
	}
	if o.AutoSessionID {
		m["auto_session_id"] = true
	}
	return json.Marshal(m)
}

// Client is a libgumloop client: its configuration and connection pool. It is safe for
// concurrent use; Close it when done (Close waits for the calls still running).
type Client struct {
	mu     sync.RWMutex
	handle *C.gumloop_client
	// Sessions are the session calls: create, retrieve, list, send, stream, ...
	Sessions *Sessions
}

// ErrClosed is returned by calls on a closed Client.
var ErrClosed = errors.New("gumloop: the client is closed")

// NewClient makes a client. A nil opts uses the environment and the library's defaults. Bad
// options give an *Error with CodeInvalidOption (or CodeNoCredentials) naming the option.
func NewClient(opts *Options) (*Client, error) {
	if opts == nil {
		opts = &Options{}
	}
	body, err := opts.json()
	if err != nil {
		return nil, err
	}
	text, free := cString(string(body))
	defer free()
	var handle *C.gumloop_client
	var out *C.char
	code := C.gumloop_client_new(text, &handle, &out)
	document := takeString(out)
	if code != C.GUMLOOP_OK {
		return nil, errorFrom(code, document)
	}
	c := &Client{handle: handle}
	c.Sessions = &Sessions{client: c}
	runtime.SetFinalizer(c, func(c *Client) { _ = c.Close() })
	return c, nil
}

// Close frees the client after the calls still using it have returned. Closing twice is fine.
func (c *Client) Close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.handle != nil {
		C.gumloop_client_free(c.handle)
		c.handle = nil
	}
	return nil
}

// arg is one string argument of a library call, with the name the C function gives it.
type arg struct{ name, value string }

// call runs one library call that returns JSON: it checks and copies the string arguments,
// holds the client open meanwhile and binds the call's cancel token to ctx.
func (c *Client) call(ctx context.Context, args []arg, run func(h *C.gumloop_client, p []*C.char, token *C.gumloop_cancel_token, out **C.char) C.gumloop_code) (string, error) {
	for _, a := range args {
		// C would cut such a string short at the NUL: refused before anything is sent.
		if strings.IndexByte(a.value, 0) >= 0 {
			return "", callerError(CodeInvalidArgument, a.name, "`"+a.name+"` contains a NUL byte")
		}
	}
	c.mu.RLock()
	defer c.mu.RUnlock()
	if c.handle == nil {
		return "", ErrClosed
	}
	p := make([]*C.char, len(args))
	for i, a := range args {
		s, free := cString(a.value)
		defer free()
		p[i] = s
	}
	var out *C.char
	code := withCancel(ctx, func(token *C.gumloop_cancel_token) C.gumloop_code {
		return run(c.handle, p, token, &out)
	})
	text := takeString(out)
	if code != C.GUMLOOP_OK {
		return "", errorFrom(code, text)
	}
	return text, nil
}
