"""gumloop_ffi: Gumloop's Agents Sessions API from Python, over the libgumloop C library.

    from gumloop_ffi import Client

    with Client(api_key="gk_...", user_id="user_...") as client:
        created = client.sessions.create("agent_id", "Summarise today's tickets")
        print(created.session.id, created.session.state)

        with client.sessions.stream("agent_id", "Write a haiku") as events:
            for event in events:
                print(event.delta or "", end="")
        print(events.summary.finish_reason)

Importing the package loads libgumloop (see ``gumloop_ffi._native`` for where it is looked for)
and checks that its version is the one this package was written for.
"""

from ._client import (
    UNSET,
    AsyncClient,
    AsyncGumloop,
    Client,
    Gumloop,
    code_message,
    code_name,
    create_session,
    library_path,
    library_version,
)
from ._call_info import CallInfo, capture_call_info
from ._call_options import call_options
from ._handles import CancelToken
from ._requests import Input
from ._streaming import AsyncEventStream, EventStream
from .resources import Agents, Artifacts, AsyncAgents, AsyncArtifacts, AsyncSessions, Sessions
from .resources.approvals import accept, reject
from .resources.oauth import AsyncOAuth, OAuth, build_authorization_url
from ._errors import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    CancelledError,
    ClientClosedError,
    ConflictError,
    GumloopError,
    InternalServerError,
    InvalidArgumentError,
    InvalidArgumentTypeError,
    InternalError,
    InvalidResponseError,
    NotFoundError,
    PayloadTooLargeError,
    PermissionDeniedError,
    RateLimitError,
    StreamIncompleteError,
    UnauthorizedError,
    WrongThreadError,
)
from ._types import (
    GumloopObject,
    MessageReceipt,
    Session,
    SessionList,
    SessionResponse,
    StreamEvent,
    StreamSummary,
)
from ._version import LIBRARY_VERSION, __version__

__all__ = [
    "Agents",
    "Artifacts",
    "AsyncAgents",
    "AsyncArtifacts",
    "accept",
    "build_authorization_url",
    "AsyncOAuth",
    "OAuth",
    "reject",
    "AsyncClient",
    "AsyncGumloop",
    "AsyncEventStream",
    "AsyncSessions",
    "APIConnectionError",
    "APIStatusError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "CallInfo",
    "CancelToken",
    "call_options",
    "capture_call_info",
    "CancelledError",
    "Client",
    "ClientClosedError",
    "ConflictError",
    "EventStream",
    "Gumloop",
    "GumloopError",
    "GumloopObject",
    "Input",
    "InternalError",
    "InternalServerError",
    "InvalidArgumentError",
    "InvalidArgumentTypeError",
    "InvalidResponseError",
    "LIBRARY_VERSION",
    "MessageReceipt",
    "NotFoundError",
    "PayloadTooLargeError",
    "PermissionDeniedError",
    "RateLimitError",
    "Session",
    "SessionList",
    "SessionResponse",
    "Sessions",
    "StreamEvent",
    "StreamIncompleteError",
    "StreamSummary",
    "UnauthorizedError",
    "WrongThreadError",
    "UNSET",
    "__version__",
    "code_message",
    "code_name",
    "create_session",
    "library_path",
    "library_version",
]
