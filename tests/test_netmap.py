"""The network model, the gap matrix and the static Graphviz map (caregraph.netmap)."""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET

import pytest
from support import require_program

import caregraph
from caregraph.errors import UsageError
from caregraph.namespaces import CGV, DD
from caregraph.netmap import Filters, load_network, map_html, matrix_of, render_static
from caregraph.netmap.document import CSP, vendored_library
from caregraph.netmap.model import SECTORS, Network
from caregraph.resources import data_dir
from caregraph.store import select

SVG = "{http://www.w3.org/2000/svg}"

ACTORS = """
PREFIX cg: <https://w3id.org/caregraph/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT DISTINCT ?actor WHERE { ?actor a/rdfs:subClassOf* cg:Actor }
"""

#: German labels of the sectors, as sector_coverage_per_district writes them.
SECTOR_NAMES = {
    str(CGV["sector-citizens"]): "Bürger*innen",
    str(CGV["sector-state"]): "Staat",
    str(CGV["sector-civil-society"]): "Zivilgesellschaft",
    str(CGV["sector-professional-services"]): "professionelle Dienstleister",
}


@pytest.fixture(scope="module")
def network() -> Network:
    return load_network(caregraph.open_store(), "en")


def graph_actors(store) -> set[str]:
    return {str(row[0]) for row in select(store, ACTORS)}


def test_every_actor_of_the_graph_is_a_node(dresden) -> None:
    net = load_network(dresden, "de")
    actors = graph_actors(dresden)
    assert len(actors) == 20
    assert {n.id for n in net.actors} == actors


def test_nodes_carry_kind_sector_source_and_steps(network: Network) -> None:
    sozialamt = network.node(str(DD.sozialamt))
    assert sozialamt.label == "Social Welfare Office"
    assert sozialamt.kind.endswith("#AdministrativeUnit")
    assert sozialamt.sector == str(CGV["sector-state"])
    assert sozialamt.slides == [6]
    assert sozialamt.quotes == ["Aufgabe Sozialamt"]
    steps = {link.step: link for link in sozialamt.links}
    assert set(steps) == {
        str(DD["measure-fachplan-seniorenarbeit"]),
        str(DD["task-fachplan-beschluss-umsetzung"]),
    }
    assert all(link.role == str(CGV["role-lead"]) for link in steps.values())
    # present in every Stadtbezirk through the Fachplan's task there, and in the city
    assert str(DD.prohlis) in sozialamt.areas and str(DD.dresden) in sozialamt.areas
    gb5 = network.node(str(DD["gb-5"]))
    (link,) = gb5.links
    assert link.certainty == str(CGV["certainty-unconfirmed"])


def test_edges_cover_the_four_relation_types(network: Network) -> None:
    pairs = {(e.source, e.relation, e.target) for e in network.edges}
    assert (str(DD.sozialamt), "membership", str(DD["landeshauptstadt-dresden"])) in pairs
    assert (str(DD.seniorenbeirat), "participation", str(DD["meeting-2021-07-13"])) in pairs
    assert (
        str(DD["initiative-buurtzorg"]),
        "responsibility",
        str(DD["task-zusammenarbeit-buurtzorg"]),
    ) in pairs
    assert (
        str(DD["task-fachplan-beschluss-umsetzung"]),
        "part",
        str(DD["measure-fachplan-seniorenarbeit"]),
    ) in pairs
    ids = {n.id for n in network.nodes}
    assert all(e.source in ids and e.target in ids for e in network.edges)


def test_cooperation_edges_come_from_the_data(tmp_path) -> None:
    extra = tmp_path / "coop.ttl"
    extra.write_text(
        "@prefix cg: <https://w3id.org/caregraph/ontology#> .\n"
        "@prefix dd: <https://w3id.org/caregraph/dresden/> .\n"
        "dd:sozialamt cg:cooperatesWith dd:nwid .\n",
        encoding="utf-8",
    )
    store = caregraph.open_store([data_dir(), extra])
    net = load_network(store, "de")
    coop = [e for e in net.edges if e.relation == "cooperation"]
    assert [(e.source, e.target) for e in coop] == [(str(DD.nwid), str(DD.sozialamt))]


