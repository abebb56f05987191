"""Generate realistic SIECLE "ElevesSansAdresses" exports of any size.

    python bench/gen_siecle.py --students 3500 --uai 0750001A -o eleves.xml [--zip] [--seed 0]

Also importable: ``generate_siecle(n, uai, seed=0) -> bytes`` (ISO-8859-15 XML).
The shape follows the real export: PARAMETRES, then ELEVES (with the ignored fields real files
carry), OPTIONS, then STRUCTURES (one D division, sometimes G groups), about 28 students per
class, ~3 % of students who left (DATE_SORTIE), ~6 % born abroad (no INSEE code).
"""

from __future__ import annotations

import argparse
import io
import random
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape


def words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


FIRST_NAMES = words(
    "Léa Chloé Zoé Maëlys Inès Anaïs Noémie Héloïse Cécile Laëtitia Agnès Océane Clémence "
    "Élodie Gaëlle Maïwenn Joséphine Mélissa Célia Ambre Jade Louise Emma Manon Camille Rose "
    "Lina Éva Hugo Lucas Théo Gaël Loïc Jérôme François Benoît Joël Noé Raphaël Mathéo Éloi "
    "Lætitia Timothée Maël Anaël Adrien Léon Nathan Louis Jules Arthur Gabriel Mattéo Ilyès Yanis "
    "Sacha Côme"
)
LAST_NAMES = words(
    "MARTIN BERNARD DUBOIS THOMAS ROBERT RICHARD PETIT DURAND LEROY MOREAU SIMON LAURENT "
    "LEFÈVRE MICHEL GARCIA DAVID BERTRAND ROUX VINCENT FOURNIER MOREL GIRARD ANDRÉ MERCIER "
    "DUPRÉ NOËL FRANÇOIS BŒUF CŒURDEROY ŒDIPE SŒUR LÆTITIA-BRUN MOËLLO BÉCHU LAÏK D'ALMEIDA "
    "FAÇONNIER GARÇON HÉBERT CHÂTELAIN BRIÈRE CÔTÉ PÉREZ NGUYEN DIALLO "
    "TRAORÉ BENSAÏD OUÉDRAOGO MÜLLER SÁNCHEZ KOWALSKI"
) + ("LE GOFF", "LE BRETON", "DE LA FONTAINE")
FRENCH_BIRTHPLACES = (
    ("075", "75114", "PARIS 14E ARRONDISSEMENT"),
    ("093", "93066", "SAINT-DENIS"),
    ("069", "69123", "LYON"),
    ("013", "13055", "MARSEILLE"),
    ("059", "59350", "LILLE"),
    ("033", "33063", "BORDEAUX"),
    ("029", "29019", "BREST"),
    ("974", "97411", "SAINT-DENIS"),
    ("987", "98735", "PUNAAUIA"),
    ("067", "67482", "STRASBOURG"),
)
FOREIGN_BIRTHPLACES = (
    ("132", "GENÈVE"),
    ("109", "MÜNCHEN"),
    ("134", "SÉVILLE"),
    ("139", "PORTO"),
    ("350", "CASABLANCA"),
    ("352", "ALGER"),
    ("351", "TUNIS"),
    ("243", "HANOÏ"),
)
LEVELS = ("6", "5", "4", "3")
LEVEL_MEF = {"6": "10010012110", "5": "10110001110", "4": "10210001110", "3": "10310019110"}
GROUPS = ("LATIN", "ESP2", "ALL2", "CHORALE", "6LV2ESP", "GREC", "SECTION EURO")
STUDENTS_PER_CLASS = 28


def class_name(index: int) -> str:
    """6A, 5A, 4A, 3A, 6B … then 6A2, 5A2 … once the 26 letters are used."""
    level = LEVELS[index % len(LEVELS)]
    rank = index // len(LEVELS)
    letter = chr(ord("A") + rank % 26)
    round_number = rank // 26
    return f"{level}{letter}{round_number + 1 if round_number else ''}"


def student_name(rng: random.Random) -> tuple[str, str]:
    last = rng.choice(LAST_NAMES)
    if rng.random() < 0.12:
        last = f"{last}-{rng.choice(LAST_NAMES)}"
    return last, rng.choice(FIRST_NAMES)


