package gumloop

import "encoding/json"

// Session is a session as the server describes it. Fields the server leaves out or sets to
// null are zero; Raw keeps the whole object.
type Session struct {
	ID           string          `json:"id"`
	AgentID      string          `json:"agent_id"`
	Name         string          `json:"name"`
	Type         string          `json:"type"`
	State        string          `json:"state"`
	CreatedAt    string          `json:"created_at"`
	AgentName    string          `json:"agent_name"`
	Messages     []Message       `json:"messages"`
	PendingAsks  json.RawMessage `json:"pending_approvals"`
	Usage        json.RawMessage `json:"usage"`
	Creator      json.RawMessage `json:"creator"`
	Participants json.RawMessage `json:"participants"`
	Incognito    bool            `json:"incognito"`
	Raw          json.RawMessage `json:"-"`
}

// Message is one message of a session's transcript.
type Message struct {
	ID        string          `json:"id"`
	Role      string          `json:"role"`
	Content   *string         `json:"content"`
	CreatedAt string          `json:"created_at"`
	CreatorID string          `json:"creator_id"`
	Parts     json.RawMessage `json:"parts"`
}

// SessionResponse is the session envelope that create, retrieve, send, cancel and rename
// answer with.
type SessionResponse struct {
	Session Session `json:"session"`
	// QueuePosition is set only while the session is queued (Enterprise plans).
	QueuePosition *int `json:"queue_position"`
	// Raw is the server's answer, byte for byte.
	Raw json.RawMessage `json:"-"`
}

// SessionList is one page of an agent's sessions.
type SessionList struct {
	Sessions []Session `json:"sessions"`
	// NextCursor is the cursor of the next page; empty on the last page.
	NextCursor string          `json:"next_cursor"`
	Raw        json.RawMessage `json:"-"`
}

// MessageReceipt answers a queued send.
type MessageReceipt struct {
	MessageID string          `json:"message_id"`
	Status    string          `json:"status"`
	Raw       json.RawMessage `json:"-"`
}

// Event is one stream event. Raw keeps every field the server sent.
type Event struct {
	Type         string          `json:"type"`
	StreamCursor string          `json:"stream_cursor"`
	Delta        string          `json:"delta"`
	Final        bool            `json:"final"`
	FinishReason string          `json:"finishReason"`
	Raw          json.RawMessage `json:"-"`
}

// StreamSummary is what a finished stream reports.
type StreamSummary struct {
	SessionID    string `json:"session_id"`
	LastCursor   string `json:"last_cursor"`
	FinishReason string `json:"finish_reason"`
	Final        bool   `json:"final"`
	// Events is how many events reached the callback.
	Events int `json:"events"`
	// Resumes is how often the stream was resumed after a drop or stall.
	Resumes int `json:"resumes"`
}

// decode reads a successful answer into v, and sets raw to the text.
func decode(text string, v any, raw *json.RawMessage, what string) error {
	if err := json.Unmarshal([]byte(text), v); err != nil {
		return invalidResponse(what, err, text)
	}
	*raw = json.RawMessage(text)
	return nil
}

func decodeSession(text string) (*SessionResponse, error) {
	r := &SessionResponse{}
	if err := decode(text, r, &r.Raw, "a session envelope"); err != nil {
		return nil, err
	}
	var whole struct {
		Session json.RawMessage `json:"session"`
	}
	if json.Unmarshal(r.Raw, &whole) == nil {
		r.Session.Raw = whole.Session
	}
	return r, nil
}
