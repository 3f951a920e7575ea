"""The API's resources, one module each, with the blocking and the asyncio class side by side:
``sessions`` (with a session's ``files``, ``approvals``, ``queue`` and ``access``), ``agents``
and ``artifacts``."""

from .agents import Agents, AsyncAgents
from .artifacts import Artifacts, AsyncArtifacts
from .sessions import AsyncSessions, Sessions

__all__ = ["Agents", "Artifacts", "AsyncAgents", "AsyncArtifacts", "AsyncSessions", "Sessions"]
