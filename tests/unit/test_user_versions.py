"""Two admins editing one user at once (issue 36): a user carries a version, and a save or removal based on an
older read is refused with nothing written, instead of the last write winning silently (SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest

from cli import main
from core.records.audience import Audience, User
from services.admin import Admin, ChangedUser, operator
from services.register import audit
from services.register.store import Register

CODES = {"1427", "1435", "1488"}
BO = User("bo@kommun.se", Audience.BROKER, ("1427",), "Bo")


def _two_admins(url: str) -> tuple[Admin, Admin]:
    """Two admins, each on their own app server (own engine and connections), on one register holding Bo."""
    anna, carl = User("anna@region.se", Audience.ADMIN, (), "Anna"), User("carl@region.se", Audience.ADMIN, (), "Carl")
    for user in (BO, anna, carl):  # an admin acts only while the register holds them as one
        Admin(Register(url), operator()).save_user(user, CODES, None)
    return Admin(Register(url), anna), Admin(Register(url), carl)


def test_the_second_of_two_admins_saving_one_user_is_refused_and_the_first_save_is_kept(register_url):
    anna, carl = _two_admins(register_url)
    read_by_anna = anna.register.user_version(BO.email)
    read_by_carl = carl.register.user_version(BO.email)
    assert read_by_anna == read_by_carl == 1
    annas = User(BO.email, Audience.BROKER, ("1427", "1435"), "Bo Berg")
    anna.save_user(annas, CODES, read_by_anna)
    with pytest.raises(ChangedUser) as refused:
        carl.save_user(User(BO.email, Audience.BROKER, ("1488",), "Bo Carlsson"), CODES, read_by_carl)
    assert refused.value.code == "changed" and (refused.value.based_on, refused.value.stored) == (1, 2)
    assert "changed" in str(refused.value) and "nothing was written" in str(refused.value)
    register = Register(register_url)
    assert register.versioned_users(BO.email) == [(annas, 2)], "the stored row is the first admin's"
    with register.engine.connect() as conn:
        log = audit.frame(conn, "users", BO.email)
    assert list(log["action"]) == ["add", "edit", "refused"] and list(log["actor"])[-1] == "carl@region.se"
    assert list(log["version"]) == [1, 2, 2]
    carl.save_user(User(BO.email, Audience.BROKER, ("1488",), "Bo Carlsson"), CODES, register.user_version(BO.email))
    assert register.versioned_users(BO.email) == [(User(BO.email, Audience.BROKER, ("1488",), "Bo Carlsson"), 3)], \
        "read again, the second admin's save goes through"


def test_a_new_user_another_admin_added_first_is_not_overwritten(register_url):
    anna, carl = _two_admins(register_url)
    annas = User("ny@kommun.se", Audience.VIEWER, (), "Ny")
    anna.save_user(annas, CODES, None)
    with pytest.raises(ChangedUser) as refused:
        carl.save_user(User("NY@kommun.se", Audience.ADMIN, (), "Någon annan"), CODES, None)
    assert refused.value.code == "exists" and refused.value.value == "ny@kommun.se"
    assert Register(register_url).versioned_users("ny@kommun.se") == [(annas, 1)]


def test_every_save_raises_the_version_and_a_stale_or_missing_version_is_refused(register_url):
    anna, _carl = _two_admins(register_url)
    register = anna.register
    for expected in (2, 3):
        anna.save_user(BO, CODES, register.user_version(BO.email))
        assert register.user_version(BO.email) == expected
    with pytest.raises(ChangedUser):
        anna.save_user(BO, CODES, 1)
    with pytest.raises(ChangedUser):
        anna.save_user(User("nobody@kommun.se", Audience.VIEWER), CODES, 1)  # a version of a user no one has
    assert register.user_version(BO.email) == 3 and register.user("nobody@kommun.se") is None


def test_removing_a_user_checks_the_version_read(register_url):
    anna, carl = _two_admins(register_url)
    read_by_anna = anna.register.user_version(BO.email)
    carl.save_user(User(BO.email, Audience.VIEWER, (), "Bo"), CODES, carl.register.user_version(BO.email))  # made a viewer
    with pytest.raises(ChangedUser) as refused:
        anna.remove_user(BO.email, read_by_anna)
    assert refused.value.code == "changed"
    assert Register(register_url).user(BO.email).role == Audience.VIEWER, "not removed"
    assert anna.remove_user(BO.email, 2)
    with pytest.raises(ChangedUser, match="was removed"):
        carl.remove_user(BO.email, 2)
    assert not carl.remove_user(BO.email), "without a version: removes whatever is stored, here nothing"


def test_the_command_line_adds_and_then_changes_a_user(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'r.sqlite'}"
    assert main(["users", "add", "bo@kommun.se", "--role", "broker", "--municipality", "1427", "--database", url]) == 0
    assert main(["users", "add", "bo@kommun.se", "--role", "viewer", "--name", "Bo", "--database", url]) == 0
    assert Register(url).versioned_users("bo@kommun.se") == [(User("bo@kommun.se", Audience.VIEWER, (), "Bo"), 2)]
