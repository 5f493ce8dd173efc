"""The Vigil client: log predictions and labels without slowing the model down."""

from __future__ import annotations

import atexit
import http.client
import json
import random
import threading
import time
import zlib
from collections import deque
from dataclasses import dataclass, field
from typing import Any, Callable, Deque, Dict, List, Optional, Sequence, Tuple
from urllib.parse import urlsplit

from . import _convert as c
from ._ids import uuid7

__all__ = ["Vigil", "VigilStats", "Dropped", "Rejection", "DeliveryError"]

_KINDS = ("predictions", "labels")
_SDK_VERSION = "0.1.0"


@dataclass(frozen=True)
class Dropped:
    """Items not delivered, by reason."""

    invalid: int = 0
    """Refused by the SDK's own checks (or not encodable as JSON)."""
    queue_full: int = 0
    """The oldest items, dropped to keep the queue bounded."""
    rejected: int = 0
    """Refused by the server item by item (a 207 answer)."""
    failed: int = 0
    """Batches given up: refused for good (400, 401, 403, 415), out of attempts, or at shutdown."""


@dataclass(frozen=True)
class VigilStats:
    """Counters since the client started (a snapshot)."""

    queued: int
    accepted: int
    duplicates: int
    dropped: Dropped
    retries: int
    requests: int
    last_error: Optional[str] = None


@dataclass(frozen=True)
class Rejection:
    """An item the server refused in a 207 answer; it is counted and not sent again."""

    kind: str
    """``"predictions"`` or ``"labels"``."""
    index: int
    id: Optional[str]
    errors: List[Dict[str, str]]
    """``[{"path": "features.age", "message": "..."}]`` as the server reported them."""
    item: Dict[str, Any] = field(repr=False)
    """The item as it was sent."""


class DeliveryError(Exception):
    """A batch that could not be delivered (passed to ``on_error``; never raised to the caller)."""

    def __init__(self, message: str, *, status: Optional[int] = None, items: int = 0) -> None:
        super().__init__(message)
        self.status = status
        self.items = items


class _Retry(Exception):
    def __init__(self, message: str, status: Optional[int] = None, retryable: bool = True, retry_after: Optional[float] = None) -> None:
        super().__init__(message)
        self.status = status
        self.retryable = retryable
        self.retry_after = retry_after


