"""load(), parse(), Document, and reading what was parsed."""

import datetime as dt

import pytest

import commitments
from commitments import Document

UTC = dt.timezone.utc


def test_parse_istanbul(istanbul_text):
    agreements = commitments.parse(istanbul_text, "istanbul.cmt")
    assert len(agreements) == 1
    a = agreements[0]
    assert a.id == "istanbul_round3"
    assert a.title == "Security understanding, Istanbul round"
    assert a.date == dt.datetime(2025, 11, 7, tzinfo=UTC)
    assert a.file == "istanbul.cmt"
    assert a.line == 2
    assert a.event_count == 0


def test_parties(istanbul):
    ps = istanbul.parties
    assert list(ps) == ["PK", "AF", "TR", "QA", "TTP"]
    assert ps["PK"] == commitments.Party("PK", "Pakistan", "party", "state")
    assert ps["AF"].kind == "authority"
    assert ps["TR"].name == "Türkiye" and ps["TR"].role == "mediator"
    assert ps["TTP"].role == "actor" and ps["TTP"].kind == "armed-group"
    assert "PK" in repr(ps["PK"]) and "Pakistan" in repr(ps["PK"])


def test_commitments(istanbul):
    cs = istanbul.commitments
    assert list(cs) == ["no_safe_haven", "ceasefire", "defensive_action"]
    n = cs["no_safe_haven"]
    assert (n.id, n.debtor, n.modality) == ("no_safe_haven", "AF",
                                            "must-prevent")
    assert n.form == "verbal" and n.standing == "agreed"
    assert n.is_action and n.action_type == "attack" and n.text is None
    assert n.line == 12
    c = cs["ceasefire"]
    assert c.modality == "must-not" and c.debtor == "PK" and c.line == 17
    d = cs["defensive_action"]
    assert d.modality == "may" and d.standing == "claimed"
    assert d.action_type == "strike"
    assert repr(d) == "<Commitment defensive_action: PK may strike(...)>"
    assert d.agreement is istanbul


def test_free_text_and_default_form():
    [a] = commitments.parse('''
agreement m "Memo" {
  party A "A"
  party B "B"
  signed by A, B
  commitment c { A must "respect the spirit of the talks" }
}''')
    c = a.commitments["c"]
    assert not c.is_action and c.text == "respect the spirit of the talks"
    assert c.action_type is None
    assert c.form is None  # declared neither; effective form is in check()
    assert a.check().commitments[0].form == "written"
    assert a.date is None


def test_several_agreements_in_order():
    text = 'agreement a {}\nagreement b "B" {}\nagreement c {}\n'
    got = commitments.parse(text)
    assert [x.id for x in got] == ["a", "b", "c"]
    assert got[0].title is None and got[1].title == "B"
    assert [x.line for x in got] == [1, 2, 3]
    assert got[0].file == "<string>"


def test_empty_text():
    assert commitments.parse("") == []
    assert commitments.parse("# nothing\n") == []


def test_bytes_text(istanbul_text):
    [a] = commitments.parse(istanbul_text.encode("utf-8"))
    assert a.parties["TR"].name == "Türkiye"


def test_load_file(istanbul_file):
    [a] = commitments.load(istanbul_file)          # a PathLike
    assert a.id == "istanbul_round3" and a.file == str(istanbul_file)
    [b] = commitments.load(str(istanbul_file))     # a str
    assert b.id == a.id


def test_load_missing_file(tmp_path):
    with pytest.raises(commitments.Error) as ei:
        commitments.load(tmp_path / "nope.cmt")
    assert ei.value.code == -6 and ei.value.name == "EIO"


def test_syntax_error_position():
    text = 'agreement x {\n  party A "A" state\n  commitment c { A must }\n}\n'
    with pytest.raises(commitments.Error) as ei:
        commitments.parse(text, "bad.cmt")
    e = ei.value
    assert e.name == "ESYNTAX" and e.file == "bad.cmt"
    assert (e.line, e.column) == (3, 25)


def test_syntax_error_in_loaded_file(tmp_path):
    p = tmp_path / "bad.cmt"
    p.write_text("agreement {\n}\n")
    with pytest.raises(commitments.Error) as ei:
        commitments.load(p)
    assert ei.value.file == str(p)
    assert (ei.value.line, ei.value.column) == (1, 11)


def test_unknown_party_is_semantic_error():
    text = ('agreement x {\n  party A "A" state\n'
            '  commitment c {\n    XX must pay(to: A)\n  }\n}\n')
    with pytest.raises(commitments.Error) as ei:
        commitments.parse(text, "u.cmt")
    e = ei.value
    assert e.name == "ESEMANTIC"
    assert "XX" in e.message
    assert (e.line, e.column) == (4, 5)


def test_unknown_policy():
    with pytest.raises(commitments.Error) as ei:
        commitments.parse("agreement x {\n  use nothing_like_it\n}\n")
    assert ei.value.name == "ESEMANTIC" and ei.value.line == 2
    assert "nothing_like_it" in ei.value.message


def test_document_several_texts():
    d = Document()
    d.add_text('policy mine { require written }\n', "p.cmt")
    d.add_text('agreement x {\n  use mine\n}\n', "a.cmt")
    d.resolve()
    [a] = d.agreements
    assert a.document is d
    assert [p.id for p in d.policies] == ["mine"]
    assert len(d.policies[0]) == 1
    assert d.find_policy("vclt").id == "vclt"
    with pytest.raises(commitments.Error) as ei:
        d.find_policy("nope")
    assert ei.value.name == "ENOTFOUND"
    assert "1 agreements, 1 policies" in repr(d)


def test_document_add_file(istanbul_file):
    d = Document().add_file(istanbul_file).resolve()
    assert [a.id for a in d.agreements] == ["istanbul_round3"]
    with pytest.raises(commitments.Error):
        Document().add_file("/nonexistent.cmt")


def test_document_top_level_events():
    d = Document().add_text(
        "events {\n  2025-01-01 x(by: A)\n  2025-01-02 y()\n}\n").resolve()
    assert d.event_count == 2
    [a] = commitments.parse("agreement a {\n events { 2025-01-01 x() }\n}")
    assert a.event_count == 1


def test_document_errors_leave_it_unchanged(istanbul_text):
    d = Document().add_text(istanbul_text, "a.cmt")
    with pytest.raises(commitments.Error) as ei:
        d.add_text("agreement broken {", "b.cmt")
    assert ei.value.file == "b.cmt"
    d.add_text("agreement y {\n  use nope\n}\n", "c.cmt")
    with pytest.raises(commitments.Error) as ei:
        d.resolve()
    assert ei.value.name == "ESEMANTIC" and ei.value.file == "c.cmt"
    assert ei.value.line == 2
    assert [a.id for a in d.agreements] == ["istanbul_round3", "y"]
