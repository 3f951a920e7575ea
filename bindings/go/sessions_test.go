package gumloop

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
)

var ctx = context.Background()

func TestTheLoadedLibraryMatchesTheHeader(t *testing.T) {
	if LibraryVersion() != HeaderVersion {
		t.Fatalf("library %q, header %q", LibraryVersion(), HeaderVersion)
	}
}

func TestCreateRetrieveRenameAndCancel(t *testing.T) {
	c := ada(t, nil)
	idle, err := c.Sessions.Create(ctx, "agent_pro", nil)
	if err != nil {
		t.Fatal(err)
	}
	if idle.Session.State != "idle" || idle.Session.AgentID != "agent_pro" || idle.Session.ID == "" {
		t.Fatalf("an idle stub: %+v", idle.Session)
	}
	working, err := c.Sessions.Create(ctx, "agent_pro", &CreateParams{Input: "[slow:60000] think", Name: "go test"})
	if err != nil {
		t.Fatal(err)
	}
	if working.Session.State != "processing" || working.Session.Name != "go test" {
		t.Fatalf("a working session: %+v", working.Session)
	}
	got, err := c.Sessions.Retrieve(ctx, working.Session.ID)
	if err != nil || got.Session.ID != working.Session.ID || len(got.Session.Messages) != 1 {
		t.Fatalf("retrieve: %+v, %v", got, err)
	}
	if !strings.Contains(string(got.Raw), working.Session.ID) || got.Session.Raw == nil {
		t.Fatalf("raw answer kept: %s", got.Raw)
	}
	renamed, err := c.Sessions.Update(ctx, working.Session.ID, "renamed")
	if err != nil || renamed.Session.Name != "renamed" {
		t.Fatalf("update: %+v, %v", renamed, err)
	}
	cancelled, err := c.Sessions.Cancel(ctx, working.Session.ID)
	if err != nil || cancelled.Session.State != "failed" {
		t.Fatalf("cancel: %+v, %v", cancelled, err)
	}
}

func TestListPagesThroughEverySession(t *testing.T) {
	c := ada(t, nil)
	made := map[string]bool{}
	for i := 0; i < 5; i++ {
		r, err := c.Sessions.Create(ctx, "agent_pro", &CreateParams{Name: fmt.Sprintf("list %d", i)})
		if err != nil {
			t.Fatal(err)
		}
		made[r.Session.ID] = true
	}
	page, err := c.Sessions.List(ctx, "agent_pro", &ListParams{PageSize: 2})
	if err != nil || len(page.Sessions) != 2 || page.NextCursor == "" {
		t.Fatalf("first page: %+v, %v", page, err)
	}
	seen := map[string]bool{}
	err = c.Sessions.ListAll(ctx, "agent_pro", &ListParams{PageSize: 2}, func(s Session) error {
		if seen[s.ID] {
			return fmt.Errorf("%s listed twice", s.ID)
		}
		seen[s.ID] = true
		return nil
	})
	if err != nil || len(seen) != 5 {
		t.Fatalf("all pages: %d sessions, %v", len(seen), err)
	}
	for id := range made {
		if !seen[id] {
			t.Fatalf("%s not listed", id)
		}
	}
}

func TestSendWaitAndQueue(t *testing.T) {
	c := ada(t, nil)
	r, err := c.Sessions.Create(ctx, "agent_pro", &CreateParams{Input: "first"})
	if err != nil {
		t.Fatal(err)
	}
	id := r.Session.ID
	if _, err := c.Sessions.Send(ctx, id, &SendParams{Input: "too soon"}); !errors.Is(err, ErrConflict) {
		t.Fatalf("a send to a busy session: %v", err)
	}
	queued, err := c.Sessions.Send(ctx, id, &SendParams{Input: "later", Queued: true, IdempotencyKey: "go-key-1"})
	if err != nil || queued.Receipt == nil || queued.Receipt.MessageID == "" {
		t.Fatalf("queued send: %+v, %v", queued, err)
	}
	again, err := c.Sessions.Send(ctx, id, &SendParams{Input: "later", Queued: true, IdempotencyKey: "go-key-1"})
	if err != nil || again.Receipt.MessageID != queued.Receipt.MessageID {
		t.Fatalf("a repeated key gives the same receipt: %+v, %v", again, err)
	}
	done, err := c.Sessions.Wait(ctx, id, nil)
	if err != nil || done.Session.State != "completed" {
		t.Fatalf("wait: %+v, %v", done, err)
	}
	now, err := c.Sessions.Send(ctx, id, &SendParams{Input: "now"})
	if err != nil || now.Response == nil || now.Response.Session.ID != id {
		t.Fatalf("immediate send: %+v, %v", now, err)
	}
}

func TestStreamDeliversEveryWordOnceAndResumesAfterADrop(t *testing.T) {
	c := ada(t, nil)
	arm(t, map[string]any{"listener": "stream", "drop_stream_after": 7})
	var words []string
	var cursors []string
	summary, err := c.Sessions.Stream(ctx, "agent_pro", &CreateParams{Input: "[words:40] go"}, func(e Event) error {
		cursors = append(cursors, e.StreamCursor)
		if e.Type == "text-delta" {
			words = append(words, strings.TrimSpace(e.Delta))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(words) != 40 || summary.Resumes < 1 || !summary.Final || summary.Events != len(cursors) {
		t.Fatalf("%d words, summary %+v", len(words), summary)
	}
	seen := map[string]bool{}
	for _, cursor := range cursors {
		if seen[cursor] {
			t.Fatalf("event %s delivered twice", cursor)
		}
		seen[cursor] = true
	}
	// The rest of the session's events, replayed after an early cursor: the run has ended, so
	// the stream says it cannot resume.
	resumed, err := c.Sessions.ResumeStream(ctx, summary.SessionID, cursors[2], func(Event) error { return nil })
	if err != nil || resumed.FinishReason != "not_resumable" {
		t.Fatalf("resume of an ended run: %+v, %v", resumed, err)
	}
}

func TestStreamMessageAndAHandlerThatStops(t *testing.T) {
	c := ada(t, nil)
	r, err := c.Sessions.Create(ctx, "agent_pro", nil)
	if err != nil {
		t.Fatal(err)
	}
	count := 0
	summary, err := c.Sessions.StreamMessage(ctx, r.Session.ID, &SendParams{Input: "[words:5] hi"}, func(e Event) error {
		count++
		return nil
	})
	if err != nil || summary.SessionID != r.Session.ID || summary.Events != count {
		t.Fatalf("stream message: %+v, %v", summary, err)
	}
	mine := errors.New("enough")
	seen := 0
	_, err = c.Sessions.StreamMessage(ctx, r.Session.ID, &SendParams{Input: "[words:50] more"}, func(e Event) error {
		seen++
		if seen == 3 {
			return mine
		}
		return nil
	})
	if !errors.Is(err, mine) || seen != 3 {
		t.Fatalf("the handler's error ends the stream: %v after %d events", err, seen)
	}
}

func TestAPanickingHandlerPanicsInTheCaller(t *testing.T) {
	c := ada(t, nil)
	defer func() {
		if r := recover(); r != "boom" {
			t.Fatalf("recovered %v", r)
		}
		// The client still works after the panic went through.
		if _, err := c.Sessions.Create(ctx, "agent_pro", nil); err != nil {
			t.Fatal(err)
		}
	}()
	_, _ = c.Sessions.Stream(ctx, "agent_pro", &CreateParams{Input: "[words:5] x"}, func(Event) error { panic("boom") })
	t.Fatal("no panic")
}
