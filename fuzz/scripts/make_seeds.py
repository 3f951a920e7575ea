#!/usr/bin/env python3
"""Writes the seed corpus under fuzz/corpus/<target>/ (re-run after editing; files are overwritten).

Seeds are small, meaningful inputs: request bodies and options as callers write them, error
bodies and event streams as the API sends them (docs/API.md §4–§6). The input layouts are
described at the top of each fuzz target.
"""
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS = os.path.join(os.path.dirname(HERE), "corpus")


def write(target, name, data):
    d = os.path.join(CORPUS, target)
    os.makedirs(d, exist_ok=True)
    if isinstance(data, str):
        data = data.encode()
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


# body: create and send bodies, valid and refused.
BODIES = {
    "create-empty": "",
    "create-idle": "{}",
    "create-input": '{"input":"Summarize the latest sales report"}',
    "create-full": '{"input":"hi","session_id":"sess_custom_1","name":"  Weekly report  ",'
                   '"metadata":{"ticket":"T-1","n":1.50},"incognito":false,"future_field":[1,2]}',
    "create-message-parts": '{"message":[{"type":"text","text":"hi"},{"type":"image","url":"x"}],"stream":false}',
    "create-stream-true": '{"input":"hi","stream":true}',
    "create-name-blank": '{"name":"   "}',
    "create-name-256": '{"name":"' + "\u00e9" * 256 + '"}',
    "create-name-257": '{"name":"' + "a" * 257 + '"}',
    "create-bad-types": '{"input":5,"session_id":"","metadata":[],"incognito":"yes"}',
    "create-duplicate-keys": '{"stream":true,"stream":false,"input":"x"}',
    "create-unicode-space": "\u00a0\u2028{\"input\":\"x\"}\u3000",
    "create-not-object": "[1,2]",
    "create-bad-json": '{"input":',
    "create-deep": "[" * 200,
    "send-immediate": '{"input":"hi","x":1.50}',
    "send-attachments": '{"input":"see file","attachments":[{"file_name":"sess_1/a.pdf","media_type":"application/pdf"},'
                        '{"file_name":"sess_1/b.txt","media_type":null}]}',
    "send-attachments-11": '{"input":"x","attachments":[' + ",".join(['{"file_name":"f"}'] * 11) + "]}",
    "send-queued": '{"input":["a",{"type":"text","text":"b"},{"type":"input_text","text":"c"}],'
                   '"delivery":"queued","idempotency_key":"k-1"}',
    "send-queued-generated-key": '{"message":"later please","delivery":"queued"}',
    "send-queued-bad-key": '{"input":"x","delivery":"queued","idempotency_key":"has space"}',
    "send-queued-image": '{"input":[{"type":"image","url":"x"}],"delivery":"queued"}',
    "send-queued-blank": '{"input":"  ","delivery":"queued"}',
    "send-queued-both": '{"input":"x","message":"y","delivery":"queued"}',
    "send-key-immediate": '{"input":"x","idempotency_key":"k"}',
    "send-approvals": '{"approval_responses":[{"action_request_id":"ar_1","action":"accept"}]}',
    "send-approvals-empty": '{"input":"x","approval_responses":[]}',
    "send-delivery-later": '{"input":"x","delivery":"later"}',
    "send-stream-true": '{"input":"x","stream":true}',
}
for name, text in BODIES.items():
    write("body", name, text)

