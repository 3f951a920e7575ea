"""What every resource (``client.sessions``, ``client.agents``, ...) shares, sync and async:
running a request through the engine, and turning its answer into Python values or
exceptions."""

from __future__ import annotations

from typing import (
    Any,
    AsyncIterator,
    Awaitable,
    Callable,
    Dict,
    Iterator,
    List,
    Mapping,
    Optional,
    Protocol,
    Set,
    Tuple,
    TypeVar,
)

from . import _args
from ._engine import PendingCall, run_blocking
from ._errors import GumloopError, error_from_call, python_error
from ._handles import CancelToken, _Handle, check_token
from ._hooks import after_call, before_call
from ._native import OK
from ._requests import Call, Request
from ._types import GumloopObject, parse_object

_T = TypeVar("_T")


def raise_for(code: int, text: Optional[str]) -> None:
    """Raises the exception for a failed call."""
    if code != OK:
        raise error_from_call(code, text)


def invalid_response(message: str, body: Optional[str]) -> GumloopError:
    """An InvalidResponseError found by the Python layer, in the library's document shape."""
    return python_error("GUMLOOP_ERR_INVALID_RESPONSE", message, body=body)


def parsed(text: Optional[str], parse: Callable[[str], _T], what: str) -> _T:
    """Parses a successful answer; an unusable one raises InvalidResponseError."""
    try:
        if text is None:
            raise ValueError("the library returned no text")
        return parse(text)
    except ValueError as error:
        raise invalid_response(
            f"the server's answer cannot be read as {what}: {error}", text
        ) from None


def parsed_object(text: Optional[str], what: str) -> GumloopObject:
    """A successful answer that must be a JSON object."""
    return parsed(text, parse_object, what)


def query_fields(fields: Mapping[str, Any], extra: Mapping[str, Any]) -> Dict[str, Any]:
    """The query parameters ``fields`` then ``extra``, without None values."""
    query: Dict[str, Any] = {}
    for source in (fields, extra):
        for key, value in source.items():
            if value is not None:
                query[key] = value
    return query


def query_json(query: Mapping[str, Any], cursor: Optional[str] = None) -> Optional[bytes]:
    """``query`` (with ``cursor`` when given) as JSON for a ``query_json`` argument, or None."""
    if cursor is not None:
        query = dict(query, cursor=cursor)
    return _args.json_bytes("query", dict(query)) if query else None


def page_items(answer: GumloopObject, items: str) -> List[Any]:
    """The list field ``items`` of a page, its objects as :class:`GumloopObject`."""
    return [GumloopObject(item) if isinstance(item, dict) else item for item in answer._get_list(items)]


def next_cursor(answer: GumloopObject, seen: Set[str]) -> Optional[str]:
    """The page's ``next_cursor`` (None on the last page); a cursor seen twice raises, so that
    a server bug cannot make a listing loop forever."""
    cursor = answer._get_str("next_cursor")
    if not cursor:
        return None
    if cursor in seen:
        raise invalid_response(f"the server sent next_cursor {cursor!r} a second time", None)
    seen.add(cursor)
    return cursor


def all_pages(
    page: Callable[[Optional[str]], GumloopObject], items: str, cursor: Optional[str]
) -> Iterator[GumloopObject]:
    """Every item of the list field ``items`` across pages: ``page(cursor)`` fetches one, and
    ``next_cursor`` is followed until it is None."""
    seen: Set[str] = set()
    while True:
        answer = page(cursor)
        yield from page_items(answer, items)
        cursor = next_cursor(answer, seen)
        if cursor is None:
            return


async def async_pages(
    page: Callable[[Optional[str]], Awaitable[GumloopObject]], items: str, cursor: Optional[str]
) -> AsyncIterator[GumloopObject]:
    """As :func:`all_pages`, each page awaited."""
    seen: Set[str] = set()
    while True:
        answer = await page(cursor)
        for item in page_items(answer, items):
            yield item
        cursor = next_cursor(answer, seen)
        if cursor is None:
            return


class SyncAPIResource:
    """A part of the API over a :class:`~gumloop_ffi.Client`'s handle: every method runs its
    request through :func:`~gumloop_ffi._engine.run_blocking`, on the calling thread."""

    def __init__(self, handle: _Handle) -> None:
        self._handle = handle

    def _call(self, request: Request, cancel: Optional[CancelToken]) -> Optional[str]:
        """Runs ``request``: the answer's text, or the error."""
        return self._call_with_bytes(request, cancel)[0]

    def _call_with_bytes(
        self, request: Request, cancel: Optional[CancelToken]
    ) -> Tuple[Optional[str], bytes]:
        """Runs ``request``: the answer's text and bytes (of a bytes operation), or the error."""
        token = check_token(cancel)
        handle = self._handle
        pointer = handle.acquire()
        try:
            before_call()
            try:
                code, text, data = run_blocking(pointer, request, token)
            finally:
                after_call(pointer, handle.tokens)
        finally:
            handle.release()
        raise_for(code, text)
        return text, data

    def _run(self, call: "Call[_T]", cancel: Optional[CancelToken]) -> _T:
        """Runs ``call``'s request and parses the answer."""
        return call.parse(self._call(call.request, cancel))


class _Starter(Protocol):
    def _start(self, request: Request) -> PendingCall: ...

    def _after_call(self) -> None: ...


class AsyncAPIResource:
    """A part of the API over an :class:`~gumloop_ffi.AsyncClient`: every method starts its
    request on the running loop's poller and awaits its end."""

    def __init__(self, client: _Starter) -> None:
        self._client = client

    async def _call(self, request: Request) -> Optional[str]:
        """Runs ``request`` on the poller: the answer's text, or the error."""
        return (await self._call_with_bytes(request))[0]

    async def _call_with_bytes(self, request: Request) -> Tuple[Optional[str], bytes]:
        """Runs ``request`` on the poller: the answer's text and bytes, or the error."""
        before_call()
        call = self._client._start(request)
        try:
            code, text = await call.outcome()
        finally:
            self._client._after_call()
        raise_for(code, text)
        return text, call.data

    async def _run(self, call: "Call[_T]") -> _T:
        return call.parse(await self._call(call.request))
