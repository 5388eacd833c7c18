import json

import numpy as np
import pytest

from seismo_training.data.prometheus_chunks import fetch_range, plan_chunks
from seismo_training.data.prometheus_client import ClientOptions, PrometheusClient
from seismo_training.data.prometheus_source import PrometheusRequest, load_prometheus, parse_query_args
from seismo_training.errors import DataError, PrometheusError

from .fake_prometheus import FakePrometheus, value_at

START, STEP = 1_700_000_000.0, 60.0


def client(server, retries=0, timeout=5.0, sleeps=None):
    return PrometheusClient(server.url, ClientOptions(timeout, retries, backoff_seconds=0.25),
                            sleep=(sleeps.append if sleeps is not None else lambda s: None))


def test_plan_chunks_covers_the_range_without_overlap():
    chunks = plan_chunks(START, START + 24 * STEP, STEP, max_points=10)
    assert [(c.start - START) / STEP for c in chunks] == [0, 10, 20]
    assert [(c.end - START) / STEP for c in chunks] == [9, 19, 24]
    assert plan_chunks(START, START + 10_999 * STEP, STEP, 11_000)[0].end == START + 10_999 * STEP
    with pytest.raises(ValueError):
        plan_chunks(START, START + STEP, STEP, max_points=11_001)


def test_chunked_fetch_stays_under_the_limit_and_merges_series(tmp_path):
    with FakePrometheus() as server:
        end = START + 24_999 * STEP  # 25,000 points: one request would be refused
        with pytest.raises(PrometheusError, match="11,000 points"):
            client(server).query_range("up", START, end, STEP)
        series = fetch_range(client(server), "up", START, end, STEP, tmp_path, max_points=11_000)
        sizes = [(float(r["end"]) - float(r["start"])) / STEP + 1 for r in server.requests[1:]]
    assert sizes == [11_000, 11_000, 3_000]
    by_service = {s["metric"]["service"]: s["values"] for s in series}
    assert len(by_service["checkout"]) == 25_000
    stamps = [float(t) for t, _ in by_service["checkout"]]
    assert stamps == [START + i * STEP for i in range(25_000)]


def test_interrupted_fetch_resumes_from_the_chunk_manifest(tmp_path):
    end = START + 49 * STEP  # 50 points, 5 chunks of 10
    with FakePrometheus() as server:
        server.plan(None, None, (500, {"status": "error", "errorType": "internal", "error": "boom"}))
        with pytest.raises(PrometheusError, match="chunk 3/5; 2 chunks cached, rerun to resume"):
            fetch_range(client(server), "up", START, end, STEP, tmp_path, max_points=10)
        (cache_dir,) = list(tmp_path.iterdir())
        manifest = json.loads((cache_dir / "manifest.json").read_text())
        assert [c["index"] for c in manifest["chunks"]] == [0, 1]
        assert manifest["identity"]["query"] == "up"
        first_run = len(server.requests)
        series = fetch_range(client(server), "up", START, end, STEP, tmp_path, max_points=10)
        resumed = server.requests[first_run:]
    # Only the three missing chunks were requested the second time.
    assert [float(r["start"]) for r in resumed] == [START + i * 10 * STEP for i in (2, 3, 4)]
    values = {s["metric"]["service"]: s["values"] for s in series}["checkout"]
    assert len(values) == 50 and float(values[-1][0]) == end


def test_corrupt_cached_chunk_is_refetched(tmp_path):
    end = START + 19 * STEP
    with FakePrometheus() as server:
        fetch_range(client(server), "up", START, end, STEP, tmp_path, max_points=10)
        (cache_dir,) = list(tmp_path.iterdir())
        (cache_dir / "chunk-00001.json").write_text("[]")
        before = len(server.requests)
        series = fetch_range(client(server), "up", START, end, STEP, tmp_path, max_points=10)
        assert len(server.requests) - before == 1
    assert len(series[0]["values"]) == 20


def test_transient_errors_are_retried_with_backoff():
    sleeps: list[float] = []
    with FakePrometheus() as server:
        server.plan((503, b"upstream unavailable"), (429, {"status": "error", "error": "slow down"}))
        result = client(server, retries=3, sleeps=sleeps).query_range("up", START, START + 2 * STEP, STEP)
        assert len(server.requests) == 3
    assert sleeps == [0.25, 0.5]  # exponential backoff
    assert len(result) == 2


def test_timeouts_are_retried():
    with FakePrometheus() as server:
        server.plan("slow")
        result = client(server, retries=1, timeout=0.2).query_range("up", START, START, STEP)
        assert len(server.requests) == 2
    assert result[0]["values"]


def test_bad_query_fails_at_once_with_the_error_body():
    with FakePrometheus() as server:
        with pytest.raises(PrometheusError) as info:
            client(server, retries=3).query_range("bad(", START, START + STEP, STEP)
        assert len(server.requests) == 1  # a 400 is not retried
    message = str(info.value)
    assert "HTTP 400" in message and "bad_data: 1:1: parse error" in message


def test_retries_exhausted_reports_the_last_problem():
    with FakePrometheus() as server:
        server.plan(*[(502, b"bad gateway")] * 3)
        with pytest.raises(PrometheusError, match="after 3 attempts: HTTP 502.*bad gateway"):
            client(server, retries=2).query_range("up", START, START, STEP)


def test_frames_per_entity_on_a_regular_grid(tmp_path):
    with FakePrometheus() as server:
        server.server.state["cart_hole"] = True
        request = PrometheusRequest(server.url, parse_query_args(["load=sum by (service) (x)", "copy=y"]),
                                    START, START + 99 * STEP, STEP, max_points=30)
        frames = load_prometheus(request, client(server), tmp_path)
    assert [f.entity for f in frames] == ["cart", "checkout"]
    cart, checkout = frames
    assert checkout.signals == ("load", "copy") and checkout.values.shape == (100, 2)
    assert checkout.start == START and checkout.step_seconds == STEP
    assert checkout.values[5, 0] == value_at("checkout", START + 5 * STEP)
    assert np.isnan(cart.values[3, 0]) and not np.isnan(cart.values[4, 0])  # missing samples -> NaN
    assert cart.source["queries"]["load"] == "sum by (service) (x)"


def test_query_arguments_are_validated():
    assert parse_query_args(["rate=sum(rate(x[5m])) by (service) == 1"])[0][1].endswith("== 1")
    with pytest.raises(DataError, match="signal=PROMQL"):
        parse_query_args(["no-equals-sign"])
    with pytest.raises(DataError, match="duplicate"):
        parse_query_args(["a=x", "a=y"])


def test_refused_query_in_a_chunked_fetch_does_not_suggest_resuming(tmp_path):
    with FakePrometheus() as server:
        with pytest.raises(PrometheusError) as info:
            fetch_range(client(server, retries=2), "bad(", START, START + 30 * STEP, STEP, tmp_path, 10)
        assert len(server.requests) == 1
    assert not info.value.transient
    assert "chunk 1/4; 0 chunks cached]" in str(info.value) and "resume" not in str(info.value)
