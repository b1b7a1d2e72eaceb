"""Releases on a schedule: frozen once stored, and the next protected together with the one before.

The attack here is written apart from ``core.disclosure.protection``: a reader who has both releases sets up the relations
of each (every breakdown adds up to its total, every municipality column to Fyrbodal's) with the cells each shows,
and asks how small and how large the **change** of a figure between them can be. A change made by one or two
companies must keep ±50 % either way, for an outsider and for a broker who knows their own municipalities'
figures in both releases. The same attack on the second release made alone (not together) finds the late need.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from scipy.sparse import coo_matrix

from core.disclosure import history as release_history
from core.disclosure import release
from core.disclosure.release import Release
from data import demo, reference
from services import publishing
from services.register.store import Register
from services.seed import DEMO_USERS, known_codes, load_demo, workspace
from tests import release_attack

FYRBODAL = reference.fyrbodal_codes()
LISTED = publishing.listed()  # every release lists the whole catalogue, as the app publishes it
SOTENAS, LYSEKIL = "1427", "1484"
LATE = {"company_id": 10**6, "municipality_code": SOTENAS, "competence": "boatbuilding", "persons": 3,
        "collected_on": pd.Timestamp("2026-03-01"), "need_type": "upskilling"}  # the example: a closed quarter


@pytest.fixture(scope="module")
def needs(demo_url) -> pd.DataFrame:
    return Register(demo_url).needs_frame()


@pytest.fixture(scope="module")
def later(needs) -> pd.DataFrame:
    planted = needs.iloc[[0]].assign(id=10**6, **LATE)
    return pd.concat([needs, planted], ignore_index=True)


@pytest.fixture(scope="module")
def scopes() -> list[tuple[str, ...]]:
    return release.insider_scopes(FYRBODAL, [u.municipalities for u in DEMO_USERS])


@pytest.fixture(scope="module")
def first(needs, scopes) -> Release:
    return release.build(needs, FYRBODAL, scopes, "2026-06", listed=LISTED)


@pytest.fixture(scope="module")
def together(later, first, scopes) -> Release:
    return release_history.build(later, FYRBODAL, scopes, "2026-09", first, listed=LISTED)


@pytest.fixture(scope="module")
def alone(later, first, scopes) -> Release:
    """The second release from the same rows, made alone (not protected together with the first)."""
    return release.build(release_history.final_rows(later, first), FYRBODAL, scopes, "2026-09", listed=LISTED)


_RELATIONS: dict[int, tuple[Release, list]] = {}  # a release's relations, made once (the release kept with them)


def _relations(published: Release) -> list[tuple[str, list[str]]]:
    kept = _RELATIONS.get(id(published))
    if kept is None or kept[0] is not published:
        _, relations = release.tables(published.needs, FYRBODAL, published.through, listed=release.listed_in(published.cells))
        kept = _RELATIONS[id(published)] = (published, relations)
    return kept[1]


def change_attack(old: Release, new: Release, group: str, known: set[str] = frozenset()) -> dict[str, tuple[float, float]]:
    """For each cell of ``group`` whose change between the releases is sensitive: the smallest and largest change
    a reader of both (knowing ``known`` cells of both exactly) can compute."""
    changes = release_history.changes(new.needs, old.needs)
    scope = {x.split("|")[3] for x in known}

    def own(k: str) -> bool:  # a Fyrbodal change the reader's own companies take part in: theirs too (README)
        y, m, d, _, v = k.split("|")
        return any("|".join((y, m, d, w, v)) in changes for w in scope)

    targets = [k for k, c in changes.items() if k.startswith(group + "|") and c.primary and k not in known
               and k.split("|")[3] not in scope and not own(k)]
    variables: dict[str, int] = {}

    def var(name: str) -> int:
        return variables.setdefault(name, len(variables))

    rows: list[tuple[list[tuple[int, float]], float]] = []
    for tag, published in (("o", old), ("n", new)):
        for total, members in _relations(published):
            if not total.startswith(group + "|"):
                continue
            terms, rhs = [], 0.0
            for k, coef in [(m, 1.0) for m in members] + [(total, -1.0)]:
                cell = published.cells.get(k)
                value = 0.0 if cell is None else cell.value
                if cell is not None and cell.suppressed and k not in known:
                    terms.append((var(f"{tag}:{k}"), coef))
                else:
                    rhs -= coef * value
            if terms:
                rows.append((terms, rhs))
    a = coo_matrix(([v for terms, _ in rows for _, v in terms],
                    ([i for i, (terms, _) in enumerate(rows) for _ in terms], [j for terms, _ in rows for j, _ in terms])),
                   shape=(len(rows), len(variables)))
    b = np.array([r for _, r in rows])
    solve = release_attack.solver(a, b, b, [(0.0, None)] * len(variables)) if variables else None
    out = {}
    for k in targets:
        fixed = {}
        for tag, published in (("o", old), ("n", new)):
            cell = published.cells.get(k)
            if cell is None or not cell.suppressed or k in known:
                fixed[tag] = 0.0 if cell is None else cell.value
        const = fixed.get("n", 0.0) - fixed.get("o", 0.0)
        c = np.zeros(len(variables))
        if "n" not in fixed:
            c[variables[f"n:{k}"]] = 1.0
        if "o" not in fixed:
            c[variables[f"o:{k}"]] = -1.0
        if not c.any():
            out[k] = (const, const)
            continue
        low, high = solve(c), solve(-c)  # min (new - old), min -(new - old); None: unbounded
        out[k] = (const + c @ low if low is not None else -np.inf, const + c @ high if high is not None else np.inf)
    return out


def narrowed(old: Release, new: Release, group: str, known: set[str] = frozenset()) -> list[str]:
    changes = release_history.changes(new.needs, old.needs)
    found = []
    for k, (low, high) in change_attack(old, new, group, known).items():
        v = changes[k].value
        if low > v - 0.5 * abs(v) + 1e-6 or high < v + 0.5 * abs(v) - 1e-6:
            found.append(k)
    return found


def test_a_late_need_counts_in_the_next_open_quarter_and_no_published_figure_moves(first, together, later):
    """Issue 37: a need registered for a quarter already published counts in the first month after the release's
    months (2026-07), so every quarter figure the first release published is the same in the second."""
    diff = release_history.changes(together.needs, first.needs)
    late = diff[release.key(2026, "persons", "competence", SOTENAS, "boatbuilding")]
    assert late.companies >= 1 and late.primary
    assert release.key(2026, "persons", "quarter", SOTENAS, "Q1") not in diff
    moved = together.needs[together.needs["id"] == 10**6]
    assert list(moved["collected_on"]) == [pd.Timestamp("2026-07-01")]
    for k, c in first.cells.items():
        if "|quarter|" in k or not k.startswith("2026|"):  # a published quarter, a closed year: final
            assert together.cells[k].value == c.value, k


@pytest.mark.parametrize("group", ["2026|persons", "2026|companies", "2026|needs"])
def test_no_change_between_two_releases_is_narrowed_by_an_outsider(first, together, alone, group):
    assert narrowed(first, together, group) == []
    if group == "2026|persons":  # the attack bites on the second release made alone
        assert narrowed(first, alone, group), "the attack finds the late need when the releases are not protected together"


@pytest.mark.parametrize("scope", [(SOTENAS, "1435"), (LYSEKIL,), ("1488",)], ids=["sotenas-tanum", "lysekil", "trollhattan"])
def test_no_change_is_narrowed_by_a_broker_who_knows_their_own(first, together, scope):
    for group in ("2026|persons", "2026|companies"):
        known = {k for published in (first, together) for k in published.cells if k.split("|")[3] in scope}
        assert narrowed(first, together, group, known) == [], (scope, group)


@pytest.mark.parametrize("scope", [(), (SOTENAS, "1435"), ("1488",)], ids=["outsider", "sotenas-tanum", "trollhattan"])
def test_both_releases_read_together_by_an_independent_attack_narrow_nothing(first, together, scope):
    """``tests/release_attack.py`` (written apart from the protection): every hidden figure of either release, every
    change between them, a Fyrbodal figure minus the insider's own part; cells only grow, published quarters final."""
    found = release_attack.attack([first, together], scope, years=[2026])
    assert found.checked > 300 and (found.exact, found.narrowed) == (0, 0), found.examples


