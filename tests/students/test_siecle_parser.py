"""The SIECLE export as a school admin uploads it: who is imported, who is not, and why not."""

from __future__ import annotations

import datetime
import io
from pathlib import Path

import pytest

from students.imports.parsers import (
    ImportRejected,
    ParseResult,
    StudentRow,
    limits,
    parse_student_file,
)
from tests.students.siecle_files import UAI, Eleve, line_of, many_eleves, siecle_xml, zip_bytes

SAMPLE_FILE = Path(__file__).resolve().parents[1] / "data" / "ElevesSansAdresses-sample.xml"


def parse(data: bytes, **kwargs) -> ParseResult:
    return parse_student_file(io.BytesIO(data), expected_uai=kwargs.pop("uai", UAI), **kwargs)


def rejection(data: bytes, **kwargs) -> list[str]:
    with pytest.raises(ImportRejected) as caught:
        parse(data, **kwargs)
    return caught.value.errors


# The real sample


def test_it_reads_the_sample_export():
    result = parse_student_file(SAMPLE_FILE, expected_uai="0750001A")

    assert (result.uai, result.school_year, result.divisions) == ("0750001A", "2026", ["3E2"])
    aurelie, timothee = result.students
    assert aurelie == StudentRow(
        ine="070803070AJ",
        last_name="COEURVOLAN",
        preferred_last_name="COEURVOLAN",
        first_name="Aurélie",
        first_name2="Maëlys",
        first_name3="",
        sex="F",
        birthdate=datetime.date(2012, 2, 14),
        birth_country_code="99100",
        birth_city_code="75114",
        birth_city="PARIS 14E ARRONDISSEMENT",
        birth_department_code="075",
        mef_code="10310019110",
        status="ST",
        division="3E2",
        line=11,
    )
    assert (timothee.last_name, timothee.first_name) == ("SŒUR-DUVAL", "Timothée")
    assert (timothee.birth_country_code, timothee.birth_city_code) == ("99132", "")
    assert [(s.reason, s.label) for s in result.skipped] == [("left", "MARTIN Hugo")]


# Who is imported


def test_it_imports_every_student_with_an_ine_and_a_class_in_file_order():
    result = parse(siecle_xml(many_eleves(3, division="4B")))

    assert [s.ine for s in result.students] == ["070000000AA", "070000001AA", "070000002AA"]
    assert result.skipped == []
    assert result.divisions == ["4B"]


def test_it_translates_the_siecle_codes():
    girl_born_in_geneva = Eleve(sex="2", country="132", insee=None, department=None, city="GENÈVE")
    student = parse(siecle_xml([girl_born_in_geneva])).students[0]

    assert (student.sex, student.birth_country_code, student.birth_city) == ("F", "99132", "GENÈVE")
    assert student.birthdate == datetime.date(2012, 2, 14)


def test_it_takes_the_class_from_the_d_structure_and_ignores_groups():
    data = siecle_xml([Eleve(division="3E1", groups=("LATIN", "CHORALE"))])

    assert parse(data).students[0].division == "3E1"


def test_it_cleans_the_ine_and_the_values():
    student = parse(siecle_xml([Eleve(ine=" 070803070aj ", last_name=" DUPRÉ ")])).students[0]

    assert (student.ine, student.last_name) == ("070803070AJ", "DUPRÉ")


def test_it_reports_the_line_of_each_student():
    data = siecle_xml(many_eleves(2))

    lines = [student.line for student in parse(data).students]

    assert lines == [line_of(data, '<ELEVE ELEVE_ID="40001">'), line_of(data, 'ELEVE_ID="40002">')]


def test_it_lists_the_classes_sorted():
    students = [
        Eleve(ine="070000001AA", division="6B"),
        Eleve(ine="070000002AA", division="3A"),
        Eleve(ine="070000003AA", division="6B"),
    ]

    assert parse(siecle_xml(students)).divisions == ["3A", "6B"]


# Who is skipped, and counted in the report


def test_it_skips_students_who_left_the_school():
    result = parse(siecle_xml([Eleve(), Eleve(ine="070000001AA", left_on="20/10/2026")]))

    assert len(result.students) == 1
    assert [(s.reason, s.label) for s in result.skipped] == [("left", "MARTIN Hugo")]


def test_it_skips_students_without_an_ine():
    result = parse(siecle_xml([Eleve(), Eleve(ine=None, last_name="NOËL", first_name="Zoé")]))

    assert [(s.reason, s.label) for s in result.skipped] == [("no_ine", "NOËL Zoé")]


