// artifacts: list the files a run produced and download one, into memory and into a file (the
// server's file name is never used as a path).
//
//	cd examples/go && go run ./artifacts [agent_id]
package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
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

	// "[artifact:NAME:BYTES]" makes the emulator's run produce a file.
	created, err := client.Sessions.Create(ctx, agentID, &gumloop.CreateParams{Input: "[artifact:report.txt:64] Write the report"})
	if err != nil {
		return err
	}
	if _, err := client.Sessions.Wait(ctx, created.Session.ID, nil); err != nil {
		return err
	}
	var found []gumloop.Artifact
	for a, err := range client.Artifacts.ListAll(ctx, agentID, &gumloop.ArtifactListParams{SessionID: created.Session.ID}) {
		if err != nil {
			return err
		}
		fmt.Printf("artifact %s: %s\n", a.ID, a.Filename)
		found = append(found, a)
	}
	if len(found) == 0 {
		return fmt.Errorf("the run produced no artifact")
	}
	data, info, err := client.Artifacts.DownloadBytes(ctx, found[0].ID, &gumloop.DownloadOptions{MaxBytes: 1 << 20})
	if err != nil {
		return err
	}
	fmt.Printf("downloaded %d bytes of %s (%s)\n", len(data), info.Filename, info.MediaType)

	dir, err := os.MkdirTemp("", "gumloop-example-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	saved, err := client.Artifacts.DownloadToFile(ctx, found[0].ID, filepath.Join(dir, "report.txt"), nil)
	if err != nil {
		return err
	}
	if saved.Size != int64(len(data)) {
		return fmt.Errorf("the file has %d bytes, memory %d", saved.Size, len(data))
	}
	fmt.Printf("saved %d bytes\n", saved.Size)
	return nil
}
