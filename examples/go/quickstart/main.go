// quickstart: create and stream Gumloop agent sessions from Go with the gumloop package (bindings/go).
//
//	cd examples/go && go run ./quickstart [agent_id]
//
// The client reads its credential, user ID and base URL from the environment
// (GUMLOOP_ACCESS_TOKEN, GUMLOOP_USER_ID, GUMLOOP_BASE_URL); without GUMLOOP_BASE_URL it talks
// to the real service. cgo finds the library through CGO_LDFLAGS or pkg-config (see
// bindings/go/README.md).
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"go.gumloop.com/gumloop"
)

func main() {
	agentID := "gumball"
	if len(os.Args) > 1 {
		agentID = os.Args[1]
	}
	if err := run(agentID); err != nil {
		var e *gumloop.Error
		if errors.As(err, &e) {
			fmt.Fprintf(os.Stderr, "failed: [%s] %s\n", e.Kind, e.Message)
		} else {
			fmt.Fprintf(os.Stderr, "failed: %v\n", err)
		}
		os.Exit(1)
	}
}

func run(agentID string) error {
	fmt.Printf("libgumloop %s\n", gumloop.LibraryVersion())
	client, err := gumloop.NewClient(nil)
	if err != nil {
		return err
	}
	defer client.Close()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()

	idle, err := client.Sessions.Create(ctx, agentID, nil)
	if err != nil {
		return err
	}
	fmt.Printf("an idle session: %s (%s)\n", idle.Session.ID, idle.Session.State)

	working, err := client.Sessions.Create(ctx, agentID, &gumloop.CreateParams{
		Input:    "Say hello in three words",
		Metadata: map[string]any{"source": "quickstart.go"},
	})
	if err != nil {
		return err
	}
	fmt.Printf("a working session: %s (%s)\n", working.Session.ID, working.Session.State)

	// A stream is a range loop: each event once, in order; the library resumes after drops.
	sessionID, reason := "", ""
	for ev, err := range client.Sessions.Stream(ctx, agentID, &gumloop.CreateParams{Input: "Stream a short greeting"}) {
		if err != nil {
			return err
		}
		switch ev.Type {
		case "interaction-ready":
			sessionID = ev.InteractionID
		case "text-delta":
			fmt.Print(ev.Delta)
		case "finish":
			reason = ev.FinishReason
		}
	}
	fmt.Printf("\na streamed session: %s (%s)\n", sessionID, reason)
	if reason != "stop" {
		return fmt.Errorf("the stream finished with %q", reason)
	}
	return nil
}
