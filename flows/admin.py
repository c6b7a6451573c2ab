"""Directory flows: `add-organization`, `add-person`, `add-board`, `add-board-member`."""

from __future__ import annotations

from typing import Any

from prefect import flow

from ethicsflow.flows.runtime import private_parameters
from ethicsflow.models.boards import roster as boards
from ethicsflow.models.cases import operations
from ethicsflow.models.errors import InvalidInput, option
from ethicsflow.models.people import profile


@flow(name="add-organization")
def add_organization_flow(values: dict[str, Any]) -> dict[str, Any]:
    return operations.add_org(values)


@flow(name="recompute-deadlines")
def recompute_deadlines_flow() -> dict[str, Any]:
    """Count open deadlines again after the policy's calendar overrides changed."""
    return operations.recompute_deadlines()


def check_notify_urls(urls: list[str]) -> None:
    """Refuse a notification URL that apprise cannot deliver to (exit 2 at `person add`)."""
    if not urls:
        return
    from ethicsflow.flows.sending import Apprise  # loads apprise's plugins quietly, once

    for url in urls:
        if Apprise.instantiate(url) is None:
            raise InvalidInput("person.notify_url_undeliverable", option("notify"), url=url)


@private_parameters("values")
@flow(name="add-person")
def add_person_flow(values: dict[str, Any]) -> dict[str, Any]:
    check_notify_urls(list(values.get("notify") or []))
    return operations.add_person(values)


@private_parameters("values")
@flow(name="update-profile")
def update_profile_flow(values: dict[str, Any]) -> dict[str, Any]:
    """A person's own language and notification channels (the web's profile page)."""
    check_notify_urls(list(values.get("notify") or []))
    return profile.update_profile(values)


@private_parameters("values")
@flow(name="add-board")
def add_board_flow(values: dict[str, Any]) -> dict[str, Any]:
    return boards.add_board(values)


@private_parameters("values")
@flow(name="add-board-member")
def add_board_member_flow(values: dict[str, Any]) -> dict[str, Any]:
    return boards.add_member(values)
