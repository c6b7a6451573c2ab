"""The policy file: the packaged one loads, broken ones are refused by field name."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
import yaml

from ethicsflow.models.errors import PolicyError
from ethicsflow.models.policy import (
    OFFENCE_CATEGORIES,
    REQUIRED_RULES,
    load_policy,
    packaged_policy_path,
)


def _packaged_data() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(packaged_policy_path().read_text(encoding="utf-8"))
    return data


def _write(tmp_path: Path, data: dict[str, Any], name: str = "policy.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_load_policy_packaged_file_loads() -> None:
    policy = load_policy()
    assert policy.version == "2026.1"
    assert policy.zone == "Asia/Almaty"
    assert set(REQUIRED_RULES) <= set(policy.rules)
    assert set(OFFENCE_CATEGORIES) <= set(policy.limitation.categories)
    assert policy.rules["answer"].amount == 15
    assert policy.rules["answer"].from_ == "receipt"
    assert policy.extension.mode == "total_from_receipt"
    assert policy.registration.after_hours_next_day is False
    assert policy.reminders.days_before == (3, 1)
    assert [p.code for p in policy.penalties.items] == [
        "remark",
        "reprimand",
        "severe_reprimand",
        "incomplete_compliance_warning",
        "demotion",
        "dismissal",
    ]


def test_load_policy_every_rule_has_source() -> None:
    policy = load_policy()
    for name, rule in policy.rules.items():
        assert rule.basis.strip() and rule.act.strip() and rule.status, name
    for section in (policy.extension, policy.registration, policy.limitation, policy.penalties):
        assert section.basis.strip() and section.act.strip() and section.status


def test_load_policy_suspension_grounds_stop_expected_clocks() -> None:
    grounds = load_policy().suspension_grounds
    assert grounds["appk_suspension"].stops == ("answer", "explanation", "correction")
    assert grounds["appk_suspension"].status == "assumption"
    assert all(g.stops == ("limitation",) for k, g in grounds.items() if k != "appk_suspension")


def test_load_policy_is_cached_per_file() -> None:
    assert load_policy() is load_policy()


def test_load_policy_typo_field_names_field(tmp_path: Path) -> None:
    data = _packaged_data()
    data["rules"]["answer"]["amout"] = data["rules"]["answer"].pop("amount")
    path = _write(tmp_path, data)
    with pytest.raises(PolicyError) as caught:
        load_policy(path)
    message = str(caught.value)
    assert message.startswith(f"policy file {path.resolve()}: ")
    assert "rules.answer.amout: Extra inputs are not permitted" in message
    assert "rules.answer.amount: Field required" in message


def test_load_policy_wrong_type_names_field(tmp_path: Path) -> None:
    data = _packaged_data()
    data["rules"]["answer"]["amount"] = "fifteen"
    path = _write(tmp_path, data)
    with pytest.raises(
        PolicyError, match=r"rules\.answer\.amount: Input should be a valid integer"
    ):
        load_policy(path)


def test_load_policy_unquoted_office_hours_refused(tmp_path: Path) -> None:
    # YAML reads an unquoted 18:00 as the base-60 number 1080.
    path = tmp_path / "policy.yaml"
    text = packaged_policy_path().read_text(encoding="utf-8")
    path.write_text(text.replace('office_hours_end: "18:00"', "office_hours_end: 18:00"))
    with pytest.raises(PolicyError, match=r"registration\.office_hours_end: write the time"):
        load_policy(path)


def test_load_policy_missing_rule_refused(tmp_path: Path) -> None:
    data = _packaged_data()
    del data["rules"]["forward"]
    with pytest.raises(PolicyError, match="rules: missing rules: forward"):
        load_policy(_write(tmp_path, data))


def test_load_policy_unknown_zone_refused(tmp_path: Path) -> None:
    data = _packaged_data()
    data["zone"] = "Asia/Nowhere"
    with pytest.raises(PolicyError, match="zone: unknown time zone 'Asia/Nowhere'"):
        load_policy(_write(tmp_path, data))


def test_load_policy_day_both_off_and_working_refused(tmp_path: Path) -> None:
    data = _packaged_data()
    day = {"date": "2026-01-03", "decree": "test"}
    data["calendar_overrides"] = {"days_off": [day], "working_days": [day]}
    with pytest.raises(PolicyError, match="calendar_overrides: a day cannot be both"):
        load_policy(_write(tmp_path, data))


def test_load_policy_invalid_yaml_refused(tmp_path: Path) -> None:
    path = tmp_path / "policy.yaml"
    path.write_text("rules: [unclosed\n")
    with pytest.raises(PolicyError, match="cannot be read"):
        load_policy(path)


def test_load_policy_missing_file_refused(tmp_path: Path) -> None:
    with pytest.raises(PolicyError, match=r"absent\.yaml: cannot be read"):
        load_policy(tmp_path / "absent.yaml")


def test_load_policy_env_override(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = _packaged_data()
    data["version"] = "test-env"
    monkeypatch.setenv("ETHICSFLOW_POLICY_FILE", str(_write(tmp_path, data)))
    assert load_policy().version == "test-env"
    monkeypatch.delenv("ETHICSFLOW_POLICY_FILE")
    assert load_policy().version == "2026.1"


def test_load_policy_rereads_edited_file(tmp_path: Path) -> None:
    data = _packaged_data()
    data["version"] = "edit-1"
    path = _write(tmp_path, data)
    assert load_policy(path).version == "edit-1"
    data["version"] = "edit-2"
    _write(tmp_path, data)
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    assert load_policy(path).version == "edit-2"
