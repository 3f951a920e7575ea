"""``client.sessions.upload_file``: bytes (or a file) to a session, for ``attachments``."""

from __future__ import annotations

import os
from typing import Optional, Union

from .. import _args
from .._errors import invalid_argument
from .._handles import CancelToken
from .._requests import Call, Param, Request
from .._resource import AsyncAPIResource, SyncAPIResource, parsed_object
from .._types import GumloopObject

#: What ``file_content`` may be: the bytes, or the path of a file to read them from.
FileContent = Union[bytes, bytearray, memoryview, "os.PathLike[str]"]


def _read(file_content: object) -> bytes:
    if isinstance(file_content, (bytes, bytearray, memoryview)):
        return bytes(file_content)
    if isinstance(file_content, os.PathLike):
        try:
            with open(os.fspath(file_content), "rb") as file:
                return file.read()
        except OSError as error:
            raise invalid_argument(
                "file_content", f"cannot read {os.fspath(file_content)!r}: {error}"
            ) from None
    raise invalid_argument(
        "file_content",
        "`file_content` must be bytes or a path (os.PathLike, e.g. pathlib.Path), not "
        f"{_args.type_name(file_content)}",
        wrong_type=True,
    )


def upload_call(
    session_id: str,
    file_name: Optional[str],
    file_content: FileContent,
    media_type: Optional[str],
) -> Call[GumloopObject]:
    """``upload_file``, its bytes read (from the path, if one is given)."""
    sid = _args.text("session_id", session_id)
    if file_name is None and isinstance(file_content, os.PathLike):
        file_name = os.path.basename(os.fspath(file_content))
    name = _args.text("file_name", file_name)
    media = _args.optional_text("media_type", media_type)
    params = (Param("session_id", sid), Param("file_name", name), Param("media_type", media))
    request = Request("upload_file", params, _read(file_content))
    return Call(request, lambda text: parsed_object(text, "an uploaded file"))


class SessionFiles(SyncAPIResource):
    """File uploads (part of ``client.sessions``)."""

    def upload_file(
        self,
        session_id: str,
        file_name: Optional[str],
        file_content: FileContent,
        *,
        media_type: Optional[str] = None,
        cancel: Optional[CancelToken] = None,
    ) -> GumloopObject:
        """Uploads a file to a session: ``POST /sessions/{session_id}/files``.

        ``file_content`` is the bytes, or a path (``pathlib.Path``) whose file is read;
        ``file_name`` may then be None for the path's own name. The server strips directories
        from the name. Returns ``{"file_name", "media_type", "size"}``: pass
        ``{"file_name": result.file_name}`` in ``attachments`` of :meth:`send` or
        :meth:`stream_message` on the same session (a create takes no attachments: create the
        session first, upload, then send). More than the client's ``max_upload_bytes``
        raises :class:`~gumloop_ffi.InvalidArgumentError` before sending; the server's limit
        raises :class:`~gumloop_ffi.APIStatusError` 413 (``file_too_large``).
        """
        return self._run(upload_call(session_id, file_name, file_content, media_type), cancel)


class AsyncSessionFiles(AsyncAPIResource):
    """File uploads, awaited (part of ``AsyncClient.sessions``)."""

    async def upload_file(
        self,
        session_id: str,
        file_name: Optional[str],
        file_content: FileContent,
        *,
        media_type: Optional[str] = None,
    ) -> GumloopObject:
        """As :meth:`gumloop_ffi.Sessions.upload_file`. A path's file is read on the loop's
        thread before the call starts; the bytes go to the library in one piece."""
        return await self._run(upload_call(session_id, file_name, file_content, media_type))
