package gumloop

/*
#include "gumloop.h"
*/
import "C"

import (
	"encoding/json"
	"sync"
)

// Credentials change a live client's credentials (SetCredentials): nil fields stay as they
// are; Unset names those to remove.
type Credentials struct {
	AccessToken  *string
	UserID       *string
	RefreshToken *string
	// Unset lists "access_token" (back to the environment), "user_id" (no x-auth-key) or
	// "refresh_token" (refresh on 401 off).
	Unset []string
}

// String is a pointer to s, for Credentials.
func String(s string) *string { return &s }

// SetCredentials replaces the client's credentials atomically, from any goroutine: calls that
// start afterwards use the new set, calls in flight keep theirs, and the connections stay. It
// returns the credentials' generation (one more at each change, refreshes included). Bad values
// change nothing.
func (c *Client) SetCredentials(creds Credentials) (uint64, error) {
	m := map[string]any{}
	for _, name := range creds.Unset {
		m[name] = nil
	}
	for name, v := range map[string]*string{"access_token": creds.AccessToken, "user_id": creds.UserID, "refresh_token": creds.RefreshToken} {
		if v != nil {
			m[name] = *v
		}
	}
	if err := checkText(m, ""); err != nil {
		return 0, err
	}
	body, _ := json.Marshal(m)
	handle := c.acquire()
	if handle == nil {
		e := callerError(CodeInvalidArgument, "client", ErrClosed.Error())
		e.cause = ErrClosed
		return 0, e
	}
	defer c.release()
	text, free := cString(string(body))
	defer free()
	var out *C.char
	code := C.gumloop_client_set_credentials(handle, text, &out)
	result := takeString(out)
	if code != C.GUMLOOP_OK {
		return 0, errorFrom(code, result)
	}
	var answer struct {
		Generation uint64 `json:"generation"`
	}
	if err := json.Unmarshal([]byte(result), &answer); err != nil {
		return 0, invalidResponse("a generation", err, result)
	}
	return answer.Generation, nil
}

// tokenHandover hands the pairs of the library's refreshes to Options.OnTokens on a goroutine of
// this package, one at a time and newest last; the library's threads never run Go code.
type tokenHandover struct {
	mu      sync.Mutex
	seen    uint64
	pending []Tokens
	running bool
	deliver func(Tokens)
}

// check runs after each call: when the client refreshed since, it takes the newest pair.
func (h *tokenHandover) check(handle *C.gumloop_client) {
	if h == nil || uint64(C.gumloop_client_get_refresh_count(handle)) == h.peek() {
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	count := uint64(C.gumloop_client_get_refresh_count(handle))
	if count == h.seen {
		return
	}
	var out *C.char
	if C.gumloop_client_take_tokens(handle, &out) != C.GUMLOOP_OK || out == nil {
		takeString(out)
		return
	}
	var taken struct {
		RefreshCount uint64 `json:"refresh_count"`
		Tokens       Tokens `json:"tokens"`
	}
	if json.Unmarshal([]byte(takeString(out)), &taken) != nil {
		return
	}
	h.seen = max(count, taken.RefreshCount)
	h.pending = append(h.pending, taken.Tokens)
	if !h.running {
		h.running = true
		go h.run()
	}
}

func (h *tokenHandover) peek() uint64 {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.seen
}

func (h *tokenHandover) run() {
	for {
		h.mu.Lock()
		if len(h.pending) == 0 {
			h.running = false
			h.mu.Unlock()
			return
		}
		next := h.pending[0]
		h.pending = h.pending[1:]
		h.mu.Unlock()
		h.deliver(next)
	}
}
