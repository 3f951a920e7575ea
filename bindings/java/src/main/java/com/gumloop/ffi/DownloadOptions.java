package com.gumloop.ffi;

/** Which version of an artifact to download and how many bytes to accept. */
public final class DownloadOptions extends Fields<DownloadOptions> {
    /** The latest version, the library's size limit. */
    public DownloadOptions() {}

    @Override
    DownloadOptions self() {
        return this;
    }

    /**
     * The version to fetch (the latest when not set).
     *
     * @param versionId the version
     * @return this
     */
    public DownloadOptions versionId(String versionId) {
        return put("version_id", versionId);
    }

    /**
     * The most bytes accepted.
     *
     * @param maxBytes the limit
     * @return this
     */
    public DownloadOptions maxBytes(long maxBytes) {
        fields.put("max_bytes", maxBytes);
        return this;
    }
}