def test_the_independent_attack_bites_when_a_rule_is_switched_off(first, alone, needs):
    """The same attack finds figures on the second release made alone, and, as a broker, on a release protected
    against outsiders only (a Fyrbodal figure minus the broker's own part): it can fail."""
    apart = release_attack.attack([first, alone], (), years=[2026])
    assert apart.exact + apart.narrowed > 0, "made alone, the second release gives changes away"
    outsiders_only = release.build(needs, FYRBODAL, (), "2026-06", listed=LISTED)
    broker = release_attack.attack([outsiders_only], ("1488",), years=[2026])
    assert broker.exact + broker.narrowed > 0, "unprotected against insiders, Fyrbodal minus Trollhättan gives figures away"


def test_earlier_figures_stay_protected_when_both_releases_are_read(first, together):
    """A figure the first release hid must not be narrowed by what the second shows beside it."""
    hidden = [k for k, c in first.cells.items() if c.primary and c.value > 0 and k.startswith("2026|persons|")]
    shown_now = [k for k in hidden if not together.cells[k].suppressed]
    same = [k for k in shown_now if together.cells[k].value == first.cells[k].value]
    assert same == [], "a figure hidden before, unchanged, is not shown now"


def test_a_group_nothing_changed_in_is_published_the_same_way(first, together):
    for k, c in first.cells.items():
        if k.startswith("2024|"):
            assert together.cells[k].value == c.value and together.cells[k].suppressed >= c.suppressed, k


