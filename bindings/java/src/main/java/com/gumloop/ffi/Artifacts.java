package com.gumloop.ffi;

import static com.gumloop.ffi.Json.args;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

/** A client's artifact calls ({@code client.artifacts()}): the files agents' runs produced. */
public final class Artifacts {
    private final Calls engine;

    Artifacts(Calls engine) {
        this.engine = engine;
    }

    /**
     * One page of the agent's artifacts.
     *
     * @param agentId the agent
     * @param params filters and paging (null: none)
     * @return the page
     */
    public ArtifactList list(String agentId, ListParams params) {
        return engine.run("list_artifacts", args("agent_id", agentId, "query", params == null ? Json.object() : params.toJson()),
                null, ArtifactList::of);
    }

    /**
     * {@link #list} without blocking.
     *
     * @param agentId the agent
     * @param params filters and paging
     * @return the page's future
     */
    public CompletableFuture<ArtifactList> listAsync(String agentId, ListParams params) {
        return engine.submit("list_artifacts", args("agent_id", agentId, "query", params == null ? Json.object() : params.toJson()),
                null, ArtifactList::of);
    }

    /**
     * Every artifact of the agent, page after page.
     *
     * @param agentId the agent
     * @param params filters (null: none)
     * @return the artifacts
     */
    public Stream<Artifact> listAll(String agentId, ListParams params) {
        return Pages.all(params, p -> list(agentId, p), ArtifactList::artifacts, ArtifactList::nextCursor);
    }

    /**
     * Where the artifact's bytes are (a signed URL).
     *
     * @param artifactId the artifact
     * @param versionId the version, or null for the latest
     * @return the ticket
     */
    public ArtifactDownload download(String artifactId, String versionId) {
        return engine.run("get_artifact_download", args("artifact_id", artifactId, "version_id", versionId), null,
                ArtifactDownload::of);
    }

    /**
     * {@link #download} without blocking.
     *
     * @param artifactId the artifact
     * @param versionId the version or null
     * @return the ticket's future
     */
    public CompletableFuture<ArtifactDownload> downloadAsync(String artifactId, String versionId) {
        return engine.submit("get_artifact_download", args("artifact_id", artifactId, "version_id", versionId), null,
                ArtifactDownload::of);
    }

    /**
     * Downloads the artifact into memory (at most {@code max_bytes}, by default the client's
     * {@code max_response_bytes}).
     *
     * @param artifactId the artifact
     * @param options version and size limit (null: the latest, the default limit)
     * @return the bytes and what the server said about them
     */
    public DownloadedBytes downloadBytes(String artifactId, DownloadOptions options) {
        return engine.runBytes("download_artifact", bytesArgs(artifactId, options), DownloadedBytes::of);
    }

    /**
     * {@link #downloadBytes} without blocking.
     *
     * @param artifactId the artifact
     * @param options version and limit
     * @return the bytes' future
     */
    public CompletableFuture<DownloadedBytes> downloadBytesAsync(String artifactId, DownloadOptions options) {
        return engine.submitBytes("download_artifact", bytesArgs(artifactId, options), DownloadedBytes::of);
    }

    private static com.fasterxml.jackson.databind.node.ObjectNode bytesArgs(String artifactId, DownloadOptions options) {
        return args("artifact_id", artifactId, "options", options == null ? null : options.toJson());
    }

    /**
     * Downloads the artifact into a file: {@code path} is a file, or an existing directory that
     * gets the server's file name reduced to a safe plain name. Nothing is left behind on failure.
     *
     * @param artifactId the artifact
     * @param path the file or directory
     * @param options version and size limit (null: the latest, 1 GiB)
     * @return what was written, and where
     */
    public DownloadedFile downloadToFile(String artifactId, Path path, DownloadOptions options) {
        return engine.run("download_artifact_to_file", toFileArgs(artifactId, path, options), null, DownloadedFile::of);
    }

    /**
     * {@link #downloadToFile} without blocking.
     *
     * @param artifactId the artifact
     * @param path the file or directory
     * @param options version and limit
     * @return the result's future
     */
    public CompletableFuture<DownloadedFile> downloadToFileAsync(String artifactId, Path path, DownloadOptions options) {
        return engine.submit("download_artifact_to_file", toFileArgs(artifactId, path, options), null, DownloadedFile::of);
    }

    private static com.fasterxml.jackson.databind.node.ObjectNode toFileArgs(String artifactId, Path path, DownloadOptions options) {
        return args("artifact_id", artifactId, "path", path == null ? null : path.toString(),
                "options", options == null ? null : options.toJson());
    }
}
