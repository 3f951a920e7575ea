"""``client.oauth``: signing in with OAuth as the official SDK does (``gumloop.OAuth``):
:class:`OAuth` for :class:`~gumloop_ffi.Client`, :class:`AsyncOAuth` for
:class:`~gumloop_ffi.AsyncClient`, and :func:`build_authorization_url`.

The library sends the requests (form posts to ``/oauth/token`` and ``/oauth/revoke``, JSON to
``/oauth/register``, at the API base without its ``/api/v1``), with no credential of the
client, field by field as the SDK does.
"""

from __future__ import annotations

import json
from typing import Any, Dict, Optional, Sequence, Tuple, Union

from .. import _args
from .._errors import error_from_call
from .._handles import CancelToken
from .._native import OK, native
from .._requests import Call, Param, Request
from .._resource import AsyncAPIResource, SyncAPIResource, parsed_object
from .._types import GumloopObject

#: Scopes: a list of names, or one space-separated string.
Scopes = Union[str, Sequence[str]]


def _scopes(scopes: Optional[Scopes]) -> Optional[bytes]:
    if scopes is None:
        return None
    if not isinstance(scopes, str):
        scopes = [_args.text("scopes", scope).decode() for scope in scopes]
    return _args.json_bytes("scopes", scopes)


def build_authorization_url(
    client_id: str,
    redirect_uri: str,
    *,
    scopes: Optional[Scopes] = None,
    resource: Optional[str] = None,
    state: Optional[str] = None,
    base_url: Optional[str] = None,
    allow_insecure_http: Optional[bool] = None,
) -> Tuple[str, str, str]:
    """The URL to send the user to, with PKCE S256, as the SDK's
    ``OAuth.build_authorization_url``: ``(url, code_verifier, state)``. Keep the verifier for
    :meth:`OAuth.exchange_code` and check the state on the redirect. ``scopes`` defaults to the
    SDK's (``gumloop userinfo``); ``state`` to a random one; ``base_url`` to
    ``GUMLOOP_BASE_URL`` or the production API. Nothing is sent."""
    params: Dict[str, Any] = {
        "client_id": _args.text("client_id", client_id).decode(),
        "redirect_uri": _args.text("redirect_uri", redirect_uri).decode(),
    }
    if scopes is not None:
        params["scopes"] = json.loads(_scopes(scopes) or b"null")
    for key, value in (("resource", resource), ("state", state), ("base_url", base_url)):
        if _args.check_str(key, value) is not None:
            params[key] = value
    if _args.check_bool("allow_insecure_http", allow_insecure_http) is not None:
        params["allow_insecure_http"] = allow_insecure_http
    code, text = native.call_json(
        "gumloop_oauth_build_authorization_url", _args.json_bytes("params", params)
    )
    if code != OK:
        raise error_from_call(code, text)
    answer = json.loads(text or "{}")
    return answer["url"], answer["code_verifier"], answer["state"]


def _tokens(text: Optional[str]) -> GumloopObject:
    return parsed_object(text, "an OAuth answer")


def register_call(
    redirect_uri: str, client_name: Optional[str], scopes: Optional[Scopes]
) -> Call[GumloopObject]:
    params = (
        Param("redirect_uri", _args.text("redirect_uri", redirect_uri)),
        Param("client_name", _args.optional_text("client_name", client_name)),
        Param("scopes", _scopes(scopes), True),
    )
    return Call(Request("oauth_register_client", params), _tokens)


def exchange_call(
    client_id: str, code: str, redirect_uri: str, code_verifier: str, client_secret: Optional[str]
) -> Call[GumloopObject]:
    params = (
        Param("client_id", _args.text("client_id", client_id)),
        Param("code", _args.text("code", code)),
        Param("redirect_uri", _args.text("redirect_uri", redirect_uri)),
        Param("code_verifier", _args.text("code_verifier", code_verifier)),
        Param("client_secret", _args.optional_text("client_secret", client_secret)),
    )
    return Call(Request("oauth_exchange_code", params), _tokens)


def refresh_call(
    client_id: str, refresh_token: str, client_secret: Optional[str]
) -> Call[GumloopObject]:
    params = (
        Param("client_id", _args.text("client_id", client_id)),
        Param("refresh_token", _args.text("refresh_token", refresh_token)),
        Param("client_secret", _args.optional_text("client_secret", client_secret)),
    )
    return Call(Request("oauth_refresh_token", params), _tokens)


