package gumloop

import (
	"reflect"
	"strings"
	"time"
)

// Call parameters are structs whose fields carry the wire name in their `param` tag; zero fields
// are left out, so the server's defaults apply. Each has Extra for fields this package does not
// name: they are sent as given, and the named fields win over them.

// CreateParams is the body of a create.
type CreateParams struct {
	// Input is the first message; without it the server creates an idle stub.
	Input string `param:"input"`
	// InputParts is the first message as content parts, instead of Input.
	InputParts []any `param:"input"`
	// SessionID is the caller's ID for the session: with it the session is created exactly
	// once even when an answer is lost.
	SessionID string `param:"session_id"`
	// Name is the session's name (1–256 characters after trimming).
	Name string `param:"name"`
	// Metadata is stored with the session.
	Metadata map[string]any `param:"metadata"`
	// Incognito asks that nothing be saved.
	Incognito bool `param:"incognito"`
	// Extra holds fields this package does not name.
	Extra map[string]any
}

// Delivery values of SendParams.
const (
	// DeliveryImmediate starts a run now (the server's default); a busy session answers
	// ErrConflict.
	DeliveryImmediate = "immediate"
	// DeliveryQueued puts the message in the session's queue: the answer is a receipt, and the
	// library adds an Idempotency-Key (IdempotencyKey, or a generated one).
	DeliveryQueued = "queued"
)

// SendParams is the body of a send.
type SendParams struct {
	// Input is the message (or InputParts, as content parts).
	Input      string `param:"input"`
	InputParts []any  `param:"input"`
	// Delivery is DeliveryImmediate (or empty) or DeliveryQueued.
	Delivery string `param:"delivery"`
	// IdempotencyKey makes a queued message queued once (DeliveryQueued only).
	IdempotencyKey string `param:"idempotency_key"`
	// Attachments are files uploaded to this session (UploadedFile.Attachment), at most 10.
	Attachments []Attachment `param:"attachments"`
	// ApprovalResponses answer pending asks (StreamMessage only; the REST send refuses them).
	ApprovalResponses []ApprovalResponse `param:"approval_responses"`
	// Extra holds fields this package does not name.
	Extra map[string]any
}

// Attachment names a file uploaded to the session the message is sent to.
type Attachment struct {
	// FileName is the stored path an upload answered (UploadedFile.FileName).
	FileName string `json:"file_name"`
	// MediaType is the file's media type; empty lets the server use the stored one.
	MediaType string `json:"media_type,omitempty"`
}

// ApprovalResponse answers one pending ask: Action is "accept" or "reject".
type ApprovalResponse struct {
	ActionRequestID string `json:"action_request_id"`
	Action          string `json:"action"`
	// Reason says why (at most 1000 characters).
	Reason string `json:"reason,omitempty"`
	// Response answers a human-input ask: {"values": {question name: answer}} (see Answer).
	Response map[string]any `json:"response,omitempty"`
}

// Accept answers a pending ask with "accept".
func Accept(actionRequestID string) ApprovalResponse {
	return ApprovalResponse{ActionRequestID: actionRequestID, Action: "accept"}
}

// Reject answers a pending ask with "reject" and a reason.
func Reject(actionRequestID, reason string) ApprovalResponse {
	return ApprovalResponse{ActionRequestID: actionRequestID, Action: "reject", Reason: reason}
}

// Answer accepts a human-input ask with its answers, by question name.
func Answer(actionRequestID string, values map[string]any) ApprovalResponse {
	r := Accept(actionRequestID)
	r.Response = map[string]any{"values": values}
	return r
}

// ListParams filter and page a list of an agent's sessions.
type ListParams struct {
	PageSize      int    `param:"page_size"`
	Cursor        string `param:"cursor"`
	Search        string `param:"search"`
	SortOrder     string `param:"sort_order"`
	Type          string `param:"type"`
	State         string `param:"state"`
	CreatorUserID string `param:"creator_user_id"`
	TriggerID     string `param:"trigger_id"`
	// Extra holds query parameters this package does not name.
	Extra map[string]any
}

