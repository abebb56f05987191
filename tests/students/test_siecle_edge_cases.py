"""SIECLE exports as schools really send them (domain.md §3, "SIECLE details"), and the
messages of broken XML, from look-alike files."""

from __future__ import annotations

import io
import zipfile

import pytest

from students.imports.parsers import ImportRejected, ParseResult, parse_student_file
from students.imports.reading import read_student_file
from tests.students.siecle_files import UAI, Eleve, line_of, many_eleves, siecle_xml, zip_bytes

OTHER_SCHOOL_MESSAGE = (
    "Ce fichier est l'export SIECLE de l'établissement 0750002B, pas celui de votre "
    "établissement (0750001A). Dans une cité scolaire, chaque UAI a son propre export : "
    "vérifiez celui que vous avez choisi."
)


def parse(data: bytes) -> ParseResult:
    return parse_student_file(io.BytesIO(data), expected_uai=UAI)


def rejection(data: bytes) -> list[str]:
    with pytest.raises(ImportRejected) as caught:
        parse(data)
    return caught.value.errors


def eleve(number: int, **fields) -> Eleve:
    return Eleve(ine=f"{70_000_000 + number:09d}AA", **fields)


# --- Garbled names ----------------------------------------------------------------------------


def test_names_of_a_utf_8_file_resaved_as_iso_8859_15_are_refused_naming_ine_and_field():
    students = [eleve(1, first_name="Leïla"), eleve(2, last_name="François", first_name3="Zoé")]
    garbled = siecle_xml(students, encoding="utf-8", declared_encoding="ISO-8859-15")

    errors = rejection(garbled)

    advice = (
        " : le fichier a été enregistré dans un mauvais encodage après son export ; exportez-le "
        "à nouveau sans l'ouvrir ni l'enregistrer dans un autre logiciel."
    )
    first, second = line_of(garbled, "070000001AA") - 1, line_of(garbled, "070000002AA") - 1
    assert errors == [
        f"Élève INE 070000001AA (ligne {first}) : le prénom (PRENOM) « LeÃ¯la » est illisible "
        f"(sans doute « Leïla »){advice}",
        f"Élève INE 070000002AA (ligne {second}) : le nom de famille (NOM_DE_FAMILLE) "
        f"« FranÃ§ois » est illisible (sans doute « François »){advice}",
        f"Élève INE 070000002AA (ligne {second}) : le troisième prénom (PRENOM3) « ZoÃ© » est "
        f"illisible (sans doute « Zoé »){advice}",
    ]


def test_real_letters_hyphens_and_apostrophes_are_accepted():
    names = {
        "last_name": "ŒUVRARD-L'HŸVER",
        "preferred_last_name": "ŠKODA",
        "first_name": "Chloé-Œlie",
        "first_name2": "Jean-François",
        "first_name3": "Maël",
    }

    student = parse(siecle_xml([eleve(1, **names)])).students[0]

    assert (student.last_name, student.preferred_last_name) == ("ŒUVRARD-L'HŸVER", "ŠKODA")
    assert (student.first_name, student.first_name2) == ("Chloé-Œlie", "Jean-François")


# --- Class, MEF, INE --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("division", "more", "expected"),
    [
        ("3E1", ("3E2",), "3E2"),
        ("3E1", ("Inactifs",), "3E1"),
        ("Inactifs", ("3E2",), "3E2"),
        ("INACTIFS", ("3E2", "inactifs"), "3E2"),
    ],
)
def test_the_class_is_the_last_d_structure_that_is_not_inactifs(division, more, expected):
    data = siecle_xml([eleve(1, division=division, more_divisions=more, groups=("LATIN",))])

    assert [student.division for student in parse(data).students] == [expected]


def test_a_student_whose_only_d_structure_is_inactifs_is_skipped():
    data = siecle_xml([eleve(1), eleve(2, division="Inactifs", more_divisions=("Inactifs",))])

    assert [skipped.reason for skipped in parse(data).skipped] == ["no_division"]


LAST_YEAR = (
    "<SCOLARITE_AN_DERNIER><CODE_MEF>10010012110</CODE_MEF><CODE_RNE>0750099Z</CODE_RNE>"
    "</SCOLARITE_AN_DERNIER>"
)


