package gumloop

import (
	"context"
	"time"
)

// Sessions are a Client's session calls. Their names follow the official SDK's
// (client.sessions.create, retrieve, list, send, cancel, update, stream, stream_message,
// resume_stream); each is one operation of the library's table.
type Sessions struct {
	client *Client
}

func envelope(text string, err error) (*SessionResponse, error) {
	if err != nil {
		return nil, err
	}
	return decodeSession(text)
}

// Create starts a session with the agent: an idle stub without Input, a working session with it.
func (s *Sessions) Create(ctx context.Context, agentID string, params *CreateParams) (*SessionResponse, error) {
	return envelope(s.client.run(ctx, "create_session", map[string]any{"agent_id": agentID, "body": params.fields()}, nil, nil))
}

// Retrieve fetches a session with its transcript.
func (s *Sessions) Retrieve(ctx context.Context, sessionID string) (*SessionResponse, error) {
	return envelope(s.client.run(ctx, "get_session", map[string]any{"session_id": sessionID}, nil, nil))
}

// List fetches one page of the agent's sessions.
func (s *Sessions) List(ctx context.Context, agentID string, params *ListParams) (*SessionList, error) {
	text, err := s.client.run(ctx, "list_sessions", map[string]any{"agent_id": agentID, "query": params.fields()}, nil, nil)
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
	text, err := s.client.run(ctx, "send_message", map[string]any{"session_id": sessionID, "body": params.fields()}, nil, nil)
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
	return envelope(s.client.run(ctx, "cancel_session", map[string]any{"session_id": sessionID}, nil, nil))
}

// Update renames the session (the official SDK's name for Rename).
func (s *Sessions) Update(ctx context.Context, sessionID, name string) (*SessionResponse, error) {
	return s.Rename(ctx, sessionID, name)
}

// Rename gives the session a name (1–256 characters after trimming).
func (s *Sessions) Rename(ctx context.Context, sessionID, name string) (*SessionResponse, error) {
	return envelope(s.client.run(ctx, "rename_session", map[string]any{"session_id": sessionID, "name": name}, nil, nil))
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
	options := map[string]any{}
	if params != nil {
		for k, v := range map[string]time.Duration{
			"timeout_ms": params.Timeout, "poll_interval_ms": params.PollInterval,
			"max_poll_interval_ms": params.MaxPollInterval,
		} {
			if v != 0 {
				options[k] = v.Milliseconds()
			}
		}
	}
	return envelope(s.client.run(ctx, "wait_session", map[string]any{"session_id": sessionID, "options": options}, nil, nil))
}
