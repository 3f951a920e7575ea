/*
 * gumloop.hpp: the C++17 API of libgumloop, header-only, over the C API of gumloop.h.
 *
 * Every C function has one counterpart here (a test fails when one is missing):
 * gumloop_client_<verb>_<noun> is gumloop::client::<verb>_<noun>, gumloop_cancel_token_<verb>
 * is gumloop::cancel_token::<verb>, gumloop_oneshot_create_session is
 * gumloop::oneshot_create_session, and so on. The C API's rules hold unchanged; this header only
 * changes how they look:
 *
 * - Handles are move-only owners: gumloop::client, gumloop::cancel_token and gumloop::poller
 *   (the non-blocking calls, pulled by the caller's event loop) free what they hold
 *   when destroyed. A moved-from handle holds nothing; a call on it throws gumloop::error
 *   (GUMLOOP_ERR_NULL_ARGUMENT), as the C function does when given NULL.
 * - Results are std::string, the library's JSON exactly as the C call returned it (parse it with
 *   the JSON library of your choice). Strings the library hands out are freed here.
 * - A failed call throws gumloop::error, which keeps the whole error document (document()) and
 *   gives its fields typed (code, kind, message, HTTP status, the server's code, param,
 *   retryable, retry_after_ms, details, body, stream, ...). The fields are read by a small JSON
 *   reader in namespace gumloop::detail; a value that is not a string or a number (details,
 *   body, stream) is handed out as its JSON text.
 * - A string argument with a NUL byte inside cannot be passed to C: std::invalid_argument.
 * - Streams take any callable invoked as f(std::string_view event_json) on the calling thread.
 *   It returns void (go on) or bool (false stops the stream, which then throws gumloop::error
 *   GUMLOOP_ERR_CANCELLED). An exception it throws stops the stream and is rethrown once the C
 *   call has returned; it never crosses the C code.
 *
 * Compiles as C++17 and later with -Wall -Wextra -Wpedantic. Link with -lgumloop.
 */
#ifndef GUMLOOP_HPP
#define GUMLOOP_HPP

#include <cstddef>
#include <cstdint>
#include <exception>
#include <functional>
#include <limits>
#include <memory>
#include <new>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "gumloop.h"

namespace gumloop {

/** A JSON text argument that may be absent (std::nullopt is NULL for the C call). */
using optional_json = std::optional<std::string>;

namespace detail {

/** Frees a library string. */
struct string_deleter {
    void operator()(char *s) const noexcept { ::gumloop_string_free(s); }
};

/** A string the library handed out, owned until it is copied into a std::string. */
using owned_string = std::unique_ptr<char, string_deleter>;

/** Frees a library byte buffer of the length it came with. */
struct bytes_deleter {
    std::size_t size;
    void operator()(std::uint8_t *data) const noexcept { ::gumloop_bytes_free(data, size); }
};

/** A byte buffer the library handed out, owned until it is copied. */
using owned_bytes = std::unique_ptr<std::uint8_t, bytes_deleter>;

/**
 * A small, strict JSON reader (RFC 8259): enough to find the members of the error document.
 * It validates what it reads; on malformed input its functions return false.
 */
class json_reader {
public:
    explicit json_reader(std::string_view text) noexcept : text_(text) {}

    /** Skips one value of any kind, checking it; *raw is its text. */
    bool value(std::string_view *raw) noexcept {
        skip_space();
        const std::size_t start = pos_;
        if (!skip_value(0)) {
            return false;
        }
        *raw = text_.substr(start, pos_ - start);
        return true;
    }

    /** Whether only white space is left. */
    bool at_end() noexcept {
        skip_space();
        return pos_ == text_.size();
    }

    /**
     * Reads the members of an object, calling on_member(key, raw_value) for each (the key
     * decoded, the value as its JSON text).
     */
    template <class F>
    bool object(F &&on_member) {
        skip_space();
        if (!eat('{')) {
            return false;
        }
        skip_space();
        if (eat('}')) {
            return true;
        }
        for (;;) {
            std::string key;
            std::string_view raw;
            skip_space();
            if (!string(&key)) {
                return false;
            }
            skip_space();
            if (!eat(':') || !value(&raw)) {
                return false;
            }
            on_member(key, raw);
            skip_space();
            if (eat('}')) {
                return true;
            }
            if (!eat(',')) {
                return false;
            }
        }
    }

    /** Reads a string, decoding its escapes into UTF-8. */
    bool string(std::string *out) {
        if (!eat('"')) {
            return false;
        }
        while (pos_ < text_.size()) {
            const unsigned char c = static_cast<unsigned char>(text_[pos_++]);
            if (c == '"') {
                return true;
            }
            if (c < 0x20) {
                return false;
            }
            if (c != '\\') {
                out->push_back(static_cast<char>(c));
                continue;
            }
            if (pos_ >= text_.size()) {
                return false;
            }
            const char e = text_[pos_++];
            switch (e) {
                case '"': out->push_back('"'); break;
                case '\\': out->push_back('\\'); break;
                case '/': out->push_back('/'); break;
                case 'b': out->push_back('\b'); break;
                case 'f': out->push_back('\f'); break;
                case 'n': out->push_back('\n'); break;
                case 'r': out->push_back('\r'); break;
                case 't': out->push_back('\t'); break;
                case 'u': {
                    std::uint32_t cp = 0;
                    if (!hex4(&cp)) {
                        return false;
                    }
                    if (cp >= 0xD800 && cp <= 0xDBFF) {
                        std::uint32_t low = 0;
                        if (!eat('\\') || !eat('u') || !hex4(&low) || low < 0xDC00 || low > 0xDFFF) {
                            return false;
                        }
                        cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
                    } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
                        return false;
                    }
                    utf8(cp, out);
                    break;
                }
                default: return false;
            }
        }
        return false;
    }

private:
    static constexpr int max_depth = 512;

    bool eat(char c) noexcept {
        if (pos_ < text_.size() && text_[pos_] == c) {
            ++pos_;
            return true;
        }
        return false;
    }

    void skip_space() noexcept {
        while (pos_ < text_.size() &&
               (text_[pos_] == ' ' || text_[pos_] == '\t' || text_[pos_] == '\n' || text_[pos_] == '\r')) {
            ++pos_;
        }
    }

