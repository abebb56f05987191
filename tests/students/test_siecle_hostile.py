"""Hostile uploads (quality.md, XML and ZIP): each is refused in French, fast, with bounded memory.

The one-second bound is the security property under test: a hostile file must not hold a worker.
"""

from __future__ import annotations

import io
import random
import socket
import stat
import struct
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from students.imports.parsers import ImportRejected, limits, parse_student_file
from students.imports.parsers.siecle import HARDENED_PARSER_OPTIONS
from students.imports.parsers.zip_member import _GuardedMember
from tests.students.siecle_files import UAI, Eleve, line_of, many_eleves, siecle_xml, zip_bytes

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DOCTYPE_REFUSED = (
    "Le fichier contient une déclaration DOCTYPE, refusée par sécurité : un export SIECLE "
    "n'en contient jamais."
)
BOMB = (
    "L'archive ZIP est anormalement compressée (plus de 100 pour 1) : refusée par sécurité. "
    "Un export SIECLE se compresse 20 à 30 fois."
)


def rejected_quickly(data: bytes) -> list[str]:
    started = time.monotonic()
    with pytest.raises(ImportRejected) as caught:
        parse_student_file(io.BytesIO(data), expected_uai=UAI)
    assert time.monotonic() - started < 1
    return caught.value.errors


def with_doctype(doctype: str, body: str = "<NOM_DE_FAMILLE>&xxe;</NOM_DE_FAMILLE>") -> bytes:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n{doctype}\n<BEE_ELEVES><PARAMETRES>'
        f"<UAJ>{UAI}</UAJ></PARAMETRES><DONNEES><ELEVES><ELEVE>{body}</ELEVE></ELEVES>"
        "</DONNEES></BEE_ELEVES>"
    ).encode()


# XML


def test_it_refuses_a_file_entity_without_reading_the_file(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("MOT-DE-PASSE-SECRET")
    data = with_doctype(f'<!DOCTYPE BEE_ELEVES [<!ENTITY xxe SYSTEM "{secret.as_uri()}">]>')

    errors = rejected_quickly(data)

    assert errors == [DOCTYPE_REFUSED]
    assert "SECRET" not in str(errors)


def test_it_refuses_a_parameter_entity(tmp_path):
    evil = tmp_path / "evil.dtd"
    evil.write_text('<!ENTITY xxe SYSTEM "file:///etc/passwd">')
    data = with_doctype(
        f'<!DOCTYPE BEE_ELEVES [<!ENTITY % remote SYSTEM "{evil.as_uri()}"> %remote;]>'
    )

    assert rejected_quickly(data) == [DOCTYPE_REFUSED]


def test_it_refuses_an_external_dtd_without_connecting_to_it():
    with socket.create_server(("127.0.0.1", 0)) as listener:
        port = listener.getsockname()[1]
        data = with_doctype(f'<!DOCTYPE BEE_ELEVES SYSTEM "http://127.0.0.1:{port}/evil.dtd">')

        assert rejected_quickly(data) == [DOCTYPE_REFUSED]

        listener.settimeout(0.2)
        with pytest.raises(TimeoutError):
            listener.accept()


def test_it_refuses_billion_laughs():
    entities = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10)
    ]
    data = with_doctype(f"<!DOCTYPE BEE_ELEVES [{''.join(entities)}]>", "<PRENOM>&lol9;</PRENOM>")

    assert rejected_quickly(data) == [DOCTYPE_REFUSED]


def test_it_refuses_a_quadratic_blowup():
    doctype = f'<!DOCTYPE BEE_ELEVES [<!ENTITY big "{"A" * 100_000}">]>'
    data = with_doctype(doctype, f"<PRENOM>{'&big;' * 100_000}</PRENOM>")

    assert rejected_quickly(data) == [DOCTYPE_REFUSED]


def test_it_refuses_a_doctype_hidden_after_comments_and_processing_instructions():
    data = with_doctype('<!-- export --><?pi x?>\n<!DOCTYPE BEE_ELEVES [<!ENTITY xxe "x">]>')

    assert rejected_quickly(data) == [DOCTYPE_REFUSED]


def test_the_parser_itself_would_not_read_an_entity_either(tmp_path):
    """Second line of defence, should a DOCTYPE ever get past the prolog check."""
    secret = tmp_path / "secret.txt"
    secret.write_text("MOT-DE-PASSE-SECRET")
    data = with_doctype(f'<!DOCTYPE BEE_ELEVES [<!ENTITY xxe SYSTEM "{secret.as_uri()}">]>')

    parser = etree.XMLPullParser(**HARDENED_PARSER_OPTIONS)
    parser.feed(data)

    assert b"SECRET" not in etree.tostring(parser.close())


def test_it_refuses_a_tree_deeper_than_256_levels():
    data = siecle_xml([Eleve(extra="<X>" * 300 + "</X>" * 300)])

    assert rejected_quickly(data) == [
        "Le fichier XML imbrique plus de 256 niveaux d'éléments : ce n'est pas un export SIECLE."
    ]


