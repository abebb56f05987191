"""Colours that carry information are readable (WCAG 1.4.11: 3:1 for graphics)."""

from results.bilan import LEVEL_BANDS


def relative_luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_every_band_of_the_levels_chart_stands_out_from_the_white_page():
    for label, _levels, colour in LEVEL_BANDS:
        assert contrast(colour, "#ffffff") >= 3, label
