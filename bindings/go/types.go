package gumloop

import "encoding/json"

// Every answer type keeps the server's JSON of its object in Raw, so fields this package does
// not name are still reachable (json.Unmarshal(x.Raw, &yours)). Fields the server leaves out or
// sets to null are zero.

// withRaw decodes data into plain (the answer type without its methods) and keeps a copy of the
// text in raw.
func withRaw(data []byte, plain any, raw *json.RawMessage) error {
	if err := json.Unmarshal(data, plain); err != nil {
		return err
	}
	*raw = append(json.RawMessage(nil), data...)
	return nil
}

// Session is a session as the server describes it.
type Session struct {
	ID      string `json:"id"`
	AgentID string `json:"agent_id"`
	Name    string `json:"name"`
	Type    string `json:"type"`
	// State is idle, queued, processing, approval_required, completed or failed.
	State              string                 `json:"state"`
	CreatedAt          string                 `json:"created_at"`
	AgentName          string                 `json:"agent_name"`
	AgentTeamID        string                 `json:"agent_team_id"`
	AgentCreatorUserID string                 `json:"agent_creator_user_id"`
	AgentIconURL       string                 `json:"agent_icon_url"`
	AgentTools         []json.RawMessage      `json:"agent_tools"`
	Messages           []Message              `json:"messages"`
	PendingApprovals   []Approval             `json:"pending_approvals"`
	Usage              *Usage                 `json:"usage"`
	Creator            *User                  `json:"creator"`
	Participants       map[string]Participant `json:"participants"`
	Incognito          bool                   `json:"incognito"`
	Provenance         json.RawMessage        `json:"provenance"`
	Raw                json.RawMessage        `json:"-"`
}

// UnmarshalJSON decodes a session and keeps its text in Raw.
func (s *Session) UnmarshalJSON(data []byte) error {
	type plain Session
	return withRaw(data, (*plain)(s), &s.Raw)
}

// Message is one message of a session's transcript.
type Message struct {
	ID   string `json:"id"`
	Role string `json:"role"`
	// Content is the text, or nil when the server gives it only in Parts.
	Content   *string         `json:"content"`
	CreatedAt string          `json:"created_at"`
	CreatorID string          `json:"creator_id"`
	Parts     []Part          `json:"parts"`
	Raw       json.RawMessage `json:"-"`
}

// UnmarshalJSON decodes a message and keeps its text in Raw.
func (m *Message) UnmarshalJSON(data []byte) error {
	type plain Message
	return withRaw(data, (*plain)(m), &m.Raw)
}

// Part is one content part of a message: a "text" part's Text, an "error" part's Error.
type Part struct {
	Type  string          `json:"type"`
	Text  string          `json:"text"`
	Error json.RawMessage `json:"error"`
	Raw   json.RawMessage `json:"-"`
}

// UnmarshalJSON decodes a part and keeps its text in Raw.
func (p *Part) UnmarshalJSON(data []byte) error {
	type plain Part
	return withRaw(data, (*plain)(p), &p.Raw)
}

// Usage is what a session's runs cost; nil fields are not recorded yet.
type Usage struct {
	CreditCost            *float64        `json:"credit_cost"`
	ToolCreditCost        *float64        `json:"tool_credit_cost"`
	FlowCreditCost        *float64        `json:"flow_credit_cost"`
	InputTokens           *int64          `json:"input_tokens"`
	CachedInputTokens     *int64          `json:"cached_input_tokens"`
	CacheWriteInputTokens *int64          `json:"cache_write_input_tokens"`
	OutputTokens          *int64          `json:"output_tokens"`
	ReasoningTokens       *int64          `json:"reasoning_tokens"`
	Raw                   json.RawMessage `json:"-"`
}

// UnmarshalJSON decodes usage and keeps its text in Raw.
func (u *Usage) UnmarshalJSON(data []byte) error {
	type plain Usage
	return withRaw(data, (*plain)(u), &u.Raw)
}

// User is a session's or an agent's creator.
type User struct {
	ID             string          `json:"id"`
	FirstName      string          `json:"first_name"`
	LastName       string          `json:"last_name"`
	Email          string          `json:"email"`
	ProfilePicture string          `json:"profile_picture"`
	Raw            json.RawMessage `json:"-"`
}