# options: client options objects.
OPTIONS = {
    "empty": "",
    "empty-object": "{}",
    "token": '{"access_token":"gk_personal_ada","user_id":"user_ada"}',
    "api-key": '{"api_key":"gk_key","team_id":"team_4f8c92ab"}',
    "full": '{"access_token":"tok","user_id":"u1","team_id":"t1","base_url":"https://x.example/api/v1/",'
            '"stream_base_url":"https://ws.x.example/api/v1","timeout_ms":90000,"connect_timeout_ms":30000,'
            '"stream_idle_timeout_ms":3600000,"proxy":"http://proxy.example:3128","user_agent_suffix":"app/1.0",'
            '"max_response_bytes":16777216,"allow_insecure_http":false,"extra_headers":{"X-Trace":"1"}}',
    "loopback-http": '{"base_url":"http://127.0.0.1:9/api/v1","stream_base_url":"http://[::1]:9/api/v1"}',
    "insecure-http": '{"base_url":"http://example.com/api/v1","allow_insecure_http":true}',
    "http-refused": '{"base_url":"http://example.com/api/v1"}',
    "bad-scheme": '{"base_url":"ftp://example.com/api"}',
    "query-fragment": '{"base_url":"https://example.com/api?x=1#f"}',
    "token-crlf": '{"access_token":"a\\r\\nX-Evil: 1"}',
    "token-nul": '{"access_token":"a\\u0000b"}',
    "user-lf": '{"access_token":"t","user_id":"u\\n"}',
    "unknown-key": '{"access_token":"t","timeuot_ms":5}',
    "wrong-types": '{"timeout_ms":"5","max_response_bytes":-1,"allow_insecure_http":1}',
    "zero-timeout": '{"timeout_ms":0}',
    "float-size": '{"max_response_bytes":1.5}',
    "reserved-header": '{"extra_headers":{"Authorization":"x"}}',
    "bad-header-name": '{"extra_headers":{"bad name":"x","X-Ok":"v\\r"}}',
    "proxy-auth": '{"proxy":"http://user:pass@proxy.example:3128"}',
    "bad-proxy": '{"proxy":"::not a url"}',
    "ca-pem": '{"ca_cert_pem":"-----BEGIN CERTIFICATE-----\\nMIIB\\n-----END CERTIFICATE-----\\n"}',
    "ca-path": '{"ca_cert_path":"ca.pem"}',
    "not-object": "[1]",
    "bad-json": "{",
    "empty-string-option": '{"user_id":""}',
    "null-options": '{"access_token":null,"base_url":null}',
    "retry": '{"access_token":"t","max_retries":3,"max_backoff_ms":500,"auto_session_id":true}',
    "retry-off": '{"max_retries":0,"auto_session_id":false}',
    "retry-too-many": '{"max_retries":11,"max_backoff_ms":-1}',
}
for name, text in OPTIONS.items():
    write("options", name, text)


# server_error: status (2 bytes, big-endian), Retry-After selector (1 byte), body.
def err(status, retry, body):
    return struct.pack(">HB", status, retry) + (body.encode() if isinstance(body, str) else body)


ERRORS = {
    "nested-409": err(409, 0, '{"error":{"code":"session_already_exists","message":"Session exists",'
                              '"type":"invalid_request_error","param":"session_id","details":{"id":"s"}}}'),
    "nested-409-busy": err(409, 0, '{"error":{"code":"interaction_not_in_terminal_state","message":"Session is still running",'
                                   '"type":"invalid_request_error","param":null,"details":{}}}'),
    "nested-400-stream-host": err(400, 0, '{"error":{"code":"use_streaming_host","message":"retry against https://ws.gumloop.com/api/v1",'
                                          '"type":"invalid_request_error","param":"stream","details":{"streaming_host":"https://ws.gumloop.com"}}}'),
    "flat-public-403": err(403, 0, '{"error":"policy_denied","message":"Denied by policy","metadata":{"k":1},"trace_id":"t-1"}'),
    "oauth-401": err(401, 0, '{"error":"invalid_token","error_description":"Token expired"}'),
    "legacy-tier-403": err(403, 0, '{"error":"tier_required_pro","minimum_tier":"pro","denied_keys":["a"]}'),
    "legacy-feature-403": err(403, 0, '{"error":"feature_restricted","user_type":"free","denied_keys":["x"]}'),
    "legacy-unauthorized": err(403, 0, '{"error":"unauthorized_gummie_access"}'),
    "rate-limited-429": err(429, 4, '{"error":{"code":"concurrency_limit_exceeded","message":"Too many runs",'
                                    '"type":"rate_limit_error","param":null,"details":{}}}'),
    "retry-max-503": err(503, 255, "{}"),
    "html-502": err(502, 0, "<html>Bad gateway</html>"),
    "not-utf8-500": err(500, 0, b"\xff\xfe oops \xc3"),
    "json-array-418": err(418, 0, "[1,2,3]"),
    "json-string-404": err(404, 0, '"not found"'),
    "empty-413": err(413, 0, ""),
    "empty-message": err(400, 0, '{"error":{"code":"x","message":""}}'),
    "top-message-only": err(500, 0, '{"message":"internal","trace_id":"abc"}'),
}
for name, data in ERRORS.items():
    write("server_error", name, data)


# sse: chunking byte, limit byte (255 = 1 MiB), then the stream.
def sse(split, limit, text):
    return bytes([split, limit]) + (text.encode() if isinstance(text, str) else text)


