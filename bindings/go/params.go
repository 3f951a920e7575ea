package gumloop

// CreateParams is the body of a create. Zero fields are left out.
type CreateParams struct {
	// Input is the first message; without it the server creates an idle stub.
	Input string
	// InputParts is the first message as content parts, instead of Input.
	InputParts []any
	// SessionID is the caller's ID for the session: with it the session is created exactly
	// once even when an answer is lost.
	SessionID string
	// Name is the session's name (1–256 characters after trimming).
	Name string
	// Metadata is stored with the session.
	Metadata map[string]any
	// Incognito asks that nothing be saved.
	Incognito bool
	// Attachments are stored file names from an upload to this session.
	Attachments []string
	// Extra holds fields this package does not name; they are sent as given.
	Extra map[string]any
}

func (p *CreateParams) fields() map[string]any {
	if p == nil {
		return map[string]any{}
	}
	m := extra(p.Extra)
	putInput(m, p.Input, p.InputParts)
	putString(m, "session_id", p.SessionID)
	putString(m, "name", p.Name)
	if p.Metadata != nil {
		m["metadata"] = p.Metadata
	}
	if p.Incognito {
		m["incognito"] = true
	}
	if p.Attachments != nil {
		m["attachments"] = p.Attachments
	}
	return m
}

// SendParams is the body of a send.
type SendParams struct {
	// Input is the message (or InputParts, as content parts).
	Input      string
	InputParts []any
	// Queued sends with "delivery":"queued": the message waits in the session's queue, and the
	// library adds an Idempotency-Key (IdempotencyKey, or a generated one).
	Queued         bool
	IdempotencyKey string
	// Attachments are stored file names from an upload to this session.
	Attachments []string
	// ApprovalResponses answer pending approvals (streamed sends only).
	ApprovalResponses []any
	// Extra holds fields this package does not name; they are sent as given.
	Extra map[string]any
}

func (p *SendParams) fields() map[string]any {
	if p == nil {
		return map[string]any{}
	}
	m := extra(p.Extra)
	putInput(m, p.Input, p.InputParts)
	if p.Queued {
		m["delivery"] = "queued"
	}
	putString(m, "idempotency_key", p.IdempotencyKey)
	if p.Attachments != nil {
		m["attachments"] = p.Attachments
	}
	if p.ApprovalResponses != nil {
		m["approval_responses"] = p.ApprovalResponses
	}
	return m
}

// ListParams filter and page a list of sessions. Zero fields are left out.
type ListParams struct {
	PageSize      int
	Cursor        string
	Search        string
	SortOrder     string
	Type          string
	State         string
	CreatorUserID string
	TriggerID     string
	// Extra holds query parameters this package does not name; they are sent as given.
	Extra map[string]any
}

func (p *ListParams) fields() map[string]any {
	if p == nil {
		return map[string]any{}
	}
	m := extra(p.Extra)
	if p.PageSize != 0 {
		m["page_size"] = p.PageSize
	}
	for k, v := range map[string]string{
		"cursor": p.Cursor, "search": p.Search, "sort_order": p.SortOrder, "type": p.Type,
		"state": p.State, "creator_user_id": p.CreatorUserID, "trigger_id": p.TriggerID,
	} {
		putString(m, k, v)
	}
	return m
}

func extra(from map[string]any) map[string]any {
	m := make(map[string]any, len(from)+4)
	for k, v := range from {
		m[k] = v
	}
	return m
}

func putString(m map[string]any, key, value string) {
	if value != "" {
		m[key] = value
	}
}

func putInput(m map[string]any, input string, parts []any) {
	if parts != nil {
		m["input"] = parts
	} else {
		putString(m, "input", input)
	}
}