def test_the_open_year_publishes_only_its_closed_quarters(first, together):
    assert release.key(2026, "persons", "quarter", "region", "Q3") not in first.cells
    assert release.key(2026, "persons", "quarter", "region", "Q3") in together.cells
    assert release.key(2026, "persons", "quarter", "region", "Q4") not in together.cells
    assert first.through == "2026-06" and first.needs["collected_on"].max() <= pd.Timestamp("2026-06-30")


def test_a_stored_release_reads_back_the_same(together):
    cells, needs = release_history.dump(together)
    again = release_history.load(cells, needs)
    assert again.cells == together.cells and again.through == "2026-09" and again.scopes == together.scopes
    assert len(again.needs) == len(together.needs)
    assert not {"company", "note", "broker", "contact_name"} & set(again.needs.columns)  # no names or notes kept


def _demo_register(tmp_path) -> Register:
    register = Register(f"sqlite:///{tmp_path / 'r.sqlite'}")
    load_demo(register)
    return register


def test_releases_come_on_a_schedule_and_never_change(tmp_path):
    register = _demo_register(tmp_path)
    assert publishing.due(register, dt.date(2026, 7, 2)).why == "first"
    first = publishing.publish(register, dt.date(2026, 7, 2))
    assert first.id == 1 and first.through == "2026-06" and first.published == "2026-07-02"
    assert publishing.due(register, dt.date(2026, 9, 30)) is None and publishing.publish(register, dt.date(2026, 9, 30)) is None
    entry = register.releases().iloc[-1]
    assert entry["revision"] and int(register.revision()) > int(entry["revision"])  # publishing raises the revision

    # a broker registers a need for a closed quarter: the published release does not move
    ws = workspace(register, DEMO_USERS[1], today=dt.date(2026, 8, 1))
    company = int(ws.frame("companies")["id"].iloc[0])
    ws.add_need({"company_id": company, "competence": "welding", "need_type": "upskilling", "persons": 4, "horizon": "0-6",
                 "form": "blended", "level": "upper_secondary", "note": "", "collected_on": dt.date(2026, 3, 1)})
    assert len(register.needs_frame()) == len(first.needs) + 1 + (register.needs_frame()["collected_on"] > "2026-06-30").sum()
    assert publishing.latest(register).cells == first.cells

    second = publishing.publish(register, dt.date(2026, 10, 1))
    assert second.id == 2 and second.through == "2026-09"
    assert publishing.load(register, 1).cells == first.cells  # the earlier one is kept as it was
    q1, q3 = (release.key(2026, "persons", "quarter", "region", q) for q in ("Q1", "Q3"))
    assert second.cells[q1].value == first.cells[q1].value  # a published quarter is final (issue 37)
    rows = register.needs_frame()
    in_q3 = rows[(rows["collected_on"] >= "2026-07-01") & (rows["collected_on"] <= "2026-09-30")]
    assert second.cells[q3].value == in_q3["persons"].sum() + 4  # the late need counts in the next open quarter
    with register.engine.connect() as conn:
        from services.register import audit

        log = audit.frame(conn, "releases")
    assert list(log["record_id"]) == ["1", "2"] and set(log["actor"]) == {"system"}


