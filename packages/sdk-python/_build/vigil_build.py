"""A PEP 517 build backend in the standard library alone.

The package has no build dependencies, so ``pip install --no-index --no-build-isolation`` works
on any Python >= 3.9 with pip, including ones without setuptools or wheel. It builds a pure-Python
wheel of ``src/vigil``, an sdist, and (PEP 660) an editable wheel that points at ``src``. The
metadata comes from pyproject.toml's ``[project]`` table.
"""

from __future__ import annotations

import base64
import hashlib
import io
import os
import re
import tarfile
import zipfile
from pathlib import Path
from typing import Dict, List, Optional, Tuple

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "src" / "vigil"


def project() -> Dict[str, str]:
    """The ``key = "value"`` entries of pyproject.toml's [project] table (what the wheel needs)."""
    text = (ROOT / "pyproject.toml").read_text("utf-8")
    section = re.search(r"^\[project\]\s*$(.*?)(?=^\[|\Z)", text, re.M | re.S)
    if section is None:
        raise RuntimeError("pyproject.toml has no [project] table")
    return dict(re.findall(r'^([A-Za-z-]+)\s*=\s*"([^"]*)"\s*$', section.group(1), re.M))


def _dist(meta: Dict[str, str]) -> str:
    return f"{re.sub(r'[-_.]+', '_', meta['name']).lower()}-{meta['version']}"


def _metadata(meta: Dict[str, str]) -> str:
    lines = [
        "Metadata-Version: 2.1",
        f"Name: {meta['name']}",
        f"Version: {meta['version']}",
        f"Summary: {meta.get('description', '')}",
        f"Requires-Python: {meta.get('requires-python', '>=3.9')}",
        "Classifier: Typing :: Typed",
        "Description-Content-Type: text/markdown",
    ]
    readme = ROOT / "README.md"
    return "\n".join(lines) + "\n\n" + (readme.read_text("utf-8") if readme.exists() else "")


def _wheel_files(meta: Dict[str, str], files: List[Tuple[str, bytes]]) -> List[Tuple[str, bytes]]:
    info = f"{_dist(meta)}.dist-info"
    files = files + [
        (f"{info}/METADATA", _metadata(meta).encode("utf-8")),
        (f"{info}/WHEEL", b"Wheel-Version: 1.0\nGenerator: vigil_build\nRoot-Is-Purelib: true\nTag: py3-none-any\n"),
    ]
    record = []
    for name, data in files:
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
        record.append(f"{name},sha256={digest},{len(data)}")
    record.append(f"{info}/RECORD,,")
    return files + [(f"{info}/RECORD", ("\n".join(record) + "\n").encode())]


def _write_wheel(directory: str, files: List[Tuple[str, bytes]], meta: Dict[str, str]) -> str:
    name = f"{_dist(meta)}-py3-none-any.whl"
    with zipfile.ZipFile(os.path.join(directory, name), "w", zipfile.ZIP_DEFLATED) as whl:
        for path, data in _wheel_files(meta, files):
            info = zipfile.ZipInfo(path, date_time=(1980, 1, 1, 0, 0, 0))
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            whl.writestr(info, data)
    return name


def _package_files() -> List[Tuple[str, bytes]]:
    out = []
    for path in sorted(SOURCE.rglob("*")):
        if path.is_file() and (path.suffix in (".py", ".pyi") or path.name == "py.typed"):
            out.append((f"vigil/{path.relative_to(SOURCE).as_posix()}", path.read_bytes()))
    return out


def get_requires_for_build_wheel(config_settings: Optional[dict] = None) -> List[str]:
    return []


get_requires_for_build_sdist = get_requires_for_build_wheel
get_requires_for_build_editable = get_requires_for_build_wheel


def build_wheel(wheel_directory: str, config_settings: Optional[dict] = None, metadata_directory: Optional[str] = None) -> str:
    meta = project()
    return _write_wheel(wheel_directory, _package_files(), meta)


def build_editable(wheel_directory: str, config_settings: Optional[dict] = None, metadata_directory: Optional[str] = None) -> str:
    meta = project()
    return _write_wheel(wheel_directory, [(f"{_dist(meta)}.pth", (str(ROOT / "src") + "\n").encode())], meta)


def build_sdist(sdist_directory: str, config_settings: Optional[dict] = None) -> str:
    meta = project()
    base = _dist(meta)
    name = f"{base}.tar.gz"
    paths = [ROOT / "pyproject.toml", ROOT / "README.md", Path(__file__)] + [p for p in sorted(SOURCE.rglob("*")) if p.is_file() and "__pycache__" not in p.parts]
    with tarfile.open(os.path.join(sdist_directory, name), "w:gz", format=tarfile.PAX_FORMAT) as tar:
        for path in paths:
            data = path.read_bytes()
            info = tarfile.TarInfo(f"{base}/{path.relative_to(ROOT).as_posix()}")
            info.size = len(data)
            info.mode = 0o644
            tar.addfile(info, io.BytesIO(data))
        pkg_info = _metadata(meta).encode("utf-8")
        info = tarfile.TarInfo(f"{base}/PKG-INFO")
        info.size = len(pkg_info)
        info.mode = 0o644
        tar.addfile(info, io.BytesIO(pkg_info))
    return name