    bool literal(std::string_view word) noexcept {
        if (text_.substr(pos_, word.size()) != word) {
            return false;
        }
        pos_ += word.size();
        return true;
    }

    bool digits() noexcept {
        const std::size_t start = pos_;
        while (pos_ < text_.size() && text_[pos_] >= '0' && text_[pos_] <= '9') {
            ++pos_;
        }
        return pos_ > start;
    }

    bool number() noexcept {
        eat('-');
        if (eat('0')) {
            // A leading zero stands alone.
        } else if (pos_ < text_.size() && text_[pos_] >= '1' && text_[pos_] <= '9') {
            digits();
        } else {
            return false;
        }
        if (eat('.') && !digits()) {
            return false;
        }
        if (eat('e') || eat('E')) {
            if (!eat('+')) {
                eat('-');
            }
            if (!digits()) {
                return false;
            }
        }
        return true;
    }

    bool hex4(std::uint32_t *out) noexcept {
        if (text_.size() - pos_ < 4) {
            return false;
        }
        std::uint32_t v = 0;
        for (int i = 0; i < 4; ++i) {
            const char h = text_[pos_++];
            v <<= 4;
            if (h >= '0' && h <= '9') {
                v |= static_cast<std::uint32_t>(h - '0');
            } else if (h >= 'a' && h <= 'f') {
                v |= static_cast<std::uint32_t>(h - 'a' + 10);
            } else if (h >= 'A' && h <= 'F') {
                v |= static_cast<std::uint32_t>(h - 'A' + 10);
            } else {
                return false;
            }
        }
        *out = v;
        return true;
    }

    static void utf8(std::uint32_t cp, std::string *out) {
        if (cp < 0x80) {
            out->push_back(static_cast<char>(cp));
        } else if (cp < 0x800) {
            out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
            out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
        } else if (cp < 0x10000) {
            out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
            out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
            out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
        } else {
            out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
            out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
            out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
            out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
        }
    }

    bool skip_value(int depth) {
        if (depth > max_depth) {
            return false;
        }
        skip_space();
        if (pos_ >= text_.size()) {
            return false;
        }
        switch (text_[pos_]) {
            case '"': {
                std::string ignored;
                return string(&ignored);
            }
            case '{':
            case '[': {
                const char close = text_[pos_] == '{' ? '}' : ']';
                const bool is_object = close == '}';
                ++pos_;
                skip_space();
                if (eat(close)) {
                    return true;
                }
                for (;;) {
                    if (is_object) {
                        std::string ignored;
                        skip_space();
                        if (!string(&ignored)) {
                            return false;
                        }
                        skip_space();
                        if (!eat(':')) {
                            return false;
                        }
                    }
                    if (!skip_value(depth + 1)) {
                        return false;
                    }
                    skip_space();
                    if (eat(close)) {
                        return true;
                    }
                    if (!eat(',')) {
                        return false;
                    }
                }
            }
            case 't': return literal("true");
            case 'f': return literal("false");
            case 'n': return literal("null");
            default: return number();
        }
    }

    std::string_view text_;
    std::size_t pos_ = 0;
};

/** The value of a JSON string, or nothing when `raw` is not a string. */
inline std::optional<std::string> json_string(std::string_view raw) {
    std::string out;
    json_reader reader(raw);
    if (reader.string(&out) && reader.at_end()) {
        return out;
    }
    return std::nullopt;
}

/** The value of a JSON number that is a whole number within T's range, or nothing. */
template <class T>
std::optional<T> json_integer(std::string_view raw) {
    const bool negative = !raw.empty() && raw.front() == '-';
    if (negative) {
        raw.remove_prefix(1);
    }
    if (raw.empty() || (raw.size() > 1 && raw.front() == '0')) {
        return std::nullopt;
    }
    // The magnitude, at most that of T's largest (or, when negative, smallest) value.
    using wide = unsigned long long;
    const wide most = negative ? (std::is_signed<T>::value ? static_cast<wide>(std::numeric_limits<T>::max()) + 1 : 0)
                               : static_cast<wide>(std::numeric_limits<T>::max());
    wide magnitude = 0;
    for (const char c : raw) {
        if (c < '0' || c > '9') {
            return std::nullopt;
        }
        const wide digit = static_cast<wide>(c - '0');
        if (digit > most || magnitude > (most - digit) / 10) {
            return std::nullopt;
        }
        magnitude = magnitude * 10 + digit;
    }
    if (!negative) {
        return static_cast<T>(magnitude);
    }
    if (magnitude == 0) {
        return static_cast<T>(0);
    }
    // -(magnitude - 1) - 1 stays within T even for its smallest value.
    return static_cast<T>(-static_cast<long long>(magnitude - 1) - 1);
}

}  // namespace detail

/**
 * A failed call: its code and its whole error document
 * {"error":{"kind","gumloop_code","message","status","code","type","param","details",
 *           "retryable","attempts","retry_after_ms","trace_id","body"[,"stream"]}}.
 * what() is "KIND: message".
 */
class error : public std::runtime_error {
public:
    /** An error from a code and the document the C call returned (may be empty). */
    error(gumloop_code code, std::string document)
        : std::runtime_error(::gumloop_code_get_name(code)),
          code_(code),
          document_(std::move(document)),
          kind_(::gumloop_code_get_name(code)),
          message_(::gumloop_code_get_message(code)) {
        read_document();
        what_ = kind_ + ": " + message_;
    }

