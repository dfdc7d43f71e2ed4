"""The crackdown and rectification figures shown beside the tip figures (dashboard, weekly report).

Each section is a group of registry indicators; each figure keeps its link to the records behind it.
"""

from __future__ import annotations

from dataclasses import dataclass

from silvershield.stats import figures
from silvershield.stats.figures import Figure, Slice
from silvershield.stats.registry import indicator

SECTIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "打击犯罪",
        (
            "cases_filed",
            "cases_solved",
            "suspects_arrested",
            "fugitives_caught",
            "gangs_broken",
            "cold_cases_reviewed",
            "recovered_amount",
            "returned_amount",
            "recovery_rate",
            "returned_rate",
        ),
    ),
    (
        "行业整治",
        (
            "hazards_found",
            "hazards_rectified",
            "hazard_rectify_rate",
            "letters_issued",
            "letters_replied",
            "letters_rectified",
            "letter_reply_rate",
            "letters_overdue",
            "tasks_closed",
            "task_on_time_rate",
            "tasks_overdue",
            "rules_made",
            "institutions_unlicensed",
        ),
    ),
)
SECTION_CODES = tuple(code for _, codes in SECTIONS for code in codes)


@dataclass(frozen=True)
class Section:
    title: str
    figures: list[Figure]


def sections_build(sl: Slice) -> list[Section]:
    return [
        Section(title, [figures.figure(indicator(code), sl) for code in codes])
        for title, codes in SECTIONS
    ]
