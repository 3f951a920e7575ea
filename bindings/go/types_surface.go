package gumloop

import "encoding/json"

// UploadedFile is a stored session file. Attach it to a send with its Attachment.
type UploadedFile struct {
	// FileName is the stored path, e.g. "sessions/<id>/files/notes.txt".
	FileName  string          `json:"file_name"`
	MediaType string          `json:"media_type"`
	Size      int64           `json:"size"`
	Raw       json.RawMessage `json:"-"`
}

// UnmarshalJSON decodes a stored file and keeps its text in Raw.
func (f *UploadedFile) UnmarshalJSON(data []byte) error {
	type plain UploadedFile
	return withRaw(data, (*plain)(f), &f.Raw)
}

// Attachment is the file as a send's attachment.
func (f *UploadedFile) Attachment() Attachment {
	return Attachment{FileName: f.FileName, MediaType: f.MediaType}
}

// Approval is a pending ask of a session paused in approval_required: a tool approval or a
// request for human input. Answer it with Accept or Reject (ResolveApprovals, or a streamed
// send's ApprovalResponses).
type Approval struct {
	ActionRequestID string `json:"action_request_id"`
	// Type is "tool_approval", "human_input", ...
	Type            string          `json:"type"`
	Title           string          `json:"title"`
	Reason          string          `json:"reason"`
	RecipientUserID string          `json:"recipient_user_id"`
	ToolName        string          `json:"tool_name"`
	ServerLabel     string          `json:"server_label"`
	DisplayFields   []DisplayField  `json:"display_fields"`
	Questions       []Question      `json:"questions"`
	Raw             json.RawMessage `json:"-"`
}

// UnmarshalJSON decodes an ask and keeps its text in Raw.
func (a *Approval) UnmarshalJSON(data []byte) error {
	type plain Approval
	return withRaw(data, (*plain)(a), &a.Raw)
}

// DisplayField is one [label, value] pair an ask shows; a value that is not a string is kept as
// its JSON text.
type DisplayField struct {
	Label string
	Value string
}

// UnmarshalJSON reads a [label, value] pair.
func (f *DisplayField) UnmarshalJSON(data []byte) error {
	var pair []json.RawMessage
	if err := json.Unmarshal(data, &pair); err != nil {
		return err
	}
	text := func(i int) string {
		if i >= len(pair) {
			return ""
		}
		var s string
		if json.Unmarshal(pair[i], &s) == nil {
			return s
		}
		return string(pair[i])
	}
	f.Label, f.Value = text(0), text(1)
	return nil
}

// Question is one question of a human-input ask; its answer goes in ApprovalResponse.Response.
type Question struct {
	Name     string          `json:"name"`
	Label    string          `json:"label"`
	Type     string          `json:"type"`
	Options  []any           `json:"options"`
	Required bool            `json:"required"`
	Raw      json.RawMessage `json:"-"`
}

// UnmarshalJSON decodes a question and keeps its text in Raw.
func (q *Question) UnmarshalJSON(data []byte) error {
	type plain Question
	return withRaw(data, (*plain)(q), &q.Raw)
}

// ApprovalResult answers ResolveApprovals.
type ApprovalResult struct {
	Session Session           `json:"session"`
	Results []ApprovalOutcome `json:"results"`
	// StreamCursor is set when the answers restarted the agent: ResumeStream from it streams
	// the continuation.
	StreamCursor string          `json:"stream_cursor"`
	Raw          json.RawMessage `json:"-"`
}

// UnmarshalJSON decodes the answer and keeps its text in Raw.
func (r *ApprovalResult) UnmarshalJSON(data []byte) error {
	type plain ApprovalResult
	return withRaw(data, (*plain)(r), &r.Raw)
}

// ApprovalOutcome is what became of one answer: "accepted", "rejected", "already_accepted" or
// "already_rejected".
type ApprovalOutcome struct {
	ActionRequestID string `json:"action_request_id"`
	Action          string `json:"action"`
	Outcome         string `json:"outcome"`
}

// QueuedMessage is a message waiting in a session's queue.
type QueuedMessage struct {
	ID    string `json:"id"`
	Input string `json:"input"`
	// State is "queued" or "editing".
	State string `json:"state"`
	// Position is 1-based.
	Position  int             `json:"position"`
	CreatedAt string          `json:"created_at"`
	UpdatedAt string          `json:"updated_at"`
	Raw       json.RawMessage `json:"-"`
}

// UnmarshalJSON decodes a queued message and keeps its text in Raw.
func (m *QueuedMessage) UnmarshalJSON(data []byte) error {
	type plain QueuedMessage
	return withRaw(data, (*plain)(m), &m.Raw)
}

// Queue answers the queue calls: the queue after the call, and the message the call added or
// changed (nil for listing and deleting).
type Queue struct {
	QueuedMessage *QueuedMessage  `json:"queued_message"`
	Queue         []QueuedMessage `json:"queue"`
	Raw           json.RawMessage `json:"-"`
}

// UnmarshalJSON decodes the answer and keeps its text in Raw.
func (q *Queue) UnmarshalJSON(data []byte) error {
	type plain Queue
	return withRaw(data, (*plain)(q), &q.Raw)
}

// Access says who may see a session.
type Access struct {
	GrantsVisibility   string              `json:"grants_visibility"`
	People             []AccessPerson      `json:"people"`
	Teams              []AccessTeam        `json:"teams"`
	OrganizationAccess *OrganizationAccess `json:"organization_access"`
	// Link is the link mode: "none", "anyone" or "password".
	Link              string          `json:"link"`
	LinkRole          string          `json:"link_role"`
	PasswordProtected bool            `json:"password_protected"`
	HiddenByRole      json.RawMessage `json:"hidden_by_role"`
	Raw               json.RawMessage `json:"-"`
}