def test_it_refuses_another_kind_of_xml():
    data = b'<?xml version="1.0"?>\n<!-- Pronote --><ELEVES><ELEVE/></ELEVES>'

    assert rejected_quickly(data) == [
        "Ce fichier XML n'est pas un export SIECLE « ElevesSansAdresses » : il commence par "
        "<ELEVES> au lieu de <BEE_ELEVES>."
    ]


def test_it_refuses_bytes_that_are_not_xml():
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200)

    assert rejected_quickly(png) == [
        "Le fichier n'est pas un export SIECLE au format XML (ni une archive ZIP qui en "
        "contient un)."
    ]


@pytest.mark.parametrize("kept", [0.5, 0.99])
def test_it_refuses_a_truncated_file(kept):
    data = siecle_xml(many_eleves(50))

    errors = rejected_quickly(data[: int(len(data) * kept)])

    assert errors == ["Le fichier XML est incomplet : il s'arrête avant la fin (fichier tronqué)."]


def test_it_refuses_a_file_cut_inside_its_declaration():
    assert rejected_quickly(b'<?xml version="1.0" enco') == [
        "Le fichier XML est incomplet : il s'arrête avant la fin (fichier tronqué)."
    ]


def test_it_refuses_malformed_xml_naming_the_line():
    data = siecle_xml([Eleve(extra="<CODE_REGIME>2</CODE_REG>")])

    assert rejected_quickly(data) == [
        f"Le fichier XML est mal formé à la ligne {line_of(data, '</CODE_REG>')} : réexportez-le "
        "depuis SIECLE sans l'ouvrir dans un autre logiciel."
    ]


def test_it_refuses_utf_16():
    data = '<?xml version="1.0" encoding="UTF-16"?><BEE_ELEVES/>'.encode("utf-16")

    assert "« UTF-16 »" in rejected_quickly(data)[0]


def test_it_refuses_a_single_element_too_big_to_be_a_student():
    data = siecle_xml([Eleve(extra="<NOTE>" + "x" * 1_000_000 + "</NOTE>")])

    assert rejected_quickly(data) == [
        "Le fichier contient un élément anormalement volumineux (ligne 9) : ce n'est pas un "
        "export SIECLE valide."
    ]


def test_it_gives_up_on_a_file_whose_uai_does_not_come_first():
    data = siecle_xml([Eleve()]).replace(
        b"<PARAMETRES>", b"<PARAMETRES><JUNK>" + b"<X/>" * 300_000 + b"</JUNK>"
    )

    assert "n'indique pas l'UAI" in rejected_quickly(data)[0]


def test_it_parses_a_large_file_in_flat_memory():
    """A whole DOM takes about 10× the file; the streaming parse a small fraction of it."""
    students = many_eleves(20_000)
    ignored = (
        b"<OPTIONS>" + b'<OPTION ELEVE_ID="1"><CODE_MATIERE>030201</CODE_MATIERE></OPTION>' * 50_000
    )
    data = siecle_xml(students).replace(b"<STRUCTURES>", ignored + b"</OPTIONS><STRUCTURES>")
    assert 15 * limits.MiB < len(data) < limits.MAX_UPLOAD_BYTES

    growth = _peak_memory_growth_mib(data)

    assert growth < 60, (
        f"the parse took {growth:.0f} MiB for a {len(data) / limits.MiB:.0f} MiB file"
    )


def _peak_memory_growth_mib(data: bytes) -> float:
    """Peak RSS growth of a fresh interpreter parsing ``data``, the only honest measure."""
    script = (
        "import io, sys\n"
        "from pathlib import Path\n"
        "from students.imports.parsers import parse_student_file\n"
        "def rss(field):\n"
        "    status = Path('/proc/self/status').read_text().splitlines()\n"
        "    return next(int(l.split()[1]) for l in status if l.startswith(field)) / 1024\n"
        "data = sys.stdin.buffer.read()\n"
        "before = rss('VmHWM:')\n"
        f"parse_student_file(io.BytesIO(data), expected_uai='{UAI}')\n"
        "print(rss('VmHWM:') - before)\n"
    )
    completed = subprocess.run(
        [sys.executable, "-c", script],
        input=data,
        capture_output=True,
        cwd=PROJECT_ROOT,
        check=True,
    )
    return float(completed.stdout)


# ZIP


def test_it_refuses_a_zip_bomb_before_inflating_it():
    bomb = zip_bytes([("ElevesSansAdresses.xml", b"<BEE_ELEVES>" + b" " * 50_000_000)])

    assert rejected_quickly(bomb) == [BOMB]


def test_it_refuses_a_zip_bomb_whose_headers_lie_about_the_ratio():
    head = f"<BEE_ELEVES><PARAMETRES><UAJ>{UAI}</UAJ></PARAMETRES>".encode()
    bomb = ("ElevesSansAdresses.xml", head + (b"<X>" + b" " * 1000 + b"</X>") * 20_000)
    # zipfile reads as many compressed bytes as declared: give it real bytes to read
    padding = zipfile.ZipInfo("padding.bin")
    archive = zip_bytes([bomb, (padding, random.Random(0).randbytes(limits.MiB))])
    declared_ratio_of_20 = len(bomb[1]) // 20
    liar = _patch_central_directory(archive, compress_size=declared_ratio_of_20)

    assert rejected_quickly(liar) == [BOMB]