    /** "KIND: message". */
    const char *what() const noexcept override { return what_.c_str(); }
    /** The gumloop_code the call returned. */
    gumloop_code code() const noexcept { return code_; }
    /** The code's constant name, e.g. "GUMLOOP_ERR_CONFLICT". */
    const std::string &kind() const noexcept { return kind_; }
    /** What went wrong, in one line. */
    const std::string &message() const noexcept { return message_; }
    /** The HTTP status the server answered with, if it answered. */
    std::optional<int> status() const noexcept { return status_; }
    /** The server's own error code ("code"), e.g. "session_already_exists". */
    const std::optional<std::string> &server_code() const noexcept { return server_code_; }
    /** The server's error type ("type"). */
    const std::optional<std::string> &type() const noexcept { return type_; }
    /** The argument that was wrong (its JSON text when the server gave something else than a string). */
    const std::optional<std::string> &param() const noexcept { return param_; }
    /** Whether the same call may succeed if made again. */
    bool retryable() const noexcept { return retryable_; }
    /** How many attempts the library made. */
    std::optional<std::uint32_t> attempts() const noexcept { return attempts_; }
    /** How long the server asked to wait before trying again (HTTP 429 / 503). */
    std::optional<std::uint64_t> retry_after_ms() const noexcept { return retry_after_ms_; }
    /** The server's trace ID. */
    const std::optional<std::string> &trace_id() const noexcept { return trace_id_; }
    /** "details" as JSON text ("null" when there are none). */
    const std::string &details() const noexcept { return details_; }
    /** The server's response body as JSON text ("null" when the server did not answer). */
    const std::string &body() const noexcept { return body_; }
    /** A streaming call's summary as JSON text ("null" for other calls). */
    const std::string &stream() const noexcept { return stream_; }
    /** The whole error document, as the library returned it. */
    const std::string &document() const noexcept { return document_; }

private:
    // Reads the members of "error", once the whole document is known to be valid JSON (a
    // malformed document leaves every field as the code alone gives it).
    void read_document() {
        std::string_view whole;
        detail::json_reader check(document_);
        if (!check.value(&whole) || !check.at_end()) {
            return;
        }
        detail::json_reader outer(document_);
        outer.object([this](const std::string &key, std::string_view raw) {
            if (key != "error") {
                return;
            }
            detail::json_reader inner(raw);
            inner.object([this](const std::string &field, std::string_view value) { read_field(field, value); });
        });
    }

    void read_field(const std::string &field, std::string_view value) {
        if (field == "kind") {
            if (auto s = detail::json_string(value)) {
                kind_ = *s;
            }
        } else if (field == "message") {
            if (auto s = detail::json_string(value)) {
                message_ = *s;
            }
        } else if (field == "status") {
            status_ = detail::json_integer<int>(value);
        } else if (field == "code") {
            server_code_ = detail::json_string(value);
        } else if (field == "type") {
            type_ = detail::json_string(value);
        } else if (field == "param") {
            if (value == "null") {
                param_.reset();
            } else if (auto s = detail::json_string(value)) {
                param_ = *s;
            } else {
                param_ = std::string(value);
            }
        } else if (field == "retryable") {
            retryable_ = value == "true";
        } else if (field == "attempts") {
            attempts_ = detail::json_integer<std::uint32_t>(value);
        } else if (field == "retry_after_ms") {
            retry_after_ms_ = detail::json_integer<std::uint64_t>(value);
        } else if (field == "trace_id") {
            trace_id_ = detail::json_string(value);
        } else if (field == "details") {
            details_ = std::string(value);
        } else if (field == "body") {
            body_ = std::string(value);
        } else if (field == "stream") {
            stream_ = std::string(value);
        }
    }

    gumloop_code code_;
    std::string document_;
    std::string kind_;
    std::string message_;
    std::optional<int> status_;
    std::optional<std::string> server_code_;
    std::optional<std::string> type_;
    std::optional<std::string> param_;
    bool retryable_ = false;
    std::optional<std::uint32_t> attempts_;
    std::optional<std::uint64_t> retry_after_ms_;
    std::optional<std::string> trace_id_;
    std::string details_ = "null";
    std::string body_ = "null";
    std::string stream_ = "null";
    std::string what_;
};

namespace detail {

/**
 * Owns one library handle, freed with `Free` when destroyed; move-only (a moved-from owner holds
 * NULL, which every free function ignores).
 */
template <class T, void (*Free)(T *)>
class owner {
public:
    explicit owner(T *handle = nullptr) noexcept : handle_(handle) {}
    owner(const owner &) = delete;
    owner &operator=(const owner &) = delete;
    owner(owner &&other) noexcept : handle_(std::exchange(other.handle_, nullptr)) {}
    owner &operator=(owner &&other) noexcept {
        if (this != &other) {
            Free(handle_);
            handle_ = std::exchange(other.handle_, nullptr);
        }
        return *this;
    }
    ~owner() { Free(handle_); }

    T *get() const noexcept { return handle_; }
    /** Where a C constructor writes the new handle (only while this holds none). */
    T **out() noexcept { return &handle_; }

private:
    T *handle_;
};

/** The result of a C call: its JSON on GUMLOOP_OK, else gumloop::error. Frees `json`. */
inline std::string take(gumloop_code code, char *json) {
    owned_string owned(json);
    std::string text = owned ? std::string(owned.get()) : std::string();
    if (code != GUMLOOP_OK) {
        throw error(code, std::move(text));
    }
    return text;
}

/** Calls a C function whose last parameter is `char **out_json`; its result as for take(). */
template <class... Params, class... Args>
std::string call(gumloop_code (*c_function)(Params...), Args... args) {
    char *json = nullptr;
    const gumloop_code code = c_function(args..., &json);
    return take(code, json);
}

/** `s` as a C string; std::invalid_argument when it holds a NUL byte. */
inline const char *c_str(const std::string &s, const char *param) {
    if (s.find('\0') != std::string::npos) {
        throw std::invalid_argument(std::string("gumloop: ") + param + " contains a NUL byte");
    }
    return s.c_str();
}

/** An optional string argument as a C string, NULL when absent. */
inline const char *c_str(const std::optional<std::string> &s, const char *param) {
    return s ? c_str(*s, param) : nullptr;
}

/** A stream's callable and the exception it threw, if any. */
template <class F>
struct stream_state {
    F *on_event;
    std::exception_ptr failure;
};

/** The C callback: calls the callable, catching everything it throws (nothing crosses C). */
template <class F>
int call_on_event(void *user_data, const char *event_json, std::size_t len) noexcept {
    auto *state = static_cast<stream_state<F> *>(user_data);
    try {
        using result = std::invoke_result_t<F &, std::string_view>;
        static_assert(std::is_void_v<result> || std::is_same_v<result, bool>,
                      "a stream callable returns void or bool (false stops the stream)");
        if constexpr (std::is_void_v<result>) {
            std::invoke(*state->on_event, std::string_view(event_json, len));
            return 0;
        } else {
            return std::invoke(*state->on_event, std::string_view(event_json, len)) ? 0 : 1;
        }
    } catch (...) {
        state->failure = std::current_exception();
        return 1;
    }
}

/** Runs a streaming C call with `on_event`; rethrows what the callable threw, after the call. */
template <class F, class Call>
std::string stream(F &on_event, Call &&c_call) {
    stream_state<F> state{&on_event, nullptr};
    char *json = nullptr;
    const gumloop_code code = c_call(&call_on_event<F>, static_cast<void *>(&state), &json);
    owned_string owned(json);
    if (state.failure) {
        std::rethrow_exception(state.failure);
    }
    return take(code, owned.release());
}

/** `text` as a JSON string literal, quotes included. */
inline std::string json_quote(std::string_view text) {
    static const char hex[] = "0123456789abcdef";
    std::string out = "\"";
    for (const char c : text) {
        const auto byte = static_cast<unsigned char>(c);
        if (c == '"' || c == '\\') {
            out += '\\';
            out += c;
        } else if (byte < 0x20) {
            out += "\\u00";
            out += hex[byte >> 4];
            out += hex[byte & 0xf];
        } else {
            out += c;
        }
    }
    return out + "\"";
}

}  // namespace detail