def test_district_filter_agrees_with_actors_in_district(dresden) -> None:
    net = load_network(dresden, "de")
    for district in ("Prohlis", "Dresden", "Weixdorf"):
        rows = caregraph.run_query("actors_in_district", store=dresden, district=district)
        # city-wide actors count for every area, as actors_in_district lists them
        expected = {r["actor"] for r in rows.to_dicts()}
        seen = net.filtered(net.resolve_filters(district=district))
        assert {n.id for n in seen.actors} == expected, district
    prohlis = net.filtered(Filters(district=str(DD.prohlis)))
    assert {n.id for n in prohlis.actors} == {
        str(DD.sozialamt),
        str(DD.fasa),
        str(DD["beauftragte-menschen-mit-behinderungen-senioren"]),
        # active city-wide
        str(DD["landeshauptstadt-dresden"]),
        str(DD.stadtrat),
        str(DD["netzwerk-neues-wohnen-dresden"]),
        str(DD["pflegenetz-dresden"]),
    }
    # the steps shown are those in Prohlis, linked to an actor shown
    assert {n.id for n in prohlis.nodes if n.group == "step"} == {
        str(DD["measure-fachplan-seniorenarbeit"]),
        str(DD["measure-vorstellen-idee-stadtbezirke"]),
    }


def test_sector_field_and_relation_filters(network: Network) -> None:
    state = network.filtered(Filters(sector=str(CGV["sector-state"])))
    assert state.actors and all(n.sector == str(CGV["sector-state"]) for n in state.actors)
    none = network.filtered(Filters(sector="none"))
    assert {n.id for n in none.actors} == {str(DD.fasa), str(DD["runder-tisch-soziales-wohnen"])}
    care = network.filtered(Filters(field=str(CGV["field-care"])))
    assert {n.id for n in care.actors} == {
        str(DD["initiative-buurtzorg"]),
        str(DD.pflegenetz),
    }
    only_members = network.filtered(relations=["membership"])
    assert {e.relation for e in only_members.edges} == {"membership"}
    assert not [n for n in only_members.nodes if n.group == "step"]


def test_names_resolve_in_either_language(network: Network) -> None:
    assert network.resolve("district", "prohlis") == str(DD.prohlis)
    assert network.resolve("district", "dd:prohlis") == str(DD.prohlis)
    assert network.resolve("sector", "Staat") == str(CGV["sector-state"])
    assert network.resolve("sector", "state") == str(CGV["sector-state"])
    assert network.resolve("field", "Pflege und Sorge") == str(CGV["field-care"])
    with pytest.raises(UsageError, match="Closest: Prohlis"):
        network.resolve("district", "Prohlitz")


def test_gap_matrix_agrees_with_sector_coverage_per_district(dresden) -> None:
    matrix = matrix_of(load_network(dresden, "de"))
    rows = caregraph.run_query("sector_coverage_per_district", store=dresden).to_dicts()
    assert len(rows) == len(matrix.rows) == 21
    assert [r[0] for r in matrix.rows][:1] == [str(DD.dresden)]
    for row in rows:
        present = {s for s in row["sectors_present"].split(", ") if s}
        for sector in SECTORS:
            count = matrix.count(row["area"], sector)
            assert (count > 0) == (SECTOR_NAMES[sector] in present), (row["area"], sector)
        assert sum(matrix.count(row["area"], s) > 0 for s in SECTORS) == row["sector_count"]


def test_gap_matrix_lists_ten_districts_and_nine_localities(network: Network) -> None:
    matrix = matrix_of(network)
    types = [t.rsplit("#", 1)[-1] for _, _, t in matrix.rows]
    assert types.count("UrbanDistrict") == 10 and types.count("Locality") == 9
    assert matrix.count(str(DD.dresden), str(CGV["sector-state"])) == 4
    # the Sozialamt and the Commissioner there, the city administration and council city-wide
    assert matrix.count(str(DD.prohlis), str(CGV["sector-state"])) == 4
    assert matrix.missing(0) == [str(CGV["sector-citizens"])]