def test_code_mef_counts_only_as_a_direct_child_of_eleve():
    data = siecle_xml([eleve(1, mef="10310019110", extra=LAST_YEAR), eleve(2, mef=None)])
    data = data.replace(b"</ELEVE>", LAST_YEAR.encode() + b"</ELEVE>")

    assert [student.mef_code for student in parse(data).students] == ["10310019110", ""]


def test_last_year_before_this_year_does_not_change_the_mef_either():
    data = siecle_xml([eleve(1, mef=None)]).replace(
        b'<ELEVE ELEVE_ID="40001">', b'<ELEVE ELEVE_ID="40001">' + LAST_YEAR.encode()
    )
    data = data.replace(b"<CODE_STATUT>", b"<CODE_MEF>10310019110</CODE_MEF><CODE_STATUT>")

    assert parse(data).students[0].mef_code == "10310019110"


@pytest.mark.parametrize(
    "empty", [b"<ID_NATIONAL/>", b"<ID_NATIONAL></ID_NATIONAL>", b"<ID_NATIONAL>  </ID_NATIONAL>"]
)
def test_an_empty_id_national_is_skipped_like_an_absent_one(empty):
    data = siecle_xml([eleve(1), eleve(2, last_name="SANSINE")])
    data = data.replace(b"<ID_NATIONAL>070000002AA</ID_NATIONAL>", empty)

    result = parse(data)

    assert [student.ine for student in result.students] == ["070000001AA"]
    assert [(s.reason, s.label) for s in result.skipped] == [("no_ine", "SANSINE Hugo")]


# --- ZIP --------------------------------------------------------------------------------------


def test_a_zip_holds_its_one_xml_at_any_depth_and_dot_entries_are_ignored():
    export = siecle_xml([eleve(1)])
    decoy = siecle_xml([eleve(9)], uai="0750002B")
    data = zip_bytes(
        [
            ("Exports/2026/Septembre/ElevesSansAdresses.xml", export),
            ("__MACOSX/Exports/2026/Septembre/._ElevesSansAdresses.xml", b"\x00\x05\x16\x07"),
            ("Exports/.DS_Store", b"\x00\x00\x00\x01Bud1"),
            (".Trash/ElevesSansAdresses.xml", decoy),
            ("Exports/.old/ElevesSansAdresses.xml", decoy),
            ("Exports/2026/.~lock.ElevesSansAdresses.xml#", b"lock"),
            ("../ElevesSansAdresses.xml", decoy),
            ("Exports/./copie.xml", decoy),
        ]
    )

    assert [student.ine for student in parse(data).students] == ["070000001AA"]


def test_two_xml_files_in_different_folders_are_refused():
    export = siecle_xml([eleve(1)])

    errors = rejection(zip_bytes([("a/ElevesSansAdresses.xml", export), ("b/c/copie.XML", export)]))

    assert errors == [
        "L'archive ZIP contient 2 fichiers .xml (a/ElevesSansAdresses.xml, b/c/copie.XML) : elle "
        "doit n'en contenir qu'un, l'export SIECLE « ElevesSansAdresses »."
    ]


def test_a_zip_whose_only_xml_is_a_dot_file_has_no_export():
    errors = rejection(zip_bytes([("Exports/.ElevesSansAdresses.xml", siecle_xml([eleve(1)]))]))

    assert errors == [
        "L'archive ZIP ne contient aucun fichier .xml : elle doit contenir l'export SIECLE "
        "« ElevesSansAdresses »."
    ]


# --- The UAJ first ----------------------------------------------------------------------------


