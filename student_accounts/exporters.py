"""CSV files of student accounts."""

from collections.abc import Sequence

from core.exports import csv_content

PASSWORD_RESET_HEADER = ["Classe", "Nom", "Prénom", "Identifiant", "Mot de passe"]


def password_reset_csv(*, lines: Sequence) -> bytes:
    """Domain §5: `Classe;Nom;Prénom;Identifiant;Mot de passe`, UTF-8 with BOM, one line each."""
    return csv_content(
        PASSWORD_RESET_HEADER,
        (
            (line.division, line.last_name, line.first_name, line.identifiant, line.password)
            for line in lines
        ),
        quote_header=False,
    )
