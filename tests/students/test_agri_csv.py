"""The CSV agricultural schools upload instead of a SIECLE export."""

from __future__ import annotations

import datetime
import io

import pytest

from students.imports.parsers import ImportRejected, ParseResult, StudentRow, parse_student_file
from tests.students.siecle_files import AGRI_HEADER, AGRI_LABELS, UAI, agri_csv, agri_row


def parse(data: bytes) -> ParseResult:
    return parse_student_file(io.BytesIO(data), expected_uai=UAI, agricultural=True)


def rejection(data: bytes) -> list[str]:
    with pytest.raises(ImportRejected) as caught:
        parse(data)
    return caught.value.errors


def test_it_reads_the_model_file_into_student_rows():
    result = parse(agri_csv([agri_row()]))

    assert (result.uai, result.school_year, result.skipped) == (UAI, None, [])
    assert result.students == [
        StudentRow(
            ine="070803070AJ",
            last_name="BŒUF",
            preferred_last_name="",
            first_name="Anaïs",
            first_name2="Maëlys",
            first_name3="",
            sex="F",
            birthdate=datetime.date(2008, 2, 14),
            birth_country_code="99100",
            birth_city_code="29019",
            birth_city="BREST",
            birth_department_code="029",
            mef_code="27621004310",
            status="ST",
            division="2NDE PRO A",
            line=2,
        )
    ]


def test_it_matches_columns_by_label_in_any_order_and_spelling():
    fields = list(reversed(AGRI_LABELS))
    header = [AGRI_LABELS[field].upper().replace("é", "e") for field in fields]
    header[fields.index("birthdate")] = "date de naissance"
    header[fields.index("ine")] = "  IDENTIFIANT   UNIQUE * "

    student = parse(agri_csv([agri_row()], header=header, fields=fields)).students[0]

    assert (student.ine, student.birthdate) == ("070803070AJ", datetime.date(2008, 2, 14))


def test_it_ignores_unknown_columns():
    header = [*AGRI_HEADER, "Remarque"]
    fields = [*AGRI_LABELS, "note"]

    assert len(parse(agri_csv([agri_row(note="=1+1")], header=header, fields=fields)).students) == 1


def test_it_reads_comma_separated_files():
    assert parse(agri_csv([agri_row()], delimiter=",")).students[0].last_name == "BŒUF"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
def test_it_reads_utf_8_with_or_without_bom_and_windows_1252(encoding):
    data = agri_csv([agri_row(last_name="BŒUF", first_name="Zoé")], encoding=encoding)

    student = parse(data).students[0]

    assert (student.last_name, student.first_name) == ("BŒUF", "Zoé")


def test_it_accepts_lower_case_codes_and_students_born_abroad():
    abroad = agri_row(
        sex="m", status="ap", birth_country_code="99132", birth_city_code="", birth_city="LONDRES"
    )

    student = parse(agri_csv([abroad])).students[0]

    assert (student.sex, student.status, student.birth_country_code) == ("M", "AP", "99132")
    assert (student.birth_city_code, student.birth_city) == ("", "LONDRES")


def test_it_skips_inactive_students():
    rows = [agri_row(), agri_row(ine="070803071BK", division="Inactifs", last_name="NOËL")]

    result = parse(agri_csv(rows))

    assert [(s.reason, s.label) for s in result.skipped] == [("no_division", "NOËL Anaïs")]


def test_it_rejects_a_file_missing_required_columns():
    header = [label for label in AGRI_HEADER if not label.startswith(("Code sexe", "Division"))]
    fields = [field for field in AGRI_LABELS if field not in ("sex", "division")]

    errors = rejection(agri_csv([agri_row()], header=header, fields=fields))

    assert errors == [
        "Ligne 1 : la colonne obligatoire « Code sexe » est absente.",
        "Ligne 1 : la colonne obligatoire « Division » est absente.",
    ]


