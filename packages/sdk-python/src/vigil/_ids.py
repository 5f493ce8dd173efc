"""Time-ordered ids (UUIDv7, RFC 9562) for predictions logged without an id."""

from __future__ import annotations

import os
import random
import time

__all__ = ["uuid7"]

# A private generator seeded from the OS; reseeded in a forked child so that worker processes
# forked from one parent (gunicorn, multiprocessing) never draw the same ids.
_rng = random.Random()
_bits = _rng.getrandbits
if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_rng.seed)

# (millisecond, its id prefix), replaced as one value so threads never see a torn pair.
_cache = (-1, "")


def uuid7(now_ms: int | None = None) -> str:
    """A UUIDv7: 48 bits of Unix milliseconds, the version, then 74 random bits.

    Ids that grow with time are appended to the end of Vigil's deduplication index instead of
    landing all over it (see the TypeScript SDK's ``uuidv7``); ids of the same millisecond are not
    ordered among themselves.
    """
    global _cache
    ms = time.time_ns() // 1_000_000 if now_ms is None else now_ms
    cached_ms, prefix = _cache
    if ms != cached_ms:
        t = "%012x" % max(0, min(ms, 0xFFFF_FFFF_FFFF))
        prefix = f"{t[:8]}-{t[8:]}-7"
        _cache = (ms, prefix)
    r = _bits(74)
    # 12 random bits, then the variant (binary 10) and 62 random bits.
    h = "%03x%016x" % (r >> 62, (r & 0x3FFF_FFFF_FFFF_FFFF) | 0x8000_0000_0000_0000)
    return f"{prefix}{h[:3]}-{h[3:7]}-{h[7:]}"
