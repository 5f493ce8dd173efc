"""The SDK against the real running API and database (started by tests/api_harness.mjs):
events arrive exactly once, also when the API is killed mid-stream and comes back seconds later."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
import unittest
from typing import Any, List, Optional

from support import PACKAGE, Harness, features, wait_until

from vigil import DeliveryError, Rejection, Vigil

harness: Optional[Harness] = None
api: dict = {}


def setUpModule() -> None:
    global harness
    harness = Harness()
    api.update(harness.start_api())


def tearDownModule() -> None:
    if harness is not None:
        harness.close()


def h() -> Harness:
    assert harness is not None
    return harness


class AgainstTheApi(unittest.TestCase):
    def client(self, api_key: str, endpoint: Optional[str] = None, **kwargs: Any) -> Vigil:
        client = Vigil(api_key=api_key, endpoint=endpoint or api["url"], flush_at_exit=False, **kwargs)
        self.addCleanup(client.shutdown, 5)
        return client

    def assert_stored_once(self, project_id: str, n: int) -> None:
        counts = h().count(project_id)
        self.assertEqual(counts["events"], n)
        self.assertEqual(counts["distinctIds"], n)

    def test_delivers_predictions_and_labels_in_batches(self) -> None:
        t = h().tenant()
        client = self.client(t["apiKey"], batch_size=200)
        for i in range(1_000):
            client.log_prediction(model="fraud", features=features(i), prediction=i % 2, scores=0.3, id=f"s-{i}", tags={"region": "eu"})
        for i in range(100):
            client.log_label(prediction_id=f"s-{i}", label=i % 2)
        self.assertTrue(client.flush(60))
        s = client.stats()
        self.assertEqual(s.accepted, 1_100)
        self.assertEqual((s.dropped.invalid, s.dropped.queue_full, s.dropped.rejected, s.dropped.failed), (0, 0, 0, 0))
        self.assertGreaterEqual(s.requests, 6)
        self.assert_stored_once(t["projectId"], 1_000)
        self.assertEqual(h().count(t["projectId"])["labelled"], 100)

    def test_sends_the_same_items_twice_and_the_server_counts_them_once(self) -> None:
        t = h().tenant()
        client = self.client(t["apiKey"])
        for _ in range(2):
            for i in range(50):
                client.log_prediction(model="fraud", features=features(i), prediction=1, id=f"d-{i}", timestamp=1_000 * i + int(time.time() * 1000) - 60_000)
            self.assertTrue(client.flush(30))
        s = client.stats()
        self.assertEqual((s.accepted, s.duplicates), (50, 50))
        self.assert_stored_once(t["projectId"], 50)

    def test_counts_items_the_server_rejects_and_reports_them_through_the_callback(self) -> None:
        t = h().tenant()
        rejected: List[Rejection] = []
        client = self.client(t["apiKey"], on_rejected=rejected.extend)
        client.log_prediction(model="fraud", features=features(1), prediction=1, id="ok-1")
        client.log_prediction(model="fraud", features={"nested": {"x": 1}}, prediction=1, id="bad-1")  # passes the cheap check
        self.assertTrue(client.flush(30))
        s = client.stats()
        self.assertEqual((s.accepted, s.dropped.rejected, s.retries), (1, 1, 0))
        self.assertEqual([(r.kind, r.id, r.index) for r in rejected], [("predictions", "bad-1", 1)])
        self.assertTrue(any(e["path"].startswith("features") for e in rejected[0].errors), rejected[0].errors)
        self.assert_stored_once(t["projectId"], 1)

    def test_gives_up_a_batch_refused_for_good(self) -> None:
        errors: List[DeliveryError] = []
        client = self.client("vgl_abcdefgh_" + "x" * 32, on_error=errors.append)
        client.log_prediction(model="fraud", features=features(1), prediction=1)
        self.assertTrue(client.flush(30))
        self.assertEqual((client.stats().dropped.failed, client.stats().retries), (1, 0))
        self.assertEqual(errors[0].status, 401)

    def test_honours_retry_after_from_a_429(self) -> None:
        t = h().tenant()
        limited = h().start_api(env={"RATE_LIMIT_PER_SECOND": "0.5", "RATE_LIMIT_BURST": "1"})
        self.addCleanup(h().stop_api, limited["port"])
        client = self.client(t["apiKey"], limited["url"], batch_size=10, concurrency=1, initial_backoff=0.01)
        for i in range(20):
            client.log_prediction(model="fraud", features=features(i), prediction=1, id=f"ra-{i}")
        started = time.monotonic()
        self.assertTrue(client.flush(30))
        # The second request is throttled: Retry-After says 2 s (one token per 2 s), not 10 ms.
        self.assertGreaterEqual(time.monotonic() - started, 1.9)
        self.assertEqual(client.stats().accepted, 20)
        self.assertGreaterEqual(client.stats().retries, 1)
        self.assert_stored_once(t["projectId"], 20)


class ApiOutage(unittest.TestCase):
    def test_api_killed_mid_stream_and_restarted_seconds_later_loses_and_doubles_nothing(self) -> None:
        t = h().tenant()
        own = h().start_api()
        port = own["port"]
        client = Vigil(api_key=t["apiKey"], endpoint=own["url"], batch_size=100, concurrency=4, initial_backoff=0.1, max_backoff=0.4, flush_at_exit=False)
        total = 6_000
        logged = threading.Event()

        def stream() -> None:  # a model service logging steadily, before, during and after the outage
            for i in range(total):
                client.log_prediction(model="fraud", features=features(i), prediction=i % 2, id=f"k-{i}")
                if i % 100 == 99:
                    time.sleep(0.02)
            logged.set()

        producer = threading.Thread(target=stream)
        producer.start()
        try:
            # Kill it while batches are in flight: some commit without their answer reaching the SDK.
            wait_until(lambda: client.stats().accepted > 500, timeout=60, interval=0.005)
            h().stop_api(port, "SIGKILL")
            down_at = time.monotonic()
            stored_during_outage = h().count(t["projectId"])["events"]
            time.sleep(3)
            self.assertGreater(client.stats().retries, 0)
            self.assertEqual(h().count(t["projectId"])["events"], stored_during_outage)
            h().start_api(port=port)
            self.assertGreater(time.monotonic() - down_at, 3)
            producer.join(120)
            self.assertTrue(logged.is_set())
            self.assertTrue(client.flush(120))
            s = client.stats()
            self.assertEqual((s.dropped.invalid, s.dropped.queue_full, s.dropped.rejected, s.dropped.failed), (0, 0, 0, 0))
            self.assertEqual(s.accepted + s.duplicates, total)
            counts = h().count(t["projectId"])
            self.assertEqual((counts["events"], counts["distinctIds"]), (total, total))
        finally:
            producer.join(120)
            client.shutdown(5)
            h().stop_api(port)

    def test_waits_for_an_api_that_is_not_up_yet(self) -> None:
        t = h().tenant()
        port = h().free_port()
        client = Vigil(api_key=t["apiKey"], endpoint=f"http://127.0.0.1:{port}", batch_size=250, initial_backoff=0.1, max_backoff=0.5, flush_at_exit=False)
        try:
            for i in range(1_000):
                client.log_prediction(model="fraud", features=features(i), prediction=1, id=f"w-{i}")
            wait_until(lambda: client.stats().retries >= 4, timeout=30)
            self.assertEqual(h().count(t["projectId"])["events"], 0)
            h().start_api(port=port)
            self.assertTrue(client.flush(60))
            s = client.stats()
            self.assertEqual((s.accepted + s.duplicates, s.dropped.failed), (1_000, 0))
            counts = h().count(t["projectId"])
            self.assertEqual((counts["events"], counts["distinctIds"]), (1_000, 1_000))
        finally:
            client.shutdown(5)
            h().stop_api(port)


class ProcessExit(unittest.TestCase):
    def test_what_is_queued_is_delivered_when_the_process_ends(self) -> None:
        t = h().tenant()
        script = (
            "import sys\n"
            "from vigil import Vigil\n"
            "v = Vigil(api_key=sys.argv[1], endpoint=sys.argv[2], flush_interval=60)\n"
            "for i in range(300): v.log_prediction(model='fraud', features={'i': i}, prediction=1, id=f'exit-{i}')\n"
        )
        env = dict(os.environ)
        if env.get("VIGIL_SDK_INSTALLED") != "1":
            env["PYTHONPATH"] = os.pathsep.join(p for p in (str(PACKAGE / "src"), env.get("PYTHONPATH")) if p)
        done = subprocess.run([sys.executable, "-c", script, t["apiKey"], api["url"]], env=env, timeout=60)
        self.assertEqual(done.returncode, 0)
        counts = h().count(t["projectId"])
        self.assertEqual((counts["events"], counts["distinctIds"]), (300, 300))


if __name__ == "__main__":
    unittest.main()
