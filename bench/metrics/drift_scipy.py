"""The same per-column drift work as `buildReport`, done with numpy/scipy/pandas.

For each of the 25 columns: the default test (1M reference rows: normed Wasserstein for
numerical columns with > 5 unique values, else Jensen-Shannon), PSI / Jensen-Shannon /
Hellinger on the report binning (Sturges over reference and current when the reference has
> 20 distinct values, else one bin per value; Evidently's zero-bin smoothing for PSI), the
normed Wasserstein distance, and current data quality (missing share, distinct, min, max,
mean, std, out-of-range / new-category share); categories counted with numpy.unique. One process, one column after another, as a
user would run scipy. Prints one JSON line: timings, peak RSS, checksums and results.
"""
import json
import os
import resource
import sys
import time

import numpy as np
from scipy.spatial.distance import jensenshannon
from scipy.stats import wasserstein_distance

sys.path.insert(0, os.path.dirname(__file__))
from prng import checksum, generate  # noqa: E402


def smooth(p):
    nz = p[p > 0]
    fill = nz.min() / 1e6 if nz.size and nz.min() <= 1e-4 else 1e-4
    return np.where(p == 0, fill, p)


def divergences(p, q):
    ps, qs = smooth(p), smooth(q)
    return {
        "psi": float(np.sum((qs - ps) * np.log(qs / ps))),
        "jensenShannon": float(jensenshannon(p, q)),
        "hellinger": float(np.sqrt(max(0.0, 1 - np.sum(np.sqrt(p * q))))),
    }


def numerical(ref, cur):
    r = ref[~np.isnan(ref)]
    c = cur[~np.isnan(cur)]
    pooled = np.concatenate([r, c])
    unique = np.unique(pooled).size
    if np.unique(r).size > 20:
        edges = np.histogram_bin_edges(pooled, bins="sturges")
        pr = np.histogram(r, edges)[0]
        pc = np.histogram(c, edges)[0]
    else:
        values = np.unique(pooled)
        pr = np.searchsorted(np.sort(r), values, side="right") - np.searchsorted(np.sort(r), values, side="left")
        pc = np.searchsorted(np.sort(c), values, side="right") - np.searchsorted(np.sort(c), values, side="left")
    p = pr / pr.sum()
    q = pc / pc.sum()
    out = divergences(p, q)
    out["wassersteinNormed"] = float(wasserstein_distance(r, c) / max(np.std(r), 0.001))
    test = "wasserstein" if unique > 5 else "jensenshannon"
    out["test"] = test
    out["score"] = out["wassersteinNormed"] if test == "wasserstein" else out["jensenShannon"]
    out["quality"] = {
        "missingShare": float(1 - c.size / cur.size),
        "distinct": int(np.unique(c).size),
        "min": float(c.min()),
        "max": float(c.max()),
        "mean": float(c.mean()),
        "std": float(c.std(ddof=1)),
        "outOfRangeShare": float(np.mean((c < r.min()) | (c > r.max()))),
    }
    return out


def categorical(ref, cur):
    kr, nr = np.unique(ref[ref != None], return_counts=True)  # noqa: E711 (elementwise)
    kc, nc = np.unique(cur[cur != None], return_counts=True)  # noqa: E711
    cats = np.union1d(kr, kc)
    pr = np.zeros(cats.size)
    pc = np.zeros(cats.size)
    pr[np.searchsorted(cats, kr)] = nr
    pc[np.searchsorted(cats, kc)] = nc
    p = pr / pr.sum()
    q = pc / pc.sum()
    out = divergences(p, q)
    out["wassersteinNormed"] = None
    out["test"] = "jensenshannon"
    out["score"] = out["jensenShannon"]
    out["quality"] = {
        "missingShare": float(1 - pc.sum() / len(cur)),
        "distinct": int((pc > 0).sum()),
        "newCategoryShare": float(pc[pr == 0].sum() / pc.sum()),
    }
    return out


def main():
    spec = json.load(open(os.path.join(os.path.dirname(__file__), "spec.json")))
    n = int(os.environ.get("BENCH_ROWS", spec["rows"]))
    repeats = int(os.environ.get("BENCH_REPEATS", "3"))
    only = os.environ.get("BENCH_ONLY")  # 'numerical' | 'categorical' | None
    columns = [c for c in spec["columns"] if not only or (only == "numerical") == c["name"].startswith("n")]
    data = {c["name"]: (generate(c["reference"], n), generate(c["current"], n)) for c in columns}
    checksums = {name: [checksum(r), checksum(c)] for name, (r, c) in data.items()}
    runs = []
    cpu = []
    results = {}
    for _ in range(repeats):
        t0, c0 = time.perf_counter(), time.process_time()
        results = {name: (categorical(r, c) if r.dtype == object else numerical(r, c)) for name, (r, c) in data.items()}
        runs.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
    drifted = sum(1 for r in results.values() if r["score"] >= 0.1)
    print(
        json.dumps(
            {
                "side": "numpy/scipy",
                "rows": n,
                "runs_ms": runs,
                "cpu_ms": cpu,
                "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                "checksums": checksums,
                "results": results,
                "drifted": drifted,
                "versions": {"python": sys.version.split()[0], "numpy": np.__version__, "scipy": __import__("scipy").__version__},
            }
        )
    )


if __name__ == "__main__":
    main()
