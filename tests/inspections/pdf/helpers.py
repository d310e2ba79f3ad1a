"""Poppler command-line helpers: what an independent reader of the PDF sees."""

from __future__ import annotations

import io
import subprocess
import tempfile
from pathlib import Path

from tests.tools import require_tool


def pdftotext(
    pdf: bytes, first: int | None = None, last: int | None = None, *, layout: bool = False
) -> str:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "doc.pdf"
        path.write_bytes(pdf)
        tool = require_tool("pdftotext")
        cmd = [tool, "-layout"] if layout else [tool]
        if first:
            cmd += ["-f", str(first)]
        if last:
            cmd += ["-l", str(last)]
        return subprocess.run(
            [*cmd, str(path), "-"], check=True, capture_output=True, text=True
        ).stdout


def xmp(pdf: bytes) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf))
    return reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode()


def output_intents(pdf: bytes) -> list:
    from pypdf import PdfReader

    root = PdfReader(io.BytesIO(pdf)).trailer["/Root"]
    return list(root.get("/OutputIntents", []))


def info_producer(pdf: bytes) -> str:
    from pypdf import PdfReader

    return str(PdfReader(io.BytesIO(pdf)).trailer["/Info"].get_object()["/Producer"])


def pdffonts(pdf: bytes) -> list[list[str]]:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "doc.pdf"
        path.write_bytes(pdf)
        out = subprocess.run(
            [require_tool("pdffonts"), str(path)], check=True, capture_output=True, text=True
        ).stdout
    return [line.split() for line in out.splitlines()[2:] if line.strip()]


def pdfsig(pdf: bytes, nssdir: Path | None = None) -> str:
    """pdfsig exits 0 even on a digest mismatch, so callers parse its output."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "doc.pdf"
        path.write_bytes(pdf)
        cmd = [require_tool("pdfsig")]
        if nssdir is not None:
            cmd += ["-nssdir", f"sql:{nssdir}"]
        result = subprocess.run([*cmd, str(path)], capture_output=True, text=True)
        return result.stdout + result.stderr


def nss_db_trusting(ca_pem: Path, directory: Path) -> Path:
    """An NSS database in which our CA is a trusted root, for `pdfsig -nssdir`."""
    certutil = require_tool("certutil")
    directory.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [certutil, "-N", "-d", f"sql:{directory}", "--empty-password"],
        check=True,
        capture_output=True,
    )
    subprocess.run(
        [certutil, "-A", "-d", f"sql:{directory}", "-n", "pccc-dev-ca", "-t", "CT,C,C",
         "-a", "-i", str(ca_pem)],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return directory
