"""Chunked, resumable query_range.

Prometheus rejects a range query whose resolution exceeds 11,000 points per series, so a
long training range is split into chunks of at most max_points samples. Each finished chunk
is written to disk and recorded in a manifest before the next starts; a rerun with the same
query and range skips recorded chunks whose file is intact, so an interrupted fetch resumes.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from dataclasses import dataclass
from pathlib import Path

from ..errors import PrometheusError
from .prometheus_client import PrometheusClient

log = logging.getLogger(__name__)

PROMETHEUS_MAX_POINTS = 11_000
DEFAULT_MAX_POINTS = 10_000
CACHE_FORMAT = 1


@dataclass(frozen=True)
class Chunk:
    index: int
    start: float
    end: float

    @property
    def file(self) -> str:
        return f"chunk-{self.index:05d}.json"


def plan_chunks(start: float, end: float, step: float, max_points: int = DEFAULT_MAX_POINTS) -> list[Chunk]:
    """Split [start, end] into contiguous, non-overlapping chunks on the step grid."""
    if step <= 0:
        raise ValueError("step must be positive")
    if end < start:
        raise ValueError("end must not be before start")
    if not 1 <= max_points <= PROMETHEUS_MAX_POINTS:
        raise ValueError(f"max_points must be in 1..{PROMETHEUS_MAX_POINTS}")
    total = int((end - start) // step) + 1
    chunks = []
    for index, first in enumerate(range(0, total, max_points)):
        last = min(first + max_points, total) - 1
        chunks.append(Chunk(index, start + first * step, start + last * step))
    return chunks


def _write_atomic(path: Path, data: bytes) -> None:
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class ChunkCache:
    """One directory per (server, query, range, step); manifest.json lists finished chunks."""

    def __init__(self, root: Path, base_url: str, query: str, start: float, end: float,
                 step: float, max_points: int):
        self.identity = {
            "format": CACHE_FORMAT, "url": base_url, "query": query,
            "start": start, "end": end, "step": step, "max_points": max_points,
        }
        key = _sha256(json.dumps(self.identity, sort_keys=True).encode())[:20]
        self.dir = Path(root) / key
        self.dir.mkdir(parents=True, exist_ok=True)
        self.manifest_path = self.dir / "manifest.json"
        self.done: dict[int, dict] = self._load_done()

    def _load_done(self) -> dict[int, dict]:
        if not self.manifest_path.exists():
            return {}
        try:
            manifest = json.loads(self.manifest_path.read_text())
        except ValueError:
            log.warning("chunk manifest %s unreadable; refetching", self.manifest_path)
            return {}
        if manifest.get("identity") != self.identity:
            return {}
        return {int(c["index"]): c for c in manifest.get("chunks", [])}

    def load(self, chunk: Chunk) -> list[dict] | None:
        entry = self.done.get(chunk.index)
        if entry is None:
            return None
        path = self.dir / entry["file"]
        try:
            data = path.read_bytes()
        except OSError:
            return None
        if _sha256(data) != entry["sha256"]:
            log.warning("chunk %s corrupt; refetching", path)
            return None
        return json.loads(data)

    def store(self, chunk: Chunk, result: list[dict]) -> None:
        data = json.dumps(result, separators=(",", ":")).encode()
        _write_atomic(self.dir / chunk.file, data)
        self.done[chunk.index] = {
            "index": chunk.index, "start": chunk.start, "end": chunk.end,
            "file": chunk.file, "sha256": _sha256(data), "series": len(result),
        }
        manifest = {"identity": self.identity,
                    "chunks": [self.done[i] for i in sorted(self.done)]}
        _write_atomic(self.manifest_path, json.dumps(manifest, indent=1).encode())


def fetch_range(client: PrometheusClient, query: str, start: float, end: float, step: float,
                cache_root: Path, max_points: int = DEFAULT_MAX_POINTS) -> list[dict]:
    """Fetch all chunks (from cache where possible) and merge series by their label set."""
    chunks = plan_chunks(start, end, step, max_points)
    cache = ChunkCache(cache_root, client.base_url, query, start, end, step, max_points)
    merged: dict[str, dict] = {}
    fetched = 0
    for chunk in chunks:
        result = cache.load(chunk)
        if result is None:
            try:
                result = client.query_range(query, chunk.start, chunk.end, step)
            except PrometheusError as exc:
                # Only a transient failure is worth resuming; a refused query needs fixing first.
                hint = ", rerun to resume" if exc.transient else ""
                raise PrometheusError(
                    f"{exc} [chunk {chunk.index + 1}/{len(chunks)}; {len(cache.done)} chunks cached{hint}]",
                    transient=exc.transient,
                ) from exc
            cache.store(chunk, result)
            fetched += 1
        for series in result:
            key = json.dumps(series.get("metric", {}), sort_keys=True)
            target = merged.setdefault(key, {"metric": series.get("metric", {}), "values": []})
            target["values"].extend(series.get("values", []))
    log.info("query %r: %d chunks (%d fetched, %d from cache)", query, len(chunks), fetched,
             len(chunks) - fetched)
    return list(merged.values())