class Vigil:
    """Logs predictions and labels to Vigil from a background thread.

    ``log_prediction`` and ``log_label`` check the item cheaply, fill in ``id`` (a UUIDv7) and
    ``timestamp`` (now), and append it to a bounded in-memory queue: they never raise and never
    wait for the network. Background threads send batches of ``batch_size`` items (or what is
    queued after ``flush_interval`` seconds), gzip-compressed, and retry failures with
    exponential backoff and jitter, never sooner than the server's ``Retry-After``, re-sending
    the same ids and timestamps so the server counts a retried item once.
    """

    def __init__(
        self,
        api_key: str,
        endpoint: str,
        *,
        batch_size: int = 500,
        flush_interval: float = 1.0,
        max_queue_size: int = 100_000,
        concurrency: int = 2,
        max_attempts: Optional[int] = None,
        initial_backoff: float = 0.25,
        max_backoff: float = 30.0,
        request_timeout: float = 30.0,
        gzip: bool = True,
        flush_at_exit: bool = True,
        shutdown_timeout: float = 10.0,
        on_error: Optional[Callable[[DeliveryError], None]] = None,
        on_rejected: Optional[Callable[[List[Rejection]], None]] = None,
    ) -> None:
        if not isinstance(api_key, str) or not api_key:
            raise ValueError("api_key must be a project API key (vgl_…)")
        url = urlsplit(endpoint if isinstance(endpoint, str) else "")
        if url.scheme not in ("http", "https") or not url.hostname:
            raise ValueError(f"endpoint must be an http(s) URL, got {endpoint!r}")
        self._https = url.scheme == "https"
        self._host = url.hostname
        self._port = url.port
        base = url.path.rstrip("/")
        self._paths = {kind: f"{base}/v1/{kind}" for kind in _KINDS}
        self._headers = {
            "content-type": "application/json",
            "authorization": f"Bearer {api_key}",
            "user-agent": f"vigil-python/{_SDK_VERSION}",
        }
        self._batch_size = max(1, min(c.MAX_ITEMS_PER_REQUEST, int(batch_size)))
        self._interval = max(0.001, float(flush_interval))
        self._max_queue = max(1, int(max_queue_size))
        self._max_attempts = max_attempts
        self._initial_backoff = float(initial_backoff)
        self._max_backoff = float(max_backoff)
        self._timeout = float(request_timeout)
        self._gzip = gzip
        self._shutdown_timeout = shutdown_timeout
        self._on_error = on_error
        self._on_rejected = on_rejected

        self._lock = threading.Lock()
        self._cond = threading.Condition(self._lock)
        self._queues: Dict[str, Deque[Any]] = {kind: deque() for kind in _KINDS}
        self._predictions = self._queues["predictions"]
        self._labels = self._queues["labels"]
        self._inflight = 0
        self._flushing = 0
        self._closed = False
        self._abandoned = False
        self._stop = threading.Event()
        self._next_tick = {kind: time.monotonic() + self._interval for kind in _KINDS}
        self._models_ok: set = set()

        self._accepted = 0
        self._duplicates = 0
        self._invalid = 0
        self._queue_full = 0
        self._rejected = 0
        self._failed = 0
        self._retries = 0
        self._requests = 0
        self._last_error: Optional[str] = None

        self._threads = [
            threading.Thread(target=self._work, name=f"vigil-sender-{i}", daemon=True) for i in range(max(1, int(concurrency)))
        ]
        for t in self._threads:
            t.start()
        self._exit_hook: Optional[Callable[[], None]] = None
        if flush_at_exit:
            self._exit_hook = self._at_exit
            atexit.register(self._exit_hook)

    # --- the hot path ------------------------------------------------------------------------

    def log_prediction(
        self,
        model: str,
        features: Any,
        prediction: Any,
        scores: Any = None,
        id: Optional[str] = None,
        version: Optional[str] = None,
        timestamp: Any = None,
        tags: Any = None,
        label: Any = None,
    ) -> None:
        """Queues a prediction; fills in ``id`` (a UUIDv7) and ``timestamp`` (now) when missing.

        ``features`` is a dict (or any mapping, a pandas row, a one-row DataFrame) of scalar
        values; ``prediction`` a number, string or boolean (numpy scalars are fine); ``scores``
        a number or a mapping of class to score; ``timestamp`` epoch milliseconds, an ISO-8601
        string or a datetime (naive means UTC). Never raises: an item that fails the checks is
        dropped and counted (``stats().dropped.invalid``).
        """
        try:
            if model not in self._models_ok:
                c.check_model(model)
                if len(self._models_ok) < 1024:
                    self._models_ok.add(model)
            if type(features) is not dict:
                features = c.features_of(features)
            t = type(prediction)
            if t is not int and t is not str and t is not bool:
                prediction = c.scalar(prediction, "prediction")
            if timestamp is None:
                timestamp = time.time_ns() // 1_000_000
                if id is None:
                    id = uuid7(timestamp)
            elif type(timestamp) is not int or timestamp < 0:
                timestamp = c.timestamp_of(timestamp)
            if id is None:
                id = uuid7()
            elif type(id) is not str or not 0 < len(id) <= c.MAX_ID_LENGTH:
                c.check_id(id, "id")
            # A tuple (cheaper to build and to hold than a dict); the sender threads make the
            # request's objects (prediction_dict) in the TypeScript SDK's field order.
            item = (
                id,
                model,
                None if version is None else c.check_version(version),
                timestamp,
                features,
                prediction,
                None if scores is None else c.scores_of(scores),
                None if tags is None else c.tags_of(tags),
                None if label is None else c.scalar(label, "label"),
            )
        except Exception as e:  # never raise into the model's code
            self._count_invalid(str(e) if isinstance(e, c.Invalid) else f"{type(e).__name__}: {e}")
            return
        self._enqueue(self._predictions, item)

    def log_label(self, prediction_id: str, label: Any, timestamp: Any = None) -> None:
        """Queues a ground-truth label for the prediction with this id. Never raises."""
        try:
            if type(prediction_id) is not str or not 0 < len(prediction_id) <= c.MAX_ID_LENGTH:
                c.check_id(prediction_id, "prediction_id")
            item = {
                "predictionId": prediction_id,
                "label": c.scalar(label, "label"),
                "timestamp": time.time_ns() // 1_000_000 if timestamp is None else c.timestamp_of(timestamp),
            }
        except Exception as e:
            self._count_invalid(str(e) if isinstance(e, c.Invalid) else f"{type(e).__name__}: {e}")
            return
        self._enqueue(self._labels, item)

    def _enqueue(self, q: "deque[Any]", item: Any) -> None:
        """Appends to a bounded queue (dropping its oldest item when full) and wakes the sender on a full batch."""
        with self._lock:
            if self._closed:
                self._failed += 1
                return
            if len(q) >= self._max_queue:
                q.popleft()
                self._queue_full += 1
            q.append(item)
            if len(q) == self._batch_size:
                self._cond.notify()

    def log_predictions(
        self,
        model: str,
        features: Any,
        predictions: Any,
        scores: Any = None,
        ids: Any = None,
        version: Optional[str] = None,
        timestamp: Any = None,
        tags: Any = None,
        labels: Any = None,
    ) -> None:
        """Queues one prediction per row: ``features`` a DataFrame or a sequence of mappings,
        ``predictions`` (and ``scores``, ``ids``, ``labels`` when given) sequences, numpy arrays or
        Series of the same length. ``version``, ``timestamp`` and ``tags`` apply to every row.
        Never raises: rows that fail the checks are dropped and counted."""
        rows: List[Any] = []
        try:
            rows = c.rows_of(features, "features")
            n = len(rows)
            preds = c.column_of(predictions, "predictions", n)
            score_col = None if scores is None else c.column_of(scores, "scores", n)
            id_col = None if ids is None else c.column_of(ids, "ids", n)
            label_col = None if labels is None else c.column_of(labels, "labels", n)
        except Exception as e:
            self._count_invalid(str(e), max(1, len(rows)))
            return
        for k, row in enumerate(rows):
            self.log_prediction(
                model,
                row,
                preds[k],
                scores=None if score_col is None else score_col[k],
                id=None if id_col is None else id_col[k],
                version=version,
                timestamp=timestamp,
                tags=tags,
                label=None if label_col is None else label_col[k],
            )

    # --- control -----------------------------------------------------------------------------

    def flush(self, timeout: Optional[float] = None) -> bool:
        """Sends everything queued and waits until it is delivered or given up.

        Returns False when ``timeout`` (seconds) passed first. Items logged while it waits are
        waited for too.
        """
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._cond:
            self._flushing += 1
            self._cond.notify_all()
            try:
                while self._predictions or self._labels or self._inflight:
                    if self._abandoned:
                        return False
                    if deadline is None:
                        self._cond.wait(1.0)
                    else:
                        left = deadline - time.monotonic()
                        if left <= 0:
                            return False
                        self._cond.wait(left)
                return True
            finally:
                self._flushing -= 1

    def shutdown(self, timeout: Optional[float] = None) -> None:
        """Stops accepting items, flushes for up to ``timeout`` seconds (default
        ``shutdown_timeout``), and stops the background threads. What is still undelivered then
        is counted as failed."""
        with self._cond:
            if self._closed:
                return
            self._closed = True
            self._cond.notify_all()
        if self._exit_hook is not None:
            atexit.unregister(self._exit_hook)
            self._exit_hook = None
        timeout = self._shutdown_timeout if timeout is None else timeout
        if not self.flush(timeout):
            with self._cond:
                self._abandoned = True
                self._stop.set()
                left = len(self._predictions) + len(self._labels)
                self._predictions.clear()
                self._labels.clear()
                self._failed += left
                self._cond.notify_all()
        for t in self._threads:
            t.join(0.5)

    def stats(self) -> VigilStats:
        """Counters since the client started."""
        with self._lock:
            return VigilStats(
                queued=len(self._predictions) + len(self._labels),
                accepted=self._accepted,
                duplicates=self._duplicates,
                dropped=Dropped(self._invalid, self._queue_full, self._rejected, self._failed),
                retries=self._retries,
                requests=self._requests,
                last_error=self._last_error,
            )

    def __enter__(self) -> "Vigil":
        return self

    def __exit__(self, *exc: object) -> None:
        self.shutdown()

    def _at_exit(self) -> None:
        self._exit_hook = None
        self.shutdown()

    def _count_invalid(self, reason: str, count: int = 1) -> None:
        with self._lock:
            self._invalid += count
            self._last_error = f"invalid item dropped: {reason}"

    # --- the background threads --------------------------------------------------------------

    def _next_batch(self) -> Optional[Tuple[str, List[Any]]]:
        """Blocks until a batch is due (full, or partial after the interval, on flush or at
        shutdown) and takes it; None when the client is closed and drained, or abandoned."""
        with self._cond:
            while True:
                if self._abandoned:
                    return None
                now = time.monotonic()
                drain = self._flushing > 0 or self._closed
                for q, kind in ((self._predictions, "predictions"), (self._labels, "labels")):
                    due = now >= self._next_tick[kind]
                    if not q:
                        if due:  # the next item waits at most one interval
                            self._next_tick[kind] = now + self._interval
                        continue
                    if drain or due or len(q) >= self._batch_size:
                        if len(q) < self._batch_size:  # a partial batch: the next one an interval later
                            self._next_tick[kind] = now + self._interval
                        n = min(self._batch_size, len(q))
                        popleft = q.popleft
                        self._inflight += 1
                        batch = [popleft() for _ in range(n)]
                        if len(q) >= self._batch_size:
                            self._cond.notify()  # another full batch: wake another sender
                        return kind, batch
                if self._closed:
                    return None
                self._cond.wait(max(0.0, min(self._next_tick.values()) - now))

    def _work(self) -> None:
        conn = _Connection(self._https, self._host, self._port, self._timeout)
        try:
            while True:
                job = self._next_batch()
                if job is None:
                    return
                kind, batch = job
                try:
                    self._deliver(conn, kind, [prediction_dict(t) for t in batch] if kind == "predictions" else batch)
                except BaseException as e:  # a bug must cost this batch only, never the thread
                    self._give_up(len(batch), DeliveryError(f"unexpected error: {type(e).__name__}: {e}", items=len(batch)))
                finally:
                    with self._cond:
                        self._inflight -= 1
                        self._cond.notify_all()
        finally:
            conn.close()

    def _deliver(self, conn: "_Connection", kind: str, batch: List[dict]) -> None:
        body, items = c.encode_batch(kind, batch, lambda i, reason: self._count_invalid(f"not encodable as JSON: {reason}"))
        if not items:
            return
        headers = self._headers
        if self._gzip and len(body) > 1024:
            z = zlib.compressobj(6, zlib.DEFLATED, 31)  # gzip framing
            body = z.compress(body) + z.flush()
            headers = {**headers, "content-encoding": "gzip"}
        attempt = 0
        while True:
            attempt += 1
            try:
                status, answer, retry_after = conn.post(self._paths[kind], body, headers, self._count_request)
                if status == 200 or status == 207:
                    self._record(kind, items, answer)
                    return
                if status == 413 and len(items) > 1:  # too large for one request: send it as two
                    half = (len(items) + 1) // 2
                    self._deliver(conn, kind, items[:half])
                    self._deliver(conn, kind, items[half:])
                    return
                retryable = status == 408 or status == 429 or status >= 500
                raise _Retry(f"HTTP {status}: {answer[:200].decode('utf-8', 'replace')}", status, retryable, retry_after)
            except _Retry as e:
                err = e
            except (OSError, http.client.HTTPException, ValueError) as e:
                err = _Retry(f"request failed: {type(e).__name__}: {e}")
            if not err.retryable or (self._max_attempts is not None and attempt >= self._max_attempts) or self._abandoned:
                self._give_up(len(items), DeliveryError(str(err), status=err.status, items=len(items)))
                return
            with self._lock:
                self._retries += 1
                self._last_error = str(err)
            if self._stop.wait(self._backoff(attempt, err.retry_after)):
                self._give_up(len(items), DeliveryError(f"given up at shutdown: {err}", status=err.status, items=len(items)))
                return

    def _backoff(self, attempt: int, retry_after: Optional[float]) -> float:
        """Exponential backoff with jitter in [d/2, d]; the server's Retry-After is a lower bound."""
        d = min(self._max_backoff, self._initial_backoff * 2 ** (attempt - 1))
        return max(d / 2 + random.random() * d / 2, retry_after or 0.0)

    def _count_request(self) -> None:
        with self._lock:
            self._requests += 1

    def _record(self, kind: str, items: List[dict], answer: bytes) -> None:
        try:
            parsed = json.loads(answer)
            accepted = int(parsed["accepted"])
            duplicates = int(parsed["duplicates"])
            rejected = list(parsed["rejected"])
        except Exception as e:
            raise _Retry(f"unreadable answer: {e}") from None
        rejections = []
        for r in rejected:
            index = r.get("index") if isinstance(r, dict) else None
            if isinstance(index, int) and 0 <= index < len(items):
                rejections.append(Rejection(kind, index, r.get("id"), list(r.get("errors") or []), items[index]))
        with self._lock:
            self._accepted += accepted
            self._duplicates += duplicates
            self._rejected += len(rejected)
            if rejected:
                self._last_error = f"{len(rejected)} {kind} rejected by the server"
        if rejections and self._on_rejected is not None:
            try:
                self._on_rejected(rejections)
            except Exception:
                pass  # a failing callback must not break delivery

    def _give_up(self, count: int, err: DeliveryError) -> None:
        with self._lock:
            self._failed += count
            self._last_error = str(err)
        if self._on_error is not None:
            try:
                self._on_error(err)
            except Exception:
                pass


