"""The client on its own: the logging path, conversions, queue bounds, threads and retries
(against a loopback HTTP server that records requests)."""

from __future__ import annotations

import datetime as dt
import json
import math
import os
import re
import socket
import threading
import time
import unittest
from typing import Any, Dict, List, Tuple

from support import CaptureServer, Captured, wait_until

from vigil import Vigil, uuid7
from vigil._convert import retry_after_seconds
from vigil.client import prediction_dict

UUID7 = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
NOWHERE = "http://127.0.0.1:9"  # nothing listens on port 9


# Small stand-ins with the interfaces the SDK duck-types (pandas and numpy need not be installed).
class FakeNumpyScalar:
    def __init__(self, value: Any) -> None:
        self.value = value

    def item(self) -> Any:
        return self.value


class FakeArray:
    def __init__(self, values: List[Any]) -> None:
        self.values = values

    def tolist(self) -> List[Any]:
        return list(self.values)


class FakeSeries(FakeArray):
    """A pandas row: ``to_dict()`` gives column → value; ``tolist()`` the values."""

    def __init__(self, data: Dict[str, Any]) -> None:
        super().__init__(list(data.values()))
        self.data = data
        self.index = list(data)

    def to_dict(self) -> Dict[str, Any]:
        return dict(self.data)


class FakeDataFrame:
    def __init__(self, rows: List[Dict[str, Any]]) -> None:
        self.rows = rows
        self.columns = list(rows[0]) if rows else []

    def to_dict(self, orient: str = "dict") -> Any:
        assert orient == "records", orient
        return [dict(r) for r in self.rows]


class NAType:
    """Named like pandas.NA's type."""


def queued(client: Vigil) -> List[Dict[str, Any]]:
    """The predictions waiting in the queue, as they will be sent."""
    return [prediction_dict(t) for t in client._predictions]


