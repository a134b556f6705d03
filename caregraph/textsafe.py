"""Text from the graph made safe for where it is shown: terminals and XML documents.

Labels and values are data written by strangers. A label holding ESC would run terminal
escape sequences, one holding CR or LF could forge extra report lines, and most control
characters cannot appear in an XML 1.0 document at all. Data formats that can carry any
character (CSV, JSON, the W3C JSON results) keep the text exact; text shown on a terminal
and text written into XML is cleaned here.
"""

from __future__ import annotations

import re

_TERMINAL_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_XML_INVALID = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def _picture(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x20:
        return chr(0x2400 + code)  # the Unicode control pictures: ␛ for ESC, ␊ for LF
    if code == 0x7F:
        return "\u2421"  # ␡
    return f"\\x{code:02x}"


def for_terminal(text: str) -> str:
    """``text`` with every control character shown as a visible symbol (ESC as ␛, LF as ␊)."""
    return _TERMINAL_UNSAFE.sub(_picture, text)


def for_xml(text: str) -> str:
    """``text`` with the characters XML 1.0 forbids replaced by U+FFFD."""
    return _XML_INVALID.sub("\ufffd", text)
