"""The caller's OpenTelemetry trace context, sent with every call without any code: when the
``opentelemetry`` package is importable and a span is current where a call starts, its
``traceparent`` (and ``tracestate``) go in that call's own request headers, so the server's
side of the call joins the caller's trace. Headers the call names itself win."""

import importlib
from typing import Any, Dict, Optional

#: Headers of the W3C trace context, the ones taken from the propagator.
_TRACE_HEADERS = ("traceparent", "tracestate")

#: ``opentelemetry.propagate`` once imported; False when it cannot be.
_propagate: Optional[Any] = None


def _propagator() -> Any:
    global _propagate
    if _propagate is None:
        try:
            _propagate = importlib.import_module("opentelemetry.propagate")
        except ImportError:
            _propagate = False
    return _propagate


def current_headers() -> Dict[str, str]:
    """The trace headers of the span current here, or ``{}`` (no span, or no OpenTelemetry)."""
    propagate = _propagator()
    if propagate is False:
        return {}
    carrier: Dict[str, str] = {}
    propagate.inject(carrier)
    return {
        key.lower(): value
        for key, value in carrier.items()
        if key.lower() in _TRACE_HEADERS and isinstance(value, str)
    }
