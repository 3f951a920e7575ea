package gumloop

import (
	"encoding/base64"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

func TestAnUploadedFileIsAttachedWithTypedParameters(t *testing.T) {
	c := ada(t, nil)
	r, err := c.Sessions.Create(ctx, "agent_pro", nil)
	if err != nil {
		t.Fatal(err)
	}
	file, err := c.Sessions.UploadFile(ctx, r.Session.ID, "notes.txt", []byte("hello notes"), "text/plain")
	if err != nil || file.FileName != "sessions/"+r.Session.ID+"/files/notes.txt" || file.Size != 11 || file.MediaType != "text/plain" {
		t.Fatalf("upload: %+v, %v", file, err)
	}
	var sent map[string]any
	for _, req := range requests(t) {
		if strings.HasSuffix(req["path"].(string), "/files") {
			_ = json.Unmarshal([]byte(req["body"].(string)), &sent)
		}
	}
	if sent["file_content"] != base64.StdEncoding.EncodeToString([]byte("hello notes")) {
		t.Fatalf("the upload's body: %v", sent)
	}
	if _, err := c.Sessions.Send(ctx, r.Session.ID, &SendParams{Input: "read it", Attachments: []Attachment{file.Attachment()}}); err != nil {
		t.Fatal(err)
	}
	done, err := c.Sessions.Wait(ctx, r.Session.ID, nil)
	if err != nil {
		t.Fatal(err)
	}
	last := done.Session.Messages[len(done.Session.Messages)-1]
	if last.Content == nil || !strings.Contains(*last.Content, "Attached files: notes.txt (11 bytes)") || last.Parts[0].Type != "text" {
		t.Fatalf("the answer: %+v", last)
	}
	// Another session's file is refused by the server, by name.
	other, err := c.Sessions.Create(ctx, "agent_pro", nil)
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Sessions.Send(ctx, other.Session.ID, &SendParams{Input: "x", Attachments: []Attachment{{FileName: file.FileName}}})
	if e := expect(t, err, ErrBadRequest, CodeBadRequest); e.ServerCode != "invalid_attachment" {
		t.Fatalf("%+v", e)
	}
}

func TestApprovalsCarryTheirRequestIDsAndResolvingStreamsTheContinuation(t *testing.T) {
	c := ada(t, nil)
	// The ask comes in the stream with its request ID.
	var asked []Event
	sessionID := ""
	for e, err := range c.Sessions.Stream(ctx, "agent_pro", &CreateParams{Input: "[approval:2] deploy"}) {
		if err != nil {
			t.Fatal(err)
		}
		if e.Type == "interaction-ready" {
			sessionID = e.InteractionID
		}
		if e.Type == "action-request" {
			asked = append(asked, e)
		}
	}
	if len(asked) != 2 || asked[0].ActionRequestID == "" || asked[0].ActionRequest == nil || asked[0].ActionRequest.ToolName != "web_search" {
		t.Fatalf("asks in the stream: %+v", asked)
	}
	paused, err := c.Sessions.Retrieve(ctx, sessionID)
	if err != nil || paused.Session.State != "approval_required" {
		t.Fatalf("retrieve: %+v, %v", paused, err)
	}
	asks := paused.Session.PendingApprovals
	if len(asks) != 2 || asks[0].ActionRequestID != asked[0].ActionRequestID || asks[0].Type != "tool_approval" || asks[0].DisplayFields[0].Label != "Query" || asks[0].Raw == nil {
		t.Fatalf("asks: %+v", asks)
	}
	_, err = c.Sessions.ResolveApprovals(ctx, sessionID, []ApprovalResponse{Accept("nope")})
	expect(t, err, ErrBadRequest, CodeBadRequest)
	resolved, err := c.Sessions.ResolveApprovals(ctx, sessionID, []ApprovalResponse{
		Accept(asks[0].ActionRequestID), Reject(asks[1].ActionRequestID, "not now"),
	})
	if err != nil {
		t.Fatal(err)
	}
	if resolved.Results[0].Outcome != "accepted" || resolved.Results[1].Outcome != "rejected" || resolved.StreamCursor == "" {
		t.Fatalf("results: %+v", resolved)
	}
	text := ""
	for e, err := range c.Sessions.ResumeStream(ctx, sessionID, resolved.StreamCursor) {
		if err != nil {
			t.Fatal(err)
		}
		text += e.Delta
	}
	if !strings.Contains(text, "Continuing after approvals") || !strings.Contains(text, "not now") {
		t.Fatalf("the continuation: %q", text)
	}
}

func TestAHumanInputAskIsAnswered(t *testing.T) {
	c := ada(t, nil)
	r, err := c.Sessions.Create(ctx, "agent_pro", &CreateParams{Input: "[human_input] choose"})
	if err != nil {
		t.Fatal(err)
	}
	paused, err := c.Sessions.Wait(ctx, r.Session.ID, nil)
	if err != nil || len(paused.Session.PendingApprovals) != 1 {
		t.Fatalf("wait: %+v, %v", paused, err)
	}
	ask := paused.Session.PendingApprovals[0]
	question := ask.Questions[0]
	if ask.Type != "human_input" || question.Type != "select" || len(question.Options) == 0 {
		t.Fatalf("ask: %+v", ask)
	}
	resolved, err := c.Sessions.ResolveApprovals(ctx, r.Session.ID, []ApprovalResponse{
		Answer(ask.ActionRequestID, map[string]any{question.Name: question.Options[0]}),
	})
	if err != nil || resolved.Results[0].Outcome != "accepted" {
		t.Fatalf("answer: %+v, %v", resolved, err)
	}
}

func TestTheQueue(t *testing.T) {
	c := ada(t, nil)
	r, err := c.Sessions.Create(ctx, "agent_pro", &CreateParams{Input: "[slow:60000] busy"})
	if err != nil {
		t.Fatal(err)
	}
	id := r.Session.ID
	first, err := c.Sessions.QueueMessage(ctx, id, "one")
	if err != nil {
		t.Fatal(err)
	}
	second, err := c.Sessions.QueueMessage(ctx, id, "two")
	if err != nil || second.QueuedMessage.Position != 2 || len(second.Queue) != 2 {
		t.Fatalf("queued: %+v, %v", second, err)
	}
	firstID, secondID := first.QueuedMessage.ID, second.QueuedMessage.ID
	if _, err := c.Sessions.EditQueuedMessage(ctx, id, firstID, "one, edited"); err != nil {
		t.Fatal(err)
	}
	listed, err := c.Sessions.ListQueue(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if len(listed.Queue) != 2 || listed.Queue[0].Input != "one, edited" || listed.Queue[0].State != "queued" || listed.QueuedMessage != nil {
		t.Fatalf("queue: %+v", listed)
	}
	if left, err := c.Sessions.DeleteQueuedMessage(ctx, id, secondID); err != nil || len(left.Queue) != 1 {
		t.Fatalf("delete: %+v, %v", left, err)
	}
	_, err = c.Sessions.DeleteQueuedMessage(ctx, id, secondID)
	expect(t, err, ErrNotFound, CodeNotFound)
	sent, err := c.Sessions.SendQueuedMessage(ctx, id, firstID)
	if err != nil || sent.Session.ID != id {
		t.Fatalf("send now: %+v, %v", sent, err)
	}
	if _, err := c.Sessions.Cancel(ctx, id); err != nil {
		t.Fatal(err)
	}
}

func TestAccess(t *testing.T) {
	c := ada(t, nil)
	r, err := c.Sessions.Create(ctx, "agent_pro", nil)
	if err != nil {
		t.Fatal(err)
	}
	got, err := c.Sessions.GetAccess(ctx, r.Session.ID)
	if err != nil || got.Access.Raw == nil || len(got.Access.People) == 0 {
		t.Fatalf("get access: %+v, %v", got, err)
	}
	changed, err := c.Sessions.UpdateAccess(ctx, r.Session.ID, &AccessChange{
		Share: []AccessGrant{Person("bob@example.com", "viewer")},
		Link:  &LinkAccess{Mode: "anyone", Role: "viewer"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(changed.Notified) != 1 || changed.Notified[0] != "bob@example.com" || changed.Access.Link != "anyone" {
		t.Fatalf("changed: %+v", changed)
	}
	shared := false
	for _, p := range changed.Access.People {
		shared = shared || (p.Email == "bob@example.com" && p.Role == "viewer")
	}
	if !shared {
		t.Fatalf("people: %+v", changed.Access.People)
	}
	_, err = c.Sessions.UpdateAccess(ctx, r.Session.ID, &AccessChange{Share: []AccessGrant{Person("eve@example.com", "emperor")}})
	expect(t, err, ErrBadRequest, CodeBadRequest)
}

func TestAgents(t *testing.T) {
	c := ada(t, nil)
	seen := map[string]bool{}
	for agent, err := range c.Agents.ListAll(ctx, &AgentListParams{PageSize: 2}) {
		if err != nil {
			t.Fatal(err)
		}
		seen[agent.ID] = true
	}
	if !seen["agent_pro"] {
		t.Fatalf("agents: %v", seen)
	}
	got, err := c.Agents.Retrieve(ctx, "agent_pro")
	if err != nil || got.Name != "Sales research agent" || got.Raw == nil {
		t.Fatalf("retrieve: %+v, %v", got, err)
	}
	page, err := c.Agents.List(ctx, &AgentListParams{Search: "sales", Summary: true})
	if err != nil || len(page.Agents) == 0 || page.Agents[0].ID == "" {
		t.Fatalf("search: %+v, %v", page, err)
	}
	_, err = c.Agents.Retrieve(ctx, "agent_none")
	expect(t, err, ErrNotFound, CodeNotFound)
}

func TestArtifactsAreFetchedWithoutTrustingTheirNames(t *testing.T) {
	c := ada(t, nil)
	r, err := c.Sessions.Create(ctx, "agent_pro", &CreateParams{Input: "[artifact:../report.txt:40] make it"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Sessions.Wait(ctx, r.Session.ID, nil); err != nil {
		t.Fatal(err)
	}
	var artifacts []Artifact
	for a, err := range c.Artifacts.ListAll(ctx, "agent_pro", &ArtifactListParams{SessionID: r.Session.ID}) {
		if err != nil {
			t.Fatal(err)
		}
		artifacts = append(artifacts, a)
	}
	if len(artifacts) != 1 || artifacts[0].Filename != "../report.txt" || artifacts[0].SessionID != r.Session.ID {
		t.Fatalf("list: %+v", artifacts)
	}
	id := artifacts[0].ID
	described, err := c.Artifacts.Download(ctx, id, "")
	if err != nil || described.Size != 40 || described.DownloadURL == "" {
		t.Fatalf("download: %+v, %v", described, err)
	}
	want := strings.Repeat(r.Session.ID+"/../report.txt\n", 10)[:40]
	got, info, err := c.Artifacts.DownloadBytes(ctx, id, nil)
	if err != nil || string(got) != want || info.Size != 40 || info.ArtifactID != id {
		t.Fatalf("bytes: %q, %+v, %v", got, info, err)
	}
	dir := t.TempDir()
	target := filepath.Join(dir, "saved.txt")
	if _, err := c.Artifacts.DownloadToFile(ctx, id, target, nil); err != nil {
		t.Fatal(err)
	}
	if data, _ := os.ReadFile(target); string(data) != want {
		t.Fatalf("file: %q", data)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Fatalf("the download left %d files", len(entries))
	}
	_, _, err = c.Artifacts.DownloadBytes(ctx, id, &DownloadOptions{MaxBytes: 10})
	expect(t, err, ErrInvalidResponse, CodeResponseTooLarge)
	_, _, err = c.Artifacts.DownloadBytes(ctx, "art_none", nil)
	expect(t, err, ErrNotFound, CodeNotFound)
}

func TestARawRequestEncodesEachSegment(t *testing.T) {
	c := ada(t, nil)
	r, err := c.Sessions.Create(ctx, "agent_pro", nil)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := c.Request(ctx, "GET", []string{"sessions", r.Session.ID}, nil, nil)
	if err != nil || !strings.Contains(string(raw), r.Session.ID) {
		t.Fatalf("raw: %s, %v", raw, err)
	}
	_, err = c.Request(ctx, "GET", []string{"sessions", "../agents"}, nil, nil)
	expect(t, err, ErrNotFound, CodeNotFound)
	found := false
	for _, req := range requests(t) {
		if ok, _ := regexp.MatchString(`^/api/v1/sessions/\.\.%2Fagents$`, req["path"].(string)); ok {
			found = true
		}
	}
	if !found {
		t.Fatal("the raw path was not sent as one encoded segment")
	}
}