def test_a_user_cannot_be_given_municipalities_the_published_releases_were_not_protected_against(tmp_path):
    """Issue 37, point 3: scopes are decided before they take effect. Before, the new scope made a new release of the
    same months, but the earlier one stayed public with the cells the new one hid from that user."""
    from core.records.audience import UserProblem
    from services.admin import Admin

    register = _demo_register(tmp_path)
    admin = Admin(register, DEMO_USERS[0])
    assert publishing.publish(register, dt.date(2026, 10, 1)) is not None
    moved = DEMO_USERS[2].__class__(DEMO_USERS[2].email, DEMO_USERS[2].role, ("1487", "1488"), DEMO_USERS[2].name)
    with pytest.raises(UserProblem) as refused:
        admin.save_user(moved, set(FYRBODAL), register.user_version(moved.email))
    assert refused.value.code == "scope_unprotected" and refused.value.value == "1487,1488"
    assert publishing.due(register, dt.date(2026, 10, 2)) is None and len(register.releases()) == 1
    # moved to another municipality, the broker still knows what they read of Trollhättan: both together are refused
    with pytest.raises(UserProblem) as refused:
        admin.save_user(moved.__class__(moved.email, moved.role, ("1487",), moved.name), set(FYRBODAL),
                        register.user_version(moved.email))
    assert refused.value.code == "scope_unprotected" and refused.value.value == "1487,1488"
    admin.remove_user(moved.email, register.user_version(moved.email))  # removed and added again: still knows Trollhättan
    with pytest.raises(UserProblem) as refused:
        admin.save_user(moved.__class__(moved.email, moved.role, ("1487",), moved.name), set(FYRBODAL), None)
    assert refused.value.code == "scope_unprotected" and refused.value.value == "1487,1488"
    admin.save_user(DEMO_USERS[2], set(FYRBODAL), None)
    for allowed in (("1488",), tuple(FYRBODAL)):  # protected against (alone, and old and new together): given
        admin.save_user(moved.__class__(moved.email, moved.role, allowed, moved.name), set(FYRBODAL),
                        register.user_version(moved.email))
    narrowed_ = DEMO_USERS[1].__class__(DEMO_USERS[1].email, DEMO_USERS[1].role, ("1427",), DEMO_USERS[1].name)
    admin.save_user(narrowed_, set(FYRBODAL), register.user_version(narrowed_.email))  # Sotenäs + Tanum to Sotenäs
    assert publishing.due(register, dt.date(2026, 10, 2)) is None


