"""Bytes to text: encoding detection that gets German right, and a clear refusal of binary data."""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

from .sources import InputError

_BOMS = [
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
]

# Single-byte Latin code pages that charset-normalizer proposes for short German text; German web text in a
# single-byte encoding is cp1252 (a superset of Latin-1 in practice), so any of these is read as cp1252.
_LATIN_FAMILY = ("cp125", "cp85", "cp437", "latin", "iso8859", "mac_", "cp1140", "cp500", "cp037", "kz1048", "ptcp")

# control characters other than whitespace, private use, surrogates, non-characters
_BAD_CHARS = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f\ue000-\uf8ff\ud800-\udfff\ufffe\uffff]")


def decode(data: bytes, declared: str | None = None) -> tuple[str, str]:
    """Return ``(text, encoding)``; raise ``InputError`` for empty or binary data.

    Order: byte-order mark, strict UTF-8, the encoding the document declares (HTML/XML), then charset-normalizer,
    whose Latin guesses are read as cp1252.
    """
    if not data.strip():
        raise InputError("empty input")
    for bom, enc in _BOMS:
        if data.startswith(bom):
            return _checked(_decode(data, enc), enc)
    if b"\x00" not in data:
        try:
            return _checked(data.decode("utf-8"), "utf-8")
        except UnicodeDecodeError:
            pass
        enc = _normalise_declared(declared) if declared else None
        if enc and enc != "utf-8":
            try:
                return _checked(data.decode(enc), enc)
            except (UnicodeDecodeError, LookupError):
                pass
        # Mixed encodings (UTF-8 text with a few cp1252 bytes pasted in): keep the UTF-8, repair the rest.
        mixed = data.decode("utf-8", errors=_MIXED)
        if _is_mostly_utf8(data):
            return _checked(mixed, "utf-8+cp1252")
    best = from_bytes(data[:200_000]).best()
    if best is None:
        raise InputError("binary data, not text" + (" (contains NUL bytes)" if b"\x00" in data else ""))
    enc = best.encoding
    if b"\x00" in data and not enc.startswith(("utf_16", "utf_32")):
        raise InputError("binary data, not text (contains NUL bytes)")
    if enc.startswith(_LATIN_FAMILY):
        enc = "cp1252"
    return _checked(_decode(data, enc), enc)


_MIXED = "pressespiegel-cp1252-fallback"
codecs.register_error(_MIXED, lambda e: (e.object[e.start:e.end].decode("cp1252", errors="replace"), e.end))


_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
_HIGH_BYTES = bytes(range(0x80, 0x100))


def _is_mostly_utf8(data: bytes) -> bool:
    """True when UTF-8 sequences outnumber stray high bytes: UTF-8 text with a few foreign bytes pasted in."""
    sequences = _UTF8_SEQUENCE.findall(data)
    high = len(data) - len(data.translate(None, _HIGH_BYTES))
    stray = high - sum(map(len, sequences))
    return bool(sequences) and stray <= len(sequences)


def _decode(data: bytes, enc: str) -> str:
    try:
        return data.decode(enc)
    except (UnicodeDecodeError, LookupError):
        if enc == "cp1252":  # five bytes are undefined in cp1252; Latin-1 maps them to C1 controls
            return data.decode("latin-1")
        raise InputError(f"cannot decode as {enc}") from None


def _normalise_declared(declared: str) -> str | None:
    try:
        name = codecs.lookup(declared.strip().lower()).name
    except LookupError:
        return None
    return "cp1252" if name in ("latin-1", "iso8859-1", "ascii") else name


def _checked(text: str, enc: str) -> tuple[str, str]:
    """Refuse text that is mostly control or unassigned characters: binary data that happened to decode."""
    text = text.lstrip("\ufeff")
    if not text.strip():
        raise InputError("empty input")
    sample = text[:100_000]
    if len(_BAD_CHARS.findall(sample)) > max(8, len(sample) // 50):
        raise InputError("binary data, not text (control characters)")
    if "\x00" in text:
        raise InputError("binary data, not text (contains NUL bytes)")
    return text, enc
