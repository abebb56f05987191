"""Work in forked children: each child's result comes back whole, in the order of the calls."""

import datetime
import os

import pytest

from jobs.processes import in_child_processes

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork (POSIX)")


def rows(first: int, count: int) -> tuple:
    """Like a parse worker's result: a header, many rows sharing values, a short list."""
    division = "2NDE" + str(first)
    students = [
        (f"{number:09d}AA", "LEFÈVRE", division, datetime.date(2010, 1, 1 + number % 28))
        for number in range(first, first + count)
    ]
    return "0750001A", "2026", students, [("left", "MARTIN Léa")]


def fails() -> None:
    raise RuntimeError("a child that fails")


def test_results_longer_than_a_slice_come_back_equal_in_the_calls_order():
    told = []

    results = in_child_processes(rows, [(0, 12_345), (50_000, 3)], on_result=told.append)

    assert results == [rows(0, 12_345), rows(50_000, 3)]
    assert told == [0, 1]


def test_a_value_or_a_list_that_is_not_in_a_tuple_comes_back_as_it_was():
    assert in_child_processes(list, [(range(7_001),), ("",)]) == [list(range(7_001)), []]
    assert in_child_processes(str.upper, [("abc",)]) == ["ABC"]
    assert in_child_processes(dict, [()]) == [{}]


def test_a_child_that_fails_gives_none_and_the_others_their_result():
    assert in_child_processes(fails, [()]) == [None]
    assert in_child_processes(rows, [(1, 2)]) == [rows(1, 2)]
