"""Checks on the bytes before the root element, made before lxml sees any of them.

SIECLE exports are an XML declaration followed by <BEE_ELEVES>. Refusing anything else here
(a DOCTYPE above all) means entity tricks never reach libxml2. The scan is byte-wise, which is
sound because every accepted encoding writes ASCII as ASCII.
"""

from __future__ import annotations

import codecs
import re

from .results import ImportRejected

ROOT_ELEMENT = b"BEE_ELEVES"
UTF8_BOM = codecs.BOM_UTF8
UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
# Python codec names of the encodings an export (or a re-saved export) is written in.
SUPPORTED_ENCODINGS = {"utf-8", "iso8859-15", "iso8859-1", "cp1252", "ascii"}

_WHITESPACE = b" \t\r\n"
# The XML 1.0 grammar of the declaration (XMLDecl), so that no encoding slips past unread.
_XML_DECLARATION = re.compile(
    rb"""<\?xml\s+version\s*=\s*(["'])1\.[0-9]+\1"""
    rb"""(?:\s+encoding\s*=\s*(["'])(?P<encoding>[A-Za-z][A-Za-z0-9._-]*)\2)?"""
    rb"""(?:\s+standalone\s*=\s*(["'])(?:yes|no)\4)?\s*\?>"""
)
_XML_DECLARATION_START = re.compile(rb"<\?xml\s")
_ELEMENT_NAME = re.compile(rb"<([^\s/>]{1,64})")

NOT_XML = (
    "Le fichier n'est pas un export SIECLE au format XML (ni une archive ZIP qui en contient un)."
)
TRUNCATED = "Le fichier XML est incomplet : il s'arrête avant la fin (fichier tronqué)."
DOCTYPE = (
    "Le fichier contient une déclaration DOCTYPE, refusée par sécurité : "
    "un export SIECLE n'en contient jamais."
)


def looks_like_xml(head: bytes) -> bool:
    if head.startswith(UTF16_BOMS):
        return True
    if head.startswith(UTF8_BOM):
        head = head[len(UTF8_BOM) :]
    return head.lstrip(_WHITESPACE).startswith(b"<")


def check_prolog(head: bytes, *, is_whole_file: bool) -> str | None:
    """Refuse a DTD, an encoding we do not read, or a root element other than BEE_ELEVES.

    ``head`` is the start of the file; ``is_whole_file`` says the file ends there.
    Returns the declared encoding, if any.
    """
    if head.startswith(UTF16_BOMS):
        raise ImportRejected(unsupported_encoding("UTF-16"))
    position = len(UTF8_BOM) if head.startswith(UTF8_BOM) else 0
    encoding = None
    while True:
        while position < len(head) and head[position] in _WHITESPACE:
            position += 1
        if _XML_DECLARATION_START.match(head, position):
            position, encoding = _check_declaration(head, position, is_whole_file)
        elif head.startswith(b"<?", position):
            position = _skip_past(head, position, b"?>", is_whole_file)
        elif head.startswith(b"<!--", position):
            position = _skip_past(head, position, b"-->", is_whole_file)
        elif head.startswith(b"<!", position):
            raise ImportRejected(DOCTYPE)
        elif head.startswith(b"<", position):
            _check_root(head, position)
            return encoding
        elif position >= len(head) and is_whole_file:
            raise ImportRejected(TRUNCATED)
        else:
            raise ImportRejected(NOT_XML)


def unsupported_encoding(name: str) -> str:
    return (
        f"L'encodage « {name} » du fichier n'est pas pris en charge : "
        "un export SIECLE est en ISO-8859-15, ISO-8859-1 ou UTF-8."
    )


def _check_declaration(head: bytes, position: int, is_whole_file: bool) -> tuple[int, str | None]:
    declaration = _XML_DECLARATION.match(head, position)
    if declaration is None:
        cut_short = is_whole_file and b"?>" not in head[position:]
        raise ImportRejected(TRUNCATED if cut_short else NOT_XML)
    if declaration["encoding"] is None:
        return declaration.end(), None
    name = declaration["encoding"].decode("ascii")
    try:
        codec = codecs.lookup(name).name
    except LookupError:
        codec = None
    if codec not in SUPPORTED_ENCODINGS:
        raise ImportRejected(unsupported_encoding(name))
    return declaration.end(), name


def _skip_past(head: bytes, position: int, terminator: bytes, is_whole_file: bool) -> int:
    end = head.find(terminator, position)
    if end < 0:
        raise ImportRejected(TRUNCATED if is_whole_file else NOT_XML)
    return end + len(terminator)


def _check_root(head: bytes, position: int) -> None:
    name = _ELEMENT_NAME.match(head, position)
    if name is None:
        raise ImportRejected(NOT_XML)
    if name[1] != ROOT_ELEMENT:
        found = name[1].decode("latin-1")
        raise ImportRejected(
            f"Ce fichier XML n'est pas un export SIECLE « ElevesSansAdresses » : "
            f"il commence par <{found}> au lieu de <BEE_ELEVES>."
        )