def test_it_refuses_a_zip_whose_headers_understate_the_size():
    archive = zip_bytes([("ElevesSansAdresses.xml", siecle_xml(many_eleves(200)))])
    liar = _patch_central_directory(archive, file_size=10_000)

    assert rejected_quickly(liar) == [
        "L'archive ZIP est illisible ou endommagée : recréez-la à partir de l'export SIECLE."
    ]


def test_the_member_reader_stops_at_the_inflated_cap_whatever_the_headers_say(monkeypatch):
    monkeypatch.setattr(limits, "MAX_INFLATED_BYTES", 1000)
    monkeypatch.setattr(limits, "MAX_COMPRESSION_RATIO", 10**9)
    archive_file = _CountedBytes(b"compressed")
    member = _GuardedMember(io.BytesIO(b"<BEE_ELEVES>" + b" " * 2000), archive_file)

    member.read(800)
    with pytest.raises(ImportRejected, match="Une fois décompressé, le fichier dépasse"):
        member.read(800)


def test_it_refuses_a_zip_with_two_xml_files():
    archive = zip_bytes([("a/eleves.xml", siecle_xml([Eleve()])), ("b.XML", b"<BEE_ELEVES/>")])

    assert rejected_quickly(archive) == [
        "L'archive ZIP contient 2 fichiers .xml (a/eleves.xml, b.XML) : elle doit n'en contenir "
        "qu'un, l'export SIECLE « ElevesSansAdresses »."
    ]


def test_it_refuses_a_zip_without_xml():
    archive = zip_bytes([("ElevesSansAdresses.csv", b"INE;NOM"), ("._eleves.xml", b"mac")])

    assert rejected_quickly(archive)[0].startswith("L'archive ZIP ne contient aucun fichier .xml")


@pytest.mark.parametrize("name", ["ElevesSansAdresses.xml", "ElevesSansAdresses.zip"])
def test_it_refuses_a_zip_inside_the_zip(name):
    inner = zip_bytes([("ElevesSansAdresses.xml", siecle_xml([Eleve()]))])

    assert rejected_quickly(zip_bytes([(name, inner)])) == [
        "L'archive ZIP contient une autre archive : déposez directement l'export SIECLE "
        "(le fichier .xml, ou un .zip qui le contient)."
    ]


def test_it_refuses_a_symlink_member():
    link = zipfile.ZipInfo("ElevesSansAdresses.xml")
    link.external_attr = (stat.S_IFLNK | 0o777) << 16

    assert rejected_quickly(zip_bytes([(link, b"/etc/passwd")])) == [
        "L'archive ZIP contient un lien symbolique (« ElevesSansAdresses.xml ») : refusé par "
        "sécurité."
    ]


def test_it_refuses_a_directory_posing_as_the_export():
    directory = zipfile.ZipInfo("ElevesSansAdresses.xml")
    directory.external_attr = (stat.S_IFDIR | 0o755) << 16

    assert rejected_quickly(zip_bytes([(directory, b"")])) == [
        "Dans l'archive ZIP, « ElevesSansAdresses.xml » est un dossier et non un fichier."
    ]


def test_it_refuses_an_encrypted_zip():
    archive = zip_bytes([("ElevesSansAdresses.xml", siecle_xml([Eleve()]))])
    encrypted = _patch_central_directory(archive, flag_bits=0x1)

    assert rejected_quickly(encrypted)[0].startswith(
        "L'archive ZIP est protégée par un mot de passe"
    )


def test_it_refuses_a_zip_with_many_entries():
    archive = zip_bytes([(f"{index}.txt", b"") for index in range(limits.MAX_ZIP_ENTRIES + 1)])

    assert rejected_quickly(archive) == [
        "L'archive ZIP contient trop de fichiers (plus de 16) : elle ne doit contenir que "
        "l'export SIECLE."
    ]


def test_it_refuses_a_damaged_zip():
    archive = zip_bytes([("ElevesSansAdresses.xml", siecle_xml(many_eleves(20)))])

    assert rejected_quickly(archive[:-30]) == [
        "L'archive ZIP est illisible ou endommagée : recréez-la à partir de l'export SIECLE."
    ]


def test_it_refuses_an_oversized_upload():
    oversized = b"<" + b" " * limits.MAX_UPLOAD_BYTES

    assert rejected_quickly(oversized) == [
        "Le fichier fait 20,0 Mo : la taille maximale est de 20 Mo."
    ]


class _CountedBytes(io.BytesIO):
    bytes_read = 0


def _patch_central_directory(archive: bytes, **fields: int) -> bytes:
    """Rewrite what the central directory declares about the first member."""
    layout = {"flag_bits": (8, "<H"), "compress_size": (20, "<L"), "file_size": (24, "<L")}
    patched = bytearray(archive)
    entry = patched.index(b"PK\x01\x02")
    for name, value in fields.items():
        offset, format = layout[name]
        struct.pack_into(format, patched, entry + offset, value)
    return bytes(patched)