/**
 * Options of one call, sent as its reserved "request_options" argument (see
 * gumloop_poller_start_call and gumloop_client_call): extra headers for that call's requests
 * only (e.g. a traceparent per call), checked as the client option extra_headers is, and its
 * own whole-request time limit.
 */
struct request_options {
    /** Header names and values added to each of the call's requests. */
    std::vector<std::pair<std::string, std::string>> extra_headers;
    /** The whole-request time limit of each of the call's requests, in milliseconds. */
    std::optional<std::uint64_t> timeout_ms;

    /** The options as their JSON object. */
    std::string json() const {
        std::string out = "{\"extra_headers\":{";
        for (std::size_t i = 0; i < extra_headers.size(); ++i) {
            out += (i ? "," : "") + detail::json_quote(extra_headers[i].first) + ":" +
                   detail::json_quote(extra_headers[i].second);
        }
        out += "}";
        if (timeout_ms) {
            out += ",\"timeout_ms\":" + std::to_string(*timeout_ms);
        }
        return out + "}";
    }
};

/**
 * `args_json` (a JSON object, or empty for {}) with `options` as its "request_options" member;
 * std::invalid_argument when `args_json` is not an object.
 */
inline std::string with_request_options(std::string_view args_json, const request_options &options) {
    const auto first = args_json.find_first_not_of(" \t\r\n");
    const std::string member = "\"request_options\":" + options.json();
    if (first == std::string_view::npos) {
        return "{" + member + "}";
    }
    if (args_json[first] != '{') {
        throw std::invalid_argument("gumloop: args_json must be a JSON object");
    }
    const auto next = args_json.find_first_not_of(" \t\r\n", first + 1);
    const bool empty = next != std::string_view::npos && args_json[next] == '}';
    return "{" + member + (empty ? "" : ",") + std::string(args_json.substr(first + 1));
}

/** The version of the loaded library, e.g. "0.3.0" (compare with GUMLOOP_VERSION_STRING). */
inline std::string version_get() { return ::gumloop_version_get(); }

/** The constant's name for `code`, e.g. "GUMLOOP_ERR_CONFLICT". */
inline std::string code_get_name(gumloop_code code) { return ::gumloop_code_get_name(code); }

/** A one-line English description of `code`. */
inline std::string code_get_message(gumloop_code code) { return ::gumloop_code_get_message(code); }

/**
 * The library's description of itself as JSON (static: valid for the process's life): every
 * operation with its arguments and result kind, every client option, every code with its group.
 * See gumloop_description_get.
 */
inline std::string_view description_get() noexcept { return ::gumloop_description_get(); }

/**
 * A cancellation token (owns a gumloop_cancel_token): pass it to any number of calls and
 * trigger it from any thread. It must outlive the calls that use it.
 */
class cancel_token {
public:
    /** A token that is not triggered. */
    cancel_token() : token_(::gumloop_cancel_token_new()) {
        if (!token_.get()) {
            throw std::bad_alloc();
        }
    }
    /** Ends every call that uses this token. Any thread, any number of times. */
    void trigger() const noexcept { ::gumloop_cancel_token_trigger(token_.get()); }
    /** Whether the token was triggered. */
    bool is_triggered() const noexcept { return ::gumloop_cancel_token_is_triggered(token_.get()); }
    /** The C handle (still owned by this object). */
    const gumloop_cancel_token *get() const noexcept { return token_.get(); }

private:
    detail::owner<gumloop_cancel_token, ::gumloop_cancel_token_free> token_;
};

namespace detail {
inline const gumloop_cancel_token *handle(const cancel_token *cancel) noexcept {
    return cancel ? cancel->get() : nullptr;
}
}  // namespace detail

/**
 * A Gumloop API client (owns a gumloop_client): its configuration and connection pool. Safe to
 * use from any number of threads at once. Every call blocks until it completes; `cancel` (may
 * be nullptr) ends it from another thread with GUMLOOP_ERR_CANCELLED.
 */
class client {
public:
    /** A client from `options_json` (see gumloop_client_new; std::nullopt means {}). */
    explicit client(const optional_json &options_json = std::nullopt) {
        char *json = nullptr;
        const gumloop_code code =
            ::gumloop_client_new(detail::c_str(options_json, "options_json"), client_.out(), &json);
        detail::take(code, json);
    }
    /** The C handle (still owned by this object). */
    const gumloop_client *get() const noexcept { return client_.get(); }

    /** POST /agents/{agent_id}/sessions: see gumloop_client_create_session. */
    std::string create_session(const std::string &agent_id, const optional_json &body_json = std::nullopt,
                               const cancel_token *cancel = nullptr) const {
        return detail::call(::gumloop_client_create_session, client_.get(), detail::c_str(agent_id, "agent_id"),
            detail::c_str(body_json, "body_json"), detail::handle(cancel));
    }

    /** GET /sessions/{session_id}: see gumloop_client_get_session. */
    std::string get_session(const std::string &session_id, const cancel_token *cancel = nullptr) const {
        return detail::call(::gumloop_client_get_session, client_.get(), detail::c_str(session_id, "session_id"),
            detail::handle(cancel));
    }

    /** GET /agents/{agent_id}/sessions, one page: see gumloop_client_list_sessions. */
    std::string list_sessions(const std::string &agent_id, const optional_json &query_json = std::nullopt,
                              const cancel_token *cancel = nullptr) const {
        return detail::call(::gumloop_client_list_sessions, client_.get(), detail::c_str(agent_id, "agent_id"),
            detail::c_str(query_json, "query_json"), detail::handle(cancel));
    }

