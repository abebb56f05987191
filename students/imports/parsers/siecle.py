"""Streaming reader of the SIECLE "ElevesSansAdresses" XML export.

lxml's pull parser builds the tree chunk by chunk; after each chunk we read the students that
closed and cut away every finished element near the top of the tree, so memory stays flat
whatever the file size. ELEVES come before STRUCTURES in the file: students are kept as compact
tuples and their class is joined later (see ``siecle_rows``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from operator import itemgetter

from lxml import etree

from . import limits
from .prolog import TRUNCATED, check_prolog, unsupported_encoding
from .results import ImportRejected
from .streams import Readable
from .values import is_class

# The ELEVE children we keep, in the order of the tuples stored in SiecleContent.eleves.
ELEVE_FIELDS = (
    "ID_NATIONAL",
    "NOM_DE_FAMILLE",
    "NOM_USAGE",
    "PRENOM",
    "PRENOM2",
    "PRENOM3",
    "CODE_SEXE",
    "DATE_NAISS",
    "CODE_PAYS",
    "CODE_COMMUNE_INSEE_NAISS",
    "VILLE_NAISS",
    "CODE_DEPARTEMENT_NAISS",
    "CODE_MEF",
    "CODE_STATUT",
    "DATE_SORTIE",
)
_EMPTY_ELEVE = dict.fromkeys(ELEVE_FIELDS)
_pick_shared_fields = itemgetter(*ELEVE_FIELDS[1:])

# Only these elements produce events; the rest of the tree is built and dropped in C.
_EVENT_TAGS = ("ELEVE", "STRUCTURES_ELEVE", "UAJ", "ANNEE_SCOLAIRE")
# BEE_ELEVES > DONNEES > ELEVES > ELEVE: finished elements down to this depth are cut away.
_RECORD_DEPTH = 3
PROLOG_BYTES = 64 * 1024
CHUNK_BYTES = 64 * 1024
_ENTITY_NAME = re.compile(r"Entity '([^']{1,64})' not defined")

HARDENED_PARSER_OPTIONS = {
    "resolve_entities": False,
    "no_network": True,
    "load_dtd": False,
    "huge_tree": False,
    "dtd_validation": False,
    "attribute_defaults": False,
}


@dataclass(slots=True)
class SiecleContent:
    """What the export says, before any rule is applied."""

    uai: str | None = None
    school_year: str | None = None
    # (ELEVE_ID, line, *values of ELEVE_FIELDS) in file order: stripped, "" when absent, the
    # INE in upper case
    # INE in upper case; None once siecle_students has turned it into a row
    eleves: list[tuple | None] = field(default_factory=list)
    divisions: dict[str, str] = field(default_factory=dict)  # ELEVE_ID -> D structure


class _SharedText(dict):
    """Stripped text, one str per distinct value: students share names, places and codes."""

    def __missing__(self, raw: str | None) -> str:
        text = raw.strip() if raw else ""
        self[raw] = text
        return text


def read_siecle_xml(stream: Readable, *, expected_uai: str) -> SiecleContent:
    """Read the export from ``stream``; raise ImportRejected at the first structural problem.

    The UAI is checked as soon as it is read, so another school's file stops there.
    """
    return _SiecleReader(expected_uai).read(stream)


class _SiecleReader:
    def __init__(self, expected_uai: str) -> None:
        self.expected_uai = expected_uai
        self.content = SiecleContent()
        self._encoding: str | None = None
        self._text = _SharedText()
        self._root: etree._Element | None = None
        self._bytes_read = 0
        self._last_kept: etree._Element | None = None
        self._last_kept_bytes = 0

    def read(self, stream: Readable) -> SiecleContent:
        head = stream.read(PROLOG_BYTES)
        self._encoding = check_prolog(head, is_whole_file=len(head) < PROLOG_BYTES)
        parser = etree.XMLPullParser(events=("end",), tag=_EVENT_TAGS, **HARDENED_PARSER_OPTIONS)
        chunk = head
        while chunk:
            self._feed(parser, chunk)
            chunk = stream.read(CHUNK_BYTES)
        try:
            parser.close()
        except etree.XMLSyntaxError:
            # Every earlier error was caught after its chunk: what is left is the end missing,
            # unless libxml2 was still waiting for the ";" of an "&".
            raise ImportRejected(self._entity_error(parser) or TRUNCATED) from None
        if self.content.uai is None:
            raise ImportRejected(_missing_uai(self.expected_uai))
        return self.content

    def _feed(self, parser: etree.XMLPullParser, chunk: bytes) -> None:
        try:
            parser.feed(chunk)
        except etree.XMLSyntaxError as error:
            self._reject_syntax_error(parser, error)
        # libxml2 stops at some errors (an undefined entity…) without feed() raising: the next
        # chunk would then fail with a meaningless "line 1" error.
        if parser.feed_error_log.filter_from_fatals():
            self._reject_syntax_error(parser, None)
        self._read_events(parser)
        self._bytes_read += len(chunk)
        if self._root is None:
            if self._bytes_read > limits.MAX_BYTES_BEFORE_UAJ:
                raise ImportRejected(_missing_uai(self.expected_uai))
        else:
            self._drop_finished_elements(parser, len(chunk))

    def _read_events(self, parser: etree.XMLPullParser) -> None:
        for _, element in parser.read_events():
            self._on_element(element)

    def _reject_syntax_error(
        self, parser: etree.XMLPullParser, error: etree.XMLSyntaxError | None
    ) -> None:
        # What was read before the error comes first: another school's file gets the UAI
        # message alone, whatever else is wrong with it.
        self._read_events(parser)
        # The parser's own log: the exception's may also hold errors of earlier parses.
        fatal = parser.feed_error_log.filter_from_fatals()
        if fatal:
            first = fatal[0]
            raise ImportRejected(self._syntax_message(first.type, first.line, first.message))
        assert error is not None  # called without one only when the log holds a fatal error
        raise ImportRejected(self._syntax_message(error.code, error.lineno, str(error)))

    def _on_element(self, element: etree._Element) -> None:
        tag = element.tag
        if tag == "ELEVE":
            self._on_eleve(element)
        elif tag == "STRUCTURES_ELEVE":
            self._on_structures(element)
        elif tag == "UAJ":
            self._on_uai(element)
        elif tag == "ANNEE_SCOLAIRE":
            self.content.school_year = self._text[element.text] or None

    def _on_eleve(self, element: etree._Element) -> None:
        # One pass over the children in C-backed builtins: this runs 100 000 times.
        found = _EMPTY_ELEVE.copy()
        found.update([(child.tag, child.text) for child in element])
        ine = found["ID_NATIONAL"]  # unique: sharing it would only grow _SharedText
        ine = ine.strip().upper() if ine else ""
        shared = map(self._text.__getitem__, _pick_shared_fields(found))
        # libxml2 keeps exact lines up to 65 535; past that, in an export written one element
        # per line, sourceline is the line just after <ELEVE>: still inside the student.
        self.content.eleves.append((element.get("ELEVE_ID"), element.sourceline, ine, *shared))

    def _on_structures(self, element: etree._Element) -> None:
        eleve_id = element.get("ELEVE_ID")
        if eleve_id is None:
            return
        # The class is the last D structure that is one ("Inactifs" parks students without one).
        division = ""
        for structure in element:
            found = {child.tag: child.text for child in structure}
            if self._text[found.get("TYPE_STRUCTURE")] == "D":
                code = self._text[found.get("CODE_STRUCTURE")]
                if is_class(code) or not division:
                    division = code
        if division:
            self.content.divisions[eleve_id] = division

    def _on_uai(self, element: etree._Element) -> None:
        if self.content.uai is not None:
            return
        self.content.uai = self._text[element.text].upper()
        self._root = element.getroottree().getroot()
        if self.content.uai != self.expected_uai:
            raise ImportRejected(
                f"Ce fichier est l'export SIECLE de l'établissement {self.content.uai}, "
                f"pas celui de votre établissement ({self.expected_uai}). Dans une cité "
                "scolaire, chaque UAI a son propre export : vérifiez celui que vous avez choisi."
            )

    def _drop_finished_elements(self, parser: etree.XMLPullParser, chunk_size: int) -> None:
        """Cut every finished element down to the students' depth; only the open path stays."""
        node = self._root
        assert node is not None  # called once the root element is known
        for _ in range(_RECORD_DEPTH):
            if len(node) == 0:
                break
            if len(node) > 1:
                del node[:-1]
            node = node[-1]
        self._watch_last_kept(parser, node, chunk_size)

    def _watch_last_kept(
        self, parser: etree.XMLPullParser, node: etree._Element, chunk_size: int
    ) -> None:
        """What is never cut must stay small, or a single huge element would fill memory."""
        if node is self._last_kept:
            self._last_kept_bytes += chunk_size
        else:
            self._last_kept, self._last_kept_bytes = node, 0
        if self._last_kept_bytes > limits.MAX_RECORD_BYTES:
            # Nothing moves either when libxml2 waits for the ";" of an "&": then say so.
            try:
                parser.close()
            except etree.XMLSyntaxError:
                if message := self._entity_error(parser):
                    raise ImportRejected(message) from None
            raise ImportRejected(
                f"Le fichier contient un élément anormalement volumineux (ligne "
                f"{node.sourceline}) : ce n'est pas un export SIECLE valide."
            )

    def _entity_error(self, parser: etree.XMLPullParser) -> str | None:
        """The message of an "&" libxml2 could not read, found when the parser is closed."""
        fatal = parser.feed_error_log.filter_from_fatals()
        if not fatal:
            return None
        first = fatal[0]
        if first.type == etree.ErrorTypes.ERR_UNDECLARED_ENTITY or "EntityRef" in first.message:
            return self._syntax_message(first.type, first.line, first.message)
        return None

    def _syntax_message(self, code: int, line: int, text: str) -> str:
        codes = etree.ErrorTypes
        if code == codes.ERR_RESOURCE_LIMIT and "depth" in text:
            return (
                f"Le fichier XML imbrique plus de {limits.MAX_DEPTH} niveaux d'éléments : "
                "ce n'est pas un export SIECLE."
            )
        if code in (codes.ERR_UNSUPPORTED_ENCODING, codes.ERR_UNKNOWN_ENCODING):
            return unsupported_encoding(self._encoding or "?")
        if code in (codes.ERR_INVALID_ENCODING, codes.ERR_INVALID_CHAR):
            return (
                f"Le fichier contient à la ligne {line} des caractères invalides pour "
                f"son encodage ({self._encoding or 'UTF-8'}) : réexportez-le depuis SIECLE "
                "sans l'ouvrir dans un autre logiciel."
            )
        if code == codes.ERR_UNDECLARED_ENTITY:
            name = _ENTITY_NAME.search(text)
            entity = f"&{name[1]};" if name else "&…;"
            return (
                f"Le fichier contient à la ligne {line} l'entité « {entity} », qui n'est "
                "pas définie : un export SIECLE n'en contient pas (seules &amp; &lt; &gt; "
                "&quot; &apos; existent en XML). Réexportez-le depuis SIECLE sans l'ouvrir "
                "dans un autre logiciel."
            )
        return (
            f"Le fichier XML est mal formé à la ligne {line} : réexportez-le depuis "
            "SIECLE sans l'ouvrir dans un autre logiciel."
        )


def _missing_uai(expected_uai: str) -> str:
    return (
        "Le fichier n'indique pas l'UAI de son établissement (PARAMETRES/UAJ) : impossible de "
        f"vérifier qu'il s'agit des élèves de votre établissement ({expected_uai})."
    )