class LoggingPath(unittest.TestCase):
    def setUp(self) -> None:
        self.client = Vigil(api_key="vgl_x", endpoint=NOWHERE, flush_interval=3600, batch_size=5000, flush_at_exit=False)

    def tearDown(self) -> None:
        self.client.shutdown(timeout=0)

    def test_fills_in_a_uuid7_and_the_time_once(self) -> None:
        before = int(time.time() * 1000)
        self.client.log_prediction(model="m", features={"a": 1}, prediction=1)
        [item] = queued(self.client)
        self.assertRegex(item["id"], UUID7)
        self.assertGreaterEqual(item["timestamp"], before)
        self.assertLessEqual(item["timestamp"], int(time.time() * 1000))
        # The id's first 48 bits are the item's own timestamp.
        self.assertEqual(int(item["id"].replace("-", "")[:12], 16), item["timestamp"])
        self.assertEqual(list(item), ["id", "model", "timestamp", "features", "prediction"])

    def test_uuid7_ids_grow_with_time_and_are_unique(self) -> None:
        ids = [uuid7(1_700_000_000_000 + i // 100) for i in range(10_000)]
        self.assertEqual(len(set(ids)), len(ids))
        self.assertTrue(all(UUID7.match(i) for i in ids))
        prefixes = [i[:13] for i in ids]
        self.assertEqual(prefixes, sorted(prefixes))

    def test_a_forked_child_makes_other_ids(self) -> None:
        uuid7()
        r, w = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: a few ids of the same millisecond, then out
            os.write(w, ",".join(uuid7(1_800_000_000_000) for _ in range(3)).encode())
            os._exit(0)
        os.close(w)
        with os.fdopen(r) as f:
            child = f.read().split(",")
        os.waitpid(pid, 0)
        mine = [uuid7(1_800_000_000_000) for _ in range(3)]
        self.assertEqual(len(child), 3)
        self.assertFalse(set(child) & set(mine))
        self.assertNotEqual(child[0][:23], mine[0][:23])  # other random bits, not just another count

    def test_never_raises_and_counts_invalid_items(self) -> None:
        bad: List[Dict[str, Any]] = [
            {"model": "a b", "features": {}, "prediction": 1},
            {"model": None, "features": {}, "prediction": 1},
            {"model": "m", "features": [1, 2], "prediction": 1},
            {"model": "m", "features": {}, "prediction": None},
            {"model": "m", "features": {}, "prediction": float("nan")},
            {"model": "m", "features": {}, "prediction": [1]},
            {"model": "m", "features": {}, "prediction": 1, "id": 5},
            {"model": "m", "features": {}, "prediction": 1, "id": "x" * 129},
            {"model": "m", "features": {}, "prediction": 1, "timestamp": 1.5},
            {"model": "m", "features": {}, "prediction": 1, "timestamp": object()},
            {"model": "m", "features": {}, "prediction": 1, "version": 3},
            {"model": "m", "features": {}, "prediction": 1, "scores": "high"},
            {"model": "m", "features": {}, "prediction": 1, "tags": "eu"},
            {"model": "m", "features": FakeDataFrame([{"a": 1}, {"a": 2}]), "prediction": 1},
        ]
        for kwargs in bad:
            self.client.log_prediction(**kwargs)
        self.client.log_label(prediction_id=7, label=1)
        self.client.log_label(prediction_id="p", label={"x": 1})
        self.client.log_predictions(model="m", features=[{"a": 1}, {"a": 2}], predictions=[1])
        s = self.client.stats()
        self.assertEqual(s.dropped.invalid, len(bad) + 2 + 2)
        self.assertEqual(s.queued, 0)
        self.assertIn("predictions has 1 values for 2 rows", s.last_error or "")

    def test_accepts_mappings_numpy_scalars_and_pandas_rows_and_frames(self) -> None:
        from collections import OrderedDict

        self.client.log_prediction(
            model="m",
            features=FakeSeries({"amount": FakeNumpyScalar(2.5), "country": "DE"}),
            prediction=FakeNumpyScalar(1),
            scores=FakeSeries({"0": 0.25, "1": 0.75}),
            id="p-1",
            timestamp=dt.datetime(2026, 12, 1, 10, 0, 0, 123000, tzinfo=dt.timezone.utc),
            tags=OrderedDict(region="eu"),
            label=FakeNumpyScalar(True),
        )
        self.client.log_prediction(model="m", features=FakeDataFrame([{"a": 1}]), prediction=FakeNumpyScalar(0.5), scores=FakeNumpyScalar(0.5), id="p-2", timestamp=FakeNumpyScalar(1_796_000_000_000))
        self.client.log_prediction(model="m", features=OrderedDict(a=1), prediction="yes", id="p-3", timestamp=dt.datetime(2026, 12, 1, 10, 0, 0))
        a, b, c = queued(self.client)
        self.assertEqual(a["features"]["country"], "DE")
        self.assertEqual(a["prediction"], 1)
        self.assertIs(type(a["prediction"]), int)
        self.assertEqual(a["scores"], {"0": 0.25, "1": 0.75})
        self.assertEqual(a["timestamp"], 1_796_119_200_123)
        self.assertEqual(a["tags"], {"region": "eu"})
        self.assertIs(a["label"], True)
        self.assertEqual(b["features"], {"a": 1})
        self.assertEqual((b["prediction"], b["scores"], b["timestamp"]), (0.5, 0.5, 1_796_000_000_000))
        self.assertEqual(c["timestamp"], 1_796_119_200_000)  # a naive datetime is UTC
        self.assertEqual(self.client.stats().dropped.invalid, 0)

    def test_log_predictions_takes_a_frame_and_arrays(self) -> None:
        frame = FakeDataFrame([{"amount": float(i), "country": "DE"} for i in range(4)])
        self.client.log_predictions(
            model="m",
            features=frame,
            predictions=FakeArray([0, 1, 1, 0]),
            scores=FakeArray([0.1, 0.9, 0.8, 0.2]),
            ids=[f"r-{i}" for i in range(4)],
            version="v2",
            timestamp=1_796_000_000_000,
        )
        items = queued(self.client)
        self.assertEqual([i["id"] for i in items], ["r-0", "r-1", "r-2", "r-3"])
        self.assertEqual([i["prediction"] for i in items], [0, 1, 1, 0])
        self.assertEqual([i["scores"] for i in items], [0.1, 0.9, 0.8, 0.2])
        self.assertEqual({i["version"] for i in items}, {"v2"})
        self.assertEqual(items[2]["features"], {"amount": 2.0, "country": "DE"})

    def test_a_full_queue_drops_the_oldest_items_and_counts_them(self) -> None:
        client = Vigil(api_key="vgl_x", endpoint=NOWHERE, max_queue_size=10, batch_size=5000, flush_interval=3600, flush_at_exit=False)
        for i in range(25):
            client.log_prediction(model="m", features={"i": i}, prediction=1, id=f"q-{i}")
        s = client.stats()
        self.assertEqual((s.queued, s.dropped.queue_full), (10, 15))
        self.assertEqual([i["id"] for i in queued(client)], [f"q-{i}" for i in range(15, 25)])
        client.shutdown(timeout=0.05)
        self.assertEqual(client.stats().dropped.failed, 10)
        client.log_prediction(model="m", features={}, prediction=1)  # after shutdown: counted, not queued
        self.assertEqual(client.stats().dropped.failed, 11)

    def test_never_waits_for_the_network(self) -> None:
        # A server that accepts connections and never answers: every send hangs until its timeout.
        hung = socket.socket()
        hung.bind(("127.0.0.1", 0))
        hung.listen(100)
        self.addCleanup(hung.close)
        client = Vigil(api_key="vgl_x", endpoint=f"http://127.0.0.1:{hung.getsockname()[1]}", batch_size=100, request_timeout=2, flush_at_exit=False)
        n = 20_000
        started = time.perf_counter()
        for i in range(n):
            client.log_prediction(model="fraud", features={"amount": 1.5, "country": "DE"}, prediction=1)
        per_call = (time.perf_counter() - started) / n
        # bench/sdk-python measures the cost per call (bar: 10 µs); this bound holds on a loaded
        # machine and fails when a call waits for a request.
        self.assertLess(per_call, 1e-3)
        wait_until(lambda: client.stats().requests >= 2)
        self.assertEqual(client.stats().queued + 200, n)  # two batches (concurrency 2) hang in flight
        started = time.perf_counter()
        self.assertFalse(client.flush(timeout=0.2))
        client.shutdown(timeout=0)
        self.assertLess(time.perf_counter() - started, 5)
        self.assertEqual(client.stats().queued, 0)

    def test_retry_after_as_seconds_or_http_date(self) -> None:
        self.assertEqual(retry_after_seconds("2"), 2.0)
        self.assertIsNone(retry_after_seconds("0"))
        self.assertIsNone(retry_after_seconds("soon"))
        now = dt.datetime(2026, 12, 1, 10, 0, 0, tzinfo=dt.timezone.utc)
        self.assertEqual(retry_after_seconds("Tue, 01 Dec 2026 10:00:05 GMT", now), 5.0)


def answer(status: int, body: Dict[str, Any], headers: Dict[str, str] | None = None) -> Tuple[int, Dict[str, str], bytes]:
    return status, headers or {}, json.dumps(body).encode()


def items_of(req: Captured) -> List[Dict[str, Any]]:
    return list(next(iter(req.body.values())))


class Delivery(unittest.TestCase):
    def serve(self, respond: Any) -> CaptureServer:
        server = CaptureServer(respond)
        self.addCleanup(server.close)
        return server

    def client(self, server: CaptureServer, **kwargs: Any) -> Vigil:
        opts: Dict[str, Any] = dict(api_key="vgl_x", endpoint=server.url, flush_at_exit=False, initial_backoff=0.01, max_backoff=0.05)
        opts.update(kwargs)
        client = Vigil(**opts)
        self.addCleanup(client.shutdown, 1)
        return client

    def test_sends_a_partial_batch_after_the_interval(self) -> None:
        server = self.serve(None)
        client = self.client(server, flush_interval=0.1)
        client.log_prediction(model="m", features={"a": 1}, prediction=1)
        wait_until(lambda: server.requests, timeout=5)
        self.assertEqual(len(items_of(server.requests[0])), 1)

    def test_a_steady_trickle_goes_out_once_per_interval_not_item_by_item(self) -> None:
        server = self.serve(None)
        client = self.client(server, flush_interval=0.25, batch_size=5_000)
        started = time.monotonic()
        n = 0
        while time.monotonic() - started < 1.2:
            client.log_prediction(model="m", features={"i": n}, prediction=1)
            n += 1
            time.sleep(0.001)
        self.assertTrue(client.flush(5))
        self.assertEqual(client.stats().accepted, n)
        # ~5 intervals in 1.2 s, plus the flush; far fewer than one request per item or per wake-up.
        self.assertLessEqual(len(server.requests), 9)
        self.assertGreaterEqual(len(server.requests), 3)

    def test_sends_full_batches_without_waiting_for_the_interval(self) -> None:
        server = self.serve(None)
        client = self.client(server, flush_interval=3600, batch_size=50)
        for i in range(200):
            client.log_prediction(model="m", features={"i": i}, prediction=1)
        wait_until(lambda: client.stats().accepted == 200, timeout=5)
        self.assertEqual(len(server.requests), 4)

    def test_retries_5xx_with_the_same_body_and_honours_retry_after(self) -> None:
        calls: List[float] = []

        def respond(req: Captured) -> Tuple[int, Dict[str, str], bytes]:
            calls.append(time.monotonic())
            if len(calls) == 1:
                return answer(503, {"error": {"code": "OVERLOADED", "message": "busy"}}, {"retry-after": "1"})
            return answer(200, {"accepted": len(items_of(req)), "duplicates": 0, "rejected": []})

        server = self.serve(respond)
        client = self.client(server)
        for i in range(3):
            client.log_prediction(model="m", features={"i": i}, prediction=1)
        self.assertTrue(client.flush(10))
        self.assertEqual(len(server.requests), 2)
        self.assertEqual(server.requests[0].raw, server.requests[1].raw)
        self.assertGreaterEqual(calls[1] - calls[0], 0.95)  # not the 10 ms backoff
        s = client.stats()
        self.assertEqual((s.accepted, s.retries, s.dropped.failed), (3, 1, 0))

    def test_gives_up_a_batch_refused_for_good_and_reports_it(self) -> None:
        errors: List[Exception] = []
        server = self.serve(lambda req: answer(401, {"error": {"code": "UNAUTHORIZED", "message": "bad key"}}))
        client = self.client(server, on_error=errors.append)
        client.log_prediction(model="m", features={}, prediction=1)
        client.log_prediction(model="m", features={}, prediction=1)
        self.assertTrue(client.flush(5))
        s = client.stats()
        self.assertEqual((s.dropped.failed, s.retries, len(server.requests)), (2, 0, 1))
        self.assertEqual(getattr(errors[0], "status", None), 401)
        self.assertIn("401", str(errors[0]))

    def test_stops_after_max_attempts(self) -> None:
        server = self.serve(lambda req: answer(500, {"error": {"code": "INTERNAL", "message": "x"}}))
        client = self.client(server, max_attempts=3)
        client.log_prediction(model="m", features={}, prediction=1)
        self.assertTrue(client.flush(5))
        self.assertEqual((len(server.requests), client.stats().dropped.failed, client.stats().retries), (3, 1, 2))

    def test_splits_a_batch_the_server_finds_too_large(self) -> None:
        def respond(req: Captured) -> Tuple[int, Dict[str, str], bytes]:
            n = len(items_of(req))
            if n > 2:
                return answer(413, {"error": {"code": "PAYLOAD_TOO_LARGE", "message": "too large"}})
            return answer(200, {"accepted": n, "duplicates": 0, "rejected": []})

        server = self.serve(respond)
        client = self.client(server)
        for i in range(5):
            client.log_prediction(model="m", features={"i": i}, prediction=1, id=f"s-{i}")
        self.assertTrue(client.flush(5))
        delivered = [i["id"] for r in server.requests if len(items_of(r)) <= 2 for i in items_of(r)]
        self.assertEqual(sorted(delivered), [f"s-{i}" for i in range(5)])
        self.assertEqual(client.stats().accepted, 5)

    def test_counts_207_rejections_and_reports_them_once(self) -> None:
        rejected: List[Any] = []

        def respond(req: Captured) -> Tuple[int, Dict[str, str], bytes]:
            items = items_of(req)
            errors = [{"index": 1, "id": items[1]["id"], "errors": [{"path": "features.x", "message": "bad"}]}]
            return answer(207, {"accepted": len(items) - 1, "duplicates": 0, "rejected": errors})

        server = self.serve(respond)
        client = self.client(server, on_rejected=rejected.extend)
        for i in range(3):
            client.log_prediction(model="m", features={"i": i}, prediction=1, id=f"x-{i}")
        self.assertTrue(client.flush(5))
        self.assertEqual(len(server.requests), 1)  # not retried
        s = client.stats()
        self.assertEqual((s.accepted, s.dropped.rejected), (2, 1))
        [r] = rejected
        self.assertEqual((r.kind, r.index, r.id, r.item["id"]), ("predictions", 1, "x-1", "x-1"))
        self.assertEqual(r.errors, [{"path": "features.x", "message": "bad"}])

    def test_nan_becomes_null_and_what_json_cannot_hold_is_dropped_alone(self) -> None:
        server = self.serve(None)
        client = self.client(server)
        client.log_prediction(model="m", features={"a": float("nan"), "b": math.inf, "c": FakeNumpyScalar(3), "d": NAType()}, prediction=1, id="n-1")
        client.log_prediction(model="m", features={"a": object()}, prediction=1, id="n-2")
        client.log_prediction(model="m", features={"when": dt.date(2026, 12, 1)}, prediction=1, id="n-3")
        self.assertTrue(client.flush(5))
        [req] = server.requests
        self.assertNotIn("NaN", req.text)
        items = items_of(req)
        self.assertEqual([i["id"] for i in items], ["n-1", "n-3"])
        self.assertEqual(items[0]["features"], {"a": None, "b": None, "c": 3, "d": None})
        self.assertEqual(items[1]["features"], {"when": "2026-12-01"})
        self.assertEqual(client.stats().dropped.invalid, 1)

    def test_many_threads_log_at_once_and_every_item_is_sent_once(self) -> None:
        server = self.serve(None)
        client = self.client(server, batch_size=100, concurrency=3)

        def log(t: int) -> None:
            for i in range(2_000):
                client.log_prediction(model="m", features={"i": i}, prediction=1, id=f"t{t}-{i}")

        threads = [threading.Thread(target=log, args=(t,)) for t in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertTrue(client.flush(20))
        ids = [i["id"] for r in server.requests for i in items_of(r)]
        self.assertEqual(len(ids), 8_000)
        self.assertEqual(len(set(ids)), 8_000)
        self.assertEqual(client.stats().accepted, 8_000)

    def test_context_manager_flushes_on_exit(self) -> None:
        server = self.serve(None)
        with Vigil(api_key="vgl_x", endpoint=server.url, flush_interval=3600, flush_at_exit=False) as client:
            client.log_prediction(model="m", features={}, prediction=1)
            client.log_label(prediction_id="p", label=1)
        self.assertEqual(sorted(r.path for r in server.requests), ["/v1/labels", "/v1/predictions"])
        self.assertEqual(client.stats().accepted, 2)

    def test_endpoint_with_a_path_prefix(self) -> None:
        server = self.serve(None)
        client = self.client(server)
        client2 = Vigil(api_key="vgl_x", endpoint=server.url + "/vigil/", flush_at_exit=False)
        self.addCleanup(client2.shutdown, 1)
        client2.log_prediction(model="m", features={}, prediction=1)
        self.assertTrue(client2.flush(5))
        self.assertEqual(server.requests[0].path, "/vigil/v1/predictions")
        self.assertEqual(client.stats().requests, 0)

    def test_rejects_a_bad_configuration_at_construction(self) -> None:
        with self.assertRaises(ValueError):
            Vigil(api_key="", endpoint="http://127.0.0.1:1")
        with self.assertRaises(ValueError):
            Vigil(api_key="vgl_x", endpoint="127.0.0.1:4000")


if __name__ == "__main__":
    unittest.main()
