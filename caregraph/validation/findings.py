"""The one finding model shared by all validation layers, and the report that holds them."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

#: The rule of ill-typed literals: a syntax finding that does not stop the file's other layers.
ILL_TYPED = "syntax/ill-typed"

#: Severities, most severe first (ROBOT's report uses the same three levels).
SEVERITIES = ("error", "warning", "info")

#: Validation layers in the order they run.
LAYERS = ("syntax", "vocabulary", "shapes", "ontology", "rules")

#: ``--fail-on`` choices: a severity, or ``none`` to never fail on findings.
FAIL_ON = (*SEVERITIES, "none")


def at_or_above(severity: str, threshold: str) -> bool:
    """True when ``severity`` is as severe as ``threshold`` or more (never for ``none``)."""
    if threshold == "none":
        return False
    return SEVERITIES.index(severity) <= SEVERITIES.index(threshold)


#: Longest label, value or message a finding carries before it is cut.
MAX_TEXT = 500


@dataclass(frozen=True)
class Finding:
    """One thing wrong (or worth a look) in the data.

    Attributes:
        severity: ``error``, ``warning`` or ``info``.
        focus: the IRI of the resource the finding is about ("" when it is about a file).
        focus_label: its label, or for a blank node a description through the named
            resource that points to it.
        path: the property concerned, as IRI text, if any.
        value: the offending value, if any.
        message: what is wrong, in the requested language.
        shape: the shape, check or axiom that found it (an IRI or an id).
        layer: one of ``LAYERS``.
        file: the file where the focus is defined (or the error stands), if known.
        line: 1-based line in ``file``, if known.
        column: 1-based column in ``file``, if known.
        hint: how to fix it, in the requested language.
        rule: a stable id of the kind of finding (``shapes/MinCount``, ``rules/<check>``).
    """

    severity: str
    focus: str
    focus_label: str | None
    path: str | None
    value: str | None
    message: str
    shape: str
    layer: str = "shapes"
    file: Path | None = None
    line: int | None = None
    column: int | None = None
    hint: str = ""
    rule: str = ""

    def __post_init__(self) -> None:
        # A label or value can be megabytes long; a report shows its start.
        for name in ("focus_label", "value", "message"):
            text = getattr(self, name)
            if text is not None and len(text) > MAX_TEXT:
                object.__setattr__(self, name, text[:MAX_TEXT] + f" … ({len(text)} characters)")

    @property
    def unreadable(self) -> bool:
        """True for a file that could not be read or parsed (an ill-typed literal parses)."""
        return self.layer == "syntax" and self.rule != ILL_TYPED

    def where(self) -> str:
        """``file:line:column`` as far as known (``""`` when there is no file)."""
        if self.file is None:
            return ""
        text = str(self.file)
        if self.line:
            text += f":{self.line}"
            if self.column:
                text += f":{self.column}"
        return text

    def subject(self) -> str:
        """The focus for people: ``label <IRI>``, the bare ``<IRI>``, or ``""``."""
        if self.focus and self.focus_label:
            return f"{self.focus_label} <{self.focus}>"
        if self.focus:
            return f"<{self.focus}>"
        return self.focus_label or ""

    def sort_key(self) -> tuple[str, int, int, int, str, str, str, str, str]:
        """Order by file, line, then severity, so a report reads top to bottom (and the
        same on every run: findings that tie on all else are ordered by value)."""
        return (
            str(self.file or "~"),
            self.line or 0,
            self.column or 0,
            SEVERITIES.index(self.severity),
            self.focus,
            self.path or "",
            self.rule,
            self.message,
            self.value or "",
        )


@dataclass
class ValidationReport:
    """The result of validating some data files.

    Attributes:
        files: the files read.
        findings: everything found, across all layers.
        layers: the layers that ran (a layer is skipped after syntax errors, or on request).
        checks: the ids of the rule checks that ran.
    """

    files: list[Path]
    findings: list[Finding] = field(default_factory=list)
    layers: list[str] = field(default_factory=list)
    checks: list[str] = field(default_factory=list)

    @property
    def conforms(self) -> bool:
        """True when there is no finding of severity ``error``."""
        return not any(f.severity == "error" for f in self.findings)

    @property
    def unreadable(self) -> bool:
        """True when some file could not be parsed (the CLI's exit code 2)."""
        return any(f.unreadable for f in self.findings)

    def counts(self) -> dict[str, int]:
        """How many findings there are of each severity."""
        return {s: sum(f.severity == s for f in self.findings) for s in SEVERITIES}

    def failing(self, fail_on: str = "error") -> list[Finding]:
        """The findings at or above ``fail_on`` (a severity or ``none``)."""
        return [f for f in self.findings if at_or_above(f.severity, fail_on)]

    def exit_code(self, fail_on: str = "error") -> int:
        """0 nothing at or above ``fail_on``; 1 findings there; 2 a file did not parse."""
        if self.unreadable:
            return 2
        return 1 if self.failing(fail_on) else 0
