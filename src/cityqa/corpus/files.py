"""Own reading a corpus file: a regular file inside the corpus folder, within the size limit, decoded to text."""
from __future__ import annotations

from pathlib import Path

from cityqa.errors import CityQAError


class UnreadableFile(CityQAError):
    """A file that cannot be ingested; the rest of the corpus still is."""


def links_outside(path: Path, root: Path) -> bool:
    """Tell whether a file found in the corpus folder is a link (or under one) to a place outside it."""
    import os

    inside = os.path.abspath(root)
    if os.path.commonpath([os.path.abspath(path), inside]) != inside:
        return False  # a file named outside the corpus on the command line: the user chose it
    real = os.path.realpath(root)
    return os.path.commonpath([os.path.realpath(path), real]) != real


def read_file(path: Path, max_mb: float) -> bytes:
    """Read a regular file within the size limit, or raise UnreadableFile saying why."""
    import errno
    import stat

    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            raise UnreadableFile("不是普通文件", "not a regular file")
        if info.st_size > max_mb * 1024 * 1024:
            raise UnreadableFile(f"文件超过 {max_mb:g} MB 上限", f"file is over the {max_mb:g} MB limit")
        with path.open("rb") as handle:
            data = handle.read(int(max_mb * 1024 * 1024) + 1)
    except UnreadableFile:
        raise
    except RuntimeError:  # pathlib reports a symlink loop this way on some versions
        raise UnreadableFile("符号链接循环", "symbolic link loop") from None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise UnreadableFile("符号链接循环", "symbolic link loop") from None
        reason = exc.strerror or "I/O error"
        raise UnreadableFile(f"无法读取文件（{reason}）", f"cannot read the file ({reason})") from None
    if len(data) > max_mb * 1024 * 1024:
        raise UnreadableFile(f"文件超过 {max_mb:g} MB 上限", f"file is over the {max_mb:g} MB limit")
    return data


def bom_encoding(data: bytes) -> str | None:
    """Name the UTF-16 or UTF-32 encoding a byte-order mark declares (their text is full of NUL bytes)."""
    import codecs

    marks = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF16_LE, "utf-16"),
             (codecs.BOM_UTF16_BE, "utf-16"))  # UTF-32's little-endian mark starts with UTF-16's: tried first
    return next((name for mark, name in marks if data.startswith(mark)), None)


def decode_text(data: bytes) -> str:
    """Decode UTF-8 or BOM-marked UTF-16/32, or detect GBK / Big5 and other legacy encodings."""
    if encoding := bom_encoding(data):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            raise UnreadableFile("无法识别文字编码", "cannot detect the text encoding") from None
        if "\x00" in text[:8192]:
            raise UnreadableFile("这是二进制文件，不是文本", "binary file, not text")
        return text
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=["gb18030", "big5", "utf_16", "cp1252", "latin_1"]).best()
    if best is None:
        raise UnreadableFile("无法识别文字编码", "cannot detect the text encoding")
    return str(best)
