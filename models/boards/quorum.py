"""Quorum and vote count of an Ethics Board sitting: pure arithmetic, no database.

The policy's ``board`` entry sets the rule (``policy.Board``): the quorum as a fraction
of the members, the majority needed, what a tie does. The default (quorum "2/3",
majority "simple", tie "chair", the secretary does not vote) is an assumption: the
Agency order that sets it (Order No. 1 of 6 January 2017) was not found, see the policy
file. Everything is exact integer / :class:`~fractions.Fraction` arithmetic.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction

from ethicsflow.models.policy import Board as BoardRule

CHOICES = ("for", "against", "abstain")


@dataclass(frozen=True)
class Tally:
    """The outcome of counting one sitting."""

    quorum_needed: int  # members who must be present and not recused
    quorum_met: bool
    eligible: int  # members present and not recused: those who may vote
    for_: int
    against: int
    abstain: int
    adopted: bool
    reason: str  # the count and the rule in words (for refusals and the decision)


def quorum_fraction(rule: BoardRule) -> Fraction:
    """The quorum of ``rule`` as a fraction ("2/3" → 2/3)."""
    num, den = rule.quorum.split("/")
    return Fraction(int(num), int(den))


def quorum_needed(members: int, rule: BoardRule) -> int:
    """Members who must be present and not recused: ceil(quorum × members), at least 1."""
    return max(1, math.ceil(quorum_fraction(rule) * members))


def rule_text(rule: BoardRule) -> str:
    """The rule in words, as the decision records it (``Decision.quorum_rule``)."""
    majority = {
        "simple": "a simple majority (more than half) of the members present and not recused",
        "two_thirds": "at least two thirds of the members present and not recused",
    }[rule.majority]
    tie = {
        "chair": "a tie is decided by the chair's vote",
        "fails": "a tie means the decision is not adopted",
    }[rule.tie]
    return (
        f"quorum: at least {rule.quorum} of the board's members present and not recused;"
        f" adopted by {majority} voting for; {tie}; the secretary does not vote"
        f" ({rule.basis.strip()}; status: {rule.status})"
    )


def tally(
    members: int,
    recused: int,
    present: int,
    votes: Mapping[str, int],
    chair_vote: str | None,
    rule: BoardRule,
) -> Tally:
    """Count a sitting of a board of ``members`` members.

    ``present`` counts the members recorded present who are **not recused**; ``recused``
    counts the upheld recusals (reported, and bounding ``present``). Readings, all
    assumptions (the Agency order was not found):

    - quorum ``a/b``: at least ceil(a/b × members) members present and not recused. The
      base is the whole board; a recused member in the room does not count towards the
      quorum, since they may not take part in the decision (APPK Art. 67 by analogy).
    - majority ``simple``: more than half of the members present and not recused vote
      for; abstentions therefore count like votes against. ``two_thirds``: at least
      ceil(2/3 × present) vote for.
    - a tie (under ``simple``: for × 2 == present): with tie ``chair`` the decision is
      adopted if and only if the chair voted for (against, abstained, absent or recused:
      not adopted); with tie ``fails`` it is not adopted.
    - the secretary is not a member and has no vote (``secretary_votes`` true would need
      the secretary to be added as a member; it is not counted here either way).

    ``votes`` maps "for" / "against" / "abstain" to counts; members present who did not
    vote count as not for. ``chair_vote`` is the chair's vote, or None when the chair did
    not vote.
    """
    unknown = set(votes) - set(CHOICES)
    if unknown:
        raise ValueError(f"unknown vote choices: {', '.join(sorted(unknown))}")
    for_, against, abstain = (int(votes.get(c, 0)) for c in CHOICES)
    if min(members, recused, present, for_, against, abstain) < 0:
        raise ValueError("counts must be 0 or more")
    if recused > members:
        raise ValueError(f"{recused} recused of {members} members")
    if present > members - recused:
        raise ValueError(
            f"{present} present and not recused, but only {members - recused} members"
            " are not recused"
        )
    if for_ + against + abstain > present:
        raise ValueError(f"{for_ + against + abstain} votes from {present} members present")
    if chair_vote is not None and chair_vote not in CHOICES:
        raise ValueError(f"unknown chair vote {chair_vote!r}")

    needed = quorum_needed(members, rule)
    quorum_met = present >= needed
    count = f"{for_} for, {against} against, {abstain} abstaining"
    quorum = (
        f"{present} of {members} members present and not recused ({recused} recused);"
        f" the quorum is {needed} ({rule.quorum} of {members}, rounded up)"
    )
    if not quorum_met:
        return Tally(needed, False, present, for_, against, abstain, False, f"no quorum: {quorum}")

    if rule.majority == "two_thirds":
        needed_for = math.ceil(Fraction(2, 3) * present)
        adopted = for_ >= needed_for
        verdict = (
            f"{count}: {'adopted' if adopted else 'not adopted'}, {needed_for} votes for"
            f" needed (two thirds of the {present} present, rounded up)"
        )
    elif for_ * 2 > present:
        adopted = True
        verdict = f"{count}: adopted by a majority of the {present} present"
    elif for_ * 2 == present:
        if rule.tie == "chair":
            adopted = chair_vote == "for"
            chair = {
                "for": "voted for",
                "against": "voted against",
                "abstain": "abstained",
                None: "did not vote",
            }[chair_vote]
            verdict = (
                f"{count}: a tie of the {present} present, decided by the chair, who {chair}:"
                f" {'adopted' if adopted else 'not adopted'}"
            )
        else:
            adopted = False
            verdict = f"{count}: a tie of the {present} present: not adopted (tie fails)"
    else:
        adopted = False
        verdict = (
            f"{count}: not adopted, more than half of the {present} present"
            f" ({present // 2 + 1}) must vote for"
        )
    return Tally(
        needed, True, present, for_, against, abstain, adopted, f"quorum met: {quorum}; {verdict}"
    )