def test_a_scope_once_protected_stays_protected(needs):
    """A broker moved off Sotenäs + Tanum still knows what they read: every later release is protected against it."""
    small = needs[needs["municipality_code"].astype(str).eq(SOTENAS) & needs["collected_on"].dt.year.eq(2026)]
    one = release.build(small, FYRBODAL, [(SOTENAS, "1435")], "2026-06", listed=LISTED)
    two = release_history.build(small, FYRBODAL, [(SOTENAS,)], "2026-09", one, [one], listed=LISTED)
    assert set(two.scopes) == {(SOTENAS,), (SOTENAS, "1435")}


def test_a_withdrawal_waits_for_the_years_final_release_and_is_protected_as_a_change(needs):
    """Issue 37, point 1: a need withdrawn after it was published is still counted by the year's next releases, and
    no longer by the year's final release (through December), where the change is protected like any other: the
    independent attack on all three releases (the fall granted to the reader) narrows nothing; made alone, the final
    release gives it away."""
    small = needs[needs["municipality_code"].astype(str).eq(SOTENAS) & needs["collected_on"].dt.year.eq(2026)]
    one = release.build(small, FYRBODAL, [(SOTENAS,), ("1435",)], "2026-06", listed=LISTED)
    q1 = small[small["collected_on"] < "2026-04-01"]
    gone = int(q1.loc[q1["persons"].idxmax(), "id"])  # a published need of Q1, withdrawn after release one
    after = small[small["id"] != gone]
    two = release_history.build(after, FYRBODAL, [(SOTENAS,), ("1435",)], "2026-09", one, [one], listed=LISTED)
    final = release_history.build(after, FYRBODAL, [(SOTENAS,), ("1435",)], "2026-12", two, [one, two], listed=LISTED)
    assert gone in set(two.needs["id"]) and gone not in set(final.needs["id"])
    q1_key = release.key(2026, "persons", "quarter", SOTENAS, "Q1")
    assert two.cells[q1_key].value == one.cells[q1_key].value > final.cells[q1_key].value
    for scope in [(), ("1435",)]:
        found = release_attack.attack([one, two, final], scope, years=[2026])
        assert found.checked > 50 and (found.exact, found.narrowed) == (0, 0), (scope, found.examples)
    alone = release.build(release_history.final_rows(after, two, "2026-12"), FYRBODAL, [(SOTENAS,), ("1435",)], "2026-12", listed=LISTED)
    apart = release_attack.attack([one, two, alone], (), years=[2026])
    assert apart.exact + apart.narrowed > 0, "made alone, the final release gives the withdrawal away"


def test_a_shown_figure_that_grows_into_dominance_is_protected_as_its_growth(needs):
    """Sotenäs welding is shown as 68 (three companies: 8, 30, 30); then one of them adds 60 and the figure (128) is
    dominated. Its published 68 bounds it from below, so ±50 % of 128 cannot be kept: what is attacked is its growth
    (a need of one company, an increment of its own). Before, publishing stopped ("protection cannot hide enough")."""
    rows = [("2026-01-10", 1, SOTENAS, 8), ("2026-02-10", 2, SOTENAS, 30), ("2026-02-20", 3, SOTENAS, 30),
            ("2026-04-10", 2, SOTENAS, 60)] + [(f"2026-0{m}-05", 10 + c, "1435", 5) for m in (1, 5) for c in range(4)]
    frame = pd.concat([needs.iloc[[0]].assign(id=i, company_id=c, municipality_code=m, persons=p, competence="welding",
                                              collected_on=pd.Timestamp(d), need_type="upskilling")
                       for i, (d, c, m, p) in enumerate(rows)], ignore_index=True)
    scopes = [(SOTENAS,), ("1435",)]
    one = release.build(frame, FYRBODAL, scopes, "2026-03", listed=LISTED)
    welding = release.key(2026, "persons", "competence", SOTENAS, "welding")
    assert not one.cells[welding].suppressed and one.cells[welding].value == 68
    two = release_history.build(frame, FYRBODAL, scopes, "2026-06", one, [one], listed=LISTED)
    assert two.cells[welding].value == 128 and two.cells[welding].suppressed
    for scope in [(), ("1435",)]:
        found = release_attack.attack([one, two], scope, years=[2026])
        assert (found.exact, found.narrowed) == (0, 0), (scope, found.examples)


