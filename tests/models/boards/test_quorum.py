"""Quorum and vote counting of an Ethics Board sitting (pure arithmetic, no database).

Default rule of the policy file: quorum 2/3 of the members, present and not recused;
a simple majority (more than half) of those present votes for; the chair decides a tie.
"""

from __future__ import annotations

import pytest

from ethicsflow.models.boards.quorum import Tally, quorum_needed, rule_text, tally
from ethicsflow.models.policy import load_policy

RULE = load_policy().board
FAILS = RULE.model_copy(update={"tie": "fails"})
TWO_THIRDS = RULE.model_copy(update={"majority": "two_thirds"})


def votes(f: int, a: int = 0, s: int = 0) -> dict[str, int]:
    return {"for": f, "against": a, "abstain": s}


@pytest.mark.parametrize(
    ("members", "present", "recused", "cast", "chair", "quorum_met", "adopted"),
    [
        # 2/3 boundary: 9 members need 6
        (9, 6, 0, votes(4, 2), "for", True, True),
        (9, 5, 0, votes(5), "for", False, False),
        (9, 9, 0, votes(5, 4), "against", True, True),
        (9, 9, 0, votes(4, 5), "for", True, False),
        # recused members do not count towards the quorum: 9 members, 3 recused, 5 left
        (9, 5, 3, votes(5), "for", False, False),
        (9, 6, 3, votes(4, 2), None, True, True),
        # 7 members: ceil(14/3) = 5
        (7, 5, 0, votes(3, 2), "against", True, True),
        (7, 4, 1, votes(4), "for", False, False),
        # 3 members: 2 needed; 5 members: 4 needed (10/3 rounded up)
        (3, 2, 0, votes(2), None, True, True),
        (3, 1, 0, votes(1), "for", False, False),
        (5, 3, 0, votes(3), "for", False, False),
        (5, 4, 0, votes(3, 1), None, True, True),
        # ties of 6 present: the chair decides
        (6, 6, 0, votes(3, 3), "for", True, True),
        (6, 6, 0, votes(3, 3), "against", True, False),
        (6, 6, 0, votes(3, 2, 1), "abstain", True, False),
        (6, 6, 0, votes(3, 3), None, True, False),  # chair absent or not voting
        # abstentions count as not for: 3 for of 6 is no majority without the chair
        (6, 6, 0, votes(3, 0, 3), "abstain", True, False),
        (6, 6, 0, votes(3, 0, 3), "for", True, True),
        # all abstain
        (6, 6, 0, votes(0, 0, 6), "abstain", True, False),
        (3, 3, 0, votes(0, 0, 3), "abstain", True, False),
        # unanimity
        (4, 4, 0, votes(4), "for", True, True),
        # nobody present; an empty board never has a quorum
        (4, 0, 0, votes(0), None, False, False),
        (0, 0, 0, votes(0), None, False, False),
    ],
)
def test_tally(
    members: int,
    present: int,
    recused: int,
    cast: dict[str, int],
    chair: str | None,
    quorum_met: bool,
    adopted: bool,
) -> None:
    result = tally(members, recused, present, cast, chair, RULE)
    assert isinstance(result, Tally)
    assert (result.quorum_met, result.adopted) == (quorum_met, adopted), result.reason
    assert result.eligible == present
    assert (result.for_, result.against, result.abstain) == (
        cast["for"],
        cast["against"],
        cast["abstain"],
    )
    assert ("no quorum" in result.reason) is (not quorum_met)


@pytest.mark.parametrize(
    ("members", "needed"), [(0, 1), (1, 1), (2, 2), (3, 2), (4, 3), (6, 4), (7, 5), (9, 6)]
)
def test_quorum_needed_is_two_thirds_rounded_up(members: int, needed: int) -> None:
    assert quorum_needed(members, RULE) == needed
    if members:
        assert tally(members, 0, needed, votes(0), None, RULE).quorum_met
        assert not tally(members, 0, needed - 1, votes(0), None, RULE).quorum_met


def test_tie_fails_rule_ignores_the_chair() -> None:
    assert not tally(6, 0, 6, votes(3, 3), "for", FAILS).adopted
    assert "tie" in tally(6, 0, 6, votes(3, 3), "for", FAILS).reason
    assert tally(6, 0, 6, votes(4, 2), "against", FAILS).adopted


@pytest.mark.parametrize(
    ("present", "cast", "adopted"),
    [
        (6, votes(4, 2), True),
        (6, votes(3, 3), False),
        (7, votes(5, 2), True),
        (7, votes(4, 3), False),
    ],
)
def test_two_thirds_majority(present: int, cast: dict[str, int], adopted: bool) -> None:
    assert tally(9, 0, present, cast, "for", TWO_THIRDS).adopted is adopted


def test_reason_names_the_count_and_the_rule() -> None:
    result = tally(9, 1, 5, votes(5), "for", RULE)
    assert "5 of 9 members present and not recused (1 recused)" in result.reason
    assert "the quorum is 6" in result.reason
    tie = tally(6, 0, 6, votes(3, 3), "against", RULE)
    assert "tie" in tie.reason and "chair" in tie.reason and "voted against" in tie.reason
    text = rule_text(RULE)
    assert "2/3" in text and "simple majority" in text and "chair" in text
    assert "assumption" in text and "secretary does not vote" in text


@pytest.mark.parametrize(
    ("members", "recused", "present", "cast", "chair"),
    [
        (5, 6, 0, votes(0), None),  # more recused than members
        (5, 2, 4, votes(0), None),  # present beyond the members not recused
        (5, 0, 3, votes(2, 2), None),  # more votes than present
        (5, 0, 3, votes(-1), None),
        (5, 0, 3, {"yes": 1}, None),
        (5, 0, 3, votes(1), "maybe"),
    ],
)
def test_tally_refuses_impossible_counts(
    members: int, recused: int, present: int, cast: dict[str, int], chair: str | None
) -> None:
    with pytest.raises(ValueError):
        tally(members, recused, present, cast, chair, RULE)


def test_the_arithmetic_is_exact_for_large_boards() -> None:
    # 3 000 000 members: 2/3 is exactly 2 000 000; a float product could round up.
    assert quorum_needed(3_000_000, RULE) == 2_000_000
    assert quorum_needed(3_000_001, RULE) == 2_000_001