    /** POST /sessions/{session_id}/messages: see gumloop_client_send_message. */
    std::string send_message(const std::string &session_id, const optional_json &body_json,
                             const cancel_token *cancel = nullptr) const {
        return detail::call(::gumloop_client_send_message, client_.get(), detail::c_str(session_id, "session_id"),
            detail::c_str(body_json, "body_json"), detail::handle(cancel));
    }

    /** POST /sessions/{session_id}/cancel: see gumloop_client_cancel_session. */
    std::string cancel_session(const std::string &session_id, const cancel_token *cancel = nullptr) const {
        return detail::call(::gumloop_client_cancel_session, client_.get(), detail::c_str(session_id, "session_id"),
            detail::handle(cancel));
    }

    /** PATCH /sessions/{session_id} with a new name: see gumloop_client_rename_session. */
    std::string rename_session(const std::string &session_id, const std::string &name,
                               const cancel_token *cancel = nullptr) const {
        return detail::call(::gumloop_client_rename_session, client_.get(), detail::c_str(session_id, "session_id"),
            detail::c_str(name, "name"), detail::handle(cancel));
    }

    /** Waits until a session settles: see gumloop_client_wait_session. */
    std::string wait_session(const std::string &session_id, const optional_json &options_json = std::nullopt,
                             const cancel_token *cancel = nullptr) const {
        return detail::call(::gumloop_client_wait_session, client_.get(), detail::c_str(session_id, "session_id"),
            detail::c_str(options_json, "options_json"), detail::handle(cancel));
    }

    /** POST /sessions/{session_id}/files with `size` bytes at `data`: see gumloop_client_upload_file. */
    std::string upload_file(const std::string &session_id, const std::string &file_name, const void *data,
                            std::size_t size, const std::optional<std::string> &media_type = std::nullopt,
                            const cancel_token *cancel = nullptr) const {
        return detail::call(::gumloop_client_upload_file, client_.get(), detail::c_str(session_id, "session_id"),
                            detail::c_str(file_name, "file_name"), detail::c_str(media_type, "media_type"),
                            static_cast<const std::uint8_t *>(data), size, detail::handle(cancel));
    }

    /** upload_file with the bytes of `data`. */
    std::string upload_file(const std::string &session_id, const std::string &file_name, std::string_view data,
                            const std::optional<std::string> &media_type = std::nullopt,
                            const cancel_token *cancel = nullptr) const {
        return upload_file(session_id, file_name, data.data(), data.size(), media_type, cancel);
    }

    /** POST /sessions/{session_id}/approvals: see gumloop_client_resolve_approvals. */
    std::string resolve_approvals(const std::string &session_id, const std::string &body_json,
                                  const cancel_token *cancel = nullptr) const {
        return detail::call(::gumloop_client_resolve_approvals, client_.get(), detail::c_str(session_id, "session_id"),
                            detail::c_str(body_json, "body_json"), detail::handle(cancel));
    }

    /** GET /sessions/{session_id}/queue: see gumloop_client_list_queue. */
    std::string list_queue(const std::string &session_id, const cancel_token *cancel = nullptr) const {
        return detail::call(::gumloop_client_list_queue, client_.get(), detail::c_str(session_id, "session_id"),
                            detail::handle(cancel));
    }

    /** POST /sessions/{session_id}/queue: see gumloop_client_queue_message. */
    std::string queue_message(const std::string &session_id, const std::string &body_json,
                              const cancel_token *cancel = nullptr) const {
        return detail::call(::gumloop_client_queue_message, client_.get(), detail::c_str(session_id, "session_id"),
                            detail::c_str(body_json, "body_json"), detail::handle(cancel));
    }

    /** PATCH /sessions/{session_id}/queue/{id}: see gumloop_client_edit_queued_message. */
    std::string edit_queued_message(const std::string &session_id, const std::string &queued_message_id,
                                    const std::string &body_json, const cancel_token *cancel = nullptr) const {
        return detail::call(::gumloop_client_edit_queued_message, client_.get(), detail::c_str(session_id, "session_id"),
                            detail::c_str(queued_message_id, "queued_message_id"),
                            detail::c_str(body_json, "body_json"), detail::handle(cancel));
    }

    /** DELETE /sessions/{session_id}/queue/{id}: see gumloop_client_delete_queued_message. */
    std::string delete_queued_message(const std::string &session_id, const std::string &queued_message_id,
                                      const cancel_token *cancel = nullptr) const {
        return detail::call(::gumloop_client_delete_queued_message, client_.get(),
                            detail::c_str(session_id, "session_id"),
                            detail::c_str(queued_message_id, "queued_message_id"), detail::handle(cancel));
    }

    /** POST /sessions/{session_id}/queue/{id}/send: see gumloop_client_send_queued_message. */
    std::string send_queued_message(const std::string &session_id, const std::string &queued_message_id,
                                    const cancel_token *cancel = nullptr) const {
        return detail::call(::gumloop_client_send_queued_message, client_.get(), detail::c_str(session_id, "session_id"),
                            detail::c_str(queued_message_id, "queued_message_id"), detail::handle(cancel));
    }

    /** GET /sessions/{session_id}/access: see gumloop_client_get_session_access. */
    std::string get_session_access(const std::string &session_id, const cancel_token *cancel = nullptr) const {
        return detail::call(::gumloop_client_get_session_access, client_.get(), detail::c_str(session_id, "session_id"),
                            detail::handle(cancel));
    }

    /** PUT /sessions/{session_id}/access: see gumloop_client_update_session_access. */
    std::string update_session_access(const std::string &session_id, const std::string &body_json,
                                      const cancel_token *cancel = nullptr) const {
        return detail::call(::gumloop_client_update_session_access, client_.get(),
                            detail::c_str(session_id, "session_id"), detail::c_str(body_json, "body_json"),
                            detail::handle(cancel));
    }

    /** GET /agents: see gumloop_client_list_agents. */
    std::string list_agents(const optional_json &query_json = std::nullopt, const cancel_token *cancel = nullptr) const {
        return detail::call(::gumloop_client_list_agents, client_.get(), detail::c_str(query_json, "query_json"),
                            detail::handle(cancel));
    }