def test_two_servers_publishing_at_once_store_one(tmp_path):
    register = _demo_register(tmp_path)
    made = publishing.next_release(register, dt.date(2026, 10, 1))[0]
    cells, rows = release_history.dump(made)
    about = {"through": made.through, "published_on": dt.date(2026, 10, 1), "revision": register.revision(),
             "shown": 1, "hidden": 1, "scopes": ""}
    register.add_release(about, cells, rows, "a")
    with pytest.raises(Exception, match="(?i)unique"):
        register.add_release(about, cells, rows, "b")
    assert len(register.releases()) == 1


def _one_rare_need(needs: pd.DataFrame) -> pd.DataFrame:
    """Twelve companies in three municipalities with welding and CNC needs, and one company in Sotenäs with a need of
    one person for boatbuilding, the year's only one."""
    rows = [(c, m, comp, 5) for i, m in enumerate((SOTENAS, LYSEKIL, "1488")) for c in range(4 * i, 4 * i + 4)
            for comp in ("welding", "cnc")] + [(99, SOTENAS, "boatbuilding", 1)]
    return pd.concat([needs.iloc[[0]].assign(id=i, company_id=c, municipality_code=m, persons=p, competence=comp,
                                             collected_on=pd.Timestamp("2026-02-10"), need_type="upskilling")
                      for i, (c, m, comp, p) in enumerate(rows)], ignore_index=True)


def test_a_list_of_only_the_competences_with_needs_gives_a_hidden_figure_away_and_the_whole_catalogue_does_not(needs):
    """Issue 37's red team: when a year lists only the competences Fyrbodal has needs of, a listed competence's hidden
    Fyrbodal figure is at least 1 (the protection assumes at least 0), so a single need of one person is read exactly.
    Every release lists the whole catalogue (``publishing.listed``), zeros included: the list says nothing."""
    frame = _one_rare_need(needs)
    boatbuilding = release.key(2026, "persons", "competence", release.REGION, "boatbuilding")
    implicit = release.build(frame, FYRBODAL, [], "2026-03")
    assert implicit.cells[boatbuilding].suppressed
    assert release.key(2026, "persons", "competence", release.REGION, "leadership") not in implicit.cells
    found = release_attack.attack([implicit], (), years=[2026])
    assert found.exact + found.narrowed > 0, "a list of only the competences with needs bounds the hidden figure at 1"
    assert release_attack.attack([implicit], (), years=[2026], whole={}).narrowed == 0, "the bound is the list's"
    whole = release.build(frame, FYRBODAL, [], "2026-03", listed=LISTED)
    assert set(LISTED["competence"]) <= {k.split("|")[4] for k in whole.cells if k.startswith("2026|persons|competence|region|")}
    assert whole.cells[boatbuilding].suppressed
    found = release_attack.attack([whole], (), years=[2026])
    assert found.checked > 0 and (found.exact, found.narrowed) == (0, 0), found.examples


def test_an_older_release_that_listed_only_competences_with_needs_is_read_with_its_own_list(needs):
    """A release stored before the whole catalogue was listed keeps its own list: the next release's joint system
    reads that state's relations from its own cells, and the new one lists everything."""
    frame = _one_rare_need(needs)
    old = release.build(frame, FYRBODAL, [], "2026-03")
    assert release.listed_in(old.cells)["competence"] == ["boatbuilding", "cnc", "welding"]
    new = release_history.build(frame, FYRBODAL, [], "2026-06", old, [old], listed=LISTED)
    assert set(release.listed_in(new.cells)["competence"]) == set(LISTED["competence"])
    for k, c in old.cells.items():  # published figures never change
        assert new.cells[k].value == c.value, k