def ine(index: int) -> str:
    """Unique, INE-shaped (9 digits + 2 letters)."""
    letters = chr(ord("A") + index % 26) + chr(ord("A") + index // 26 % 26)
    return f"{70_000_000 + index:09d}{letters}"


def eleve_xml(rng: random.Random, index: int, eleve_id: int, level: str) -> str:
    last, first = student_name(rng)
    sex = rng.choice("12")
    birth_year = 2026 - 11 - LEVELS.index(level) - (rng.random() < 0.1)
    birthdate = f"{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/{birth_year}"
    fields = [
        f'<ELEVE ELEVE_ID="{eleve_id}" ELENOET="{index + 1000}">',
        f"<ID_NATIONAL>{ine(index)}</ID_NATIONAL>",
        f"<ELENOET>{index + 1000}</ELENOET>",
        f"<NOM_DE_FAMILLE>{escape(last)}</NOM_DE_FAMILLE>",
    ]
    if rng.random() < 0.1:
        fields.append(f"<NOM_USAGE>{escape(rng.choice(LAST_NAMES))}</NOM_USAGE>")
    fields.append(f"<PRENOM>{first}</PRENOM>")
    if rng.random() < 0.6:
        fields.append(f"<PRENOM2>{rng.choice(FIRST_NAMES)}</PRENOM2>")
    if rng.random() < 0.2:
        fields.append(f"<PRENOM3>{rng.choice(FIRST_NAMES)}</PRENOM3>")
    fields += [
        f"<DATE_NAISS>{birthdate}</DATE_NAISS>",
        f"<DOUBLEMENT>{rng.choice('NNNNO')}</DOUBLEMENT>",
        f"<CODE_SEXE>{sex}</CODE_SEXE>",
        f"<CODE_REGIME>{rng.choice('0122')}</CODE_REGIME>",
        f"<ADRESSE_ID>{eleve_id + 900_000}</ADRESSE_ID>",
    ]
    fields += birthplace_fields(rng)
    if rng.random() < 0.03:
        fields.append(f"<DATE_SORTIE>{rng.randint(10, 28)}/11/2026</DATE_SORTIE>")
    fields += [
        f"<CODE_MEF>{LEVEL_MEF[level]}</CODE_MEF>",
        f"<CODE_STATUT>{'AP' if rng.random() < 0.01 else 'ST'}</CODE_STATUT>",
        "</ELEVE>",
    ]
    return "\n".join(fields) + "\n"


def birthplace_fields(rng: random.Random) -> list[str]:
    if rng.random() < 0.06:
        country, city = rng.choice(FOREIGN_BIRTHPLACES)
        return [f"<CODE_PAYS>{country}</CODE_PAYS>", f"<VILLE_NAISS>{city}</VILLE_NAISS>"]
    department, insee, city = rng.choice(FRENCH_BIRTHPLACES)
    return [
        "<CODE_PAYS>100</CODE_PAYS>",
        f"<CODE_DEPARTEMENT_NAISS>{department}</CODE_DEPARTEMENT_NAISS>",
        f"<CODE_COMMUNE_INSEE_NAISS>{insee}</CODE_COMMUNE_INSEE_NAISS>",
        f"<VILLE_NAISS>{city}</VILLE_NAISS>",
    ]


def structures_xml(rng: random.Random, eleve_id: int, division: str) -> str:
    groups = rng.sample(GROUPS, rng.choice((0, 0, 0, 1)))
    structures = [(division, "D")] + [(group, "G") for group in groups]
    inner = "".join(
        f"<STRUCTURE><CODE_STRUCTURE>{code}</CODE_STRUCTURE>"
        f"<TYPE_STRUCTURE>{kind}</TYPE_STRUCTURE></STRUCTURE>\n"
        for code, kind in structures
    )
    opening = f'<STRUCTURES_ELEVE ELEVE_ID="{eleve_id}" ELENOET="{eleve_id - 30000}">'
    return f"{opening}\n{inner}</STRUCTURES_ELEVE>\n"


def option_xml(eleve_id: int) -> str:
    return (
        f'<OPTION ELEVE_ID="{eleve_id}"><OPTIONS_ELEVE><NUM_OPTION>1</NUM_OPTION>'
        "<CODE_MATIERE>030201</CODE_MATIERE></OPTIONS_ELEVE></OPTION>\n"
    )


def generate_siecle(n: int, uai: str, seed: int = 0) -> bytes:
    """An ISO-8859-15 ElevesSansAdresses export of n students for the school uai."""
    rng = random.Random(seed)
    divisions = [class_name(i // STUDENTS_PER_CLASS) for i in range(n)]
    eleve_ids = [31000 + i for i in range(n)]
    parts = [
        '<?xml version="1.0" encoding="ISO-8859-15"?>\n<BEE_ELEVES VERSION="3.1">\n',
        f"<PARAMETRES>\n<UAJ>{uai}</UAJ>\n<ANNEE_SCOLAIRE>2026</ANNEE_SCOLAIRE>\n"
        "<DATE_EXPORT>02/09/2026</DATE_EXPORT>\n<HORODATAGE>02/09/2026 09:12:44</HORODATAGE>\n"
        "</PARAMETRES>\n<DONNEES>\n<ELEVES>\n",
    ]
    parts += (eleve_xml(rng, i, eleve_ids[i], divisions[i][0]) for i in range(n))
    parts.append("</ELEVES>\n<OPTIONS>\n")
    parts += (option_xml(eleve_id) for eleve_id in eleve_ids if eleve_id % 3 == 0)
    parts.append("</OPTIONS>\n<STRUCTURES>\n")
    parts += (structures_xml(rng, eleve_ids[i], divisions[i]) for i in range(n))
    parts.append("</STRUCTURES>\n</DONNEES>\n</BEE_ELEVES>\n")
    return "".join(parts).encode("iso8859-15")


def zip_siecle(xml: bytes, member_name: str = "ElevesSansAdresses.xml") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(member_name, xml)
    return buffer.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, required=True)
    parser.add_argument("--uai", default="0750001A")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--zip", action="store_true", help="write a .zip holding the XML")
    parser.add_argument("-o", "--output", type=Path, required=True)
    args = parser.parse_args()
    data = generate_siecle(args.students, args.uai, seed=args.seed)
    args.output.write_bytes(zip_siecle(data) if args.zip else data)
    print(f"{args.output}: {args.students} élèves, {args.output.stat().st_size:,} octets")


if __name__ == "__main__":
    main()
