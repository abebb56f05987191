"""Student files built in memory for the parser tests: SIECLE XML, ZIP and agricultural CSV."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from xml.sax.saxutils import escape

UAI = "0750001A"
_REQUIRED = {
    "ine",
    "first_name",
    "last_name",
    "sex",
    "birthdate",
    "birth_department_code",
    "birth_country_code",
    "status",
    "mef_code",
    "division",
}


@dataclass
class Eleve:
    """One SIECLE student; a field set to None is left out of the file."""

    ine: str | None = "070803070AJ"
    last_name: str | None = "MARTIN"
    preferred_last_name: str | None = None
    first_name: str | None = "Hugo"
    first_name2: str | None = None
    first_name3: str | None = None
    sex: str | None = "1"
    birthdate: str | None = "14/02/2012"
    country: str | None = "100"
    department: str | None = "075"
    insee: str | None = "75114"
    city: str | None = "PARIS 14E ARRONDISSEMENT"
    mef: str | None = "10310019110"
    status: str | None = "ST"
    left_on: str | None = None
    division: str | None = "3E2"
    groups: tuple[str, ...] = ("3LV2ESP",)
    more_divisions: tuple[str, ...] = ()  # further D structures, after ``division``
    extra: str = "<ELENOET>1001</ELENOET><DOUBLEMENT>N</DOUBLEMENT><CODE_REGIME>2</CODE_REGIME>"

    @property
    def tags(self) -> dict[str, str | None]:
        return {
            "ID_NATIONAL": self.ine,
            "NOM_DE_FAMILLE": self.last_name,
            "NOM_USAGE": self.preferred_last_name,
            "PRENOM": self.first_name,
            "PRENOM2": self.first_name2,
            "PRENOM3": self.first_name3,
            "DATE_NAISS": self.birthdate,
            "CODE_PAYS": self.country,
            "CODE_SEXE": self.sex,
            "CODE_DEPARTEMENT_NAISS": self.department,
            "CODE_COMMUNE_INSEE_NAISS": self.insee,
            "VILLE_NAISS": self.city,
            "DATE_SORTIE": self.left_on,
            "CODE_MEF": self.mef,
            "CODE_STATUT": self.status,
        }


def many_eleves(count: int, **fields) -> list[Eleve]:
    """``count`` distinct students (INE 070000000AA, 070000001AA…)."""
    return [Eleve(ine=f"{70_000_000 + index:09d}AA", **fields) for index in range(count)]


def siecle_xml(
    students: list[Eleve],
    *,
    uai: str | None = UAI,
    encoding: str = "ISO-8859-15",
    declared_encoding: str | None = None,
    bom: bool = False,
    school_year: str = "2026",
) -> bytes:
    """An ElevesSansAdresses export, one element per line like the real ones."""
    ids = range(40001, 40001 + len(students))
    lines = [
        f'<?xml version="1.0" encoding="{declared_encoding or encoding}"?>',
        '<BEE_ELEVES VERSION="3.1">',
        "<PARAMETRES>",
        f"<UAJ>{uai}</UAJ>" if uai is not None else "",
        f"<ANNEE_SCOLAIRE>{school_year}</ANNEE_SCOLAIRE>",
        "</PARAMETRES>",
        "<DONNEES>",
        "<ELEVES>",
    ]
    for eleve_id, student in zip(ids, students, strict=True):
        lines.append(f'<ELEVE ELEVE_ID="{eleve_id}">')
        lines += [f"<{tag}>{escape(v)}</{tag}>" for tag, v in student.tags.items() if v is not None]
        lines += [student.extra, "</ELEVE>"]
    lines += ["</ELEVES>", "<STRUCTURES>"]
    for eleve_id, student in zip(ids, students, strict=True):
        lines.append(f'<STRUCTURES_ELEVE ELEVE_ID="{eleve_id}">')
        lines += [_structure(group, "G") for group in student.groups]
        if student.division is not None:
            lines.append(_structure(student.division, "D"))
        lines += [_structure(division, "D") for division in student.more_divisions]
        lines.append("</STRUCTURES_ELEVE>")
    lines += ["</STRUCTURES>", "</DONNEES>", "</BEE_ELEVES>", ""]
    data = "\n".join(lines).encode(encoding)
    return b"\xef\xbb\xbf" + data if bom else data


def line_of(data: bytes, text: str) -> int:
    """The line of the first occurrence of ``text`` in an ASCII-compatible file."""
    return data[: data.index(text.encode())].count(b"\n") + 1


def _structure(code: str, kind: str) -> str:
    return (
        f"<STRUCTURE><CODE_STRUCTURE>{escape(code)}</CODE_STRUCTURE>"
        f"<TYPE_STRUCTURE>{kind}</TYPE_STRUCTURE></STRUCTURE>"
    )


def zip_bytes(
    members: list[tuple[str | zipfile.ZipInfo, bytes]],
    *,
    compression: int = zipfile.ZIP_DEFLATED,
) -> bytes:
    """An archive of ``members``; pass a ZipInfo to set flags or file modes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=compression) as archive:
        for name, data in members:
            archive.writestr(name, data, compress_type=compression)
    return buffer.getvalue()


