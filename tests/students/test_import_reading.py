"""Reading a big SIECLE file with several processes gives exactly what one parse gives."""

from __future__ import annotations

import random

import pytest

from students.imports.parsers import ImportRejected
from students.imports.reading import (
    LINE,
    _parse_in_parallel,
    _plan_parts,
    detect_format,
    read_student_file,
)
from tests.students.siecle_files import UAI, Eleve, agri_csv, agri_row, siecle_xml, zip_bytes

MANY = 240


def varied_students(count: int = MANY) -> list[Eleve]:
    rng = random.Random(7)
    students = []
    for number in range(count):
        student = Eleve(
            ine=f"{70_000_000 + number:09d}AA",
            last_name=rng.choice(["BŒUF", "ŒDIPE", "MARTIN", "LEFÈVRE"]),
            first_name=rng.choice(["Anaïs", "Noé", "Éloi"]),
            sex=rng.choice("12"),
            division=f"{rng.choice('3456')}E{rng.randint(1, 9)}",
            groups=tuple(rng.sample(["LATIN", "ESP2", "CHORALE"], rng.randint(0, 2))),
        )
        if number % 17 == 0:
            student.left_on = "10/11/2026"
        if number % 23 == 0:
            student.division = "Inactifs"
        students.append(student)
    return students


def write(tmp_path, data: bytes, name="eleves.xml"):
    path = tmp_path / name
    path.write_bytes(data)
    return path


def read_whole(path):
    """The single-process read, the reference."""
    return read_student_file(path, expected_uai=UAI, agricultural=False)


def rejection_of(path) -> list[str]:
    with pytest.raises(ImportRejected) as rejected:
        read_whole(path)
    return rejected.value.errors


@pytest.fixture
def parallel_from_any_size(settings):
    settings.STUDENT_IMPORT_PARALLEL_MIN_BYTES = 0


def test_several_processes_read_the_same_students_as_one(tmp_path, settings):
    settings.STUDENT_IMPORT_PARALLEL_MIN_BYTES = 10**9
    path = write(tmp_path, siecle_xml(varied_students(), encoding="ISO-8859-15"))
    whole = read_whole(path)

    parallel = _parse_in_parallel(path, path.stat().st_size, expected_uai=UAI, max_bytes=10**9)

    assert parallel is not None, "the file should have been split"
    assert parallel.rows == whole.rows
    assert parallel.skipped == whole.skipped
    assert (parallel.uai, parallel.school_year) == (whole.uai, whole.school_year)
    assert len(whole.rows) > MANY * 0.8 and whole.rows[0][1] in {
        "BŒUF",
        "ŒDIPE",
        "MARTIN",
        "LEFÈVRE",
    }


def test_each_slice_holds_whole_students_and_every_byte_is_read(tmp_path):
    data = siecle_xml(varied_students())
    path = write(tmp_path, data)

    with open(path, "rb") as file:
        parts = _plan_parts(file, len(data), 3)

    slices = [segments[1] for segments, _ in parts]
    assert [data[start : start + 7] for start, _ in slices] == [b"<ELEVE "] * 3
    assert slices[0][1] == slices[1][0] and slices[1][1] == slices[2][0]
    head, _, tail = parts[0][0]
    assert data[head[1] - 1 : head[1]] == b"\n" and data[tail[0] :].startswith(b"</ELEVES>")
    assert [lines for _, lines in parts] == [
        0,
        data[slices[0][0] : slices[1][0]].count(b"\n"),
        data[slices[0][0] : slices[2][0]].count(b"\n"),
    ]


def test_an_ine_in_two_slices_is_reported_as_a_single_read_reports_it(
    tmp_path, parallel_from_any_size
):
    students = varied_students()
    students[-1].ine = students[1].ine
    path = write(tmp_path, siecle_xml(students))

    errors = rejection_of(path)

    assert len(errors) == 1 and students[1].ine in errors[0] and "figure déjà" in errors[0]


def test_problems_in_every_slice_are_all_reported_with_their_lines(
    tmp_path, settings, parallel_from_any_size
):
    students = varied_students()
    for number in (2, MANY // 2 + 1, MANY - 4):
        students[number].sex = None
    path = write(tmp_path, siecle_xml(students))
    settings.STUDENT_IMPORT_PARALLEL_MIN_BYTES = 10**9
    expected = rejection_of(path)
    settings.STUDENT_IMPORT_PARALLEL_MIN_BYTES = 0

    assert rejection_of(path) == expected
    assert len(expected) == 3


def test_a_value_too_long_is_reported_with_the_line_a_single_read_gives(
    tmp_path, settings, parallel_from_any_size
):
    students = varied_students()
    students[MANY - 3].division = "X" * 70
    path = write(tmp_path, siecle_xml(students))
    settings.STUDENT_IMPORT_PARALLEL_MIN_BYTES = 10**9
    expected = rejection_of(path)
    settings.STUDENT_IMPORT_PARALLEL_MIN_BYTES = 0

    assert rejection_of(path) == expected


@pytest.mark.parametrize(
    "inside",
    [
        "<!-- <ELEVE ELEVE_ID='1'> </ELEVES> -->",
        "<NOTE><![CDATA[ <ELEVE ELEVE_ID='1'> ]]></NOTE>",
        "<?traitement </ELEVES> ?>",
        "<ELEVES></ELEVES>",
    ],
)
def test_a_student_block_holding_other_markup_is_never_cut(tmp_path, inside):
    students = varied_students()
    students[MANY // 2].extra += inside
    data = siecle_xml(students)
    path = write(tmp_path, data)

    with open(path, "rb") as file:
        assert _plan_parts(file, len(data), 2) is None


def test_a_zip_or_a_csv_is_read_whole(tmp_path, parallel_from_any_size):
    xml = siecle_xml(varied_students())
    archive = write(tmp_path, zip_bytes([("ElevesSansAdresses.xml", xml)]), "export.zip")
    csv = write(tmp_path, agri_csv([agri_row()]), "eleves.csv")

    assert (
        _parse_in_parallel(archive, archive.stat().st_size, expected_uai=UAI, max_bytes=10**9)
        is None
    )
    assert len(read_whole(archive).rows) == len(read_whole(write(tmp_path, xml)).rows)
    assert (detect_format(archive), detect_format(csv)) == ("zip", "csv")
    assert read_student_file(csv, expected_uai=UAI, agricultural=True).rows[0][0] == "070803070AJ"


def test_reading_reports_its_progress(tmp_path, settings):
    settings.STUDENT_IMPORT_PARALLEL_MIN_BYTES = 10**9
    path = write(tmp_path, siecle_xml(varied_students(1200)))
    reported = []

    read_student_file(path, expected_uai=UAI, agricultural=False, progress=reported.append)

    assert len(reported) > 3
    assert reported == sorted(reported) and reported[-1] > 0.95


def test_rows_carry_the_line_of_their_student(tmp_path):
    data = siecle_xml(varied_students(5))
    rows = read_whole(write(tmp_path, data)).rows

    lines = data.decode("iso8859-15").splitlines()
    for row in rows:
        assert row[0] in "".join(lines[row[LINE] - 1 : row[LINE] + 2])