// UnmarshalJSON decodes a user and keeps its text in Raw.
func (u *User) UnmarshalJSON(data []byte) error {
	type plain User
	return withRaw(data, (*plain)(u), &u.Raw)
}

// Participant is a person who took part in a session (keyed by user ID in
// Session.Participants).
type Participant struct {
	FirstName string `json:"first_name"`
	LastName  string `json:"last_name"`
}

// SessionResponse is the session envelope that create, retrieve, send, cancel, rename and
// sending a queued message answer with.
type SessionResponse struct {
	Session Session `json:"session"`
	// QueuePosition is set only while the session is queued (Enterprise plans).
	QueuePosition *int `json:"queue_position"`
	// Raw is the server's answer, byte for byte.
	Raw json.RawMessage `json:"-"`
}

// UnmarshalJSON decodes an envelope and keeps its text in Raw.
func (r *SessionResponse) UnmarshalJSON(data []byte) error {
	type plain SessionResponse
	return withRaw(data, (*plain)(r), &r.Raw)
}

// SessionList is one page of an agent's sessions.
type SessionList struct {
	Sessions []Session `json:"sessions"`
	// NextCursor is the cursor of the next page; empty on the last page.
	NextCursor string          `json:"next_cursor"`
	Raw        json.RawMessage `json:"-"`
}

// UnmarshalJSON decodes a page and keeps its text in Raw.
func (l *SessionList) UnmarshalJSON(data []byte) error {
	type plain SessionList
	return withRaw(data, (*plain)(l), &l.Raw)
}

// MessageReceipt answers a queued send.
type MessageReceipt struct {
	MessageID string          `json:"message_id"`
	Status    string          `json:"status"`
	Raw       json.RawMessage `json:"-"`
}

// UnmarshalJSON decodes a receipt and keeps its text in Raw.
func (r *MessageReceipt) UnmarshalJSON(data []byte) error {
	type plain MessageReceipt
	return withRaw(data, (*plain)(r), &r.Raw)
}

// Event is one stream event. The fields are those the official SDK and the live service use;
// Raw keeps every field the server sent.
type Event struct {
	// Type is e.g. "interaction-ready", "text-start", "text-delta", "text-end",
	// "action-request", "finish".
	Type string `json:"type"`
	// StreamCursor is the resume point (ResumeStream) after this event.
	StreamCursor string `json:"stream_cursor"`
	// InteractionID is the session's ID ("interaction-ready").
	InteractionID string `json:"interaction_id"`
	// ID is the message's ID (text events).
	ID string `json:"id"`
	// Delta is a "text-delta" event's text.
	Delta string `json:"delta"`
	// ActionRequestID is an "action-request" event's approval ID, to answer with Accept or
	// Reject; ActionRequest is the ask itself.
	ActionRequestID string    `json:"action_request_id"`
	ActionRequest   *Approval `json:"action_request"`
	// Final marks the stream's last event (a "finish" with final true).
	Final bool `json:"final"`
	// FinishReason is "stop", "error" or "not_resumable" on a "finish" event.
	FinishReason string `json:"finishReason"`
	// QueuedContinuation says a queued message goes on after this run.
	QueuedContinuation bool `json:"queuedContinuation"`
	// ErrorMessage is a failed run's message; Error the server's error (a string or object).
	ErrorMessage string          `json:"errorMessage"`
	Error        json.RawMessage `json:"error"`
	// Data is the payload of an event whose data was not a JSON object.
	Data json.RawMessage `json:"data"`
	Raw  json.RawMessage `json:"-"`
}

// UnmarshalJSON decodes an event and keeps its text in Raw.
func (e *Event) UnmarshalJSON(data []byte) error {
	type plain Event
	return withRaw(data, (*plain)(e), &e.Raw)
}

// decode reads a successful answer into v (a type that keeps its Raw).
func decode(text string, v any, what string) error {
	if err := json.Unmarshal([]byte(text), v); err != nil {
		return invalidResponse(what, err, text)
	}
	return nil
}

// decoded is decode of a call's answer, when the call succeeded.
func decoded[T any](text string, err error, what string) (*T, error) {
	if err != nil {
		return nil, err
	}
	v := new(T)
	if err := decode(text, v, what); err != nil {
		return nil, err
	}
	return v, nil
}