def prediction_dict(t: Tuple[Any, ...]) -> Dict[str, Any]:
    """A queued prediction as the request sends it: fields not given are left out."""
    id, model, version, timestamp, features, prediction, scores, tags, label = t
    d: Dict[str, Any] = {"id": id, "model": model}
    if version is not None:
        d["version"] = version
    d["timestamp"] = timestamp
    d["features"] = features
    d["prediction"] = prediction
    if scores is not None:
        d["scores"] = scores
    if tags is not None:
        d["tags"] = tags
    if label is not None:
        d["label"] = label
    return d


class _Connection:
    """One keep-alive HTTP connection per sender thread, reopened after any failure."""

    def __init__(self, https: bool, host: str, port: Optional[int], timeout: float) -> None:
        self._https = https
        self._host = host
        self._port = port
        self._timeout = timeout
        self._conn: Optional[http.client.HTTPConnection] = None

    def post(self, path: str, body: bytes, headers: Dict[str, str], on_request: Callable[[], None]) -> Tuple[int, bytes, Optional[float]]:
        # A kept-alive connection the server closed while idle fails at once: one fresh try.
        reused = self._conn is not None
        while True:
            if self._conn is None:
                cls = http.client.HTTPSConnection if self._https else http.client.HTTPConnection
                self._conn = cls(self._host, self._port, timeout=self._timeout)
            on_request()
            try:
                self._conn.request("POST", path, body, headers)
                res = self._conn.getresponse()
                data = res.read()
            except (ConnectionResetError, BrokenPipeError, http.client.RemoteDisconnected):
                self.close()
                if not reused:
                    raise
                reused = False
                continue
            except BaseException:
                self.close()
                raise
            if res.will_close:
                self.close()
            return res.status, data, c.retry_after_seconds(res.getheader("retry-after"))

    def close(self) -> None:
        if self._conn is not None:
            try:
                self._conn.close()
            finally:
                self._conn = None
