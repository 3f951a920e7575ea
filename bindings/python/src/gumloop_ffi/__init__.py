"""gumloop_ffi: Gumloop's Agents Sessions API from Python, over the libgumloop C library.

    from gumloop_ffi import Client

    with Client(api_key="gk_...", user_id="user_...") as client:
        created = client.sessions.create("agent_id", "Summarise today's tickets")
        print(created.session.id, created.session.state)

Importing the package loads libgumloop (see ``gumloop_ffi._native`` for where it is looked for)
and checks that its version is the one this package was written for.
"""

from ._client import (
    CancelToken,
    Client,
    EventHandler,
    Input,
    Sessions,
    code_message,
    code_name,
    create_session,
    library_path,
    library_version,
)
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
    InvalidResponseError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    UnauthorizedError,
)
from ._types import GumloopObject, Session, SessionResponse
from ._version import LIBRARY_VERSION, __version__

__all__ = [
    "APIConnectionError",
    "APIStatusError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "CancelToken",
    "CancelledError",
    "Client",
    "ClientClosedError",
    "ConflictError",
    "EventHandler",
    "GumloopError",
    "GumloopObject",
    "Input",
    "InternalServerError",
    "InvalidArgumentError",
    "InvalidArgumentTypeError",
    "InvalidResponseError",
    "LIBRARY_VERSION",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "Session",
    "SessionResponse",
    "Sessions",
    "UnauthorizedError",
    "__version__",
    "code_message",
    "code_name",
    "create_session",
    "library_path",
    "library_version",
]
