package com.gumloop.ffi;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * An artifact downloaded into memory.
 *
 * @param artifactId the artifact
 * @param filename the server's file name (never trust it as a path)
 * @param mediaType its media type
 * @param size the number of bytes
 * @param data the bytes (the array is this record's: equality compares it by identity)
 * @param json the library's document about the download
 */
public record DownloadedBytes(String artifactId, String filename, String mediaType, long size, byte[] data, JsonNode json) {
    /** Reads a bytes call's outcome. */
    static DownloadedBytes of(Outcome outcome) {
        JsonNode json = outcome.value(node -> node);
        Long size = Json.number(json, "size");
        return new DownloadedBytes(Json.text(json, "artifact_id"), Json.text(json, "filename"),
                Json.text(json, "media_type"), size == null ? outcome.data().length : size, outcome.data(), json);
    }

    @Override
    public String toString() {
        return "DownloadedBytes[artifactId=" + artifactId + ", filename=" + filename + ", mediaType=" + mediaType
                + ", size=" + size + "]";
    }
}