AGRI_LABELS = {
    "ine": "Identifiant unique",
    "first_name": "Premier prénom",
    "first_name2": "Deuxième prénom",
    "first_name3": "Troisième prénom",
    "last_name": "Nom de famille",
    "preferred_last_name": "Nom d'usage",
    "sex": "Code sexe",
    "birthdate": "Date de naissance (jj/mm/aaaa)",
    "birth_city_code": "Code commune naissance",
    "birth_city": "Libellé commune naissance",
    "birth_department_code": "Code département naissance",
    "birth_country_code": "Code pays naissance",
    "status": "Statut",
    "mef_code": "Code MEF",
    "division": "Division",
}
# The header of the model file: "*" required, "**" required when born in France.
AGRI_HEADER = [
    f"{label}**"
    if field in ("birth_city_code", "birth_city")
    else f"{label}*"
    if field in _REQUIRED
    else label
    for field, label in AGRI_LABELS.items()
]


def agri_row(**changes: str) -> dict[str, str]:
    """A valid CSV student, keyed by field name (see AGRI_LABELS)."""
    row = {
        "ine": "070803070AJ",
        "first_name": "Anaïs",
        "first_name2": "Maëlys",
        "first_name3": "",
        "last_name": "BŒUF",
        "preferred_last_name": "",
        "sex": "F",
        "birthdate": "14/02/2008",
        "birth_city_code": "29019",
        "birth_city": "BREST",
        "birth_department_code": "029",
        "birth_country_code": "99100",
        "status": "ST",
        "mef_code": "27621004310",
        "division": "2NDE PRO A",
    }
    return row | changes


def agri_csv(
    rows: list[dict[str, str]],
    *,
    header: list[str] = AGRI_HEADER,
    fields: list[str] | None = None,
    delimiter: str = ";",
    encoding: str = "utf-8",
) -> bytes:
    """The CSV with ``header`` as written; ``fields`` names each column (default: AGRI_LABELS)."""
    fields = fields or list(AGRI_LABELS)
    lines = [delimiter.join(header)]
    lines += [delimiter.join(row[field] for field in fields) for row in rows]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


# The header of a current FREGATA export, as agricultural schools download it.
FREGATA_HEADER = (
    "Identifiant unique*;Premier prénom*;Deuxième prénom;Troisième prénom;Nom de famille*;"
    "Nom d'usage;Code sexe*;Date de naissance (jj/mm/aaaa)*;Code commune naissance**;"
    "Libellé commune naissance**;Code département naissance*;Code pays naissance*;Statut*;"
    "Code MEF*;Division*"
)


def fregata_export(
    rows: list[dict[str, str]], *, encoding: str = "utf-8", indent: str = "", tail: str = ""
) -> bytes:
    """A FREGATA export as written today: every line ends with ";", lines may start with
    ``indent``, ``tail`` (blank lines…) follows the last one."""
    lines = [FREGATA_HEADER + ";"]
    lines += [indent + ";".join(row[field] for field in AGRI_LABELS) + ";" for row in rows]
    return ("\r\n".join(lines) + "\r\n" + tail).encode(encoding)
