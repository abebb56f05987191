"""The agricultural CSV as FREGATA exports it today (domain.md §3), from look-alike files."""

from __future__ import annotations

import datetime

import pytest

from tests.students.siecle_files import AGRI_LABELS, agri_row, fregata_export
from tests.students.test_agri_csv import parse, rejection


def student(number: int, **changes: str) -> dict[str, str]:
    return agri_row(ine=f"{70_000_000 + number:09d}AA", **changes)


def test_it_reads_a_current_export_with_its_trailing_semicolons_indents_and_blank_lines():
    rows = [
        student(1, sex="Masculin", birth_city=""),
        student(2, sex="FÉMININ", birthdate="14/02/08", division="  Division     1 "),
        student(3, sex="féminin", birth_city_code="2a004", birth_department_code="2A"),
        student(4, sex="m", birth_city_code="97411", birth_department_code="974"),
        student(
            5,
            sex="f",
            birth_country_code="99132",
            birth_city_code="",
            birth_city="LONDRES",
            birth_department_code="99",
            birthdate="01/09/99",
        ),
    ]

    result = parse(fregata_export(rows, indent="  ", tail="\r\n\r\n;;;;\r\n"))

    got = [
        (s.line, s.sex, s.birthdate, s.birth_city_code, s.birth_city, s.division)
        for s in result.students
    ]
    assert got == [
        (2, "M", datetime.date(2008, 2, 14), "29019", "", "2NDE PRO A"),
        (3, "F", datetime.date(2008, 2, 14), "29019", "BREST", "Division 1"),
        (4, "F", datetime.date(2008, 2, 14), "2A004", "BREST", "2NDE PRO A"),
        (5, "M", datetime.date(2008, 2, 14), "97411", "BREST", "2NDE PRO A"),
        (6, "F", datetime.date(1999, 9, 1), "", "LONDRES", "2NDE PRO A"),
    ]
    assert [s.birth_department_code for s in result.students] == ["029", "029", "2A", "974", "99"]
    assert result.divisions == ["2NDE PRO A", "Division 1"]


def test_inner_spaces_of_a_division_make_no_second_class():
    rows = [student(1, division="Division     1"), student(2, division="Division 1")]

    assert parse(fregata_export(rows)).divisions == ["Division 1"]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252", "mac_roman"])
def test_it_reads_utf_8_then_windows_1252_then_mac_roman(encoding):
    rows = [student(1, last_name="BŒUF", first_name="Anaïs", birth_city="ÉVREUX")]

    read = parse(fregata_export(rows, encoding=encoding)).students[0]

    assert (read.last_name, read.first_name, read.birth_city) == ("BŒUF", "Anaïs", "ÉVREUX")


COMMUNE = (
    "n'est pas un code commune INSEE (5 chiffres, ou 2A ou 2B suivi de 3 chiffres pour la Corse)"
)
DEPARTMENT = "n'est pas un code département (2 ou 3 caractères : 29, 2A, 974, 99 pour l'étranger)"
SEX = "n'est pas un code sexe valide (Masculin, Féminin, M ou F attendu)"
DATE = "n'est pas une date valide au format JJ/MM/AAAA (ou JJ/MM/AA)"
REFUSED = [
    *[("birth_city_code", code, COMMUNE) for code in ["A1234", "1234", "123456", "2C123", "2A12"]],
    *[("birth_department_code", code, DEPARTMENT) for code in ["2", "2A4B", "9-7"]],
    *[("sex", sex, SEX) for sex in ["Masc", "Homme", "X", "Féminine"]],
    *[("birthdate", date, DATE) for date in ["14/2/08", "31/02/08", "14/02/2008 00:00", "140208"]],
]


@pytest.mark.parametrize(("field", "value", "problem"), REFUSED)
def test_it_refuses_a_value_naming_its_line_and_column(field, value, problem):
    errors = rejection(fregata_export([student(1, **{field: value})]))

    assert errors == [f"Ligne 2, colonne « {AGRI_LABELS[field]} » : « {value} » {problem}."]


def test_a_student_born_in_france_needs_the_commune_code_not_its_name():
    rows = [student(1, birth_city=""), student(2, birth_city_code="", birth_city="BREST")]

    errors = rejection(fregata_export(rows))

    assert errors == [
        "Ligne 3, colonne « Code commune naissance » : valeur obligatoire pour un élève né en "
        "France (99100)."
    ]


def test_a_student_born_abroad_needs_the_city_and_no_code():
    abroad = {"birth_country_code": "99109", "birth_department_code": "99"}
    rows = [
        student(1, birth_city_code="", birth_city="", **abroad),
        student(2, birth_city_code="12345", birth_city="BERLIN", **abroad),
    ]

    errors = rejection(fregata_export(rows))

    assert errors == [
        "Ligne 2, colonne « Libellé commune naissance » : valeur obligatoire pour un élève né à "
        "l'étranger (la ville de naissance)."
    ]
    berlin = parse(fregata_export(rows[1:])).students[0]
    assert (berlin.birth_city_code, berlin.birth_city) == ("", "BERLIN")


@pytest.mark.parametrize("birthdate", ["14/02/2008", "14/02/08"])
def test_it_reads_four_and_two_digit_years(birthdate):
    read = parse(fregata_export([student(1, birthdate=birthdate)])).students[0]

    assert read.birthdate == datetime.date(2008, 2, 14)


def test_it_refuses_names_garbled_by_a_wrong_encoding_and_keeps_real_letters():
    rows = [
        student(1, first_name="LeÃ¯la"),
        student(2, last_name="FranÃ§ois", first_name2="Zoé"),
        student(3, last_name="ŒUVRAY-L'HŸVER", first_name="Šárka", first_name3="Marie-Noëlle"),
    ]

    errors = rejection(fregata_export(rows))

    assert errors == [
        "Ligne 2, colonne « Premier prénom » : « LeÃ¯la » est illisible (sans doute « Leïla ») : "
        "le fichier a été enregistré dans un mauvais encodage après son export ; exportez-le à "
        "nouveau sans l'ouvrir ni l'enregistrer dans un autre logiciel.",
        "Ligne 3, colonne « Nom de famille » : « FranÃ§ois » est illisible (sans doute "
        "« François ») : le fichier a été enregistré dans un mauvais encodage après son export ; "
        "exportez-le à nouveau sans l'ouvrir ni l'enregistrer dans un autre logiciel.",
    ]
    assert parse(fregata_export(rows[2:])).students[0].last_name == "ŒUVRAY-L'HŸVER"


def test_a_header_cell_too_big_to_read_is_reported_not_a_crash():
    data = b"Identifiant unique*;" + b"x" * 200_000 + b"\r\n070803070AJ;Anna\r\n"

    assert rejection(data) == [
        "Ligne 1 : ligne illisible (guillemet non fermé ou cellule démesurée)."
    ]
