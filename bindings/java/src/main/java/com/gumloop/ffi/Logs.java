package com.gumloop.ffi;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.jna.ptr.PointerByReference;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;

/**
 * The library's log records, handed to the {@link System.Logger} named {@code gumloop_ffi}
 * (java.util.logging by default, or whatever backend the application installs). The library's
 * {@code debug} records (each answered attempt) are logged at TRACE, its {@code info} records
 * (failed attempts, retries, resumes, recoveries, refreshes) at DEBUG, {@code warn} at WARNING:
 * at the default INFO level only a failed refresh shows. The library keeps the records the
 * logger would take (its level is set when a client is built); they are pulled
 * after each call ends, on the caller's side, never from a library thread. Records carry no
 * token, user ID, header, body or query.
 */
final class Logs {
    /** The logger's name. */
    static final String NAME = "gumloop_ffi";
    private static final Logger LOGGER = System.getLogger(NAME);
    /** Whether the library keeps records (the last level set was not "off"). */
    private static volatile boolean enabled;

    private Logs() {}

    /** Sets the library's level from the logger's (the most detailed level it takes). */
    static void configure() {
        String level = LOGGER.isLoggable(Level.TRACE) ? "debug"
                : LOGGER.isLoggable(Level.DEBUG) ? "info"
                : LOGGER.isLoggable(Level.WARNING) ? "warn"
                : LOGGER.isLoggable(Level.ERROR) ? "error" : "off";
        Native lib = Native.get();
        PointerByReference out = new PointerByReference();
        int code = lib.lib.gumloop_log_set_level(Native.cString(level), out);
        String text = lib.takeString(out);
        if (code != 0) {
            throw Errors.fromLibrary(code, text);
        }
        enabled = !"off".equals(level);
    }

    /** Hands every waiting record to the logger. */
    static void drain() {
        if (!enabled) {
            return;
        }
        Native lib = Native.get();
        PointerByReference out = new PointerByReference();
        int code = lib.lib.gumloop_log_take(out);
        JsonNode taken = Json.parseOrNull(lib.takeString(out));
        if (code != 0 || taken == null) {
            return;
        }
        for (JsonNode record : taken.path("records")) {
            LOGGER.log(level(Json.text(record, "level")), Json.text(record, "message") + " " + record);
        }
        long dropped = taken.path("dropped").asLong();
        if (dropped > 0) {
            LOGGER.log(Level.WARNING, dropped + " log records were dropped (the library keeps 4096)");
        }
    }

    /** The Java level of a library level, one step quieter below warnings (as SDKs log routine retries at DEBUG). */
    private static Level level(String name) {
        if (name == null) {
            return Level.DEBUG;
        }
        switch (name) {
            case "debug":
                return Level.TRACE;
            case "warn":
                return Level.WARNING;
            case "error":
                return Level.ERROR;
            default:
                return Level.DEBUG;
        }
    }
}
