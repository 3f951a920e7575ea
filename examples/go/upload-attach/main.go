// upload-attach: upload a file to a session and send a message that attaches it, with typed
// parameters ([]gumloop.Attachment), then wait for the answer.
//
//	cd examples/go && go run ./upload-attach [agent_id]
//
// The client reads GUMLOOP_ACCESS_TOKEN, GUMLOOP_USER_ID and GUMLOOP_BASE_URL from the
// environment.
package main

import (
	"context"
	"fmt"
	"os"
	"strings"
	"time"

	"go.gumloop.com/gumloop"
)

func main() {
	agentID := "gumball"
	if len(os.Args) > 1 {
		agentID = os.Args[1]
	}
	if err := run(agentID); err != nil {
		fmt.Fprintf(os.Stderr, "failed: %v\n", err)
		os.Exit(1)
	}
}

func run(agentID string) error {
	client, err := gumloop.NewClient(nil)
	if err != nil {
		return err
	}
	defer client.Close()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()

	// Files belong to a session: make an idle one first.
	created, err := client.Sessions.Create(ctx, agentID, nil)
	if err != nil {
		return err
	}
	id := created.Session.ID
	notes := []byte("Quarterly numbers: 42 deals, 7 renewals.\n")
	file, err := client.Sessions.UploadFile(ctx, id, "notes.txt", notes, "text/plain")
	if err != nil {
		return err
	}
	fmt.Printf("stored %s (%d bytes, %s)\n", file.FileName, file.Size, file.MediaType)

	_, err = client.Sessions.Send(ctx, id, &gumloop.SendParams{
		Input:       "Summarize the attached notes",
		Attachments: []gumloop.Attachment{file.Attachment()},
	})
	if err != nil {
		return err
	}
	done, err := client.Sessions.Wait(ctx, id, nil)
	if err != nil {
		return err
	}
	last := done.Session.Messages[len(done.Session.Messages)-1]
	if last.Content == nil || !strings.Contains(*last.Content, "notes.txt") {
		return fmt.Errorf("the answer does not mention the attachment: %s", last.Raw)
	}
	fmt.Printf("%s: %s\n", done.Session.State, *last.Content)
	return nil
}
