"""The Netzwerkkarte: the network map of actors and the gap matrix of areas and sectors.

Three calls cover what ``caregraph map`` and ``caregraph gaps`` do::

    import caregraph
    html = caregraph.map_page(lang="en", district="Prohlis")   # one self-contained page
    svg = caregraph.static_map(fmt="svg")                        # Graphviz, with a legend
    matrix = caregraph.gap_matrix()                              # areas x sectors
    matrix.to_csv(), matrix.to_svg(), matrix.to_html()

Filters take a name in either language, a prefixed name or an IRI.
"""

from __future__ import annotations

from caregraph.netmap.gaps import GapMatrix, matrix_of
from caregraph.netmap.model import Edge, Filters, MapNode, Network, load_network
from caregraph.netmap.page import map_html
from caregraph.netmap.static import STATIC_FORMATS, GraphvizMissing, render_static
from caregraph.store import GraphStore, open_store


def map_page(
    store: GraphStore | None = None,
    *,
    lang: str = "de",
    district: str | None = None,
    sector: str | None = None,
    field: str | None = None,
    resource_url: str | None = None,
) -> str:
    """The interactive network map as one self-contained HTML page.

    Args:
        store: the graph (default: the bundled Dresden graph).
        lang: language of labels and page texts, ``"de"`` or ``"en"``.
        district, sector, field: filters the page opens with (names or IRIs; the
            reader can change them in the page). ``sector="none"``: actors without one.
        resource_url: URL pattern of resource pages, ``{iri}`` standing for the
            percent-encoded IRI (e.g. ``/resource?iri={iri}``); nodes link there.

    Raises:
        UsageError: a filter names nothing in the graph.
    """
    network = load_network(store if store is not None else open_store(), lang)
    filters = network.resolve_filters(district, sector, field)
    return map_html(network, resource_url=resource_url, filters=filters)


def static_map(
    store: GraphStore | None = None,
    *,
    fmt: str = "svg",
    lang: str = "de",
    district: str | None = None,
    sector: str | None = None,
    field: str | None = None,
) -> bytes:
    """The network map drawn by Graphviz (SVG or PNG bytes), with a legend.

    Only what the filters leave is drawn.

    Raises:
        UsageError: a filter names nothing in the graph.
        GraphvizMissing: Graphviz is not installed.
    """
    network = load_network(store if store is not None else open_store(), lang)
    return render_static(network.filtered(network.resolve_filters(district, sector, field)), fmt)


def gap_matrix(
    store: GraphStore | None = None, *, lang: str = "de", fields: bool = False
) -> GapMatrix:
    """Areas against the four sectors (and fields of action): how many actors in each cell."""
    return matrix_of(
        load_network(store if store is not None else open_store(), lang), fields=fields
    )


__all__ = [
    "STATIC_FORMATS",
    "Edge",
    "Filters",
    "GapMatrix",
    "GraphvizMissing",
    "MapNode",
    "Network",
    "gap_matrix",
    "load_network",
    "map_html",
    "map_page",
    "matrix_of",
    "render_static",
    "static_map",
]