    /** GET /agents/{agent_id}: see gumloop_client_get_agent. */
    std::string get_agent(const std::string &agent_id, const cancel_token *cancel = nullptr) const {
        return detail::call(::gumloop_client_get_agent, client_.get(), detail::c_str(agent_id, "agent_id"),
                            detail::handle(cancel));
    }

    /** An agent's artifacts, one page: see gumloop_client_list_artifacts. */
    std::string list_artifacts(const std::string &agent_id, const optional_json &query_json = std::nullopt,
                               const cancel_token *cancel = nullptr) const {
        return detail::call(::gumloop_client_list_artifacts, client_.get(), detail::c_str(agent_id, "agent_id"),
                            detail::c_str(query_json, "query_json"), detail::handle(cancel));
    }

    /** Where an artifact's bytes are (a signed link: a secret): see gumloop_client_get_artifact_download. */
    std::string get_artifact_download(const std::string &artifact_id,
                                      const std::optional<std::string> &version_id = std::nullopt,
                                      const cancel_token *cancel = nullptr) const {
        return detail::call(::gumloop_client_get_artifact_download, client_.get(),
                            detail::c_str(artifact_id, "artifact_id"), detail::c_str(version_id, "version_id"),
                            detail::handle(cancel));
    }

    /** An artifact's bytes and what they are. */
    struct artifact {
        /** The bytes. */
        std::vector<std::uint8_t> data;
        /** {"artifact_id","filename","media_type","size"}. */
        std::string json;
    };

    /** Downloads an artifact into memory: see gumloop_client_download_artifact. */
    artifact download_artifact(const std::string &artifact_id, const optional_json &options_json = std::nullopt,
                               const cancel_token *cancel = nullptr) const {
        std::uint8_t *data = nullptr;
        std::size_t size = 0;
        char *json = nullptr;
        const gumloop_code code = ::gumloop_client_download_artifact(
            client_.get(), detail::c_str(artifact_id, "artifact_id"), detail::c_str(options_json, "options_json"),
            detail::handle(cancel), &data, &size, &json);
        const detail::owned_bytes bytes(data, detail::bytes_deleter{size});
        artifact out;
        out.json = detail::take(code, json);
        out.data.assign(data, data + size);
        return out;
    }

    /** Downloads an artifact into a file (or a directory): see gumloop_client_download_artifact_to_file. */
    std::string download_artifact_to_file(const std::string &artifact_id, const std::string &path,
                                          const optional_json &options_json = std::nullopt,
                                          const cancel_token *cancel = nullptr) const {
        return detail::call(::gumloop_client_download_artifact_to_file, client_.get(),
                            detail::c_str(artifact_id, "artifact_id"), detail::c_str(path, "path"),
                            detail::c_str(options_json, "options_json"), detail::handle(cancel));
    }

    /** Any REST request, with the client's rules: see gumloop_client_send_request. */
    std::string send_request(const std::string &method, const std::string &path_json,
                             const optional_json &query_json = std::nullopt,
                             const optional_json &body_json = std::nullopt,
                             const cancel_token *cancel = nullptr) const {
        return detail::call(::gumloop_client_send_request, client_.get(), detail::c_str(method, "method"),
                            detail::c_str(path_json, "path_json"), detail::c_str(query_json, "query_json"),
                            detail::c_str(body_json, "body_json"), detail::handle(cancel));
    }

    /** A call's result and what its requests saw. */
    struct call_result {
        /** The result, as the operation's own function returns it. */
        std::string json;
        /** {"attempts","duration_ms","request_id"}: see gumloop_client_call. */
        std::string info;
    };

    /**
     * Runs the JSON operation `operation` by name with `args_json` (as the poller takes them,
     * including "request_options": see with_request_options). See gumloop_client_call.
     */
    call_result call(const std::string &operation, const std::string &args_json = "{}",
                     const cancel_token *cancel = nullptr) const {
        char *json = nullptr;
        char *info = nullptr;
        const gumloop_code code = ::gumloop_client_call(client_.get(), detail::c_str(operation, "operation"),
            detail::c_str(args_json, "args_json"), detail::handle(cancel), &json, &info);
        const detail::owned_string owned_info(info);
        call_result out;
        out.json = detail::take(code, json);
        out.info = owned_info ? std::string(owned_info.get()) : std::string();
        return out;
    }

    /**
     * Creates a session and streams its first run, calling on_event(std::string_view) for each
     * event; returns the summary. See gumloop_client_stream_session.
     */
    template <class F>
    std::string stream_session(const std::string &agent_id, const optional_json &body_json, F &&on_event,
                               const cancel_token *cancel = nullptr) const {
        const char *agent = detail::c_str(agent_id, "agent_id");
        const char *body = detail::c_str(body_json, "body_json");
        return detail::stream(on_event, [&](gumloop_event_callback cb, void *user, char **json) {
            return ::gumloop_client_stream_session(client_.get(), agent, body, cb, user, detail::handle(cancel), json);
        });
    }

    /** Sends a message and streams the run it starts. See gumloop_client_stream_message. */
    template <class F>
    std::string stream_message(const std::string &session_id, const optional_json &body_json, F &&on_event,
                               const cancel_token *cancel = nullptr) const {
        const char *session = detail::c_str(session_id, "session_id");
        const char *body = detail::c_str(body_json, "body_json");
        return detail::stream(on_event, [&](gumloop_event_callback cb, void *user, char **json) {
            return ::gumloop_client_stream_message(client_.get(), session, body, cb, user, detail::handle(cancel), json);
        });
    }

    /** Resumes a session's stream after `cursor`. See gumloop_client_resume_stream. */
    template <class F>
    std::string resume_stream(const std::string &session_id, const std::string &cursor, F &&on_event,
                              const cancel_token *cancel = nullptr) const {
        const char *session = detail::c_str(session_id, "session_id");
        const char *after = detail::c_str(cursor, "cursor");
        return detail::stream(on_event, [&](gumloop_event_callback cb, void *user, char **json) {
            return ::gumloop_client_resume_stream(client_.get(), session, after, cb, user, detail::handle(cancel), json);
        });
    }

    // --- Credentials: OAuth, live credentials, refresh (gumloop_client_oauth_*, set_credentials,
    // take_tokens, get_refresh_count) ---

