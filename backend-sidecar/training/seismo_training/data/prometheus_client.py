"""Minimal Prometheus HTTP API client for query_range (standard library only).

Retries transient failures (network errors, timeouts, 429 and 5xx) with exponential
backoff; fails at once on 4xx because a bad query does not get better by repeating it.
"""

from __future__ import annotations

import json
import logging
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from typing import Callable

from ..errors import PrometheusError

log = logging.getLogger(__name__)

_RETRYABLE_STATUS = {429, 500, 502, 503, 504}


@dataclass(frozen=True)
class ClientOptions:
    timeout_seconds: float = 30.0
    retries: int = 3
    backoff_seconds: float = 1.0
    headers: dict = field(default_factory=dict)


class _Retryable(Exception):
    pass


def _describe_error_body(body: bytes) -> str:
    text = body.decode("utf-8", errors="replace").strip()
    try:
        parsed = json.loads(text)
    except ValueError:
        return text[:500]
    if isinstance(parsed, dict) and "error" in parsed:
        kind = parsed.get("errorType", "error")
        return f"{kind}: {parsed['error']}"
    return text[:500]


class PrometheusClient:
    def __init__(
        self,
        base_url: str,
        options: ClientOptions = ClientOptions(),
        sleep: Callable[[float], None] = time.sleep,
    ):
        self.base_url = base_url.rstrip("/")
        self.options = options
        self._sleep = sleep

    def query_range(self, query: str, start: float, end: float, step: float) -> list[dict]:
        """Return the matrix result: [{"metric": {...}, "values": [[ts, "v"], ...]}, ...]."""
        form = {"query": query, "start": _fmt(start), "end": _fmt(end), "step": _fmt(step)}
        # POST keeps long PromQL out of URL length limits; Prometheus, Mimir and Thanos accept it.
        body = urllib.parse.urlencode(form).encode("ascii")
        url = f"{self.base_url}/api/v1/query_range"
        attempts = self.options.retries + 1
        last_problem = ""
        for attempt in range(attempts):
            try:
                return self._post_once(url, body)
            except _Retryable as exc:
                last_problem = str(exc)
                if attempt + 1 < attempts:
                    delay = self.options.backoff_seconds * (2**attempt)
                    log.warning("query_range failed (%s); retry %d/%d in %.1fs",
                                last_problem, attempt + 1, self.options.retries, delay)
                    self._sleep(delay)
        raise PrometheusError(
            f"query_range failed after {attempts} attempts: {last_problem} (query {query!r})",
            transient=True,
        )

    def _post_once(self, url: str, body: bytes) -> list[dict]:
        headers = {"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"}
        headers.update(self.options.headers)
        request = urllib.request.Request(url, data=body, headers=headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=self.options.timeout_seconds) as response:
                payload = response.read()
        except urllib.error.HTTPError as exc:
            detail = _describe_error_body(exc.read() or b"")
            message = f"HTTP {exc.code} from {url}: {detail}"
            if exc.code in _RETRYABLE_STATUS:
                raise _Retryable(message) from exc
            raise PrometheusError(message) from exc
        except (urllib.error.URLError, socket.timeout, TimeoutError, ConnectionError) as exc:
            raise _Retryable(f"{type(exc).__name__}: {getattr(exc, 'reason', exc)}") from exc
        return _parse_matrix(payload, url)


def _parse_matrix(payload: bytes, url: str) -> list[dict]:
    try:
        parsed = json.loads(payload)
    except ValueError as exc:
        raise _Retryable(f"unparseable response from {url}: {payload[:200]!r}") from exc
    if parsed.get("status") != "success":
        raise PrometheusError(f"Prometheus error from {url}: {_describe_error_body(payload)}")
    for warning in parsed.get("warnings", []) or []:
        log.warning("Prometheus warning: %s", warning)
    data = parsed.get("data", {})
    if data.get("resultType") != "matrix":
        raise PrometheusError(f"expected a matrix result from {url}, got {data.get('resultType')!r}")
    return list(data.get("result", []))


def _fmt(value: float) -> str:
    return repr(float(value)) if not float(value).is_integer() else str(int(value))