// AgentListParams filter and page a list of agents.
type AgentListParams struct {
	// Search looks in names and descriptions.
	Search   string `param:"search"`
	TeamID   string `param:"team_id"`
	PageSize int    `param:"page_size"`
	Cursor   string `param:"cursor"`
	// Summary trims each agent to its identity, model, creator and activity fields.
	Summary bool `param:"summary"`
	// Extra holds query parameters this package does not name.
	Extra map[string]any
}

// ArtifactListParams filter and page a list of an agent's artifacts.
type ArtifactListParams struct {
	SessionID   string `param:"session_id"`
	SearchQuery string `param:"search_query"`
	SortOrder   string `param:"sort_order"`
	PageSize    int    `param:"page_size"`
	Cursor      string `param:"cursor"`
	// Extra holds query parameters this package does not name.
	Extra map[string]any
}

// AccessChange shares, unshares or links a session (UpdateAccess).
type AccessChange struct {
	// Share grants roles: Person, Team or Organization grants.
	Share []AccessGrant `param:"share"`
	// Remove takes grants away (the Role is not needed).
	Remove []AccessGrant `param:"remove"`
	// Link sets the link mode.
	Link *LinkAccess `param:"link"`
	// Extra holds fields this package does not name.
	Extra map[string]any
}

// AccessGrant is one person, team or the organization, with a role ("viewer", "editor",
// "owner").
type AccessGrant struct {
	// Type is "person", "team" or "organization".
	Type   string `json:"type"`
	Email  string `json:"email,omitempty"`
	TeamID string `json:"team_id,omitempty"`
	Role   string `json:"role,omitempty"`
}

// Person is a grant to a person, by e-mail.
func Person(email, role string) AccessGrant {
	return AccessGrant{Type: "person", Email: email, Role: role}
}

// Team is a grant to a team.
func Team(teamID, role string) AccessGrant {
	return AccessGrant{Type: "team", TeamID: teamID, Role: role}
}

// Organization is a grant to the whole organization.
func Organization(role string) AccessGrant {
	return AccessGrant{Type: "organization", Role: role}
}

// LinkAccess is a session's link: Mode "none", "anyone" or "password", with a role.
type LinkAccess struct {
	Mode string `json:"mode"`
	Role string `json:"role,omitempty"`
}

// WaitParams bound a Wait. Zero fields keep the library's defaults (600 s, polls from 250 ms
// growing to 5 s).
type WaitParams struct {
	Timeout         time.Duration `param:"timeout_ms"`
	PollInterval    time.Duration `param:"poll_interval_ms"`
	MaxPollInterval time.Duration `param:"max_poll_interval_ms"`
}

// DownloadOptions bound a download; zero fields keep the library's defaults.
type DownloadOptions struct {
	// VersionID picks a version (the newest when empty).
	VersionID string `param:"version_id"`
	// MaxBytes caps the bytes fetched; more is ErrInvalidResponse (RESPONSE_TOO_LARGE).
	MaxBytes int64 `param:"max_bytes"`
}

// fields are a parameter struct's non-zero fields by the name in their tag (durations in
// milliseconds, pointers followed), then its Extra map's entries under names not taken. A nil
// struct pointer gives an empty map.
func fields(params any, tag string) map[string]any {
	m := map[string]any{}
	value := reflect.ValueOf(params)
	if value.Kind() == reflect.Pointer {
		if value.IsNil() {
			return m
		}
		value = value.Elem()
	}
	var extra map[string]any
	for i := 0; i < value.NumField(); i++ {
		field, info := value.Field(i), value.Type().Field(i)
		if info.Name == "Extra" {
			extra, _ = field.Interface().(map[string]any)
			continue
		}
		name, _, _ := strings.Cut(info.Tag.Get(tag), ",")
		if name == "" || name == "-" || field.IsZero() {
			continue
		}
		switch {
		case field.Type() == durationType:
			m[name] = field.Interface().(time.Duration).Milliseconds()
		case field.Kind() == reflect.Pointer && field.Elem().Kind() != reflect.Struct:
			m[name] = field.Elem().Interface()
		default:
			m[name] = field.Interface()
		}
	}
	for k, v := range extra {
		if _, taken := m[k]; !taken {
			m[k] = v
		}
	}
	return m
}