@pytest.mark.parametrize(
    ("division", "groups"), [(None, ()), (None, ("LATIN",)), ("Inactifs", ()), ("INACTIFS", ())]
)
def test_it_skips_students_without_a_class(division, groups):
    unplaced = Eleve(ine="070000001AA", first_name="Léa", division=division, groups=groups)

    result = parse(siecle_xml([Eleve(), unplaced]))

    assert [(s.reason, s.label) for s in result.skipped] == [("no_division", "MARTIN Léa")]


def test_it_does_not_check_the_students_it_skips():
    left_without_birthdate = Eleve(ine="070000001AA", birthdate=None, left_on="01/10/2026")

    assert len(parse(siecle_xml([Eleve(), left_without_birthdate])).students) == 1


# What rejects the whole file


def test_it_rejects_a_file_for_another_uai():
    errors = rejection(siecle_xml([Eleve()], uai="0750002B"), uai="0750001a")

    assert errors == [
        "Ce fichier est l'export SIECLE de l'établissement 0750002B, pas celui de votre "
        "établissement (0750001A). Dans une cité scolaire, chaque UAI a son propre export : "
        "vérifiez celui que vous avez choisi."
    ]


def test_it_rejects_a_file_without_uai():
    errors = rejection(siecle_xml([Eleve()], uai=None))

    assert "n'indique pas l'UAI" in errors[0]
    assert "(0750001A)" in errors[0]


def test_it_rejects_a_file_where_an_ine_appears_twice():
    data = siecle_xml([Eleve(), Eleve(first_name="Léa")])

    errors = rejection(data)

    first, second = line_of(data, 'ELEVE_ID="40001"'), line_of(data, 'ELEVE_ID="40002"')
    assert errors == [
        f"Élève INE 070803070AJ (ligne {second}) : cet INE (ID_NATIONAL) figure déjà à la "
        f"ligne {first} ; chaque élève doit avoir un INE unique."
    ]


@pytest.mark.parametrize(
    ("missing", "message"),
    [
        ("last_name", "le nom de famille (NOM_DE_FAMILLE) est manquant"),
        ("first_name", "le prénom (PRENOM) est manquant"),
        ("sex", "le sexe (CODE_SEXE) est manquant"),
        ("birthdate", "la date de naissance (DATE_NAISS) est manquante"),
    ],
)
def test_it_rejects_a_student_missing_a_required_field(missing, message):
    data = siecle_xml([Eleve(**{missing: None})])

    assert rejection(data) == [f"Élève INE 070803070AJ (ligne 9) : {message}."]


@pytest.mark.parametrize("birthdate", ["31/02/2012", "2012-02-14", "1/2/2012", "14/02/12"])
def test_it_rejects_a_birthdate_that_is_not_a_real_jj_mm_aaaa_date(birthdate):
    errors = rejection(siecle_xml([Eleve(birthdate=birthdate)]))

    assert errors == [
        f"Élève INE 070803070AJ (ligne 9) : la date de naissance (DATE_NAISS) « {birthdate} » "
        "n'est pas une date valide au format JJ/MM/AAAA."
    ]


def test_it_rejects_a_sex_code_other_than_1_or_2():
    errors = rejection(siecle_xml([Eleve(sex="M")]))

    assert errors == [
        "Élève INE 070803070AJ (ligne 9) : le sexe (CODE_SEXE) « M » n'est pas valide : "
        "1 (masculin) ou 2 (féminin)."
    ]


def test_it_rejects_a_student_born_in_france_without_insee_code():
    errors = rejection(siecle_xml([Eleve(insee=None)]))

    assert errors == [
        "Élève INE 070803070AJ (ligne 9) : l'élève est né(e) en France (CODE_PAYS 100) mais le "
        "code INSEE de sa commune de naissance (CODE_COMMUNE_INSEE_NAISS) est manquant."
    ]


def test_it_lists_every_problem_of_the_file_at_once():
    students = [
        Eleve(ine="070000001AA", birthdate="30/02/2012"),
        Eleve(ine="070000002AA"),
        Eleve(ine="070000003AA", sex=None, first_name=None),
    ]

    errors = rejection(siecle_xml(students))

    assert [error.split(" (ligne")[0] for error in errors] == [
        "Élève INE 070000001AA",
        "Élève INE 070000003AA",
        "Élève INE 070000003AA",
    ]
    assert "PRENOM" in errors[1]
    assert "CODE_SEXE" in errors[2]


