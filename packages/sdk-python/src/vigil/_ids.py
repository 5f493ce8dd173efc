"""Time-ordered ids (UUIDv7, RFC 9562) for predictions logged without an id."""

from __future__ import annotations

import itertools
import os
import random
import time

__all__ = ["uuid7"]

_rng = random.Random()  # seeded from the OS
# (millisecond, "tttttttt-tttt-7aaa-"): the time and 12 random bits, drawn once per millisecond;
# replaced as one value so threads never see a torn pair.
_cache = (-1, "")
# The last 62 bits: a random start, then a counter (RFC 9562 §6.2, method 2). Ids of one process
# are unique and ordered without drawing random bits per call, and next() is atomic.
_counter = itertools.count(_rng.getrandbits(61))


def _reseed() -> None:
    """In a forked child (gunicorn, multiprocessing): fresh random bits, so no two processes
    forked from one parent make the same ids."""
    global _cache, _counter
    _rng.seed()
    _cache = (-1, "")
    _counter = itertools.count(_rng.getrandbits(61))


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_reseed)


def uuid7(now_ms: int | None = None) -> str:
    """A UUIDv7: 48 bits of Unix milliseconds, the version, 12 random bits, the variant, and 62
    bits that start at random and count up.

    Ids that grow with time are appended to the end of Vigil's deduplication index instead of
    landing all over it (see the TypeScript SDK's ``uuidv7``).
    """
    global _cache
    ms = time.time_ns() // 1_000_000 if now_ms is None else now_ms
    cached_ms, prefix = _cache
    if ms != cached_ms:
        t = "%012x" % max(0, min(ms, 0xFFFF_FFFF_FFFF))
        prefix = "%s-%s-7%03x-" % (t[:8], t[8:], _rng.getrandbits(12))
        _cache = (ms, prefix)
    n = next(_counter)
    # The variant (binary 10) and the counter's top 14 bits, then its low 48 bits.
    return "%s%04x-%012x" % (prefix, 0x8000 | ((n >> 48) & 0x3FFF), n & 0xFFFF_FFFF_FFFF)
