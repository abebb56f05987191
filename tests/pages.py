"""What a page does for its user, read from its HTML rather than matched as raw markup.

Tests say "the page polls its progress until the job ends" or "there is no Publier button";
the attribute spelling lives here once, so rearranging a template does not break them.
"""

import re
from dataclasses import dataclass

import lxml.html

EVERY = re.compile(r"\bevery\s+(\d+(?:\.\d+)?)(ms|s|m)\b")
SECONDS = {"ms": 0.001, "s": 1, "m": 60}


@dataclass(frozen=True)
class Poll:
    url: str
    every_seconds: float


def _tree(page: str):
    return lxml.html.fromstring(page)


def polls(page: str) -> list[Poll]:
    """The requests the page repeats on its own, on a timer (htmx `every` triggers)."""
    found = []
    for element in _tree(page).xpath("//*[@hx-trigger]"):
        every = EVERY.search(element.get("hx-trigger"))
        if every:
            value, unit = every.groups()
            found.append(Poll(element.get("hx-get"), float(value) * SECONDS[unit]))
    return found


def polled_urls(page: str) -> list[str]:
    return [poll.url for poll in polls(page)]


def out_of_band(page: str) -> dict[str, str]:
    """The text of the elements an htmx answer updates elsewhere on the page, by id."""
    return {
        element.get("id"): element.text_content().strip()
        for element in _tree(page).xpath("//*[@hx-swap-oob]")
    }


def root_id(fragment: str) -> str:
    """The id of the element a partial answer replaces."""
    return _tree(fragment).get("id")


def buttons(page: str) -> list[str]:
    """The visible labels of the submit buttons (screen-reader-only text left out)."""
    return [_visible_text(b) for b in _tree(page).xpath("//button | //input[@type='submit']")]


def disclosures(page: str) -> list[str]:
    """The visible labels of the controls that only open a question (`<details>` summaries)."""
    return [_visible_text(summary) for summary in _tree(page).iter("summary")]


def progress(page: str) -> int | None:
    """The value the first progress bar shows, None without one."""
    bars = _tree(page).iter("progress")
    bar = next(bars, None)
    return None if bar is None else int(bar.get("value"))


def _visible_text(element) -> str:
    copy = lxml.html.fromstring(lxml.html.tostring(element, with_tail=False))
    for hidden in copy.xpath(".//*[contains(concat(' ', @class, ' '), ' fr-sr-only ')]"):
        hidden.drop_tree()
    return (copy.text_content() if copy.tag != "input" else copy.get("value", "")).strip()
