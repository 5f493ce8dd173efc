"""Sustained events/s from one Python process: one thread logs ``N`` predictions (10 features)
as fast as it can, the SDK's threads deliver them to the running API; the clock stops when
``flush()`` returns (every item acknowledged). Prints one JSON object.

    python3 bench/sdk-python/sustained.py URL API_KEY [N]
"""

import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "packages" / "sdk-python" / "src"))

from vigil import Vigil  # noqa: E402

url, key = sys.argv[1], sys.argv[2]
N = int(sys.argv[3]) if len(sys.argv) > 3 else 200_000
inputs = [
    {"amount": i * 0.5, "age": 18 + i % 60, "country": "DE", "device": "ios", "is_new": True, "score_a": 0.1, "score_b": 0.2, "items": i % 12, "channel": "web", "hour": i % 24}
    for i in range(1000)
]
client = Vigil(api_key=key, endpoint=url, max_queue_size=N, flush_at_exit=False)
started = time.perf_counter()
for i in range(N):
    client.log_prediction(model="bench", features=inputs[i % 1000], prediction=i % 2, scores=0.3)
logged = time.perf_counter()
client.flush()
done = time.perf_counter()
s = client.stats()
client.shutdown()
print(json.dumps({
    "events": N,
    "seconds": round(done - started, 3),
    "eventsPerSecond": round(N / (done - started)),
    "loggingSeconds": round(logged - started, 3),
    "accepted": s.accepted,
    "requests": s.requests,
    "retries": s.retries,
    "dropped": vars(s.dropped),
}))
