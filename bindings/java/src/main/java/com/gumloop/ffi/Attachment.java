package com.gumloop.ffi;

/**
 * A file attached to a message: a stored file name from {@link Sessions#uploadFile}.
 *
 * @param fileName the stored path the upload answered with
 * @param mediaType its media type, or null to keep the stored one
 */
public record Attachment(String fileName, String mediaType) {
    /**
     * An attachment of an uploaded file.
     *
     * @param file the upload's answer
     * @return the attachment
     */
    public static Attachment of(UploadedFile file) {
        return new Attachment(file.fileName(), file.mediaType());
    }

    /** The attachment as the API takes it. */
    com.fasterxml.jackson.databind.node.ObjectNode toJson() {
        var node = Json.object().put("file_name", fileName);
        if (mediaType != null) {
            node.put("media_type", mediaType);
        }
        return node;
    }
}
