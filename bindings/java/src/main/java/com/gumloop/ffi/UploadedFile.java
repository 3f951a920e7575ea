package com.gumloop.ffi;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * A file stored with a session; its {@link #fileName()} goes into a send's attachments.
 *
 * @param fileName the stored path, {@code sessions/<id>/files/<name>}
 * @param mediaType its media type (given or guessed), or null
 * @param size its size in bytes
 * @param json the server's whole answer
 */
public record UploadedFile(String fileName, String mediaType, long size, JsonNode json) {
    /** Reads an upload's answer. */
    static UploadedFile of(JsonNode json) {
        Long size = Json.number(json, "size");
        return new UploadedFile(Json.text(json, "file_name"), Json.text(json, "media_type"), size == null ? 0 : size, json);
    }
}
