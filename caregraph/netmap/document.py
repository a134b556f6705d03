"""The HTML document around the map and the gap matrix: inlined style, script and licence."""

from __future__ import annotations

import html
import json
from importlib import resources as importlib_resources

from caregraph.textsafe import for_xml

#: Forbid every request the page could make; inline script and style only.
CSP = (
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
    "img-src data:; font-src 'none'; connect-src 'none'; form-action 'none'; base-uri 'none'"
)


def h(text: str) -> str:
    """``text`` for HTML, SVG or XML: escaped, and without the characters XML forbids."""
    return html.escape(for_xml(text))


def asset(name: str) -> str:
    """The text of a file shipped in ``caregraph/netmap`` (style, script, vendored library)."""
    return (importlib_resources.files("caregraph.netmap") / name).read_text(encoding="utf-8")


def vendored_library() -> dict[str, str]:
    """What is vendored: package, version, licence name and the licence text."""
    record = json.loads(asset("vendor/cytoscape.json"))
    record["license_text"] = asset("vendor/cytoscape.LICENSE")
    return record


def document(title: str, body: str, lang: str, script: str = "") -> str:
    library = vendored_library() if script else None
    licence = (
        f"<!--\n{library['package']} {library['version']} ({library['license']}), "
        f"vendored from the npm registry ({library['source']}):\n"
        f"{library['license_text'].replace('--', '- -')}\n-->\n"
        if library
        else ""
    )
    scripts = (
        f"<script>\n{asset('vendor/cytoscape.min.js')}\n</script>\n<script>\n{script}\n</script>\n"
        if script
        else ""
    )
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="generator" content="caregraph">\n'
        f"<title>{h(title)}</title>\n{licence}"
        f"<style>\n{asset('static/netmap.css')}\n</style>\n</head>\n<body>\n{body}\n{scripts}"
        "</body>\n</html>\n"
    )


def standalone_page(title: str, body: str, lang: str) -> str:
    """A self-contained page with the map's style and no script (e.g. the gap matrix)."""
    return document(title, f'<main class="standalone"><h1>{h(title)}</h1>{body}</main>', lang)