def test_gap_matrix_with_fields_of_action(network: Network) -> None:
    matrix = matrix_of(network, fields=True)
    assert matrix.columns[:4] == list(SECTORS)
    assert len(matrix.columns) == 4 + len(network.fields)
    # the Sozialamt leads the Fachplan, whose task on intergenerational encounter is in Prohlis
    i = [r[0] for r in matrix.rows].index(str(DD.prohlis))
    j = matrix.columns.index(str(CGV["field-intergenerational-encounter"]))
    assert matrix.cells[i][j] == [str(DD.sozialamt)]
    assert matrix.count(str(DD.prohlis), str(CGV["field-housing"])) == 0


def test_gap_matrix_csv_html_and_svg(network: Network) -> None:
    matrix = matrix_of(network)
    table = list(csv.reader(io.StringIO(matrix.to_csv())))
    assert table[0][:3] == ["area", "area_label", "area_type"]
    assert len(table) == 22
    prohlis = next(r for r in table if r[1] == "Prohlis")
    assert prohlis[3:7] == ["0", "4", "1", "1"]
    assert prohlis[7] == "citizens"
    zeros = sum(len(c) == 0 for row in matrix.cells for c in row)
    html = matrix.to_html()
    assert html.count('class="empty ') == zeros
    assert "<script" not in html
    svg = ET.fromstring(matrix.to_svg())
    hatched = [r for r in svg.iter(f"{SVG}rect") if r.get("fill") == "url(#hatch)"]
    assert len(hatched) == zeros + 1  # every gap, and the legend's sample
    texts = [t.text for t in svg.iter(f"{SVG}text")]
    assert "Prohlis" in texts and "Weixdorf" in texts


def test_map_page_is_self_contained(network: Network) -> None:
    page = map_html(network, resource_url="/resource?iri={iri}")
    assert CSP in page
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page)
    library = vendored_library()
    assert library["package"] == "cytoscape" and library["license"] == "MIT"
    assert "Permission is hereby granted" in page  # the licence travels with the code
    data = json.loads(
        re.search(r'id="netmap-data">(.*?)</script>', page, re.S).group(1)  # type: ignore[union-attr]
    )
    assert {n["id"] for n in data["nodes"] if n["group"] == "actor"} == {
        n.id for n in network.actors
    }
    sozialamt = next(n for n in data["nodes"] if n["id"] == str(DD.sozialamt))
    assert (
        sozialamt["url"] == "/resource?iri=https%3A%2F%2Fw3id.org%2Fcaregraph%2Fdresden%2Fsozialamt"
    )


def test_text_from_the_graph_cannot_close_the_script(tmp_path) -> None:
    evil = tmp_path / "evil.ttl"
    evil.write_text(
        "@prefix cg: <https://w3id.org/caregraph/ontology#> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        '<https://example.org/x> a cg:Initiative ; rdfs:label "</script><script>alert(1)</script>"@de .\n',
        encoding="utf-8",
    )
    net = load_network(caregraph.open_store([evil]), "de")
    page = map_html(net)
    assert "</script><script>alert(1)" not in page
    assert page.count("</script>") == 3  # data, library, page script


def test_static_svg_holds_every_actor_label(network: Network) -> None:
    require_program("dot")
    svg = ET.fromstring(render_static(network, "svg"))
    drawn = set()
    for group in svg.iter(f"{SVG}g"):
        if group.get("class") == "node":
            drawn.add(" ".join(t.text or "" for t in group.iter(f"{SVG}text")))
    assert {n.label for n in network.actors} <= drawn
    legend = " ".join(t.text or "" for t in svg.iter(f"{SVG}text"))
    for sector in SECTORS:
        assert network.label(sector) in legend