// UnmarshalJSON decodes the access document and keeps its text in Raw.
func (a *Access) UnmarshalJSON(data []byte) error {
	type plain Access
	return withRaw(data, (*plain)(a), &a.Raw)
}

// AccessPerson is a person a session is shared with.
type AccessPerson struct {
	Email string `json:"email"`
	Name  string `json:"name"`
	Role  string `json:"role"`
}

// AccessTeam is a team a session is shared with.
type AccessTeam struct {
	TeamID string `json:"team_id"`
	Role   string `json:"role"`
}

// OrganizationAccess is the organization's role on a session.
type OrganizationAccess struct {
	Role string `json:"role"`
}

// AccessResponse answers GetAccess and UpdateAccess.
type AccessResponse struct {
	Access Access `json:"access"`
	// Notified are the e-mails newly shared with (UpdateAccess only).
	Notified []string        `json:"notified"`
	Raw      json.RawMessage `json:"-"`
}

// UnmarshalJSON decodes the answer and keeps its text in Raw.
func (r *AccessResponse) UnmarshalJSON(data []byte) error {
	type plain AccessResponse
	return withRaw(data, (*plain)(r), &r.Raw)
}

// Agent is an agent as the server describes it (a summary listing fills only the identity,
// model, creator and activity fields).
type Agent struct {
	ID                 string            `json:"id"`
	Name               string            `json:"name"`
	Description        string            `json:"description"`
	TeamID             string            `json:"team_id"`
	IsActive           bool              `json:"is_active"`
	ModelName          string            `json:"model_name"`
	SystemPrompt       string            `json:"system_prompt"`
	Type               string            `json:"type"`
	FolderID           string            `json:"folder_id"`
	Version            int               `json:"version"`
	CreatedAt          string            `json:"created_at"`
	LastUsedAt         string            `json:"last_used_at"`
	LastUpdatedAt      string            `json:"last_updated_at"`
	ActiveTriggerCount int               `json:"active_trigger_count"`
	Creator            *User             `json:"creator"`
	Tools              []json.RawMessage `json:"tools"`
	Metadata           map[string]any    `json:"metadata"`
	Raw                json.RawMessage   `json:"-"`
}

// UnmarshalJSON decodes an agent and keeps its text in Raw.
func (a *Agent) UnmarshalJSON(data []byte) error {
	type plain Agent
	return withRaw(data, (*plain)(a), &a.Raw)
}

// AgentList is one page of agents.
type AgentList struct {
	Agents     []Agent         `json:"agents"`
	NextCursor string          `json:"next_cursor"`
	Raw        json.RawMessage `json:"-"`
}

// UnmarshalJSON decodes the page and keeps its text in Raw.
func (l *AgentList) UnmarshalJSON(data []byte) error {
	type plain AgentList
	return withRaw(data, (*plain)(l), &l.Raw)
}

// agentEnvelope is get_agent's answer, {"agent": {...}}.
type agentEnvelope struct {
	Agent Agent `json:"agent"`
}

// Artifact is a file an agent produced.
type Artifact struct {
	ID           string `json:"id"`
	VersionID    string `json:"version_id"`
	MajorVersion int    `json:"major_version"`
	AgentID      string `json:"agent_id"`
	SessionID    string `json:"session_id"`
	// Filename is the server's name for the file: never trust it as a path.
	Filename  string          `json:"filename"`
	CreatedAt string          `json:"created_at"`
	Metadata  map[string]any  `json:"metadata"`
	URL       string          `json:"url"`
	Creator   *User           `json:"creator"`
	Raw       json.RawMessage `json:"-"`
}

// UnmarshalJSON decodes an artifact and keeps its text in Raw.
func (a *Artifact) UnmarshalJSON(data []byte) error {
	type plain Artifact
	return withRaw(data, (*plain)(a), &a.Raw)
}

// ArtifactList is one page of an agent's artifacts.
type ArtifactList struct {
	Artifacts  []Artifact      `json:"artifacts"`
	NextCursor string          `json:"next_cursor"`
	Raw        json.RawMessage `json:"-"`
}

// UnmarshalJSON decodes the page and keeps its text in Raw.
func (l *ArtifactList) UnmarshalJSON(data []byte) error {
	type plain ArtifactList
	return withRaw(data, (*plain)(l), &l.Raw)
}

// ArtifactDownload says where an artifact's bytes are (the official SDK's download).
type ArtifactDownload struct {
	// DownloadURL is a signed URL: it needs no credential, and must not be shown.
	DownloadURL string          `json:"download_url"`
	Filename    string          `json:"filename"`
	MediaType   string          `json:"media_type"`
	Size        int64           `json:"size"`
	Raw         json.RawMessage `json:"-"`
}

// UnmarshalJSON decodes the answer and keeps its text in Raw.
func (d *ArtifactDownload) UnmarshalJSON(data []byte) error {
	type plain ArtifactDownload
	return withRaw(data, (*plain)(d), &d.Raw)
}

// DownloadedArtifact describes fetched bytes (DownloadBytes, DownloadToFile).
type DownloadedArtifact struct {
	ArtifactID string          `json:"artifact_id"`
	Filename   string          `json:"filename"`
	MediaType  string          `json:"media_type"`
	Size       int64           `json:"size"`
	Raw        json.RawMessage `json:"-"`
}

// UnmarshalJSON decodes the description and keeps its text in Raw.
func (d *DownloadedArtifact) UnmarshalJSON(data []byte) error {
	type plain DownloadedArtifact
	return withRaw(data, (*plain)(d), &d.Raw)
}
