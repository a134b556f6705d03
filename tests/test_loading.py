"""Reading RDF files: formats, folders and errors that name file, line and column."""

from __future__ import annotations

from pathlib import Path

import pytest

from caregraph.errors import InputError, ParseError
from caregraph.loading import find_data_files, load_graph, parse_file
from caregraph.store import OxigraphStore
from caregraph.validation.syntax import read_files


@pytest.mark.parametrize("name", ["tiny.nt", "tiny.jsonld", "tiny.rdf", "tiny.trig"])
def test_each_format_parses_to_the_same_two_triples(data_dir: Path, name: str) -> None:
    graph = parse_file(data_dir / name)
    assert len(graph) == 2
    oxigraph = OxigraphStore()
    oxigraph.load(data_dir / name)
    assert len(oxigraph) == 2


def test_folder_is_searched_recursively_for_known_extensions(data_dir: Path) -> None:
    files = find_data_files([data_dir])
    names = {f.name for f in files}
    assert {"tiny.ttl", "tiny.nt", "unterminated.ttl"} <= names
    assert "README.md" not in names
    assert files == sorted(files)


def test_missing_path_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"nope\.ttl: no such file or folder"):
        find_data_files([tmp_path / "nope.ttl"])


def test_unknown_extension_is_named(tmp_path: Path) -> None:
    odd = tmp_path / "graph.txt"
    odd.write_text("hello")
    with pytest.raises(
        InputError, match=r"graph\.txt: caregraph does not know the file type '\.txt'"
    ):
        find_data_files([odd])


@pytest.mark.parametrize(
    ("name", "where"),
    [
        ("unterminated.ttl", "unterminated.ttl, line 5, column 33: cannot parse this Turtle file"),
        ("unclosed.rdf", "unclosed.rdf, line 4, column 3: cannot parse this RDF/XML file"),
        (
            "trailing-comma.jsonld",
            "trailing-comma.jsonld, line 4, column 1: cannot parse this JSON-LD",
        ),
    ],
)
def test_syntax_errors_name_file_line_and_column(data_dir: Path, name: str, where: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_file(data_dir / "broken" / name)
    assert where in str(caught.value)
    assert "Fix the syntax" in str(caught.value)


def test_oxigraph_syntax_error_names_line_too(data_dir: Path) -> None:
    store = OxigraphStore()
    with pytest.raises(
        InputError, match=r"unterminated\.ttl, line 5, column 18: .*Unexpected end of file"
    ):
        store.load(data_dir / "broken" / "unterminated.ttl")


def test_non_utf8_file_is_reported_with_position(tmp_path: Path) -> None:
    bad = tmp_path / "latin1.ttl"
    bad.write_bytes(b'<http://ex.org/a> <http://ex.org/b> "Gr\xfc\xdfe" .\n')
    with pytest.raises(InputError, match=r"latin1\.ttl, line 1, column 40: .*not UTF-8"):
        parse_file(bad)


def test_load_graph_merges_files(data_dir: Path) -> None:
    graph = load_graph([data_dir / "tiny.ttl", data_dir / "tiny.nt"])
    assert len(graph) == 15  # tiny.nt repeats two of tiny.ttl's triples


@pytest.mark.parametrize(
    ("path", "place"),
    [
        ("broken/unterminated.ttl", (5, 33)),
        ("broken/unclosed.rdf", (4, 3)),
        ("broken/trailing-comma.jsonld", (4, 1)),
        ("invalid/syntax-no-dot.nt", (2, None)),
    ],
)
def test_one_parse_error_type_carries_the_place_for_loader_and_syntax_layer(
    data_dir: Path, path: str, place: tuple[int, int | None]
) -> None:
    with pytest.raises(ParseError) as caught:
        parse_file(data_dir / path)
    error = caught.value
    assert (error.file, (error.line, error.column)) == (data_dir / path, place)
    assert error.reason and "\n" not in error.reason
    [finding] = read_files([data_dir / path]).findings
    assert (finding.file, finding.line, finding.column) == (error.file, error.line, error.column)
    assert finding.message == f"cannot parse this {error.syntax} file: {error.reason}"