    /** POST <root>/oauth/register: see gumloop_client_oauth_register_client. */
    std::string oauth_register_client(const std::string &redirect_uri,
                                      const std::optional<std::string> &client_name = std::nullopt,
                                      const optional_json &scopes_json = std::nullopt,
                                      const cancel_token *cancel = nullptr) const {
        return detail::call(::gumloop_client_oauth_register_client, client_.get(),
                            detail::c_str(redirect_uri, "redirect_uri"), detail::c_str(client_name, "client_name"),
                            detail::c_str(scopes_json, "scopes_json"), detail::handle(cancel));
    }

    /** POST <root>/oauth/token (authorization_code): see gumloop_client_oauth_exchange_code. */
    std::string oauth_exchange_code(const std::string &client_id, const std::string &code,
                                    const std::string &redirect_uri, const std::string &code_verifier,
                                    const std::optional<std::string> &client_secret = std::nullopt,
                                    const cancel_token *cancel = nullptr) const {
        return detail::call(::gumloop_client_oauth_exchange_code, client_.get(), detail::c_str(client_id, "client_id"),
                            detail::c_str(code, "code"), detail::c_str(redirect_uri, "redirect_uri"),
                            detail::c_str(code_verifier, "code_verifier"),
                            detail::c_str(client_secret, "client_secret"), detail::handle(cancel));
    }

    /** POST <root>/oauth/token (refresh_token): see gumloop_client_oauth_refresh_token. */
    std::string oauth_refresh_token(const std::string &client_id, const std::string &refresh_token,
                                    const std::optional<std::string> &client_secret = std::nullopt,
                                    const cancel_token *cancel = nullptr) const {
        return detail::call(::gumloop_client_oauth_refresh_token, client_.get(), detail::c_str(client_id, "client_id"),
                            detail::c_str(refresh_token, "refresh_token"),
                            detail::c_str(client_secret, "client_secret"), detail::handle(cancel));
    }

    /** POST <root>/oauth/revoke; returns "{}": see gumloop_client_oauth_revoke. */
    std::string oauth_revoke(const std::string &client_id, const std::string &token,
                             const cancel_token *cancel = nullptr) const {
        return detail::call(::gumloop_client_oauth_revoke, client_.get(), detail::c_str(client_id, "client_id"),
                            detail::c_str(token, "token"), detail::handle(cancel));
    }

    /** Replaces credentials for the calls that start afterwards; returns {"generation":N}. */
    std::string set_credentials(const std::string &credentials_json) const {
        return detail::call(::gumloop_client_set_credentials, client_.get(),
                            detail::c_str(credentials_json, "credentials_json"));
    }

    /** The latest refresh's token pair, once; std::nullopt when none is new. */
    std::optional<std::string> take_tokens() const {
        char *json = nullptr;
        const gumloop_code code = ::gumloop_client_take_tokens(client_.get(), &json);
        if (code == GUMLOOP_OK && json == nullptr) {
            return std::nullopt;
        }
        return detail::take(code, json);
    }

    /** Successful refreshes so far: see gumloop_client_get_refresh_count. */
    std::uint64_t refresh_count() const noexcept { return ::gumloop_client_get_refresh_count(client_.get()); }

private:
    // Freed when the client is destroyed; no call may be using it then.
    detail::owner<gumloop_client, ::gumloop_client_free> client_;
};

// --- Credentials and logs without a client (gumloop_oauth_build_authorization_url, gumloop_log_*) ---

/** The OAuth authorization URL with PKCE: {"url","state","code_verifier"}. See the C function. */
inline std::string oauth_build_authorization_url(const std::string &params_json) {
    return detail::call(::gumloop_oauth_build_authorization_url, detail::c_str(params_json, "params_json"));
}

/** Sets the log queue's level ("off", "error", "warn", "info", "debug"); returns the previous. */
inline std::string log_set_level(const std::string &level) {
    return detail::call(::gumloop_log_set_level, detail::c_str(level, "level"));
}

/** Takes the waiting log records: {"records":[...],"dropped":N}. Never blocks. */
inline std::string log_take() { return detail::call(::gumloop_log_take); }

/** A descriptor readable while log records wait (never read or close it); -1 if none. */
inline int log_get_fd() noexcept { return ::gumloop_log_get_fd(); }

/**
 * A set of calls in flight whose completions and stream events the caller's own event loop
 * collects (owns a gumloop_poller). Watch get_fd() for readability, then call take_item()
 * until it returns std::nullopt. Nothing is ever called back: items are pulled. Every member may
 * be called from any thread; none blocks. Destroying it cancels the calls still in flight.
 */
class poller {
public:
    /** One ready item: a stream event or the end of a call. */
    struct item {
        /** The call it belongs to (the ID start_call returned). */
        std::uint64_t call_id = 0;
        /** GUMLOOP_ITEM_EVENT or GUMLOOP_ITEM_DONE. */
        std::uint32_t kind = GUMLOOP_ITEM_NONE;
        /** For GUMLOOP_ITEM_DONE: the call's outcome. */
        gumloop_code code = GUMLOOP_OK;
        /** The event's JSON, or the call's result or error document. */
        std::string json;

        /** Whether this is a stream event. */
        bool is_event() const noexcept { return kind == GUMLOOP_ITEM_EVENT; }
        /** Whether this is the end of a call (its ID is retired). */
        bool is_done() const noexcept { return kind == GUMLOOP_ITEM_DONE; }
        /** A finished call's result, as the blocking call would return it; gumloop::error otherwise. */
        std::string result() const {
            if (code != GUMLOOP_OK) {
                throw error(code, json);
            }
            return json;
        }
    };

    /** A poller (see gumloop_poller_new; std::nullopt means {}). */
    explicit poller(const optional_json &options_json = std::nullopt) {
        char *json = nullptr;
        const gumloop_code code =
            ::gumloop_poller_new(detail::c_str(options_json, "options_json"), poller_.out(), &json);
        detail::take(code, json);
    }
    /** The C handle (still owned by this object). */
    gumloop_poller *get() const noexcept { return poller_.get(); }

    /** The descriptor that is readable while items are ready (-1 for a moved-from poller). Never close it. */
    int get_fd() const noexcept { return ::gumloop_poller_get_fd(poller_.get()); }