@pytest.mark.parametrize(
    ("field", "label"),
    [
        ("ine", "Identifiant unique"),
        ("first_name", "Premier prénom"),
        ("last_name", "Nom de famille"),
        ("sex", "Code sexe"),
        ("birthdate", "Date de naissance (jj/mm/aaaa)"),
        ("birth_department_code", "Code département naissance"),
        ("birth_country_code", "Code pays naissance"),
        ("status", "Statut"),
        ("mef_code", "Code MEF"),
        ("division", "Division"),
    ],
)
def test_it_rejects_a_row_missing_a_required_value(field, label):
    errors = rejection(agri_csv([agri_row(), agri_row(**{"ine": "070803071BK", field: ""})]))

    assert errors == [f"Ligne 3, colonne « {label} » : valeur manquante."]


def test_it_rejects_a_student_born_in_france_without_commune_code():
    errors = rejection(agri_csv([agri_row(birth_city_code="")]))

    assert errors == [
        "Ligne 2, colonne « Code commune naissance » : valeur obligatoire pour un élève né en "
        "France (99100)."
    ]


@pytest.mark.parametrize(
    ("field", "value", "label", "problem"),
    [
        (
            "sex",
            "1",
            "Code sexe",
            "« 1 » n'est pas un code sexe valide (Masculin, Féminin, M ou F attendu)",
        ),
        (
            "birthdate",
            "2008-02-14",
            "Date de naissance (jj/mm/aaaa)",
            "« 2008-02-14 » n'est pas une date valide au format JJ/MM/AAAA (ou JJ/MM/AA)",
        ),
        (
            "birth_country_code",
            "100",
            "Code pays naissance",
            "« 100 » n'est pas un code pays INSEE à 5 chiffres (99100 pour la France)",
        ),
        ("status", "X", "Statut", "« X » n'est pas un statut valide (ST ou AP attendu)"),
    ],
)
def test_it_rejects_an_invalid_value_naming_line_and_column(field, value, label, problem):
    errors = rejection(agri_csv([agri_row(**{field: value})]))

    assert errors == [f"Ligne 2, colonne « {label} » : {problem}."]


def test_it_rejects_an_ine_given_twice():
    errors = rejection(agri_csv([agri_row(), agri_row(first_name="Léa")]))

    assert errors == [
        "Ligne 3, colonne « Identifiant unique » : l'INE 070803070AJ figure déjà à la ligne 2."
    ]


def test_it_lists_every_problem_of_the_file_at_once():
    rows = [agri_row(sex=""), agri_row(ine="070803071BK"), agri_row(ine="070803072CL", status="")]

    errors = rejection(agri_csv(rows))

    assert errors == [
        "Ligne 2, colonne « Code sexe » : valeur manquante.",
        "Ligne 4, colonne « Statut » : valeur manquante.",
    ]


def test_it_rejects_a_file_with_only_its_header():
    assert rejection(agri_csv([])) == [
        "Aucun élève à importer : les élèves doivent avoir un INE et une classe."
    ]


def test_it_rejects_an_unreadable_line():
    data = agri_csv([agri_row()]) + b'"070803071BK;Zo\xc3\xa9\r\n'

    assert rejection(data) == [
        "Ligne 3 : ligne illisible (guillemet non fermé ou cellule démesurée)."
    ]


def test_it_names_the_line_written_in_another_encoding_than_the_header():
    in_windows_1252 = agri_csv([agri_row(ine="070803071BK")], encoding="cp1252")
    data = agri_csv([agri_row(), agri_row(ine="070803072CL")]) + in_windows_1252.split(b"\n")[1]

    assert rejection(data) == [
        "Ligne 4 : caractères illisibles en UTF-8, l'encodage de la ligne d'en-tête : "
        "enregistrez le fichier au format « CSV UTF-8 »."
    ]


def test_it_rejects_a_value_longer_than_its_column_with_the_other_problems():
    long_name = "B" * 151
    errors = rejection(
        agri_csv(
            [
                agri_row(last_name=long_name),
                agri_row(ine="070803071BK", sex="X", birth_city="V" * 151),
            ]
        )
    )
    assert errors == [
        f"Ligne 2, colonne « Nom de famille » : « {long_name} » dépasse 150 caractères.",
        "Ligne 3, colonne « Code sexe » : « X » n'est pas un code sexe valide (Masculin, Féminin, "
        "M ou F attendu).",
        f"Ligne 3, colonne « Libellé commune naissance » : « {'V' * 151} » dépasse 150 caractères.",
    ]
