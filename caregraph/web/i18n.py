"""The web app's own words in German and English, and choosing the reader's language.

The language comes from ``?lang=`` first, then the browser's ``Accept-Language``, else
German (the report's language), as the CLI does with ``--lang`` and the locale.
"""

from __future__ import annotations

LANGS = ("de", "en")

#: Interface texts, key to language to text.
TEXTS: dict[str, dict[str, str]] = {
    "site": {
        "de": "caregraph: Sorgende Gemeinschaften Dresden",
        "en": "caregraph: caring communities in Dresden",
    },
    "home": {"de": "Start", "en": "Home"},
    "questions": {"de": "Fragen", "en": "Questions"},
    "validation": {"de": "Prüfung", "en": "Validation"},
    "api": {"de": "Web-API", "en": "Web API"},
    "sparql": {"de": "SPARQL", "en": "SPARQL"},
    "map": {"de": "Netzwerkkarte", "en": "Network map"},
    "search": {"de": "Suchen", "en": "Search"},
    "search_label": {
        "de": "Suche in den Namen (deutsch und englisch)",
        "en": "Search the names (German and English)",
    },
    "search_results": {"de": "Suchergebnisse für", "en": "Search results for"},
    "no_hits": {"de": "Nichts gefunden.", "en": "Nothing found."},
    "intro": {
        "de": "Ein Wissensgraph zum Bericht „Sorgende Gemeinschaften“ der Landeshauptstadt "
        "Dresden vom 13. Juli 2021: wer beteiligt ist, wer wofür verantwortlich ist, in "
        "welchem Stadtbezirk, mit welchem Ziel, und was noch offen oder unsicher ist.",
        "en": "A knowledge graph of the City of Dresden's report on caring communities "
        "(„Sorgende Gemeinschaften“) of 13 July 2021: who takes part, who is responsible "
        "for what, in which district, serving which goal, and what is still open or unsure.",
    },
    "holds": {"de": "Was der Graph enthält", "en": "What the graph holds"},
    "triples": {"de": "Tripel", "en": "triples"},
    "class": {"de": "Klasse", "en": "class"},
    "resources": {"de": "Ressourcen", "en": "resources"},
    "sources": {"de": "Quellen", "en": "Sources"},
    "themes": {"de": "Fragen nach Themen", "en": "Questions by theme"},
    "parameters": {"de": "Parameter", "en": "Parameters"},
    "run": {"de": "Abfragen", "en": "Run"},
    "any": {"de": "(alle)", "en": "(any)"},
    "required": {"de": "Pflichtangabe", "en": "required"},
    "results": {"de": "Ergebnis", "en": "Result"},
    "rows": {"de": "Zeilen", "en": "rows"},
    "shown_first": {
        "de": "Gezeigt werden die ersten {n} Zeilen; die Downloads enthalten alle.",
        "en": "The first {n} rows are shown; the downloads hold all of them.",
    },
    "downloads": {"de": "Herunterladen", "en": "Download"},
    "permalink": {
        "de": "Permalink (mit diesen Parametern)",
        "en": "Permalink (with these parameters)",
    },
    "sparql_text": {"de": "SPARQL-Text", "en": "SPARQL text"},
    "columns": {"de": "Spalten", "en": "Columns"},
    "error": {"de": "Fehler", "en": "Error"},
    "type": {"de": "Typ", "en": "Type"},
    "properties": {"de": "Eigenschaften", "en": "Properties"},
    "property": {"de": "Eigenschaft", "en": "Property"},
    "value": {"de": "Wert", "en": "Value"},
    "incoming": {"de": "Verweise auf diese Ressource", "en": "Links to this resource"},
    "incoming_more": {
        "de": "{shown} von {total} Verweisen gezeigt.",
        "en": "{shown} of {total} links shown.",
    },
    "incoming_many": {
        "de": "{shown} von mehr als {total} Verweisen gezeigt.",
        "en": "{shown} of more than {total} links shown.",
    },
    "from": {"de": "von", "en": "from"},
    "source": {"de": "Quelle", "en": "Source"},
    "slide": {"de": "Folie", "en": "Slide"},
    "heading": {"de": "Überschrift", "en": "Heading"},
    "quote": {"de": "Zitat", "en": "Quote"},
    "certainty": {"de": "Gewissheit", "en": "Certainty"},
    "as_data": {"de": "Als Daten", "en": "As data"},
    "not_found": {"de": "Nicht gefunden", "en": "Not found"},
    "not_found_text": {
        "de": "Diese Seite oder Ressource gibt es im Graphen nicht.",
        "en": "This page or resource is not in the graph.",
    },
    "findings": {"de": "Befunde", "en": "Findings"},
    "file": {"de": "Datei", "en": "File"},
    "line": {"de": "Zeile", "en": "Line"},
    "severity": {"de": "Schwere", "en": "Severity"},
    "message": {"de": "Meldung", "en": "Message"},
    "hint": {"de": "Hinweis", "en": "Hint"},
    "layers_run": {"de": "Geprüfte Ebenen", "en": "Layers checked"},
    "no_validation": {
        "de": "Dieser Graph liegt nicht als Dateien vor (Endpunkt oder Store); die Prüfung "
        "braucht Dateien: caregraph validate PFAD.",
        "en": "This graph is not held in files (an endpoint or a store); validation needs "
        "files: caregraph validate PATH.",
    },
    "valid": {"de": "Gültig.", "en": "Valid."},
    "not_valid": {"de": "Nicht gültig.", "en": "Not valid."},
    "api_intro": {
        "de": "Jede gespeicherte Frage ist ein GET-Aufruf /api/queries/NAME?parameter=wert; "
        "format= (oder der Accept-Kopf) wählt JSON, CSV oder die W3C-Formate. Die "
        "maschinenlesbare Beschreibung steht unter /openapi.json (OpenAPI 3). Jedes "
        "Formular hier ruft die API auf.",
        "en": "Every stored question is a GET call /api/queries/NAME?parameter=value; "
        "format= (or the Accept header) chooses JSON, CSV or the W3C formats. The "
        "machine-readable description is at /openapi.json (OpenAPI 3). Each form here "
        "calls the API.",
    },
    "try": {"de": "Ausprobieren", "en": "Try it"},
    "format": {"de": "Format", "en": "Format"},
    "responses": {"de": "Antworten", "en": "Responses"},
    "sparql_intro": {
        "de": "SPARQL-1.1-Protokoll, nur lesend: SELECT, ASK, CONSTRUCT, DESCRIBE über GET "
        "oder POST. Updates und SERVICE werden abgewiesen; es gelten eine Zeit- und eine "
        "Größengrenze.",
        "en": "SPARQL 1.1 Protocol, read-only: SELECT, ASK, CONSTRUCT, DESCRIBE by GET or POST. "
        "Updates and SERVICE are refused; a time limit and a size limit apply.",
    },
    "limits": {
        "de": "Grenzen: {seconds} s je Abfrage, höchstens {rows} Ergebniszeilen.",
        "en": "Limits: {seconds} s per query, at most {rows} result rows.",
    },
    "ontology_terms": {"de": "Begriffe der Ontologie", "en": "Terms of the ontology"},
    "language": {"de": "Sprache", "en": "Language"},
    "read_only": {
        "de": "Nur lesend. Quelle: Bericht vom 13. Juli 2021.",
        "en": "Read-only. Source: the report of 13 July 2021.",
    },
    "blank": {"de": "(anonymer Knoten)", "en": "(anonymous node)"},
}


def text(key: str, lang: str, **values: object) -> str:
    """The interface text ``key`` in ``lang`` (German when ``lang`` is unknown)."""
    entry = TEXTS[key]
    template = entry.get(lang) or entry["de"]
    return template.format(**values) if values else template


def choose_lang(query_lang: str | None, accept_language: str | None) -> str:
    """The reader's language: ``?lang=`` if it names one we have, else the best of
    ``Accept-Language`` (quality values respected), else German."""
    if query_lang in LANGS:
        return query_lang
    best: tuple[float, str] | None = None
    for position, part in enumerate((accept_language or "").split(",")):
        pieces = part.strip().split(";")
        code = pieces[0].strip().lower().split("-")[0]
        if code not in LANGS:
            continue
        quality = 1.0
        for param in pieces[1:]:
            name, _, value = param.strip().partition("=")
            if name == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        # Equal qualities: the earlier entry wins.
        candidate = (quality - position * 1e-6, code)
        if quality > 0 and (best is None or candidate > best):
            best = candidate
    return best[1] if best else "de"
