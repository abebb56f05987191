"""The bilan of a school year (domain §7), for the whole school or one class, and its charts.

Counted per student of the school (disabled ones left out): a student is *présenté* when they
have a published result whose test falls in the school year (1 September – 31 August); with
several, the latest counts. Charts are SVG built here, with no JavaScript.
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from django.db import connection

from certification.models import Competence
from sessions.models import Candidate, Session
from students.models import Student

from .models import CertificationResult, CompetenceMark

# Each colour has at least 3:1 against the white page and the white line that separates the
# segments of a bar (WCAG 1.4.11), and a hue of its own; the data table repeats the figures.
LEVEL_BANDS = [
    ("Non certifiée", (0,), "#666666"),
    ("Novice", (1, 2), "#b34000"),
    ("Indépendant", (3, 4), "#18753c"),
    ("Avancé", (5, 6), "#6a6af4"),
    ("Expert", (7, 8), "#000091"),
]


def school_year_bounds(start_year: int) -> tuple[date, date]:
    return date(start_year, 9, 1), date(start_year + 1, 8, 31)


@dataclass(frozen=True)
class Figures:
    mean: float
    median: float


def _figures(histogram: dict[int, int]) -> Figures:
    """Mean and median of values given as {value: how many times}, as `statistics` gives them
    (an odd count's median is one of the values, an even count's the mean of the middle two)."""
    count = sum(histogram.values())
    if not count:
        return Figures(0, 0)
    mean = round(sum(value * times for value, times in histogram.items()) / count, 1)

    def nth(rank: int) -> int:
        """The rank-th smallest value (from 1)."""
        seen = 0
        for value in sorted(histogram):
            seen += histogram[value]
            if seen >= rank:
                return value
        raise ValueError(rank)

    upper = nth(count // 2 + 1)
    median = upper if count % 2 else (nth(count // 2) + upper) / 2
    return Figures(mean, median)


@dataclass
class CompetenceFigures:
    code: str
    name: str
    presented: int = 0
    share: float = 0.0
    highest_level: int | None = None
    bands: list[int] = field(default_factory=lambda: [0] * len(LEVEL_BANDS))


@dataclass
class Bilan:
    start_year: int
    division: str
    students: int
    presented: int
    certified: int
    tested: Figures
    validated: Figures
    rejected: Figures
    pix: Figures
    competences: list[CompetenceFigures]

    @property
    def school_year(self) -> str:
        return f"{self.start_year}-{self.start_year + 1}"

    @property
    def not_presented(self) -> int:
        return self.students - self.presented

    @property
    def certified_rate(self) -> float:
        return round(100 * self.certified / self.presented, 1) if self.presented else 0.0


def _bilan_sql(*, division: bool) -> str:
    """Two histograms of the latest published result of each active student of the school in
    the year, computed by the database: per result (tested, validated, pix, status) and per
    competence (level shown, 0 when not validated). Tagged 'r' and 'c' in one statement, so the
    latest results are found once. Driven by the school's sessions, not by its students: the
    plan stays the same whatever the other schools hold."""
    result = CertificationResult._meta.db_table
    mark = CompetenceMark._meta.db_table
    candidate = Candidate._meta.db_table
    session = Session._meta.db_table
    student = Student._meta.db_table
    division_condition = "AND s.division = %(division)s" if division else ""
    # Only table names from the models are interpolated; values are parameters.
    return f"""
        WITH ranked AS (
            SELECT r.id, r.status, r.pix_score,
                   ROW_NUMBER() OVER (
                       PARTITION BY c.student_id ORDER BY r.test_date DESC, r.id DESC
                   ) AS rank
            FROM {session} se
            JOIN {candidate} c ON c.session_id = se.id
            JOIN {student} s ON s.id = c.student_id
            JOIN {result} r ON r.candidate_id = c.id
            WHERE se.organization_id = %(organization)s
              AND s.organization_id = %(organization)s AND NOT s.is_disabled {division_condition}
              AND r.published_at IS NOT NULL
              AND r.test_date BETWEEN %(first_day)s AND %(last_day)s
        ),
        latest AS (SELECT id, status, pix_score FROM ranked WHERE rank = 1),
        per_result AS (
            SELECT l.id, l.status, l.pix_score, COUNT(m.id) AS tested,
                   SUM(CASE WHEN l.status = %(validated)s AND m.level > 0 THEN 1 ELSE 0 END)
                       AS validated
            FROM latest l LEFT JOIN {mark} m ON m.result_id = l.id
            GROUP BY l.id, l.status, l.pix_score
        )
        SELECT 'r', tested, validated, pix_score, status = %(validated)s, COUNT(*)
        FROM per_result GROUP BY tested, validated, pix_score, status = %(validated)s
        UNION ALL
        SELECT 'c', m.competence_id,
               CASE WHEN l.status = %(validated)s THEN m.level ELSE 0 END, 0, false, COUNT(*)
        FROM latest l JOIN {mark} m ON m.result_id = l.id
        GROUP BY m.competence_id, CASE WHEN l.status = %(validated)s THEN m.level ELSE 0 END
    """  # noqa: S608


def bilan_compute(*, organization, start_year: int, division: str = "") -> Bilan:
    first_day, last_day = school_year_bounds(start_year)
    students = Student.objects.filter(organization=organization, is_disabled=False)
    if division:
        students = students.filter(division=division)
    params = {
        "organization": organization.pk,
        "division": division,
        "first_day": first_day,
        "last_day": last_day,
        "validated": CertificationResult.Status.VALIDATED.value,
    }
    with connection.cursor() as cursor:
        cursor.execute(_bilan_sql(division=bool(division)), params)
        rows = cursor.fetchall()

    competences = {
        c.pk: CompetenceFigures(code=c.code, name=c.name)
        for c in Competence.objects.order_by("index")
    }
    tested: Counter[int] = Counter()
    validated: Counter[int] = Counter()
    rejected: Counter[int] = Counter()
    pix: Counter[int] = Counter()
    presented = certified = 0
    for kind, first, second, pix_score, is_validated, count in rows:
        if kind == "r":
            tested[first] += count
            validated[second] += count
            rejected[first - second] += count
            pix[pix_score] += count
            presented += count
            certified += count if is_validated else 0
        else:
            figures, level = competences[first], second
            figures.presented += count
            figures.highest_level = max(figures.highest_level or 0, level)
            band = next(i for i, (_, levels, _) in enumerate(LEVEL_BANDS) if level in levels)
            figures.bands[band] += count
    for figures in competences.values():
        figures.share = round(100 * figures.presented / presented, 1) if presented else 0.0

    return Bilan(
        start_year=start_year,
        division=division,
        students=students.count(),
        presented=presented,
        certified=certified,
        tested=_figures(tested),
        validated=_figures(validated),
        rejected=_figures(rejected),
        pix=_figures(pix),
        competences=list(competences.values()),
    )


# --- Charts -----------------------------------------------------------------------------------
ROW_HEIGHT = 24
LABEL_WIDTH = 48
BAR_WIDTH = 460
TOP = 40


def share_chart(bilan: Bilan) -> dict:
    """Horizontal bars: share of presented students tested on each competence."""
    rows = []
    for i, figures in enumerate(bilan.competences):
        y = TOP + i * ROW_HEIGHT
        width = round(BAR_WIDTH * figures.share / 100, 1)
        rows.append(
            {
                "figures": figures,
                "y": y,
                "text_y": y + 16,
                "width": width,
                "value_x": LABEL_WIDTH + width + 6,
            }
        )
    return {
        "rows": rows,
        "width": LABEL_WIDTH + BAR_WIDTH + 70,
        "height": TOP + len(rows) * ROW_HEIGHT + 10,
        "bar_x": LABEL_WIDTH,
        "axis_x_end": LABEL_WIDTH + BAR_WIDTH,
    }


def levels_chart(bilan: Bilan) -> dict:
    """Stacked bars: per competence, how the students tested on it are spread across levels."""
    rows = []
    for i, figures in enumerate(bilan.competences):
        y = TOP + i * ROW_HEIGHT
        x: float = LABEL_WIDTH
        segments = []
        for (label, _levels, colour), count in zip(LEVEL_BANDS, figures.bands, strict=True):
            width = round(BAR_WIDTH * count / figures.presented, 1) if figures.presented else 0
            if width:
                segments.append({"x": x, "width": width, "colour": colour, "label": label})
            x += width
        rows.append(
            {
                "figures": figures,
                "y": y,
                "text_y": y + 16,
                "segments": segments,
                "value_x": LABEL_WIDTH + BAR_WIDTH + 6,
            }
        )
    legend = [
        {"label": label, "colour": colour, "x": LABEL_WIDTH + i * 100}
        for i, (label, _levels, colour) in enumerate(LEVEL_BANDS)
    ]
    return {
        "rows": rows,
        "legend": legend,
        "width": LABEL_WIDTH + BAR_WIDTH + 70,
        "height": TOP + len(rows) * ROW_HEIGHT + 10,
    }


def level_band_labels() -> list[str]:
    return [label for label, _levels, _colour in LEVEL_BANDS]
