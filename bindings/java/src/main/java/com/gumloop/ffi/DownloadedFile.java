package com.gumloop.ffi;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * An artifact written to a file.
 *
 * @param artifactId the artifact
 * @param filename the server's file name
 * @param mediaType its media type
 * @param size the bytes written
 * @param path where they were written
 * @param json the library's whole answer
 */
public record DownloadedFile(String artifactId, String filename, String mediaType, long size, java.nio.file.Path path,
        JsonNode json) {
    /** Reads a download's result. */
    static DownloadedFile of(JsonNode json) {
        Long size = Json.number(json, "size");
        String path = Json.text(json, "path");
        return new DownloadedFile(Json.text(json, "artifact_id"), Json.text(json, "filename"),
                Json.text(json, "media_type"), size == null ? 0 : size, path == null ? null : java.nio.file.Path.of(path),
                json);
    }
}
