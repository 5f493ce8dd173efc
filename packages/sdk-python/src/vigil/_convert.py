"""Cheap checks and conversions on the logging path, and the JSON encoding of batches.

Nothing here imports pandas or numpy: their objects are recognised by what they offer
(``item()`` for numpy scalars, ``to_dict()`` for pandas rows and frames, ``tolist()`` for arrays
and series), so the SDK works the same whether they are installed or not.
"""

from __future__ import annotations

import datetime as _dt
import json
import math
import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any, Callable, List, Optional, Tuple

# The ingestion contract's limits (packages/contracts, IngestLimits).
MAX_ITEMS_PER_REQUEST = 5_000
MAX_ID_LENGTH = 128
MAX_SLUG_LENGTH = 64

_SLUG = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*\Z").match
_EPOCH = _dt.datetime(1970, 1, 1, tzinfo=_dt.timezone.utc)


class Invalid(Exception):
    """An item that fails the cheap checks: it is dropped and counted, never sent."""


def check_model(model: object) -> str:
    if type(model) is str and len(model) <= MAX_SLUG_LENGTH and _SLUG(model):
        return model
    raise Invalid('model must be a slug of letters, digits, ".", "_" or "-"')


def check_id(value: object, field: str) -> str:
    if type(value) is str and 0 < len(value) <= MAX_ID_LENGTH:
        return value
    raise Invalid(f"{field} must be a string of 1..{MAX_ID_LENGTH} characters")


def check_version(value: object) -> str:
    if type(value) is str and value:
        return value
    raise Invalid("version must be a non-empty string")


def scalar(value: Any, field: str) -> Any:
    """A number, string or boolean as sent; numpy scalars become Python ones."""
    t = type(value)
    if t is str or t is bool or t is int:
        return value
    if t is float:
        if math.isfinite(value):
            return value
        raise Invalid(f"{field} must be a number, string or boolean")
    item: Any = getattr(value, "item", None)
    if item is not None and callable(item):
        try:
            value = item()
        except Exception:
            raise Invalid(f"{field} must be a number, string or boolean") from None
        if type(value) is not float and isinstance(value, (str, bool, int)):
            return value
        if isinstance(value, float) and math.isfinite(value):
            return float(value)
    elif isinstance(value, (str, bool, int)):
        return value
    elif isinstance(value, float) and math.isfinite(value):
        return float(value)
    raise Invalid(f"{field} must be a number, string or boolean")


def features_of(value: Any) -> dict:
    """A plain dict of features from a dict, any mapping, a pandas row or a one-row DataFrame."""
    if type(value) is dict:
        return value
    if isinstance(value, Mapping):
        return dict(value)
    to_dict: Any = getattr(value, "to_dict", None)
    if to_dict is not None:  # called inside the try: a non-callable to_dict is invalid input
        try:
            if hasattr(value, "columns"):  # a DataFrame: exactly one row
                rows: List[Any] = list(to_dict(orient="records"))
                if len(rows) != 1:
                    raise Invalid(f"features is a DataFrame of {len(rows)} rows: use log_predictions for several rows")
                out = rows[0]
            else:  # a Series: one row
                out = to_dict()
        except Invalid:
            raise
        except Exception:
            raise Invalid("features must be a mapping, a pandas row or a one-row DataFrame") from None
        if isinstance(out, dict):
            return out
    raise Invalid("features must be a mapping, a pandas row or a one-row DataFrame")


def scores_of(value: Any) -> Any:
    """A number, or a dict of class name to score (a mapping or a pandas row)."""
    if type(value) is dict:
        return value
    if isinstance(value, Mapping):
        return dict(value)
    if type(value) is float or type(value) is int:
        return value
    to_dict: Any = getattr(value, "to_dict", None)
    if to_dict is not None and callable(to_dict) and not hasattr(value, "columns"):
        try:
            out = to_dict()
        except Exception:
            out = None
        if isinstance(out, dict):
            return out
    try:
        out = scalar(value, "scores")
    except Invalid:
        out = None
    if type(out) is int or type(out) is float:
        return out
    raise Invalid("scores must be a number or a mapping of class to score")


def tags_of(value: Any) -> dict:
    if type(value) is dict:
        return value
    if isinstance(value, Mapping):
        return dict(value)
    raise Invalid("tags must be a mapping of strings")


