"""The import never crashes (issue 24): any bytes, and any XLSX built from random parts of a real one, give a
located refusal or a preview, never a traceback; the command line exits 0 or 2, never 1. ``bench/fuzz.py``
runs the same strategies for longer and prints how many cases it tried."""

from __future__ import annotations

import importlib
import io
import json
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cli import main
from core.exchange.spreadsheet import Refused
from services import reading
from services.register.store import Register
from services.seed import DEMO_USERS, import_preview, load_demo

CORPUS = Path(__file__).parents[1] / "data" / "import"
ADMIN = DEMO_USERS[0]
GOOD_XLSX = (CORPUS / "good.xlsx").read_bytes()
GOOD_CSV = (CORPUS / "good_sv_utf8.csv").read_bytes()
MEMBERS = {i.filename: zipfile.ZipFile(io.BytesIO(GOOD_XLSX)).read(i.filename)
           for i in zipfile.ZipFile(io.BytesIO(GOOD_XLSX)).infolist()}
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                        HealthCheck.too_slow, HealthCheck.data_too_large])


@pytest.fixture(scope="module")
def in_process():
    """The hypothesis tests run the worker's own code in this process (``services.reading`` starts a process per file,
    0.2-0.5 s, which made 450 examples take minutes; the isolation itself is tested in ``test_file_worker.py``). Here a
    reader that raises anything but ``Refused`` fails the test with its traceback, where the worker would have turned
    it into an "unreadable" refusal: the fuzzing looks for exactly those."""

    def run(target: str, data: bytes, limits=None):
        module, name = target.split(":")
        try:
            answer = {"value": True} | reading._encode(getattr(importlib.import_module(module), name)(data))
        except Refused as refused:
            answer = reading._error(refused)
        return reading._answer(json.loads(json.dumps(answer, ensure_ascii=False)), limits or reading.Limits.configured())

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(reading, "run", run)
        yield


@pytest.fixture(scope="module")
def register(tmp_path_factory) -> Register:
    url = f"sqlite:///{tmp_path_factory.mktemp('fuzz') / 'fuzz.sqlite'}"
    load_demo(Register(url))
    return Register(url)


def outcome(register: Register, data: bytes, name: str) -> str:
    """``refused`` or ``preview``: any other exception fails the test with its traceback."""
    try:
        preview, _parsed, _sheet = import_preview(register, ADMIN, data, name)
    except Refused as refused:
        assert str(refused) and refused.code, "a refusal says why"
        return "refused"
    for problem in preview.problems:
        assert problem.message and problem.sheet, "every problem is located"
    return "preview"


def mutated(body: bytes, cuts: list[tuple[int, bytes]]) -> bytes:
    out = bytearray(body)
    for at, insert in cuts:
        at %= max(len(out), 1)
        out[at:at + len(insert)] = insert
    return bytes(out)


XML_BITS = st.sampled_from([b"<", b">", b"&b;", b"<!DOCTYPE x [<!ENTITY b \"x\">]>", b"\x00", b"\xff\xfe", b"</row>",
                            b'<c r="ZZZ99999999" t="s"><v>99999</v></c>', b'<dimension ref="A1:A99"/>', b"\"", b""])


@st.composite
def workbooks(draw) -> bytes:
    """A workbook made of the good one's parts: some dropped, some cut short or with XML bits written into them,
    random members added, stored or deflated."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", draw(st.sampled_from([zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED]))) as z:
        for name, body in MEMBERS.items():
            action = draw(st.sampled_from(["keep", "keep", "keep", "drop", "cut", "bits", "random"]))
            if action == "drop" and name != "xl/workbook.xml":
                continue
            if action == "cut":
                body = body[: draw(st.integers(0, len(body)))]
            elif action == "bits":
                body = mutated(body, draw(st.lists(st.tuples(st.integers(0, 10**6), XML_BITS), max_size=4)))
            elif action == "random":
                body = draw(st.binary(max_size=300))
            z.writestr(name, body)
        for extra in draw(st.lists(st.sampled_from(["xl/worksheets/sheet2.xml", "xl/sharedStrings.xml", "evil/../x.xml"]),
                                   max_size=2, unique=True)):
            z.writestr(extra, draw(st.binary(max_size=200)))
    return buf.getvalue()


@FUZZ
@given(data=st.binary(max_size=2000))
def test_any_bytes_are_refused_or_previewed(in_process, register, data):
    outcome(register, data, "fil.csv")


@FUZZ
@given(data=st.one_of(st.binary(max_size=400), st.text(max_size=400).map(str.encode)),
       cut=st.lists(st.tuples(st.integers(0, 10**6), st.binary(min_size=1, max_size=20)), max_size=4))
def test_a_good_csv_with_random_bytes_written_into_it_never_crashes(in_process, register, data, cut):
    outcome(register, mutated(GOOD_CSV + data, cut), "behov.csv")


@FUZZ
@given(book=workbooks())
def test_any_xlsx_built_from_random_parts_never_crashes(in_process, register, book):
    outcome(register, book, "behov.xlsx")


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(book=workbooks(), raw=st.binary(max_size=500))
def test_the_command_line_exits_0_or_2_on_fuzzed_files(register, tmp_path_factory, book, raw):
    folder = tmp_path_factory.mktemp("cli")
    for name, data in (("behov.xlsx", book), ("behov.csv", raw)):
        path = folder / name
        path.write_bytes(data)
        code = main(["import", str(path), "--dry-run", "--as", ADMIN.email, "--database", register.url])
        assert code in (0, 2)


@pytest.mark.parametrize("path", sorted(p for p in CORPUS.iterdir() if p.suffix in (".csv", ".xlsx", ".xls", ".ods", ".xlsb") and p.name != "expected.csv"),
                         ids=lambda p: p.name)
def test_the_command_line_exits_0_or_2_on_every_corpus_file(register, path, capsys):
    code = main(["import", str(path), "--dry-run", "--as", ADMIN.email, "--database", register.url])
    assert code in (0, 2)
    if code == 2:
        assert "error:" in capsys.readouterr().err, "a refusal says where and why"