def test_it_caps_the_list_of_problems():
    errors = rejection(siecle_xml(many_eleves(limits.MAX_REPORTED_ERRORS + 5, sex=None)))

    assert len(errors) == limits.MAX_REPORTED_ERRORS + 1
    assert errors[-1] == "… et 5 autres erreurs."


def test_it_rejects_a_file_with_nobody_to_import():
    errors = rejection(siecle_xml([Eleve(division=None), Eleve(ine=None)]))

    assert errors == ["Aucun élève à importer : les élèves doivent avoir un INE et une classe."]


# Encodings


def test_it_reads_iso_8859_15_with_its_ligatures_and_euro_sign():
    student = Eleve(last_name="BŒUF", first_name="Œdipe", first_name2="Bœuf", city="SAINT-€")

    row = parse(siecle_xml([student], encoding="ISO-8859-15")).students[0]

    assert (row.last_name, row.first_name, row.first_name2, row.birth_city) == (
        "BŒUF",
        "Œdipe",
        "Bœuf",
        "SAINT-€",
    )


def test_it_reads_iso_8859_1():
    row = parse(siecle_xml([Eleve(first_name="Anaïs Çéline")], encoding="ISO-8859-1")).students[0]

    assert row.first_name == "Anaïs Çéline"


@pytest.mark.parametrize("bom", [False, True])
def test_it_reads_utf_8_with_or_without_bom(bom):
    row = parse(siecle_xml([Eleve(first_name="Œdipe")], encoding="UTF-8", bom=bom)).students[0]

    assert row.first_name == "Œdipe"


def test_it_rejects_an_unsupported_encoding():
    errors = rejection(siecle_xml([Eleve()], encoding="KOI8-R"))

    assert errors == [
        "L'encodage « KOI8-R » du fichier n'est pas pris en charge : un export SIECLE est en "
        "ISO-8859-15, ISO-8859-1 ou UTF-8."
    ]


def test_it_rejects_bytes_that_do_not_match_the_declared_encoding():
    data = siecle_xml([Eleve(first_name="Zoé")], encoding="ISO-8859-15", declared_encoding="UTF-8")

    assert "caractères invalides pour son encodage (UTF-8)" in rejection(data)[0]


# Sources and containers


def test_it_reads_a_path_or_a_file_object(tmp_path):
    data = siecle_xml([Eleve()])
    path = tmp_path / "ElevesSansAdresses.xml"
    path.write_bytes(data)

    assert parse_student_file(path, expected_uai=UAI) == parse(data)
    assert parse_student_file(str(path), expected_uai=UAI) == parse(data)


def test_it_reads_a_django_upload_even_when_already_read():
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("ElevesSansAdresses.xml", siecle_xml([Eleve()]))
    upload.read()

    assert len(parse_student_file(upload, expected_uai=UAI).students) == 1


def test_it_reads_the_export_inside_a_zip_made_on_a_mac():
    archive = zip_bytes(
        [
            ("ElevesSansAdresses.xml", siecle_xml([Eleve()])),
            ("__MACOSX/._ElevesSansAdresses.xml", b"\x00\x05\x16\x07 apple double"),
            (".DS_Store", b"\x00\x00\x00\x01Bud1"),
            ("export/", b""),
        ]
    )

    assert [s.ine for s in parse(archive).students] == ["070803070AJ"]


def test_it_tells_a_zip_by_its_bytes_not_its_name(tmp_path):
    misnamed = tmp_path / "ElevesSansAdresses.xml"
    misnamed.write_bytes(zip_bytes([("export.XML", siecle_xml([Eleve()]))]))

    assert len(parse_student_file(misnamed, expected_uai=UAI).students) == 1


def test_it_reads_a_siecle_export_sent_by_an_agricultural_school():
    assert len(parse(siecle_xml([Eleve()]), agricultural=True).students) == 1


def test_it_rejects_a_csv_from_a_general_school():
    errors = rejection(b"Identifiant unique*;Premier pr\xc3\xa9nom*\r\n070803070AJ;Zo\xc3\xa9\r\n")

    assert errors == [
        "Le fichier n'est pas un export SIECLE au format XML (ni une archive ZIP qui en "
        "contient un)."
    ]


def test_it_rejects_an_empty_file():
    assert rejection(b"") == ["Le fichier est vide."]
