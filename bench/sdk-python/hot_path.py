"""Microbench of the Python SDK's hot path: µs per ``log_prediction`` call with 10 features.

Delivery runs in the background to an endpoint that refuses connections, with a long backoff, so
it costs nothing during the timing; the queue holds 10,000 items and drops the oldest, as in
bench/ingest/log-prediction.mjs (the TypeScript SDK's microbench, run next to this one).
Prints one JSON object.
"""

import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "packages" / "sdk-python" / "src"))

from vigil import Vigil  # noqa: E402

N = int(sys.argv[1]) if len(sys.argv) > 1 else 300_000
# Items held before the oldest is dropped: 10,000 as in the TypeScript microbench; QUEUE=0 holds every call (no drops).
QUEUE = int(os.environ.get("QUEUE", "10000")) or 10 * N


def features(i):
    return {
        "amount": i * 0.5,
        "age": 18 + i % 60,
        "country": "DE",
        "device": "ios",
        "is_new": True,
        "score_a": 0.1,
        "score_b": 0.2,
        "items": i % 12,
        "channel": "web",
        "hour": i % 24,
    }


inputs = [features(i) for i in range(1000)]
client = Vigil(api_key="vgl_benchmark", endpoint="http://127.0.0.1:9", max_queue_size=QUEUE, batch_size=5_000, concurrency=1, flush_interval=3600, initial_backoff=60, max_backoff=60, flush_at_exit=False)
log = client.log_prediction


BLOCK = 20_000


def generated(n):
    t = time.perf_counter_ns()
    for i in range(n):
        log(model="bench", features=inputs[i % 1000], prediction=i % 2, scores=0.3)
    return (time.perf_counter_ns() - t) / 1000 / n


ids = [f"id-{i}" for i in range(1000)]


def given(n):
    t = time.perf_counter_ns()
    for i in range(n):
        log(model="bench", features=inputs[i % 1000], prediction=i % 2, scores=0.3, id=ids[i % 1000], timestamp=1_700_000_000_000 + i)
    return (time.perf_counter_ns() - t) / 1000 / n


def empty(n):
    """The same loop reading the input, without the SDK: how busy the CPU is."""
    sink = 0
    t = time.perf_counter_ns()
    for i in range(n):
        sink += inputs[i % 1000]["items"]
    return (time.perf_counter_ns() - t) / 1000 / n


def blocks(fn):
    """µs per call over blocks of 20,000 calls: the minimum (the cost when nothing else ran)
    and the median (what a busy machine gives)."""
    runs = sorted(fn(BLOCK) for _ in range(max(1, N // BLOCK)))
    return {"min": round(runs[0], 3), "median": round(runs[len(runs) // 2], 3)}


generated(BLOCK)  # warm-up; the first full batch is encoded and refused here
time.sleep(0.5)
result = {
    "calls": N,
    "python": sys.version.split()[0],
    "usPerCall": {"idAndTimestampGiven": blocks(given), "idAndTimestampGenerated": blocks(generated), "emptyLoop": blocks(empty)},
    "dropped": vars(client.stats().dropped),
}
client.shutdown(timeout=0)
print(json.dumps(result))
