"""The bilan of a school year (domain §7), for the whole school or one class, and its charts.

Counted per student of the school (disabled ones left out): a student is *présenté* when they
have a published result whose test falls in the school year (1 September – 31 August); with
several, the latest counts. Charts are SVG built here, with no JavaScript.
"""

import statistics
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Prefetch

from certification.models import Competence
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


def school_year_of(day: date) -> int:
    """The year the school year starts: 2025 for 2025-2026."""
    return day.year if day.month >= 9 else day.year - 1


def school_year_bounds(start_year: int) -> tuple[date, date]:
    return date(start_year, 9, 1), date(start_year + 1, 8, 31)


@dataclass(frozen=True)
class Figures:
    mean: float
    median: float


def _figures(values: list[int]) -> Figures:
    if not values:
        return Figures(0, 0)
    return Figures(round(statistics.fmean(values), 1), statistics.median(values))


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


def bilan_compute(*, organization, start_year: int, division: str = "") -> Bilan:
    first_day, last_day = school_year_bounds(start_year)
    students = Student.objects.filter(organization=organization, is_disabled=False)
    if division:
        students = students.filter(division=division)
    results = (
        CertificationResult.objects.filter(
            candidate__student__in=students,
            candidate__session__organization=organization,
            published_at__isnull=False,
            test_date__range=(first_day, last_day),
        )
        .select_related("candidate")
        .prefetch_related(
            Prefetch("marks", queryset=CompetenceMark.objects.select_related("competence"))
        )
        .order_by("test_date", "pk")
    )
    latest = {}
    for result in results:  # ordered by date: the latest per student wins
        latest[result.candidate.student_id] = result

    competences = {
        c.code: CompetenceFigures(code=c.code, name=c.name)
        for c in Competence.objects.order_by("index")
    }
    tested, validated, rejected, pix = [], [], [], []
    for result in latest.values():
        marks = list(result.marks.all())
        passed = [m for m in marks if m.level > 0 and result.is_validated]
        tested.append(len(marks))
        validated.append(len(passed))
        rejected.append(len(marks) - len(passed))
        pix.append(result.pix_score)
        for mark in marks:
            figures = competences[mark.competence.code]
            level = mark.level if result.is_validated else 0
            figures.presented += 1
            figures.highest_level = max(figures.highest_level or 0, level)
            band = next(i for i, (_, levels, _) in enumerate(LEVEL_BANDS) if level in levels)
            figures.bands[band] += 1
    for figures in competences.values():
        figures.share = round(100 * figures.presented / len(latest), 1) if latest else 0.0

    return Bilan(
        start_year=start_year,
        division=division,
        students=students.count(),
        presented=len(latest),
        certified=sum(1 for r in latest.values() if r.is_validated),
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
        x = LABEL_WIDTH
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
