"""Protection against formula injection in files that spreadsheet programs open.

A cell whose text begins with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage return,
which some programs strip first) is read by Excel and LibreOffice as a formula, so a label
in the graph such as ``=HYPERLINK("http://evil", "click")`` would run when the CSV is
opened. Such text gets a leading apostrophe, which makes the program show it as text
(OWASP's advice for CSV injection). Numbers (``-5``, ``+3.2``) are left alone.
"""

from __future__ import annotations

import re

_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?")


def protect(text: str) -> str:
    """``text`` as a spreadsheet shows it as text, never as a formula."""
    if text.startswith(_TRIGGERS) and not _NUMBER.fullmatch(text):
        return "'" + text
    return text
