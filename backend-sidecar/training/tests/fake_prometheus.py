"""A fake Prometheus query_range endpoint on 127.0.0.1 for client tests."""

from __future__ import annotations

import json
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def value_at(service: str, ts: float) -> float:
    return (ts % 3600) / 60.0 + (100.0 if service == "cart" else 0.0)


class _Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):  # keep test output clean
        pass

    def do_POST(self):
        length = int(self.headers.get("Content-Length", 0))
        form = urllib.parse.parse_qs(self.rfile.read(length).decode())
        params = {k: v[0] for k, v in form.items()}
        state = self.server.state
        with state["lock"]:
            state["requests"].append(params)
            plan = state["plan"].pop(0) if state["plan"] else None
        if plan == "slow":
            time.sleep(0.5)
        if plan and plan != "slow":
            status, body = plan
            return self._send(status, body)
        if "bad(" in params["query"]:
            return self._send(400, {"status": "error", "errorType": "bad_data",
                                    "error": "1:1: parse error: unexpected character"})
        start, end, step = float(params["start"]), float(params["end"]), float(params["step"])
        points = int((end - start) // step) + 1
        if points > 11000:
            return self._send(400, {"status": "error", "errorType": "bad_data",
                                    "error": "exceeded maximum resolution of 11,000 points per timeseries"})
        result = []
        for service in ("checkout", "cart"):
            values = [[start + i * step, repr(value_at(service, start + i * step))] for i in range(points)
                      if not (service == "cart" and state["cart_hole"] and i % 7 == 3)]
            result.append({"metric": {"service": service, "__name__": "x"}, "values": values})
        self._send(200, {"status": "success", "data": {"resultType": "matrix", "result": result}})

    def _send(self, status, body):
        data = (json.dumps(body) if not isinstance(body, bytes) else body)
        data = data.encode() if isinstance(data, str) else data
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        try:
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (timeout test)


class FakePrometheus:
    def __init__(self):
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.server.daemon_threads = True
        self.server.state = {"lock": threading.Lock(), "requests": [], "plan": [], "cart_hole": False}
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self.server.server_address
        return f"http://{host}:{port}"

    @property
    def requests(self) -> list[dict]:
        return self.server.state["requests"]

    def plan(self, *responses):
        """Responses for the next requests: (status, body) or "slow"; then normal service."""
        self.server.state["plan"].extend(responses)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
