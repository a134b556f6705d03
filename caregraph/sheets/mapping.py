"""The declarative mappings from spreadsheet columns to the caregraph model.

Each kind of sheet (actors, measures, ...) is described by one W3C *CSV on the Web*
metadata file in ``caregraph/sheets/mappings/<kind>.csv-metadata.json``, read with the
``csvw`` package. A column's ``titles`` are its German and English headers, ``propertyUrl``
its property, ``datatype``/``lang`` the literal it becomes, ``separator`` allows several
values, ``required`` makes it mandatory and ``dc:description`` explains it. Extensions
caregraph needs beyond CSVW are common properties in the namespace
``https://w3id.org/caregraph/mapping#`` (``lookup``, ``inverse``, ``typeColumn``,
``example`` on columns; ``kind``, ``order``, ``classes``, ``iriPrefix`` on the table).
``docs/spreadsheets.md`` documents the format.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import csvw
from rdflib import RDF, XSD, URIRef

from caregraph.errors import InputError, UsageError
from caregraph.namespaces import DEFAULT_PREFIXES

CGM = "https://w3id.org/caregraph/mapping#"
MAPPINGS_DIR = Path(__file__).resolve().parent / "mappings"

#: CSVW datatypes a mapping may use, and the XSD datatype of the literal they become.
DATATYPES: dict[str, URIRef] = {
    "string": XSD.string,
    "date": XSD.date,
    "gYear": XSD.gYear,
    "positiveInteger": XSD.positiveInteger,
    "integer": XSD.integer,
    "anyURI": XSD.anyURI,
}


def expand(name: str) -> URIRef:
    """A prefixed name (``cg:status``) as a full IRI; an IRI stays as it is."""
    prefix, _, local = name.partition(":")
    if prefix in DEFAULT_PREFIXES and not local.startswith("//"):
        return URIRef(DEFAULT_PREFIXES[prefix] + local)
    return URIRef(name)


def _texts(values: Any) -> dict[str, str]:
    """``[{"@value": ..., "@language": ...}]`` (or a plain string) as ``{lang: text}``."""
    if isinstance(values, str):
        return {"de": values, "en": values}
    if isinstance(values, dict):
        values = [values]
    return {v.get("@language", "de"): v["@value"] for v in values or []}


@dataclass(frozen=True)
class ColumnSpec:
    """One column of a sheet and what it becomes in the graph.

    Attributes:
        name: the stable column name (``label_de``, ``status``).
        titles: the header per language (``{"de": "Status", "en": "Status"}``).
        prop: the property, or None for the ``id`` column.
        datatype: a key of ``DATATYPES`` for typed literals, else None.
        lang: the language tag of a text literal, else None.
        separator: splits a cell into several values (``;``), else None.
        required: the cell must not be empty.
        lookup: for references: ``{"class": [...]}``, ``{"scheme": ...}`` or ``{"any": True}``.
        inverse: the row's resource is the object of ``prop``, the value its subject.
        type_column: the value is the resource's class (``rdf:type``).
        description: what the column means, per language.
        example: an example value, per language.
    """

    name: str
    titles: dict[str, str]
    prop: URIRef | None
    datatype: str | None = None
    lang: str | None = None
    separator: str | None = None
    required: bool = False
    lookup: dict[str, Any] | None = None
    inverse: bool = False
    type_column: bool = False
    description: dict[str, str] = field(default_factory=dict)
    example: dict[str, str] = field(default_factory=dict)

    def title(self, lang: str) -> str:
        """The header in ``lang``."""
        return self.titles.get(lang) or self.titles["de"]

    @property
    def is_reference(self) -> bool:
        """True when the cell names resources (by label, abbreviation or IRI)."""
        return self.lookup is not None


@dataclass(frozen=True)
class SheetMapping:
    """How the rows of one kind of sheet become resources.

    Attributes:
        kind: ``actors``, ``measures`` ...
        titles: the sheet title per language.
        classes: the classes a row may have (the first is the default).
        iri_prefix: what new IRIs start with after ``dd:`` (``measure-``).
        order: imports run in this order, so later kinds may name earlier ones.
        columns: the columns, in template order.
        path: the metadata file.
    """

    kind: str
    titles: dict[str, str]
    classes: tuple[URIRef, ...]
    iri_prefix: str
    order: int
    columns: tuple[ColumnSpec, ...]
    path: Path

    def title(self, lang: str) -> str:
        """The sheet title in ``lang``."""
        return self.titles.get(lang) or self.titles["de"]

    def column(self, name: str) -> ColumnSpec:
        """The column called ``name``."""
        for column in self.columns:
            if column.name == name:
                return column
        raise KeyError(name)

    @property
    def type_column(self) -> ColumnSpec | None:
        """The column that gives the class, if the kind has several classes."""
        return next((c for c in self.columns if c.type_column), None)


def _column(raw: Any) -> ColumnSpec:
    props = raw.common_props
    titles = {lang or "de": values[0] for lang, values in raw.titles.items()}
    prop = None
    if raw.propertyUrl is not None:
        prop = RDF.type if str(raw.propertyUrl) == "rdf:type" else expand(str(raw.propertyUrl))
    lang = raw.lang if raw.lang and raw.lang != "und" else None
    return ColumnSpec(
        name=raw.name,
        titles=titles,
        prop=prop,
        datatype=raw.datatype.base if raw.datatype is not None else None,
        lang=lang,
        separator=raw.separator,
        required=bool(raw.required),
        lookup=props.get(CGM + "lookup"),
        inverse=bool(props.get(CGM + "inverse")),
        type_column=bool(props.get(CGM + "typeColumn")),
        description=_texts(props.get("dc:description")),
        example=_texts(props.get(CGM + "example")),
    )


def load_mapping(path: Path) -> SheetMapping:
    """Read one CSVW metadata file as a ``SheetMapping``.

    Raises:
        InputError: the file is not valid CSVW metadata or lacks caregraph's keys.
    """
    try:
        table = csvw.Table.from_file(path)
        props = table.common_props
        columns = tuple(_column(c) for c in table.tableSchema.columns)
        mapping = SheetMapping(
            kind=props[CGM + "kind"],
            titles=_texts(props["dc:title"]),
            classes=tuple(expand(c) for c in props[CGM + "classes"]),
            iri_prefix=props.get(CGM + "iriPrefix", ""),
            order=int(props.get(CGM + "order", 99)),
            columns=columns,
            path=path,
        )
    except (KeyError, ValueError, TypeError) as exc:
        raise InputError(
            f"{path}: not a valid caregraph sheet mapping ({exc}). See docs/spreadsheets.md "
            "for the CSVW metadata it needs."
        ) from exc
    for column in columns:
        if column.datatype and column.datatype not in DATATYPES:
            raise InputError(
                f"{path}: column '{column.name}' has the datatype '{column.datatype}'; "
                f"caregraph reads {', '.join(DATATYPES)}."
            )
    return mapping


@functools.cache
def mappings() -> dict[str, SheetMapping]:
    """The shipped mappings by kind, in import order."""
    found = [load_mapping(p) for p in sorted(MAPPINGS_DIR.glob("*.csv-metadata.json"))]
    return {m.kind: m for m in sorted(found, key=lambda m: m.order)}


#: The kinds of sheet caregraph ships templates and mappings for.
def kinds() -> list[str]:
    """The kinds of sheet, in import order."""
    return list(mappings())


def mapping_for(kind: str) -> SheetMapping:
    """The mapping of ``kind``.

    Raises:
        UsageError: there is no such kind.
    """
    try:
        return mappings()[kind]
    except KeyError:
        raise UsageError(
            f"There is no sheet kind '{kind}'; use one of {', '.join(kinds())}."
        ) from None
