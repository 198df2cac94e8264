"""The answer model's own behaviour: contexts read back from button values and stored rows."""

from __future__ import annotations

from typing import Any

import pytest

from facts.answer import Context


def test_a_context_survives_its_round_trip() -> None:
    context = Context(intent="credits", show_ids=(3, 1), person_ids=(7,))

    assert Context.from_dict(context.to_dict()) == context


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({}, Context()),
        ({"intent": None, "show_ids": None, "person_ids": ":"}, Context()),
        ({"show_ids": [1, "2", None, True, 3.5, 4]}, Context(show_ids=(1, 4))),
        ({"person_ids": 5, "show_ids": {"1": 2}}, Context()),
    ],
)
def test_a_damaged_context_keeps_only_what_is_sound(data: dict[str, Any], expected: Context) -> None:
    assert Context.from_dict(data) == expected
