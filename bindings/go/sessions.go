package gumloop

/*
#include "gumloop.h"
*/
import "C"

import (
	"context"
	"encoding/json"
	"time"
)

// Sessions are a Client's session calls. Their names follow the official SDK's
// (client.sessions.create, retrieve, list, send, cancel, update, stream, stream_message,
// resume_stream).
type Sessions struct {
	client *Client
}

// cFn is the shape of the session calls that take two strings.
type cFn2 func(*C.gumloop_client, *C.char, *C.char, *C.gumloop_cancel_token, **C.char) C.gumloop_code

// cFn1 is the shape of the session calls that take one string.
type cFn1 func(*C.gumloop_client, *C.char, *C.gumloop_cancel_token, **C.char) C.gumloop_code

func (s *Sessions) call2(ctx context.Context, a, b arg, f cFn2) (string, error) {
	return s.client.call(ctx, []arg{a, b}, func(h *C.gumloop_client, p []*C.char, t *C.gumloop_cancel_token, out **C.char) C.gumloop_code {
		return f(h, p[0], p[1], t, out)
	})
}

func (s *Sessions) call1(ctx context.Context, a arg, f cFn1) (string, error) {
	return s.client.call(ctx, []arg{a}, func(h *C.gumloop_client, p []*C.char, t *C.gumloop_cancel_token, out **C.char) C.gumloop_code {
		return f(h, p[0], t, out)
	})
}

func envelope(text string, err error) (*SessionResponse, error) {
	if err != nil {
		return nil, err
	}
	return decodeSession(text)
}

// Create starts a session with the agent: an idle stub without Input, a working session with it.
func (s *Sessions) Create(ctx context.Context, agentID string, params *CreateParams) (*SessionResponse, error) {
	body, err := params.body()
	if err != nil {
		return nil, callerError(CodeInvalidJSON, "body_json", err.Error())
	}
	return envelope(s.call2(ctx, arg{"agent_id", agentID}, arg{"body_json", string(body)}, func(h *C.gumloop_client, a, b *C.char, t *C.gumloop_cancel_token, out **C.char) C.gumloop_code {
		return C.gumloop_client_create_session(h, a, b, t, out)
	}))
}

// Retrieve fetches a session with its transcript.
func (s *Sessions) Retrieve(ctx context.Context, sessionID string) (*SessionResponse, error) {
	return envelope(s.call1(ctx, arg{"session_id", sessionID}, func(h *C.gumloop_client, id *C.char, t *C.gumloop_cancel_token, out **C.char) C.gumloop_code {
		return C.gumloop_client_get_session(h, id, t, out)
	}))
}

// List fetches one page of the agent's sessions.
func (s *Sessions) List(ctx context.Context, agentID string, params *ListParams) (*SessionList, error) {
	query, err := params.query()
	if err != nil {
		return nil, callerError(CodeInvalidJSON, "query_json", err.Error())
	}
	text, err := s.call2(ctx, arg{"agent_id", agentID}, arg{"query_json", string(query)}, func(h *C.gumloop_client, a, q *C.char, t *C.gumloop_cancel_token, out **C.char) C.gumloop_code {
		return C.gumloop_client_list_sessions(h, a, q, t, out)
	})
	if err != nil {
		return nil, err
	}
	list := &SessionList{}
	return list, decode(text, list, &list.Raw, "a list of sessions")
}

// ListAll calls f with every session of the agent, page after page, until the last page or until
// f returns an error (which ListAll returns).
func (s *Sessions) ListAll(ctx context.Context, agentID string, params *ListParams, f func(Session) error) error {
	page := ListParams{}
	if params != nil {
		page = *params
	}
	for {
		list, err := s.List(ctx, agentID, &page)
		if err != nil {
			return err
		}
		for _, session := range list.Sessions {
			if err := f(session); err != nil {
				return err
			}
		}
		if list.NextCursor == "" {
			return nil
		}
		page.Cursor = list.NextCursor
	}
}

// SendResult is a send's answer: the session envelope of an immediate send, or the receipt of a
// queued one.
type SendResult struct {
	Response *SessionResponse
	Receipt  *MessageReceipt
}

// Send sends a message to the session. A busy session answers ErrConflict unless the message is
// queued (params.Queued).
func (s *Sessions) Send(ctx context.Context, sessionID string, params *SendParams) (*SendResult, error) {
	body, err := params.body()
	if err != nil {
		return nil, callerError(CodeInvalidJSON, "body_json", err.Error())
	}
	text, err := s.call2(ctx, arg{"session_id", sessionID}, arg{"body_json", string(body)}, func(h *C.gumloop_client, id, b *C.char, t *C.gumloop_cancel_token, out **C.char) C.gumloop_code {
		return C.gumloop_client_send_message(h, id, b, t, out)
	})
	if err != nil {
		return nil, err
	}
	if params != nil && params.Queued {
		r := &MessageReceipt{}
		return &SendResult{Receipt: r}, decode(text, r, &r.Raw, "a message receipt")
	}
	r, err := decodeSession(text)
	return &SendResult{Response: r}, err
}

// Cancel stops a running or queued session.
func (s *Sessions) Cancel(ctx context.Context, sessionID string) (*SessionResponse, error) {
	return envelope(s.call1(ctx, arg{"session_id", sessionID}, func(h *C.gumloop_client, id *C.char, t *C.gumloop_cancel_token, out **C.char) C.gumloop_code {
		return C.gumloop_client_cancel_session(h, id, t, out)
	}))
}

// Update renames the session (the official SDK's name for Rename).
func (s *Sessions) Update(ctx context.Context, sessionID, name string) (*SessionResponse, error) {
	return s.Rename(ctx, sessionID, name)
}

// Rename gives the session a name (1–256 characters after trimming).
func (s *Sessions) Rename(ctx context.Context, sessionID, name string) (*SessionResponse, error) {
	return envelope(s.call2(ctx, arg{"session_id", sessionID}, arg{"name", name}, func(h *C.gumloop_client, id, n *C.char, t *C.gumloop_cancel_token, out **C.char) C.gumloop_code {
		return C.gumloop_client_rename_session(h, id, n, t, out)
	}))
}

// WaitParams bound a Wait. Zero fields keep the library's defaults (600 s, polls from 250 ms
// growing to 5 s).
type WaitParams struct {
	Timeout         time.Duration
	PollInterval    time.Duration
	MaxPollInterval time.Duration
}

// Wait polls the session until it settles (completed, failed, approval_required or idle) and
// returns its last envelope. At the deadline it fails with ErrTimeout.
func (s *Sessions) Wait(ctx context.Context, sessionID string, params *WaitParams) (*SessionResponse, error) {
	m := map[string]int64{}
	if params != nil {
		for k, v := range map[string]time.Duration{
			"timeout_ms": params.Timeout, "poll_interval_ms": params.PollInterval,
			"max_poll_interval_ms": params.MaxPollInterval,
		} {
			if v != 0 {
				m[k] = v.Milliseconds()
			}
		}
	}
	options, err := json.Marshal(m)
	if err != nil {
		return nil, callerError(CodeInvalidJSON, "options_json", err.Error())
	}
	return envelope(s.call2(ctx, arg{"session_id", sessionID}, arg{"options_json", string(options)}, func(h *C.gumloop_client, id, o *C.char, t *C.gumloop_cancel_token, out **C.char) C.gumloop_code {
		return C.gumloop_client_wait_session(h, id, o, t, out)
	}))
}
