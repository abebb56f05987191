"""Import of competence profiles from a CSV file (one line per student: INE, then 16 levels).

Two phases, like the SIECLE import: parse and check every line first (all errors, each with its
line number), then write everything in one transaction, or nothing at all.
"""

from collections.abc import Mapping
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import AuditLog, Organization, User
from accounts.services import audit_log_record
from core.csv_reading import CsvUnreadable, csv_errors_capped, csv_integer, csv_records
from core.rejected import Rejected
from jobs.services import task_enqueue

from .referential import COMPETENCE_CODES, PIX_PER_LEVEL, max_reachable_level
from .services import competence_profiles_replace
from .tasks import certifiability_recompute_organization

HEADER = ["INE", *COMPETENCE_CODES]


class ProfileImportError(Rejected):
    """The profiles file is refused; nothing was imported."""


@dataclass(frozen=True)
class ProfileImportResult:
    profiles: int


def _parse_levels(line_number: int, cells: list[str], errors: list[str]) -> list[int] | None:
    top = max_reachable_level()
    levels = []
    for code, cell in zip(COMPETENCE_CODES, cells, strict=True):
        value = cell.strip()
        level = csv_integer(value)
        if level is None or level > top:
            errors.append(
                _(
                    "Ligne %(line)d : le niveau de la compétence %(code)s doit être un nombre "
                    "entier de 0 à %(top)d (reçu « %(value)s »)."
                )
                % {"line": line_number, "code": code, "top": top, "value": value}
            )
            return None
        levels.append(level)
    return levels


def _parse(content: bytes, students_by_ine: Mapping[str, tuple[int | None, bool]]):
    """Returns ({user id: levels}, errors)."""
    errors: list[str] = []
    levels_by_user: dict[int, list[int]] = {}
    first_line_of_ine: dict[str, int] = {}
    for line_number, cells in csv_records(content):
        if not any(cell.strip() for cell in cells):
            continue
        if line_number == 1 and cells[0].strip().upper() == "INE":
            if [cell.strip() for cell in cells] != HEADER:
                errors.append(
                    _("Ligne 1 : l'en-tête doit être « %(header)s ».")
                    % {"header": ";".join(HEADER)}
                )
            continue
        if len(cells) != len(HEADER):
            errors.append(
                _(
                    "Ligne %(line)d : %(count)d colonnes au lieu de %(expected)d "
                    "(l'INE puis les 16 niveaux)."
                )
                % {"line": line_number, "count": len(cells), "expected": len(HEADER)}
            )
            continue
        ine = cells[0].strip().upper()
        if ine in first_line_of_ine:
            errors.append(
                _("Ligne %(line)d : l'INE %(ine)s figure déjà ligne %(first)d.")
                % {"line": line_number, "ine": ine, "first": first_line_of_ine[ine]}
            )
            continue
        first_line_of_ine[ine] = line_number
        user_id, is_active = students_by_ine.get(ine, (None, False))
        if not is_active:
            errors.append(
                _(
                    "Ligne %(line)d : l'INE « %(ine)s » ne correspond à aucun élève de "
                    "l'établissement."
                )
                % {"line": line_number, "ine": ine}
            )
            continue
        if user_id is None:
            errors.append(
                _(
                    "Ligne %(line)d : l'élève à l'INE %(ine)s n'a pas de compte élève ; le profil "
                    "appartient au compte : créez-lui d'abord un identifiant."
                )
                % {"line": line_number, "ine": ine}
            )
            continue
        levels = _parse_levels(line_number, cells[1:], errors)
        if levels is not None:
            levels_by_user[user_id] = levels
    if not levels_by_user and not errors:
        errors.append(_("Le fichier ne contient aucun profil."))
    return levels_by_user, errors


def competence_profiles_import_csv(
    *, organization: Organization, content: bytes, imported_by: User
) -> ProfileImportResult:
    students_by_ine = {
        ine: (user_id, not is_disabled)
        for ine, user_id, is_disabled in organization.students.values_list(
            "ine", "user_id", "is_disabled"
        )
    }
    try:
        levels_by_user, errors = _parse(content, students_by_ine)
    except CsvUnreadable as unreadable:
        raise ProfileImportError([unreadable.message]) from unreadable
    if errors:
        raise ProfileImportError(csv_errors_capped(errors))
    with transaction.atomic():
        count = competence_profiles_replace(
            scores_by_user={
                user_id: {
                    code: (level, level * PIX_PER_LEVEL)
                    for code, level in zip(COMPETENCE_CODES, levels, strict=True)
                }
                for user_id, levels in levels_by_user.items()
            },
            computed_at=timezone.now(),
        )
        audit_log_record(
            actor=imported_by,
            organization=organization,
            action=AuditLog.Action.PROFILES_IMPORTED,
            source="profils de compétences (CSV)",
            profiles=count,
        )
        task_enqueue(certifiability_recompute_organization, organization.pk)
    return ProfileImportResult(profiles=count)