def test_static_png_and_filtered_map(network: Network) -> None:
    require_program("dot")
    png = render_static(network.filtered(Filters(district=str(DD.prohlis))), "png")
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    svg = ET.fromstring(render_static(network.filtered(Filters(district=str(DD.prohlis))), "svg"))
    nodes = [g for g in svg.iter(f"{SVG}g") if g.get("class") == "node"]
    assert len(nodes) == 7 + 2 + 1  # actors (4 of them city-wide), steps, legend


def test_library_calls(network: Network) -> None:
    page = caregraph.map_page(lang="en", district="Prohlis")
    assert f'"district": "{DD.prohlis}"' in page
    matrix = caregraph.gap_matrix(lang="en", fields=True)
    assert len(matrix.rows) == 21
    with pytest.raises(UsageError):
        caregraph.map_page(sector="Nobody")


def test_marks_on_single_statements_reach_the_panel(tmp_path) -> None:
    marks = tmp_path / "marks.ttl"
    marks.write_text(
        "@prefix cg: <https://w3id.org/caregraph/ontology#> .\n"
        "@prefix cgv: <https://w3id.org/caregraph/vocab/> .\n"
        "@prefix dd: <https://w3id.org/caregraph/dresden/> .\n"
        "@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .\n"
        "dd:mark-1 a rdf:Statement ; rdf:subject dd:pflegenetz ; rdf:predicate cg:sector ;\n"
        "  rdf:object cgv:sector-professional-services ; cg:certainty cgv:certainty-unconfirmed ;\n"
        '  cg:rationale "Beratung ist eine Dienstleistung."@de , "Counselling is a service."@en .\n'
        "dd:mark-2 a rdf:Statement ; rdf:subject dd:resp-pflege-quartier-pflegenetz ;\n"
        "  rdf:predicate cg:responsibilityRole ; rdf:object cgv:role-cooperating ;\n"
        "  cg:certainty cgv:certainty-unconfirmed .\n",
        encoding="utf-8",
    )
    store = caregraph.open_store([data_dir(), marks])
    net = load_network(store, "en")
    node = net.node(str(DD.pflegenetz))
    (mark,) = [m for m in node.marks if m.rationale == "Counselling is a service."]
    assert mark.value == str(CGV["sector-professional-services"])
    assert mark.rationale == "Counselling is a service."
    (link,) = node.links
    assert [m.value for m in link.marks] == [str(CGV["role-cooperating"])]
    page = map_html(net)
    data = json.loads(re.search(r'id="netmap-data">(.*?)</script>', page, re.S).group(1))  # type: ignore[union-attr]
    shown = next(n for n in data["nodes"] if n["id"] == str(DD.pflegenetz))
    assert {
        "property": "sector",
        "value": "professional service providers",
        "certainty": "unconfirmed",
        "unconfirmed": True,
        "rationale": "Counselling is a service.",
    } in shown["marks"]
    assert len(shown["marks"]) == len(node.marks)  # the bundled marks are shown too


def test_control_characters_in_labels_keep_svg_and_html_well_formed(tmp_path) -> None:
    data = tmp_path / "control.ttl"
    data.write_text(
        "@prefix cg: <https://w3id.org/caregraph/ontology#> .\n"
        "@prefix cgv: <https://w3id.org/caregraph/vocab/> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        '<https://example.org/a> a cg:City ; rdfs:label "Ort\\u0001\\u001b[31m"@de .\n'
        "<https://example.org/x> a cg:Initiative ; cg:sector cgv:sector-citizens ;\n"
        '  cg:activeIn <https://example.org/a> ; rdfs:label "Init\\u0002iative"@de .\n',
        encoding="utf-8",
    )
    net = load_network(caregraph.open_store([data]), "de")
    matrix = matrix_of(net)
    ET.fromstring(matrix.to_svg())
    assert "\x01" not in matrix.to_html() and "\x1b" not in matrix.to_html()
    assert matrix.count("https://example.org/a", str(CGV["sector-citizens"])) == 1
    require_program("dot")
    svg = render_static(net, "svg")
    ET.fromstring(svg)
    assert b"\x02" not in svg
