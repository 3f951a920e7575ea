package com.gumloop.ffi;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * Where an artifact's bytes are: a signed URL, valid for a while.
 *
 * @param downloadUrl the signed URL (a secret: do not log it)
 * @param filename the server's file name
 * @param mediaType its media type
 * @param size its size in bytes, when declared
 * @param json the server's whole answer
 */
public record ArtifactDownload(String downloadUrl, String filename, String mediaType, Long size, JsonNode json) {
    /** Reads a download ticket. */
    static ArtifactDownload of(JsonNode json) {
        return new ArtifactDownload(Json.text(json, "download_url"), Json.text(json, "filename"),
                Json.text(json, "media_type"), Json.number(json, "size"), json);
    }

    @Override
    public String toString() {
        return "ArtifactDownload[filename=" + filename + ", mediaType=" + mediaType + ", size=" + size + "]";
    }
}
