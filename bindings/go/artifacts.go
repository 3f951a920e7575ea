package gumloop

import (
	"context"
	"iter"
)

// Artifacts are the calls for the files agents produced.
type Artifacts struct{ client *Client }

// List is one page of the agent's artifacts.
func (a *Artifacts) List(ctx context.Context, agentID string, params *ArtifactListParams) (*ArtifactList, error) {
	text, err := a.client.run(ctx, "list_artifacts", map[string]any{"agent_id": agentID, "query": fields(params, "param")}, nil, nil)
	return decoded[ArtifactList](text, err, "a list of artifacts")
}

// ListAll is every artifact of the agent, page after page from params.Cursor, for a range loop;
// a failed page is yielded as the error and ends the loop.
func (a *Artifacts) ListAll(ctx context.Context, agentID string, params *ArtifactListParams) iter.Seq2[Artifact, error] {
	page := ArtifactListParams{}
	if params != nil {
		page = *params
	}
	return pages(page.Cursor, func(cursor string) ([]Artifact, string, error) {
		page.Cursor = cursor
		list, err := a.List(ctx, agentID, &page)
		if err != nil {
			return nil, "", err
		}
		return list.Artifacts, list.NextCursor, nil
	})
}

// Download says where an artifact's bytes are (the official SDK's download). An empty
// versionID means the newest.
func (a *Artifacts) Download(ctx context.Context, artifactID, versionID string) (*ArtifactDownload, error) {
	args := map[string]any{"artifact_id": artifactID}
	if versionID != "" {
		args["version_id"] = versionID
	}
	text, err := a.client.run(ctx, "get_artifact_download", args, nil, nil)
	return decoded[ArtifactDownload](text, err, "an artifact download")
}

// DownloadBytes fetches an artifact's bytes into memory; no Gumloop credential goes to another
// origin, and more than opts.MaxBytes is refused.
func (a *Artifacts) DownloadBytes(ctx context.Context, artifactID string, opts *DownloadOptions) ([]byte, *DownloadedArtifact, error) {
	args := map[string]any{"artifact_id": artifactID, "options": fields(opts, "param")}
	text, data, err := a.client.exec(ctx, "download_artifact", args, nil, true, nil)
	described, err := decoded[DownloadedArtifact](text, err, "a downloaded artifact")
	if err != nil {
		return nil, nil, err
	}
	return data, described, nil
}

// DownloadToFile fetches the bytes into path: written to a temporary name beside it and
// renamed, so path holds either the whole artifact or what it held before.
func (a *Artifacts) DownloadToFile(ctx context.Context, artifactID, path string, opts *DownloadOptions) (*DownloadedArtifact, error) {
	args := map[string]any{"artifact_id": artifactID, "path": path, "options": fields(opts, "param")}
	text, err := a.client.run(ctx, "download_artifact_to_file", args, nil, nil)
	return decoded[DownloadedArtifact](text, err, "a downloaded artifact")
}