def _other_school(students: list[Eleve]) -> bytes:
    return siecle_xml(students, uai="0750002B")


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda data: data, id="valid"),
        pytest.param(
            lambda data: data.replace(b"</PRENOM>", b"</PRENM>", 1), id="malformed-element"
        ),
        pytest.param(lambda data: data.replace(b"MARTIN", b"M&x;N", 1), id="undefined-entity"),
        pytest.param(lambda data: data[: len(data) * 2 // 3], id="truncated"),
        pytest.param(
            lambda data: data.replace(b"<UAJ>0750002B</UAJ>", b"<UAJ>0750002B</UAJ>\xff\xfe"),
            id="invalid-bytes",
        ),
    ],
)
def test_another_schools_file_gets_only_the_uai_message(damage):
    students = [eleve(1, sex=None), eleve(1, birthdate="1/1/12"), eleve(3, insee=None)]

    assert rejection(damage(_other_school(students))) == [OTHER_SCHOOL_MESSAGE]
    zipped = zip_bytes([("ElevesSansAdresses.xml", damage(_other_school(students)))])
    assert rejection(zipped) == [OTHER_SCHOOL_MESSAGE]


# --- Broken XML messages ----------------------------------------------------------------------


@pytest.mark.parametrize("students", [1, 2000])
def test_an_undefined_entity_is_reported_as_such_with_its_line(students):
    data = siecle_xml(many_eleves(students)).replace(b"MARTIN", b"MART&eacute;N", 1)

    assert rejection(data) == [
        f"Le fichier contient à la ligne {line_of(data, '&eacute;')} l'entité « &eacute; », qui "
        "n'est pas définie : un export SIECLE n'en contient pas (seules &amp; &lt; &gt; &quot; "
        "&apos; existent en XML). Réexportez-le depuis SIECLE sans l'ouvrir dans un autre "
        "logiciel."
    ]


def test_an_error_message_never_carries_the_line_of_an_earlier_file():
    with pytest.raises(ImportRejected):
        parse(siecle_xml(many_eleves(3)).replace(b"</PRENOM>", b"</PRENM>", 1))
    data = siecle_xml(many_eleves(3000))
    position = data.index(b"</PRENOM>", len(data) // 2)
    data = data[:position] + b"</PRENM>" + data[position + len(b"</PRENOM>") :]

    assert rejection(data) == [
        f"Le fichier XML est mal formé à la ligne {line_of(data, '</PRENM>')} : réexportez-le "
        "depuis SIECLE sans l'ouvrir dans un autre logiciel."
    ]


def test_zip_member_names_with_dot_segments_are_never_opened():
    info = zipfile.ZipInfo("../../etc/ElevesSansAdresses.xml")
    data = zip_bytes([(info, siecle_xml([eleve(2)])), ("E.xml", siecle_xml([eleve(1)]))])

    assert [student.ine for student in parse(data).students] == ["070000001AA"]


def test_a_bare_ampersand_is_reported_where_it_is_not_as_a_truncated_file():
    data = siecle_xml(many_eleves(3)).replace(b"MARTIN", b"MARTIN & FILS", 1)

    assert rejection(data) == [
        f"Le fichier XML est mal formé à la ligne {line_of(data, '& FILS')} : réexportez-le "
        "depuis SIECLE sans l'ouvrir dans un autre logiciel."
    ]


@pytest.fixture(scope="module")
def big_export() -> bytes:
    """Above 8 MiB: the size from which the import reads a file with several processes."""
    data = siecle_xml(many_eleves(11_500))
    assert len(data) >= 8 * 1024 * 1024
    return data


@pytest.mark.parametrize(
    ("damage", "mark", "message"),
    [
        (b"</PRENM>", "</PRENM>", "Le fichier XML est mal formé à la ligne {line}"),
        (b"&x;</PRENOM>", "&x;", "Le fichier contient à la ligne {line} l'entité « &x; »"),
        (b"& </PRENOM>", "& <", "Le fichier XML est mal formé à la ligne {line}"),
    ],
)
@pytest.mark.parametrize("where", [0.1, 0.6])
def test_a_syntax_error_in_a_file_of_8_mb_and_more_names_its_real_line(
    big_export, tmp_path, damage, mark, message, where
):
    position = big_export.index(b"</PRENOM>", int(len(big_export) * where))
    data = big_export[:position] + damage + big_export[position + len(b"</PRENOM>") :]
    path = tmp_path / "ElevesSansAdresses.xml"
    path.write_bytes(data)

    with pytest.raises(ImportRejected) as rejected:
        read_student_file(path, expected_uai=UAI, agricultural=False)

    assert len(rejected.value.errors) == 1
    assert rejected.value.errors[0].startswith(message.format(line=line_of(data, mark)))
