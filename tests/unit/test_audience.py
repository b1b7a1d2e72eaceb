"""Who sees what: the policy table, the server-side cut of rows, and the users in the register."""

from __future__ import annotations

import pandas as pd
import pytest

from core.records import audience
from core.records.audience import Audience, User
from services.admin import Admin, operator
from services.register.store import Register

BROKER = User("b@kommun.se", Audience.BROKER, ("1427",))
ADMIN = User("a@kommun.se", Audience.ADMIN)
VIEWER = User("v@kommun.se", Audience.VIEWER)


@pytest.mark.parametrize(("user", "companies", "pages"), [
    (None, False, {"oversikt", "behovskarta", "utbud", "pendling", "brief", "om-data"}),
    (VIEWER, False, {"oversikt", "behovskarta", "utbud", "pendling", "brief", "om-data"}),
    (BROKER, True, {"oversikt", "behovskarta", "utbud", "pendling", "brief", "om-data", "kohorter", "underlag", "arbetsyta"}),
    (ADMIN, True, {"oversikt", "behovskarta", "utbud", "pendling", "brief", "om-data", "kohorter", "underlag", "arbetsyta", "anvandare"}),
])
def test_policy(user, companies, pages):
    assert audience.sees_companies(user) is companies
    assert set(audience.pages_for(user)) == pages
    assert all(audience.may_open(user, p) for p in pages)
    assert audience.may_write_reference(user) is (user is ADMIN)


def test_rows_are_cut_to_the_brokers_municipalities_and_to_nothing_for_the_public():
    needs = pd.DataFrame({"municipality_code": pd.Categorical(["1427", "1435", "1427", "1488"]), "persons": [1, 2, 3, 4]})
    assert audience.rows_for(BROKER, needs)["persons"].tolist() == [1, 3]
    assert audience.rows_for(ADMIN, needs)["persons"].tolist() == [1, 2, 3, 4]
    assert audience.rows_for(None, needs).empty and audience.rows_for(VIEWER, needs).empty


@pytest.mark.parametrize("text", ["public", "King", "", "administrator"])
def test_only_the_three_roles_can_be_given(text):
    with pytest.raises(ValueError, match="unknown role"):
        audience.parse_role(text)


def test_users_are_stored_normalised_and_bad_ones_refused(register_url):
    register = Register(register_url)
    admin = Admin(register, operator())
    saved = admin.save_user(User(" Anna@Kommun.SE ", Audience.BROKER, ("1435", "1427", "1427"), " Anna "), {"1427", "1435"}, None)
    assert saved == User("anna@kommun.se", Audience.BROKER, ("1427", "1435"), "Anna")
    assert register.user("ANNA@kommun.se") == saved
    assert admin.save_user(User("p@k.se", Audience.VIEWER, ("1427",)), {"1427"}, None).municipalities == (), "only brokers have municipalities"
    for bad in (User("no-at-sign", Audience.VIEWER), User("x@y.se", Audience.BROKER, ()), User("x@y.se", Audience.BROKER, ("0000",)),
                User("x y@z.se", Audience.VIEWER)):
        with pytest.raises(ValueError):
            admin.save_user(bad, {"1427"}, None)
    assert [u.email for u in register.users()] == ["anna@kommun.se", "p@k.se"]
    assert admin.remove_user("anna@kommun.se") and not admin.remove_user("anna@kommun.se")


def test_every_write_raises_the_revision(register_url):
    from services.seed import known_codes, load_demo

    register = Register(register_url)
    assert register.revision() == "0"
    generated = load_demo(register)
    first = register.revision()
    load_demo(register)
    second = register.revision()
    admin = Admin(register, operator())
    admin.replace_offers(generated.offers, known_codes())
    third = register.revision()
    admin.replace_travel_matrix(register.travel_matrix_frame())  # the same (empty) matrix again is still a write
    fourth = register.revision()
    admin.save_user(User("ny@kommun.se", Audience.BROKER, ("1427",)), {"1427"}, None)
    fifth = register.revision()
    admin.remove_user("ny@kommun.se")
    assert int(first) < int(second) < int(third) < int(fourth) < int(fifth) < int(register.revision())