def revoke_call(client_id: str, token: str) -> Call[GumloopObject]:
    params = (
        Param("client_id", _args.text("client_id", client_id)),
        Param("token", _args.text("token", token)),
    )
    return Call(Request("oauth_revoke", params), _tokens)


class _Base:
    """What both OAuth classes share: the authorization URL for the client's API base."""

    _base_url: Optional[str]
    _allow_insecure_http: Optional[bool]

    def build_authorization_url(
        self,
        client_id: str,
        redirect_uri: str,
        *,
        scopes: Optional[Scopes] = None,
        resource: Optional[str] = None,
        state: Optional[str] = None,
    ) -> Tuple[str, str, str]:
        """:func:`build_authorization_url` at this client's API base: ``(url, code_verifier,
        state)``."""
        return build_authorization_url(
            client_id,
            redirect_uri,
            scopes=scopes,
            resource=resource,
            state=state,
            base_url=self._base_url,
            allow_insecure_http=self._allow_insecure_http,
        )


class OAuth(_Base, SyncAPIResource):
    """``client.oauth``: the SDK's OAuth calls. The client needs no credential for them
    (``Client(client_id=...)`` makes one for signing in)."""

    def register_client(
        self,
        redirect_uri: str,
        *,
        client_name: Optional[str] = None,
        scopes: Optional[Scopes] = None,
        cancel: Optional[CancelToken] = None,
    ) -> GumloopObject:
        """Registers an OAuth client (``POST /oauth/register``); the server's answer has its
        ``client_id``. ``client_name`` defaults to the SDK's ("Gumloop Python SDK")."""
        return self._run(register_call(redirect_uri, client_name, scopes), cancel)

    def exchange_code(
        self,
        client_id: str,
        code: str,
        redirect_uri: str,
        code_verifier: str,
        *,
        client_secret: Optional[str] = None,
        cancel: Optional[CancelToken] = None,
    ) -> GumloopObject:
        """Exchanges the redirect's ``code`` for tokens (``POST /oauth/token``):
        ``access_token``, ``refresh_token``, ``token_type``, ``expires_in``, ``scope``."""
        call = exchange_call(client_id, code, redirect_uri, code_verifier, client_secret)
        return self._run(call, cancel)

    def refresh_token(
        self,
        client_id: str,
        refresh_token: str,
        *,
        client_secret: Optional[str] = None,
        cancel: Optional[CancelToken] = None,
    ) -> GumloopObject:
        """New tokens for ``refresh_token`` (which the server rotates: store the new one)."""
        return self._run(refresh_call(client_id, refresh_token, client_secret), cancel)

    def revoke(
        self, client_id: str, token: str, *, cancel: Optional[CancelToken] = None
    ) -> None:
        """Revokes an access or refresh token (``POST /oauth/revoke``)."""
        self._run(revoke_call(client_id, token), cancel)


class AsyncOAuth(_Base, AsyncAPIResource):
    """``AsyncClient.oauth``: :class:`OAuth`'s calls, awaited."""

    async def register_client(
        self,
        redirect_uri: str,
        *,
        client_name: Optional[str] = None,
        scopes: Optional[Scopes] = None,
    ) -> GumloopObject:
        """As :meth:`OAuth.register_client`."""
        return await self._run(register_call(redirect_uri, client_name, scopes))

    async def exchange_code(
        self,
        client_id: str,
        code: str,
        redirect_uri: str,
        code_verifier: str,
        *,
        client_secret: Optional[str] = None,
    ) -> GumloopObject:
        """As :meth:`OAuth.exchange_code`."""
        call = exchange_call(client_id, code, redirect_uri, code_verifier, client_secret)
        return await self._run(call)

    async def refresh_token(
        self, client_id: str, refresh_token: str, *, client_secret: Optional[str] = None
    ) -> GumloopObject:
        """As :meth:`OAuth.refresh_token`."""
        return await self._run(refresh_call(client_id, refresh_token, client_secret))

    async def revoke(self, client_id: str, token: str) -> None:
        """As :meth:`OAuth.revoke`."""
        await self._run(revoke_call(client_id, token))
