"""PDF of a stored document: LibreOffice's headless conversion of the ``.docx``.

Each conversion runs in a temporary folder with a private LibreOffice profile, in its own
process group, so a timeout stops all of LibreOffice and nothing is left beside the
stored documents. Storing the PDF as a version is ``operations.py``'s job.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from ethicsflow.models.errors import EthicsflowError, InvalidInput, option

PDF_TIMEOUT = 120.0
"""Seconds LibreOffice may take to convert one document."""


class PdfUnavailable(InvalidInput):
    """LibreOffice is not installed, so no PDF can be made."""


def soffice() -> str:
    """The LibreOffice executable, or :class:`PdfUnavailable`."""
    found = shutil.which("soffice")
    if not found:
        raise PdfUnavailable("pdf.no_libreoffice", docx=option("format", "docx"))
    return found


def convert_to_pdf(source: Path, executable: str, timeout: float = PDF_TIMEOUT) -> bytes:
    """The PDF of a ``.docx`` by headless LibreOffice, with a private profile (so it
    runs beside a user's open LibreOffice) in a temporary folder (so no lock file lands
    beside the stored documents)."""
    with tempfile.TemporaryDirectory(prefix="ethicsflow-pdf-") as work:
        root = Path(work)
        (root / "in").mkdir()
        copy = root / "in" / source.name
        shutil.copyfile(source, copy)
        command = [
            executable,
            "--headless",
            "--norestore",
            f"-env:UserInstallation={(root / 'profile').as_uri()}",
            "--convert-to",
            "pdf",
            "--outdir",
            str(root / "out"),
            str(copy),
        ]
        process = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,  # one process group: a timeout kills soffice.bin too
        )
        try:
            _, stderr = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            raise EthicsflowError(
                "pdf.timeout", file=source.name, seconds=f"{timeout:.0f}"
            ) from None
        pdf = root / "out" / f"{copy.stem}.pdf"
        if process.returncode != 0 or not pdf.is_file():
            detail = stderr.decode(errors="replace").strip().splitlines()[-1:] or ["no output"]
            raise EthicsflowError(
                "pdf.failed", file=source.name, status=process.returncode, detail=detail[0]
            )
        return pdf.read_bytes()
