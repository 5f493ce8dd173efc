"""The same estimation work as estimation-vigil.mjs, done with numpy/scipy.

CBPE: isotonic calibration (scipy.optimize.isotonic_regression over merged equal scores,
np.interp), expected confusion matrix, metrics, estimated ROC AUC with tied scores grouped,
sampling errors. PCA: mean/mode imputation, frequency encoding, standardisation, eigh of the
scatter matrix, >= 65 % explained variance, row errors, reference chunk thresholds.
Prints one JSON line.
"""
import json
import os
import resource
import sys
import time

import numpy as np
from scipy.optimize import isotonic_regression

sys.path.insert(0, os.path.dirname(__file__))
from prng import generate  # noqa: E402


def classifier(seed, n):
    y = generate({"dist": "discrete", "values": [0, 1], "weights": [6, 4], "seed": seed}, n)
    u = generate({"dist": "uniform", "a": 0, "b": 1, "seed": seed + 1}, n)
    scores = np.minimum(1.0, 0.3 * y + 0.7 * u)
    return y, scores, (scores >= 0.5).astype(np.float64)


def fit_isotonic(scores, y):
    x, inverse, counts = np.unique(scores, return_inverse=True, return_counts=True)
    means = np.bincount(inverse, weights=y) / counts
    return x, isotonic_regression(means, weights=counts.astype(np.float64)).x


def roc_auc(p, scores):
    order = np.argsort(-scores, kind="stable")
    s = scores[order]
    tps = np.cumsum(p[order])
    last = np.r_[np.diff(s) != 0, True]
    tps = tps[last]
    fps = (np.arange(1, len(s) + 1))[last] - tps
    tpr = np.r_[0, tps / tps[-1]]
    fpr = np.r_[0, fps / fps[-1]]
    return float(np.trapezoid(tpr, fpr))


def cbpe(ref, cur):
    y, s, yhat = ref
    x, fitted = fit_isotonic(s, y)
    acc_sd = np.std(y == yhat)
    obs = np.r_[np.ones(int(np.sum((y == 1) & (yhat == 1)))), np.zeros(int(np.sum(y != yhat)))]
    f1_sd, frac = np.std(obs), len(obs) / len(y)
    _, cs, cyhat = cur
    p = np.interp(cs, x, fitted)
    tp, fp = np.sum(cyhat * p), np.sum(cyhat * (1 - p))
    fn, tn = np.sum((1 - cyhat) * p), np.sum((1 - cyhat) * (1 - p))
    n = len(cs)
    return {
        "accuracy": float((tp + tn) / n),
        "f1": float(2 * tp / (2 * tp + fp + fn)),
        "precision": float(tp / (tp + fp)),
        "recall": float(tp / (tp + fn)),
        "rocAuc": roc_auc(p, cs),
        "accuracy_se": float(acc_sd / np.sqrt(n)),
        "f1_se": float(f1_sd / np.sqrt(n * frac)),
    }


def encode(columns, fit=None):
    out = []
    params = fit or []
    for j, col in enumerate(columns):
        if col.dtype == object:
            if fit is None:
                values, counts = np.unique(col[col != None], return_counts=True)  # noqa: E711
                mode = values[np.argmax(counts)]
                filled = np.where(col == None, mode, col)  # noqa: E711
                values, counts = np.unique(filled, return_counts=True)
                shares = dict(zip(values, counts / len(col)))
                params.append(("c", mode, shares))
            _, mode, shares = params[j]
            filled = np.where(col == None, mode, col)  # noqa: E711
            values, inverse = np.unique(filled, return_inverse=True)
            out.append(np.array([shares.get(v, 0.0) for v in values])[inverse])
        else:
            if fit is None:
                params.append(("n", np.nanmean(col), None))
            out.append(np.where(np.isnan(col), params[j][1], col))
    return np.column_stack(out), params


def pca(ref_cols, cur_cols, chunk):
    R, params = encode(ref_cols)
    mean, std = R.mean(axis=0), R.std(axis=0)
    std[std == 0] = 1
    Z = (R - mean) / std
    mu = Z.mean(axis=0)
    C = Z - mu
    values, vectors = np.linalg.eigh(C.T @ C)
    order = np.argsort(values)[::-1]
    ratio = values[order] / values.sum()
    k = int(np.searchsorted(np.cumsum(ratio), 0.65) + 1)
    V = vectors[:, order[:k]]

    def errors(X):
        D = (X - mean) / std - mu
        return np.linalg.norm(D - (D @ V) @ V.T, axis=1)

    e = errors(R)
    chunks = e[: len(e) // chunk * chunk].reshape(-1, chunk).mean(axis=1)
    lower, upper = max(0.0, chunks.mean() - 3 * chunks.std()), chunks.mean() + 3 * chunks.std()
    X, _ = encode(cur_cols, params)
    ce = errors(X)
    err = float(ce.mean())
    return {"components": k, "lower": float(lower), "upper": float(upper), "error": err, "samplingError": float(ce.std(ddof=1) / np.sqrt(len(ce)))}


def main():
    spec = json.load(open(os.path.join(os.path.dirname(__file__), "spec.json")))
    n = int(os.environ.get("BENCH_ROWS", spec["rows"]))
    repeats = int(os.environ.get("BENCH_REPEATS", "3"))
    ref, cur = classifier(901, n), classifier(1901, n)
    ref_cols = [generate(c["reference"], n) for c in spec["columns"]]
    cur_cols = [generate(c["current"], n) for c in spec["columns"]]
    runs, result = [], {}
    for _ in range(repeats):
        t0, c0 = time.perf_counter(), time.process_time()
        estimate = cbpe(ref, cur)
        t1, c1 = time.perf_counter(), time.process_time()
        drift = pca(ref_cols, cur_cols, n // 10)
        t2, c2 = time.perf_counter(), time.process_time()
        runs.append({"cbpe_ms": (t1 - t0) * 1000, "pca_ms": (t2 - t1) * 1000, "total_ms": (t2 - t0) * 1000,
                     "cpu_ms": {"cbpe": (c1 - c0) * 1000, "pca": (c2 - c1) * 1000, "total": (c2 - c0) * 1000}})
        result = {**estimate, **drift}
    print(json.dumps({"side": "numpy/scipy", "rows": n, "runs": runs, "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "result": result,
                      "versions": {"numpy": np.__version__, "scipy": __import__("scipy").__version__}}))


if __name__ == "__main__":
    main()
