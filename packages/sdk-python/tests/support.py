"""Shared by the tests: where ``vigil`` comes from, a capturing HTTP server, and the real API.

``vigil`` is imported from ``src/`` unless ``VIGIL_SDK_INSTALLED=1`` (set by the pnpm test
wrapper, which first installs the package with pip and puts it on PYTHONPATH).
"""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional, Tuple

HERE = Path(__file__).resolve().parent
PACKAGE = HERE.parent
REPO = PACKAGE.parent.parent

if os.environ.get("VIGIL_SDK_INSTALLED") != "1":
    sys.path.insert(0, str(PACKAGE / "src"))

import vigil  # noqa: E402

if os.environ.get("VIGIL_SDK_INSTALLED") == "1" and Path(vigil.__file__).resolve().is_relative_to(PACKAGE / "src"):
    raise RuntimeError("VIGIL_SDK_INSTALLED=1 but vigil was imported from the source tree")


def wait_until(predicate: Callable[[], Any], timeout: float = 10.0, interval: float = 0.01) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not met within {timeout} s")
        time.sleep(interval)


class Captured:
    def __init__(self, path: str, headers: Dict[str, str], raw: bytes) -> None:
        self.path = path
        self.headers = headers
        self.raw = raw

    @property
    def text(self) -> str:
        data = gzip.decompress(self.raw) if self.headers.get("content-encoding") == "gzip" else self.raw
        return data.decode("utf-8")

    @property
    def body(self) -> Any:
        return json.loads(self.text)


class CaptureServer:
    """A loopback HTTP server that records every request and answers with ``respond``
    (default: 200 with everything accepted)."""

    def __init__(self, respond: Optional[Callable[[Captured], Tuple[int, Dict[str, str], bytes]]] = None) -> None:
        self.requests: List[Captured] = []
        self.respond = respond or self.accept_all
        outer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:  # noqa: N802
                raw = self.rfile.read(int(self.headers.get("content-length") or 0))
                req = Captured(self.path, {k.lower(): v for k, v in self.headers.items()}, raw)
                outer.requests.append(req)
                status, headers, body = outer.respond(req)
                self.send_response(status)
                for k, v in {"content-type": "application/json", **headers}.items():
                    self.send_header(k, v)
                self.send_header("content-length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @staticmethod
    def accept_all(req: Captured) -> Tuple[int, Dict[str, str], bytes]:
        n = len(next(iter(req.body.values())))
        return 200, {}, json.dumps({"accepted": n, "duplicates": 0, "rejected": []}).encode()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


class Harness:
    """The real API and database, through tests/api_harness.mjs (Node)."""

    def __init__(self) -> None:
        self.proc = subprocess.Popen(
            ["node", str(HERE / "api_harness.mjs")],
            cwd=str(PACKAGE),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            bufsize=1,
        )
        first = self.proc.stdout.readline() if self.proc.stdout else ""
        if not first:
            raise RuntimeError("the API harness did not start (is the workspace built? `pnpm build`)")
        self._lock = threading.Lock()

    def call(self, op: str, **args: Any) -> Dict[str, Any]:
        assert self.proc.stdin and self.proc.stdout
        with self._lock:
            self.proc.stdin.write(json.dumps({"op": op, **args}) + "\n")
            self.proc.stdin.flush()
            line = self.proc.stdout.readline()
        if not line:
            raise RuntimeError("the API harness ended")
        answer = json.loads(line)
        if not answer.pop("ok"):
            raise RuntimeError(f"harness {op}: {answer['error']}")
        return answer

    def tenant(self) -> Dict[str, Any]:
        return self.call("tenant")

    def start_api(self, port: Optional[int] = None, env: Optional[Dict[str, str]] = None) -> Dict[str, Any]:
        return self.call("start", port=port, env=env or {})

    def free_port(self) -> int:
        return int(self.call("port")["port"])

    def stop_api(self, port: int, signal: str = "SIGKILL") -> None:
        self.call("stop", port=port, signal=signal)

    def count(self, project_id: str) -> Dict[str, int]:
        return self.call("count", projectId=project_id)

    def close(self) -> None:
        if self.proc.stdin:
            self.proc.stdin.close()
        try:
            self.proc.wait(30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        if self.proc.stdout:
            self.proc.stdout.close()


def features(i: int) -> Dict[str, Any]:
    return {"amount": i * 1.5, "country": "DE" if i % 2 else "FR", "is_new": i % 3 == 0, "age": 20 + i % 50}