def timestamp_of(value: Any) -> Any:
    """Epoch milliseconds (int) or an ISO-8601 string as sent; a datetime becomes epoch ms (naive = UTC)."""
    t = type(value)
    if t is int:
        if value >= 0:
            return value
    elif t is str:
        return value
    elif isinstance(value, _dt.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=_dt.timezone.utc)
        delta = value - _EPOCH
        return (delta.days * 86_400 + delta.seconds) * 1000 + delta.microseconds // 1000
    elif t is not bool and t is not float:
        item = getattr(value, "item", None)  # a numpy integer
        if item is not None and callable(item):
            try:
                v = item()
            except Exception:
                v = None
            if type(v) is int and v >= 0:
                return v
    raise Invalid("timestamp must be epoch milliseconds (int), an ISO-8601 string or a datetime")


def rows_of(value: Any, field: str) -> List[Any]:
    """A list from a sequence, a numpy array or pandas Series (``tolist``) or a DataFrame (records)."""
    if value is None:
        return []
    if type(value) is list:
        return value
    if hasattr(value, "columns") and callable(getattr(value, "to_dict", None)):
        return list(value.to_dict(orient="records"))
    tolist: Any = getattr(value, "tolist", None)
    if tolist is not None and callable(tolist):
        out = tolist()
        if isinstance(out, list):
            return out
    if isinstance(value, (str, bytes, Mapping)):
        raise Invalid(f"{field} must be a sequence")
    try:
        return list(value)
    except TypeError:
        raise Invalid(f"{field} must be a sequence") from None


def column_of(value: Any, field: str, n: int) -> List[Any]:
    """``rows_of`` for a column that must have one value per row."""
    out = rows_of(value, field)
    if len(out) != n:
        raise Invalid(f"{field} has {len(out)} values for {n} rows of features")
    return out


# --- encoding (background thread) ----------------------------------------------------------

_NA_TYPES = frozenset({"NAType", "NaTType"})


def _default(o: Any) -> Any:
    """JSON for what the encoder does not know: numpy scalars and arrays, pandas NA, dates."""
    if type(o).__name__ in _NA_TYPES:
        return None
    item = getattr(o, "item", None)
    if item is not None and callable(item) and not isinstance(o, Mapping):
        try:
            return item()
        except Exception:
            pass
    tolist = getattr(o, "tolist", None)
    if tolist is not None and callable(tolist):
        return tolist()
    if isinstance(o, (_dt.datetime, _dt.date)):
        return o.isoformat()
    if isinstance(o, Decimal):
        return float(o)
    if isinstance(o, Mapping):
        return dict(o)
    if isinstance(o, (set, frozenset, tuple)):
        return list(o)
    raise TypeError(f"{type(o).__name__} is not JSON serializable")


_fast = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False, allow_nan=False, default=_default).encode
_ascii = json.JSONEncoder(separators=(",", ":"), ensure_ascii=True, allow_nan=False, default=_default).encode


def _finite(o: Any) -> Any:
    """The value with NaN and infinities as None (JSON has neither; JavaScript sends null)."""
    if isinstance(o, float):
        return o if math.isfinite(o) else None
    if isinstance(o, dict):
        return {k: _finite(v) for k, v in o.items()}
    if isinstance(o, (list, tuple)):
        return [_finite(v) for v in o]
    d = _default(o) if not isinstance(o, (str, int)) and o is not None else o
    return o if d is o else _finite(d)


def _encode_item(item: dict) -> bytes:
    try:
        return _fast(item).encode("utf-8")
    except ValueError:  # NaN or infinity, or a lone surrogate
        clean = _finite(item)
        try:
            return _fast(clean).encode("utf-8")
        except UnicodeEncodeError:
            return _ascii(clean).encode("ascii")


def encode_batch(kind: str, items: List[dict], on_invalid: Callable[[int, str], None]) -> Tuple[bytes, List[dict]]:
    """The request body for ``items`` and the items it holds, in order.

    One call to the C encoder in the common case; when it fails, items are encoded one by one
    and an item that cannot be encoded at all is dropped (``on_invalid(index, reason)``).
    """
    try:
        return _fast({kind: items}).encode("utf-8"), items
    except (TypeError, ValueError, RecursionError):
        pass
    parts: List[bytes] = []
    kept: List[dict] = []
    for i, item in enumerate(items):
        try:
            parts.append(_encode_item(item))
            kept.append(item)
        except (TypeError, ValueError, RecursionError) as e:
            on_invalid(i, str(e))
    return b'{"' + kind.encode() + b'":[' + b",".join(parts) + b"]}", kept


def retry_after_seconds(value: Optional[str], now: Optional[_dt.datetime] = None) -> Optional[float]:
    """A ``Retry-After`` header in seconds: delta-seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    try:
        s = float(value)
        return s if math.isfinite(s) and s > 0 else None
    except ValueError:
        pass
    from email.utils import parsedate_to_datetime

    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=_dt.timezone.utc)
    s = (when - (now or _dt.datetime.now(_dt.timezone.utc))).total_seconds()
    return s if s > 0 else None
