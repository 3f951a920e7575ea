package gumloop

import (
	"context"
	"iter"
)

// Sessions are a Client's session calls. Their names follow the official SDK's
// (client.sessions.create, retrieve, list, send, cancel, update, stream, stream_message,
// resume_stream, upload_file, resolve_approvals, the queue and access); each is one operation
// of the library's table.
type Sessions struct {
	client *Client
}

func envelope(text string, err error) (*SessionResponse, error) {
	return decoded[SessionResponse](text, err, "a session envelope")
}

// Create starts a session with the agent: an idle stub without Input, a working session with it.
func (s *Sessions) Create(ctx context.Context, agentID string, params *CreateParams) (*SessionResponse, error) {
	return envelope(s.client.run(ctx, "create_session", map[string]any{"agent_id": agentID, "body": fields(params, "param")}, nil, nil))
}

// Retrieve fetches a session with its transcript.
func (s *Sessions) Retrieve(ctx context.Context, sessionID string) (*SessionResponse, error) {
	return envelope(s.client.run(ctx, "get_session", map[string]any{"session_id": sessionID}, nil, nil))
}

// List fetches one page of the agent's sessions.
func (s *Sessions) List(ctx context.Context, agentID string, params *ListParams) (*SessionList, error) {
	text, err := s.client.run(ctx, "list_sessions", map[string]any{"agent_id": agentID, "query": fields(params, "param")}, nil, nil)
	return decoded[SessionList](text, err, "a list of sessions")
}

// ListAll is every session of the agent, page after page from params.Cursor, for a range loop:
//
//	for session, err := range client.Sessions.ListAll(ctx, agentID, nil) { ... }
//
// A failed page is yielded as the error, and ends the loop.
func (s *Sessions) ListAll(ctx context.Context, agentID string, params *ListParams) iter.Seq2[Session, error] {
	page := ListParams{}
	if params != nil {
		page = *params
	}
	return pages(page.Cursor, func(cursor string) ([]Session, string, error) {
		page.Cursor = cursor
		list, err := s.List(ctx, agentID, &page)
		if err != nil {
			return nil, "", err
		}
		return list.Sessions, list.NextCursor, nil
	})
}

// SendResult is a send's answer: the session envelope of an immediate send, or the receipt of a
// queued one.
type SendResult struct {
	Response *SessionResponse
	Receipt  *MessageReceipt
}

// Send sends a message to the session. A busy session answers ErrConflict unless the message is
// queued (params.Delivery = DeliveryQueued).
func (s *Sessions) Send(ctx context.Context, sessionID string, params *SendParams) (*SendResult, error) {
	text, err := s.client.run(ctx, "send_message", map[string]any{"session_id": sessionID, "body": fields(params, "param")}, nil, nil)
	if params != nil && params.Delivery == DeliveryQueued {
		r, err := decoded[MessageReceipt](text, err, "a message receipt")
		if err != nil {
			return nil, err
		}
		return &SendResult{Receipt: r}, nil
	}
	r, err := envelope(text, err)
	if err != nil {
		return nil, err
	}
	return &SendResult{Response: r}, nil
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

// Wait polls the session until it settles (completed, failed, approval_required or idle) and
// returns its last envelope. At the deadline it fails with ErrAPITimeout.
func (s *Sessions) Wait(ctx context.Context, sessionID string, params *WaitParams) (*SessionResponse, error) {
	return envelope(s.client.run(ctx, "wait_session", map[string]any{"session_id": sessionID, "options": fields(params, "param")}, nil, nil))
}
