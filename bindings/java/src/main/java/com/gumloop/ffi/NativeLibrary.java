package com.gumloop.ffi;

import com.sun.jna.Library;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.LongByReference;
import com.sun.jna.ptr.PointerByReference;

/**
 * The functions of {@code include/gumloop.h} this package calls, declared for JNA. Handles are
 * {@link Pointer}s; every {@code char **} out-parameter is a {@link PointerByReference} whose
 * string {@link Native#takeString} copies and frees. JSON arguments are passed as NUL-terminated
 * UTF-8 {@code byte[]} so that no platform encoding ever applies.
 */
interface NativeLibrary extends Library {
    /** {@code const char *gumloop_version_get(void)}: static. */
    String gumloop_version_get();

    /** {@code const char *gumloop_description_get(void)}: static UTF-8 JSON. */
    String gumloop_description_get();

    /** {@code const char *gumloop_code_get_name(gumloop_code)}: static. */
    String gumloop_code_get_name(int code);

    /** {@code void gumloop_string_free(char *)}. */
    void gumloop_string_free(Pointer s);

    /** {@code void gumloop_bytes_free(uint8_t *, size_t)}. */
    void gumloop_bytes_free(Pointer data, long len);

    /** {@code gumloop_client_new(options_json, &client, &out_json)}. */
    int gumloop_client_new(byte[] optionsJson, PointerByReference outClient, PointerByReference outJson);

    /** {@code void gumloop_client_free(gumloop_client *)}. */
    void gumloop_client_free(Pointer client);

    /** {@code gumloop_client_set_credentials(client, credentials_json, &out_json)}. */
    int gumloop_client_set_credentials(Pointer client, byte[] credentialsJson, PointerByReference outJson);

    /** {@code gumloop_client_take_tokens(client, &out_json)}: the latest refresh's tokens, once. */
    int gumloop_client_take_tokens(Pointer client, PointerByReference outJson);

    /** {@code uint64_t gumloop_client_get_refresh_count(client)}. */
    long gumloop_client_get_refresh_count(Pointer client);

    /** {@code gumloop_oauth_build_authorization_url(params_json, &out_json)}. */
    int gumloop_oauth_build_authorization_url(byte[] paramsJson, PointerByReference outJson);

    /** {@code gumloop_log_set_level(level, &out_json)}. */
    int gumloop_log_set_level(byte[] level, PointerByReference outJson);

    /** {@code gumloop_log_take(&out_json)}: every waiting record, oldest first. */
    int gumloop_log_take(PointerByReference outJson);

    /** {@code gumloop_poller_new(options_json, &poller, &out_json)}. */
    int gumloop_poller_new(byte[] optionsJson, PointerByReference outPoller, PointerByReference outJson);

    /** {@code void gumloop_poller_free(gumloop_poller *)}: cancels every call in flight. */
    void gumloop_poller_free(Pointer poller);

    /** {@code int gumloop_poller_get_fd(const gumloop_poller *)}. */
    int gumloop_poller_get_fd(Pointer poller);

    /** {@code gumloop_poller_start_call(poller, client, operation, args_json, data, len, &id, &json)}. */
    int gumloop_poller_start_call(Pointer poller, Pointer client, byte[] operation, byte[] argsJson,
            byte[] data, long dataLen, LongByReference outCallId, PointerByReference outJson);

    /** {@code gumloop_poller_cancel_call(poller, call_id, &json)}. */
    int gumloop_poller_cancel_call(Pointer poller, long callId, PointerByReference outJson);

    /** {@code gumloop_poller_take_bytes(poller, call_id, &data, &len, &json)}. */
    int gumloop_poller_take_bytes(Pointer poller, long callId, PointerByReference outData, LongByReference outLen,
            PointerByReference outJson);

    /** {@code gumloop_poller_take_call_info(poller, call_id, &json)}. */
    int gumloop_poller_take_call_info(Pointer poller, long callId, PointerByReference outJson);

    /** {@code gumloop_poller_take_item(poller, &call_id, &kind, &code, &json)}. */
    int gumloop_poller_take_item(Pointer poller, LongByReference outCallId, IntByReference outKind,
            IntByReference outCode, PointerByReference outJson);
}
