"""Vectorised numpy port of the portable generators in shared/reference/prng.json.

mulberry32's k-th output depends only on (seed + k * 0x6D2B79F5) mod 2^32, so whole
samples are generated with uint32 array arithmetic; results are bit-identical to
packages/metrics/src/prng (checked by checksum in run.mjs).
"""
import hashlib

import numpy as np

GOLDEN = np.uint64(0x6D2B79F5)
MASK = np.uint64(0xFFFFFFFF)


def uniforms(seed: int, count: int) -> np.ndarray:
    k = np.arange(1, count + 1, dtype=np.uint64)
    a = ((np.uint64(seed) + k * GOLDEN) & MASK).astype(np.uint32)
    with np.errstate(over="ignore"):
        t = (a ^ (a >> np.uint32(15))) * (a | np.uint32(1))
        t = (t + (t ^ (t >> np.uint32(7))) * (t | np.uint32(61))) ^ t
        out = t ^ (t >> np.uint32(14))
    return out.astype(np.float64) / 4294967296.0


def _normal(seed: int, n: int) -> np.ndarray:
    # Irwin-Hall: 12 consecutive draws per value; the sum of multiples of 2^-32 is exact in any order.
    return uniforms(seed, 12 * n).reshape(n, 12).sum(axis=1) - 6.0


def generate(spec: dict, n: int) -> np.ndarray:
    dist = spec["dist"]
    if dist == "discrete" and any(isinstance(v, str) for v in spec["values"]):
        x = np.array(spec["values"], dtype=object)[_pick(spec, n)]
        if "missing" in spec:
            m = uniforms(spec["missing"]["seed"], n) < spec["missing"]["rate"]
            x[m] = None
        return x
    if dist == "normal":
        x = spec["mu"] + spec["sigma"] * _normal(spec["seed"], n)
    elif dist == "uniform":
        x = spec["a"] + (spec["b"] - spec["a"]) * uniforms(spec["seed"], n)
    elif dist == "exponential_approx":
        z = uniforms(spec["seed"], 24 * n).reshape(n, 2, 12).sum(axis=2) - 6.0
        x = spec["scale"] * ((z[:, 0] * z[:, 0] + z[:, 1] * z[:, 1]) / 2)
    elif dist == "pareto2":
        x = spec["xm"] / np.sqrt(1 - uniforms(spec["seed"], n))
    elif dist == "integer_uniform":
        x = spec["lo"] + np.floor(uniforms(spec["seed"], n) * (spec["hi"] - spec["lo"] + 1))
    elif dist == "discrete":
        x = np.array(spec["values"], dtype=np.float64)[_pick(spec, n)]
    else:
        raise ValueError(f"generator {dist} is not used by the benchmark")
    if "quantize" in spec:
        x = np.floor(x / spec["quantize"]) * spec["quantize"]
    if "missing" in spec:
        m = uniforms(spec["missing"]["seed"], n) < spec["missing"]["rate"]
        x = x.copy()
        x[m] = np.nan
    return x


def _pick(spec: dict, n: int) -> np.ndarray:
    cum = np.cumsum(np.array(spec["weights"], dtype=np.float64))
    u = uniforms(spec["seed"], n) * cum[-1]
    return np.searchsorted(cum, u, side="right")


def checksum(x: np.ndarray) -> str:
    if x.dtype == object:
        return hashlib.sha256("".join(f"{'' if v is None else v}\n" for v in x).encode()).hexdigest()
    y = x.astype("<f8").copy()
    y[np.isnan(y)] = np.nan
    return hashlib.sha256(y.tobytes()).hexdigest()
