"""Who owns what: objects outliving their parents' names, close(), with,
garbage collection.  A use after close must be a Python exception, never a
crash."""

import gc
import weakref

import pytest

import commitments
from commitments import Agreement, ClosedError, Document, Policy


def test_agreement_outlives_list_and_document(istanbul_text):
    agreements = commitments.parse(istanbul_text)
    a = agreements[0]
    doc = a.document
    doc_ref = weakref.ref(doc)
    del agreements, doc
    gc.collect()
    assert doc_ref() is not None          # kept alive by the agreement
    assert a.id == "istanbul_round3"
    assert a.check().verdict == "fails"
    fin = a._h._parent._finalizer         # frees the C document
    assert fin.alive
    del a
    gc.collect()
    assert doc_ref() is None              # the document went with it
    assert not fin.alive


def test_commitment_outlives_agreement_name(istanbul_text):
    c = commitments.parse(istanbul_text)[0].commitments["ceasefire"]
    gc.collect()
    assert c.debtor == "PK" and c.modality == "must-not"
    assert c.agreement.id == "istanbul_round3"


def test_commitment_outlives_built_agreement():
    a = Agreement("x")
    a.add_party("A", "A")
    c = a.add_commitment("c", "A", "must", "pay()")
    ref = weakref.ref(a)
    del a
    gc.collect()
    assert ref() is not None
    assert c.id == "c" and c.action_type == "pay"


def test_close_then_use_is_clean():
    a = Agreement("x")
    a.add_party("A", "A")
    c = a.add_commitment("c", "A", "must", "pay()")
    a.close()
    assert a.closed
    with pytest.raises(ClosedError, match="agreement is closed"):
        a.id
    with pytest.raises(ClosedError):
        a.check()
    with pytest.raises(ClosedError):
        a.add_party("B", "B")
    with pytest.raises(ClosedError):
        c.id                       # the view dies with its agreement
    assert "closed" in repr(a) and "closed" in repr(c)
    a.close()                      # twice is harmless
    assert isinstance(ClosedError("x"), ValueError)


def test_close_parsed_agreement_keeps_siblings(istanbul_text):
    a, b = commitments.parse(istanbul_text + "agreement other {}\n")
    a.close()
    with pytest.raises(ClosedError):
        a.title
    assert b.id == "other"         # the document is still alive for b


def test_close_document_closes_its_agreements(istanbul_text):
    d = Document().add_text(istanbul_text).resolve()
    [a] = d.agreements
    c = a.commitments["ceasefire"]
    d.close()
    with pytest.raises(ClosedError):
        a.id
    with pytest.raises(ClosedError):
        c.debtor
    with pytest.raises(ClosedError):
        d.agreements
    assert "closed" in repr(d)


def test_with_statement(istanbul_text):
    with Agreement("x") as a:
        a.add_party("A", "A")
        assert a.parties["A"].name == "A"
    with pytest.raises(ClosedError):
        a.parties
    with Document() as d:
        d.add_text(istanbul_text).resolve()
    with pytest.raises(ClosedError):
        d.agreements
    with Policy("p") as p:
        p.add_requirement("written")
    with pytest.raises(ClosedError):
        len(p)


def test_gc_frees_built_objects():
    a = Agreement("x")
    fin = a._h._finalizer
    assert fin.alive
    del a
    gc.collect()
    assert not fin.alive           # cm_free ran


def test_report_needs_no_agreement(istanbul_text):
    [a] = commitments.parse(istanbul_text)
    r = a.check()
    a.close()
    del a
    gc.collect()
    assert r.verdict == "fails" and r.to_dict()["id"] == "istanbul_round3"


def test_policy_from_document_keeps_document(istanbul_text):
    d = Document().add_text("policy mine { require written }").resolve()
    p = d.policies[0]
    del d
    gc.collect()
    assert p.id == "mine"          # the handle keeps the C document
    [a] = commitments.parse(istanbul_text)
    assert a.check(policies=[p]).requirements[0].policy == "mine"


def test_policy_survives_after_use(simple):
    p = Policy("p").add_requirement("dated")
    simple.use(p)
    p.close()                      # the agreement copied the rules
    assert simple.check().requirements[-1].rule == "dated"


def test_document_policy_dies_with_closed_document():
    d = Document().add_text("policy mine { require written }").resolve()
    p = d.find_policy("mine")
    d.close()
    with pytest.raises(ClosedError):
        p.id
    assert "closed" in repr(p)
