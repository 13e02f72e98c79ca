"""How bench/accuracy.py scores a published date: right when it falls on the labelled calendar day,
read in the label's own offset when both carry one; a label typed day before month, which no
calendar has, is read the one way it can be."""

from __future__ import annotations

from types import ModuleType

import pytest
from e2e import bench_module


@pytest.fixture(scope="module")
def accuracy() -> ModuleType:
    return bench_module("accuracy")


@pytest.mark.parametrize(
    ("extracted", "label", "right"),
    [
        ("2024-03-02T19:30:00+01:00", "2024-03-02", True),
        ("2024-03-02", "2024-03-02T08:00:00+00:00", True),
        ("2024-03-03", "2024-03-02", False),
        (None, "2024-03-02", False),
        # the same instant, on the label's day in the label's offset
        ("2024-03-02T23:30:00+00:00", "2024-03-03T00:30:00+01:00", True),
        ("2022-11-29", "2022-29-11", True),
        ("2022-11-29T10:00:00+01:00", "2022-29-11", True),
        ("2022-11-30", "2022-29-11", False),
        # a possible date is read as written: "2022-05-06" is the 6th of May
        ("2022-06-05", "2022-05-06", False),
        ("2022-01-26", "2022-01.26", True),
    ],
)
def test_a_date_is_right_on_the_labelled_day(accuracy: ModuleType, extracted: str | None, label: str,
                                             right: bool) -> None:
    assert accuracy.right_day(extracted, label) is right
