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
	"sync"
	"time"
	"unicode/utf8"
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
	// Agents find and check agents.
	Agents *Agents
	// Artifacts list and fetch the files agents produced.
	Artifacts *Artifacts
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
	c.Agents = &Agents{client: c}
	c.Artifacts = &Artifacts{client: c}
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

// run runs one operation of the library's table on the process's poller and waits for it,
// handing each stream event to onEvent (on this goroutine, in order). Cancelling ctx cancels
// the call; it returns only once the library has finished with it.
func (c *Client) run(ctx context.Context, operation string, args map[string]any, data []byte, onEvent func(string) error) (result string, err error) {
	if err := checkText(args, ""); err != nil {
		return "", err
	}
	if err := ctx.Err(); err != nil {
		return "", callerError(CodeCancelled, "", "the context ended before the call started; nothing was sent: "+err.Error())
	}
	p, err := thePoller()
	if err != nil {
		return "", err
	}
	c.mu.RLock()
	defer c.mu.RUnlock()
	if c.handle == nil {
		return "", ErrClosed
	}
	id, call, err := p.start(c.handle, operation, args, data)
	if err != nil {
		return "", err
	}
	finished := false
	defer func() {
		if !finished {
			// A panicking handler: the call is cancelled, and the client stays held until the
			// library has let go of it.
			p.cancel(id)
			for {
				<-call.ready
				if _, done, _, _ := call.take(); done {
					return
				}
			}
		}
	}()
	done := ctx.Done()
	var stopped error
	for {
		select {
		case <-call.ready:
		case <-done:
			p.cancel(id)
			done = nil
		}
		events, ended, code, text := call.take()
		for _, event := range events {
			if stopped == nil && onEvent != nil {
				if stopped = onEvent(event); stopped != nil {
					p.cancel(id)
				}
			}
		}
		if ended {
			finished = true
			switch {
			case stopped != nil:
				return "", stopped
			case code != C.GUMLOOP_OK:
				return "", errorFrom(code, text)
			default:
				return text, nil
			}
		}
	}
}

// checkText refuses text that JSON would silently change: invalid UTF-8 (which encoding/json
// replaces with U+FFFD) in any string of the arguments.
func checkText(value any, name string) error {
	switch v := value.(type) {
	case string:
		if !utf8.ValidString(v) {
			return callerError(CodeInvalidUTF8, name, "`"+name+"` is not valid UTF-8")
		}
	case map[string]any:
		for k, item := range v {
			if err := checkText(item, join(name, k)); err != nil {
				return err
			}
		}
	case map[string]string:
		for k, item := range v {
			if err := checkText(item, join(name, k)); err != nil {
				return err
			}
		}
	case []any:
		for _, item := range v {
			if err := checkText(item, name); err != nil {
				return err
			}
		}
	case []string:
		for _, item := range v {
			if err := checkText(item, name); err != nil {
				return err
			}
		}
	}
	return nil
}

func join(parent, key string) string {
	if parent == "" {
		return key
	}
	return parent + "." + key
}
