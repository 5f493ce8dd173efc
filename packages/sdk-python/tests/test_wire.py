"""The shared wire fixture (packages/contracts/fixtures/sdk-wire.json): the Python SDK sends the
same requests as the TypeScript SDK (packages/sdk/src/wire.test.ts checks the same file)."""

from __future__ import annotations

import json
import re
import unittest
from typing import Any

from support import REPO, CaptureServer

from vigil import Vigil

FIXTURE = json.loads((REPO / "packages" / "contracts" / "fixtures" / "sdk-wire.json").read_text("utf-8"))


def snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def js_json(value: Any) -> str:
    """JSON as JavaScript's JSON.stringify writes it (integral floats without ".0")."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dict):
        return "{" + ",".join(f"{json.dumps(k, ensure_ascii=False)}:{js_json(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ",".join(js_json(v) for v in value) + "]"
    return json.dumps(value, ensure_ascii=False)


class WireFormat(unittest.TestCase):
    @classmethod
    def setUpClass(cls) -> None:
        cls.server = CaptureServer()

    @classmethod
    def tearDownClass(cls) -> None:
        cls.server.close()

    def test_fixture_has_cases(self) -> None:
        self.assertGreaterEqual(len(FIXTURE["cases"]), 5)

    def test_cases(self) -> None:
        for case in FIXTURE["cases"]:
            with self.subTest(case["name"]):
                self.server.requests.clear()
                options = {snake(k): v for k, v in case["options"].items()}
                client = Vigil(api_key=FIXTURE["apiKey"], endpoint=self.server.url, concurrency=1, flush_interval=60, flush_at_exit=False, **options)
                for call in case["calls"]:
                    (method, args), = call.items()
                    getattr(client, snake(method))(**{snake(k): v for k, v in args.items()})
                self.assertTrue(client.flush(10))
                client.shutdown()
                self.assertEqual(client.stats().dropped.invalid, case.get("invalid", 0))
                got = self.server.requests
                self.assertEqual([r.path for r in got], [r["path"] for r in case["requests"]])
                for req, expected in zip(got, case["requests"]):
                    self.assertEqual(req.headers["content-type"], "application/json")
                    self.assertEqual(req.headers["authorization"], f"Bearer {FIXTURE['apiKey']}")
                    self.assertEqual(req.headers.get("content-encoding"), "gzip" if expected["gzip"] else None)
                    # The same JSON text as JSON.stringify of the fixture's body, key order included.
                    self.assertEqual(js_json(req.body), js_json(expected["body"]))
                    self.assertEqual(req.body, expected["body"])


if __name__ == "__main__":
    unittest.main()
