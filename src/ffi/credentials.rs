//! A live client's credentials: replaced from any thread, and the token pairs its refreshes got.

use super::args::required;
use super::client::gumloop_client;
use super::codes::gumloop_code;
use super::guard::{call, guard, OnPanic, Success};
use super::handle::{shared, ArcHandle};
use crate::error::Error;
use serde_json::json;
use std::ffi::c_char;

/// Replaces some of the client's credentials, for the requests that start afterwards.
///
/// `credentials_json` is an object with any of `access_token`, `user_id` and `refresh_token`:
/// a string sets the value, `null` clears it (`access_token: null` goes back to
/// `GUMLOOP_ACCESS_TOKEN`; `user_id: null` sends no `x-auth-key`; `refresh_token: null` turns
/// refreshing off), an absent key leaves it. A `refresh_token` needs the client option
/// `client_id`. An unknown key, a wrong type, an empty string, or a CR, LF or NUL in a value
/// is refused (`GUMLOOP_ERR_INVALID_ARGUMENT` or `GUMLOOP_ERR_INVALID_JSON`) and nothing
/// changes.
///
/// The change is atomic and safe from any thread while calls run: a request that starts
/// afterwards uses the new set whole, requests in flight keep the set they started with, and
/// the client's connections stay open. On `GUMLOOP_OK`, `*out_json` is `{"generation":N}`: the
/// credentials' generation, which grows by one at each change (by this function or by a
/// refresh). Otherwise an error document. Free it with `gumloop_string_free`.
///
/// # Safety
/// `client` must be NULL or a live client; `credentials_json` NULL or NUL-terminated;
/// `out_json` NULL or valid for writing one pointer.
#[no_mangle]
pub unsafe extern "C" fn gumloop_client_set_credentials(
    client: *const gumloop_client,
    credentials_json: *const c_char,
    out_json: *mut *mut c_char,
) -> gumloop_code {
    // SAFETY: every pointer is used under the caller's contract.
    unsafe {
        call(out_json, || {
            let client = shared!(client)?;
            let generation = client.set_credentials(required!(credentials_json)?)?;
            Ok(json!({ "generation": generation }).to_string())
        })
    }
}

/// Takes the token pair of the client's latest refresh, once.
///
/// A client with the options `refresh_token` and `client_id` renews its access token when a
/// request meets HTTP 401; the server rotates the refresh token, so the new pair must be stored
/// by the caller. The library never calls caller code for it: check
/// `gumloop_client_get_refresh_count` after a call and take the pair here.
///
/// On `GUMLOOP_OK`, `*out_json` is NULL when no refresh happened since the last take, otherwise
/// `{"generation":N,"refresh_count":K,"tokens":{…}}` where `tokens` is the token endpoint's
/// answer (`access_token`, `refresh_token`, `token_type`, `expires_in`, …) of the latest
/// refresh (earlier pairs not taken are superseded). It holds secrets: free it with
/// `gumloop_string_free` once stored.
///
/// # Safety
/// `client` must be NULL or a live client; `out_json` NULL or valid for writing one pointer.
#[no_mangle]
pub unsafe extern "C" fn gumloop_client_take_tokens(
    client: *const gumloop_client,
    out_json: *mut *mut c_char,
) -> gumloop_code {
    // SAFETY: every pointer is used under the caller's contract.
    unsafe { call(out_json, || Ok(Taken(shared!(client)?.take_tokens()))) }
}

/// The number of successful refreshes of the client's access token so far; 0 for NULL. Cheap:
/// bindings read it after each call and take the new pair with `gumloop_client_take_tokens`
/// when it grew.
///
/// # Safety
/// `client` must be NULL or a live client.
#[no_mangle]
pub unsafe extern "C" fn gumloop_client_get_refresh_count(client: *const gumloop_client) -> u64 {
    // SAFETY: NULL or live by the caller's contract.
    guard(|| Count(unsafe { gumloop_client::borrow(client) }.map_or(0, |c| c.refresh_count()))).0
}

/// What `gumloop_client_take_tokens` hands over: a pair, or no document.
struct Taken(Option<String>);

impl Success for Taken {
    fn into_json(self) -> Option<String> {
        self.0
    }
}

/// A count returned to C; 0 when the body panicked.
struct Count(u64);

impl OnPanic for Count {
    fn on_panic(_: Error) -> Count {
        Count(0)
    }
}