def test_a_user_moved_before_the_first_release_is_an_insider_of_both_sets(tmp_path):
    """Issue 37, point 3, before any release: a broker moved from Sotenäs + Tanum to Trollhättan read the rows of all
    three; the first release is protected against the three together (and the old set alone), from the log."""
    from services.admin import Admin
    from services.seed import release_scopes

    register = _demo_register(tmp_path)
    assert len(register.releases()) == 0
    broker = next(u for u in DEMO_USERS if set(u.municipalities) == {SOTENAS, "1435"})
    moved = broker.__class__(broker.email, broker.role, ("1488",), broker.name)
    Admin(register, DEMO_USERS[0]).save_user(moved, set(FYRBODAL), register.user_version(broker.email))
    assert {(SOTENAS, "1435"), ("1435", SOTENAS, "1488")} & set(map(tuple, map(sorted, release_scopes(register))))
    assert ("1427", "1435", "1488") in release_scopes(register)
    first = publishing.publish(register, dt.date(2026, 10, 1))
    assert {("1427", "1435"), ("1427", "1435", "1488")} <= set(first.scopes)


def test_a_hidden_figure_may_be_zero_so_hidden_tells_no_reader_at_least_one(first, together):
    """Issue 37's red team: a zero has no company and is never sensitive, so were every zero shown, every hidden figure
    would be at least 1 to a reader. A zero is hidden wherever it adds up with a hidden figure that is not zero; what
    the rule still tells a reader (a hidden figure alone in all its sums is not 0) is true, and the independent attack
    uses it (``release_attack.alone_in_its_sums``)."""
    for published in (first, together):
        _, relations = release.tables(published.needs, FYRBODAL, published.through, listed=LISTED)
        cells = published.cells
        hidden_zeros = [k for k, c in cells.items() if c.suppressed and c.value == 0]
        assert len(hidden_zeros) > 50, "zeros are hidden beside hidden figures"
        for total, members in relations:
            line = [total, *members]
            if any(cells[k].suppressed and cells[k].value != 0 for k in line if k in cells):
                assert all(cells[k].suppressed for k in line if k in cells and cells[k].value == 0), total
        assert all(cells[k].value >= 1 for k in release_attack.alone_in_its_sums(cells))


def test_a_broker_narrows_no_change_between_releases_further_apart(tmp_path):
    """Red team (issue 37): a register of its own (7 companies in each of 5 municipalities, seed 7) and three quarterly
    releases. The broker who knows 1486 read Fyrbodal's change from the first release to the third (24, from two other
    companies) as [12, 28]: a change further apart was a target only where it was sensitive to an outsider."""
    made = demo.generate("fyrbodal", 7)
    companies = made.companies[made.companies["municipality_code"].astype(str).isin(["1427", "1435", "1484", "1486", "1488"])]
    companies = companies.groupby("municipality_code").head(7)
    needs = made.needs[made.needs["company_id"].isin(companies["id"])]
    register = Register(f"sqlite:///{tmp_path / 'small.sqlite'}")
    register.replace(companies, needs, dict(made.meta, dataset="real"), known_codes(), made.offers, force=True,
                     visits=made.visits[made.visits["id"].isin(needs["visit_id"].dropna())], users=DEMO_USERS[:1])
    for day in (dt.date(2026, 4, 5), dt.date(2026, 7, 5), dt.date(2026, 10, 5)):
        assert publishing.publish(register, today=day) is not None
    found = release_attack.attack(publishing.every(register), ("1486",), years=[2026])
    assert found.checked > 300 and (found.exact, found.narrowed) == (0, 0), found.examples