    /**
     * Starts `operation` with `args_json` (the blocking function's parameter names without
     * `_json`, e.g. {"agent_id":"a","body":{"input":"hi"}}) and raw `data` for operations that
     * take bytes; returns the call's ID. Checks everything first: gumloop::error, nothing started.
     */
    std::uint64_t start_call(const client &with, const std::string &operation, const std::string &args_json,
                             std::string_view data = {}) const {
        std::uint64_t call_id = 0;
        char *json = nullptr;
        const gumloop_code code = ::gumloop_poller_start_call(
            poller_.get(), with.get(), detail::c_str(operation, "operation"), detail::c_str(args_json, "args_json"),
            data.empty() ? nullptr : reinterpret_cast<const std::uint8_t *>(data.data()), data.size(), &call_id,
            &json);
        detail::take(code, json);
        return call_id;
    }

    /** Cancels a call: it ends with a DONE item whose code is GUMLOOP_ERR_CANCELLED. */
    void cancel_call(std::uint64_t call_id) const {
        char *json = nullptr;
        const gumloop_code code = ::gumloop_poller_cancel_call(poller_.get(), call_id, &json);
        detail::take(code, json);
    }

    /**
     * The bytes of a finished bytes call (e.g. "download_artifact"), once, after its DONE item
     * was taken (whose json is the document about them). See gumloop_poller_take_bytes.
     */
    std::vector<std::uint8_t> take_bytes(std::uint64_t call_id) const {
        std::uint8_t *data = nullptr;
        std::size_t size = 0;
        char *json = nullptr;
        const gumloop_code code = ::gumloop_poller_take_bytes(poller_.get(), call_id, &data, &size, &json);
        const detail::owned_bytes bytes(data, detail::bytes_deleter{size});
        detail::take(code, json);
        return std::vector<std::uint8_t>(data, data + size);
    }

    /**
     * What the requests of an ended call saw, {"attempts","duration_ms","request_id"}, once,
     * after its DONE item was taken. See gumloop_poller_take_call_info.
     */
    std::string take_call_info(std::uint64_t call_id) const {
        return detail::call(::gumloop_poller_take_call_info, poller_.get(), call_id);
    }

    /** Takes one ready item without blocking; std::nullopt when none is ready. */
    std::optional<item> take_item() const {
        item next;
        char *json = nullptr;
        const gumloop_code code = ::gumloop_poller_take_item(poller_.get(), &next.call_id, &next.kind, &next.code, &json);
        detail::owned_string owned(json);
        if (code != GUMLOOP_OK) {
            throw error(code, owned ? std::string(owned.get()) : std::string());
        }
        if (next.kind == GUMLOOP_ITEM_NONE) {
            return std::nullopt;
        }
        next.json = owned ? std::string(owned.get()) : std::string();
        return next;
    }

private:
    // Freed when the poller is destroyed: the calls still in flight are cancelled (without
    // waiting for the network).
    detail::owner<gumloop_poller, ::gumloop_poller_free> poller_;
};

/**
 * Reading the JSON the library returns without a JSON library: the value at a JSON Pointer
 * (RFC 6901), e.g. gumloop::json_get_string(created, "/session/id"). Each returns std::nullopt
 * when nothing of the asked type is there (GUMLOOP_ERR_NO_VALUE, JSON null included) and throws
 * gumloop::error when the text is not JSON or the pointer is malformed, and
 * std::invalid_argument for an argument holding a NUL byte. See gumloop_json_get_string.
 */
namespace detail {
/** The value a C accessor wrote, std::nullopt for GUMLOOP_ERR_NO_VALUE, else gumloop::error. */
template <class T, class Out>
std::optional<T> json_value(gumloop_code (*accessor)(const char *, const char *, Out *), const std::string &json,
                            const std::string &pointer) {
    Out out{};
    const gumloop_code code = accessor(c_str(json, "json"), c_str(pointer, "pointer"), &out);
    if (code == GUMLOOP_ERR_NO_VALUE) {
        return std::nullopt;
    }
    if (code != GUMLOOP_OK) {
        throw error(code, std::string());
    }
    return T(out);
}
}  // namespace detail

/** The string at `pointer` in `json`. See gumloop_json_get_string. */
inline std::optional<std::string> json_get_string(const std::string &json, const std::string &pointer) {
    char *out = nullptr;
    const gumloop_code code =
        ::gumloop_json_get_string(detail::c_str(json, "json"), detail::c_str(pointer, "pointer"), &out);
    detail::owned_string owned(out);
    if (code == GUMLOOP_ERR_NO_VALUE) {
        return std::nullopt;
    }
    if (code != GUMLOOP_OK) {
        throw error(code, std::string());
    }
    return std::string(owned.get());
}

/** The number at `pointer` in `json`. See gumloop_json_get_number. */
inline std::optional<double> json_get_number(const std::string &json, const std::string &pointer) {
    return detail::json_value<double>(::gumloop_json_get_number, json, pointer);
}

/** The integer at `pointer` in `json`, exactly. See gumloop_json_get_int64. */
inline std::optional<std::int64_t> json_get_int64(const std::string &json, const std::string &pointer) {
    return detail::json_value<std::int64_t>(::gumloop_json_get_int64, json, pointer);
}

/** The boolean at `pointer` in `json`. See gumloop_json_get_bool. */
inline std::optional<bool> json_get_bool(const std::string &json, const std::string &pointer) {
    return detail::json_value<bool>(::gumloop_json_get_bool, json, pointer);
}

/** The number of items of the array (or members of the object) at `pointer` in `json`. */
inline std::optional<std::size_t> json_get_length(const std::string &json, const std::string &pointer) {
    return detail::json_value<std::size_t>(::gumloop_json_get_length, json, pointer);
}

/**
 * Creates a session without a client handle (credentials from the arguments or the
 * environment). See gumloop_oneshot_create_session.
 */
inline std::string oneshot_create_session(const std::string &agent_id, const optional_json &body_json = std::nullopt,
                                          const std::optional<std::string> &access_token = std::nullopt,
                                          const std::optional<std::string> &user_id = std::nullopt) {
    return detail::call(::gumloop_oneshot_create_session, detail::c_str(agent_id, "agent_id"),
        detail::c_str(body_json, "body_json"), detail::c_str(access_token, "access_token"), detail::c_str(user_id,
        "user_id"));
}

}  // namespace gumloop

#endif /* GUMLOOP_HPP */
