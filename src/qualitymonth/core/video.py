"""What an uploaded video really is: its container by signature, and, when ffprobe is installed,
its duration, size and codec. A renamed .exe or text file never passes as a video."""

import json
import shutil
import subprocess
import tempfile
from dataclasses import dataclass

# QuickTime files written without an "ftyp" box start with one of these atoms.
_QUICKTIME_ATOMS = {b"moov", b"mdat", b"wide", b"free", b"skip"}
_QUICKTIME_BRANDS = {b"qt  "}
PLAYABLE_CODECS = {"h264", "hevc", "vp8", "vp9", "av1", "mpeg4"}


def container_kind(head: bytes) -> str | None:
    """ "mp4", "mov" or "webm" from the first 16 bytes, or None."""
    if head[4:8] == b"ftyp":
        return "mov" if head[8:12] in _QUICKTIME_BRANDS else "mp4"
    if head[:4] == b"\x1a\x45\xdf\xa3":
        return "webm"
    if head[4:8] in _QUICKTIME_ATOMS:
        return "mov"
    return None


def read_head(upload) -> bytes:
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    return head


@dataclass(frozen=True)
class Probe:
    duration: float | None
    width: int | None
    height: int | None
    codec: str


def ffprobe_available() -> bool:
    return shutil.which("ffprobe") is not None


def probe(upload) -> Probe | None:
    """Read the first video stream with ffprobe; None when ffprobe is not installed. Raises
    ValueError when ffprobe cannot read the file as a video."""
    binary = shutil.which("ffprobe")
    if binary is None:
        return None
    path = getattr(upload, "temporary_file_path", None)
    if path is not None:
        return _probe_path(binary, path())
    with tempfile.NamedTemporaryFile(suffix=".bin") as copy:
        upload.seek(0)
        for chunk in upload.chunks():
            copy.write(chunk)
        copy.flush()
        upload.seek(0)
        return _probe_path(binary, copy.name)


def _probe_path(binary: str, path: str) -> Probe:
    try:
        done = subprocess.run(
            [binary, "-v", "error", "-print_format", "json", "-show_format", "-show_streams", path],
            capture_output=True,
            timeout=30,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise ValueError("ffprobe timed out") from exc
    if done.returncode != 0:
        raise ValueError(done.stderr.decode(errors="replace")[:200])
    data = json.loads(done.stdout or b"{}")
    stream = next((s for s in data.get("streams", []) if s.get("codec_type") == "video"), None)
    if stream is None:
        raise ValueError("no video stream")
    duration = stream.get("duration") or data.get("format", {}).get("duration")
    return Probe(
        duration=float(duration) if duration else None,
        width=stream.get("width"),
        height=stream.get("height"),
        codec=stream.get("codec_name", ""),
    )