SDK_STREAM = ('event: message\ndata: {"type": "message", "stream_cursor": "sid:1"}\n\n'
              'event: finish\ndata: {"type": "finish", "final": true}\n\n')
NOT_RESUMABLE = 'event: finish\ndata: {"type": "finish", "finishReason": "not_resumable", "final": true}\n\n'
EMULATOR_RUN = (
    'data: {"type":"interaction-ready","interaction_id":"sess_1","stream_cursor":"sess_1:1"}\n\n'
    'data: {"type":"text-start","id":"msg_1","stream_cursor":"sess_1:2"}\n\n'
    'data: {"type":"text-delta","id":"msg_1","delta":"Hello ","stream_cursor":"sess_1:3"}\n\n'
    ': ping\n\n'
    'data: {"type":"text-delta","id":"msg_1","delta":"h\u00e9","stream_cursor":"sess_1:4"}\n\n'
    'data: {"type":"text-end","id":"msg_1","stream_cursor":"sess_1:5"}\n\n'
    'data: {"type":"finish","final":false,"stream_cursor":"sess_1:6"}\n\n'
    'data: {"type":"finish","final":true,"finishReason":"stop","stream_cursor":"sess_1:7"}\n\n'
)
FAILED_RUN = 'data: {"type":"finish","final":true,"finishReason":"error","errorMessage":"Agent failed"}\n\n'
FIELDS = ('\ufeff: comment\n\nevent: finish\nid: 7\nretry: 250\ndata: {"final":\n'
          'data:true}\n\n: keep-alive\n\ndata\n\nid\n\nevent:\n\ndata: [DONE]\n\ndata: [1]\n\n')

for ending, label in (("\n", "lf"), ("\r\n", "crlf"), ("\r", "cr")):
    for split, split_label in ((0, "whole"), (1, "bytes"), (7, "chunks")):
        write("sse", f"sdk-{label}-{split_label}", sse(split, 255, SDK_STREAM.replace("\n", ending)))
    write("sse", f"emulator-run-{label}", sse(0x85, 255, EMULATOR_RUN.replace("\n", ending)))
    write("sse", f"fields-{label}", sse(3, 255, FIELDS.replace("\n", ending)))
write("sse", "not-resumable", sse(2, 255, NOT_RESUMABLE))
write("sse", "failed-run", sse(9, 255, FAILED_RUN))
write("sse", "mixed-endings", sse(5, 255, "data: a\r\n\r\ndata: b\r\rdata: c\n\ndata: d\r\n\n"))
write("sse", "small-limit", sse(4, 15, 'data: {"type":"text-delta","delta":"a long word"}\n\n'))
write("sse", "not-utf8", sse(6, 255, b"data: \xff\xfe\xc3\n\nevent: \xe9\ndata: x\n\n"))
write("sse", "id-with-nul", sse(0, 255, "id: a\x00b\ndata: x\n\nid: c\ndata: y\n\n"))
write("sse", "no-final-blank-line", sse(0, 255, 'data: {"type":"finish","final":true}'))


# Regression inputs: each made an invariant fail when it was found (see README.md, "Findings").
write("body", "regress-float-roundtrip", '{"input":"x","n":1111111111111111111176}')
write("body", "regress-float-queued", '{"input":"x","delivery":"queued","n":100e60}')
write("body", "regress-queued-alias-not-text", '{"input":"x","message":[{"type":"image","url":"u"}],"delivery":"queued"}')
write("options", "regress-proxy-password-debug", '{"proxy":"h://r"}')
write("server_error", "regress-empty-top-message", err(400, 0, '{"message":""}'))
write("server_error", "regress-empty-description", err(401, 0, '{"error":"invalid_token","error_description":""}'))
write("sse", "regress-bom-split", sse(1, 255, b"\xef\xbb\xbfdata: x\n\n"))
write("sse", "regress-lossy-data", sse(0, 7, b"data:\xff\xff\xff\n\n"))
write("sse", "regress-lossy-event", sse(0, 9, b"event:\xff\xff\xff\xff\n\n"))
write("sse", "regress-float-named-event", sse(0, 255, 'event: finish\ndata: {"n":5.0000000000000004e32}\n\n'))
write("sse", "regress-lossy-id", sse(0, 4, b"id:\xff\xff\n\n"))
