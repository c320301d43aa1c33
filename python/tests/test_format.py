"""Agreement.to_text() and Document.to_text(): canonical text."""

import commitments


def test_round_trip_parsed(istanbul):
    text = istanbul.to_text()
    assert text.startswith("agreement istanbul_round3 ")
    assert text.endswith("\n")
    [b] = commitments.parse(text)
    assert b.to_text() == text                        # a fixed point
    assert list(b.commitments) == list(istanbul.commitments)
    def rules(a):
        return [(q.rule, q.policy, q.holds, q.failures)
                for q in a.check().requirements]
    assert rules(b) == rules(istanbul)


def test_round_trip_built(simple):
    simple.add_commitment("c", "A", "must-not", "strike(on: B)",
                          form="verbal", witnessed_by=["M"],
                          conditions=[("unless", "attack(on: A) within 30d")],
                          standing=("proposed", "A"))
    simple.add_commitment("t", "B", "must", "respect the border",
                          within="48h")
    text = simple.to_text()
    assert '"respect the border"' in text and "within 2d" in text
    assert "proposed by A" in text and "witnessed by M" in text
    [b] = commitments.parse(text)
    assert b.to_text() == text
    assert b.commitments["t"].text == "respect the border"
    assert b.commitments["c"].form == "verbal"


def test_document_to_text(istanbul_text):
    d = commitments.Document().add_text(istanbul_text).resolve()
    text = d.to_text()
    assert "istanbul_round3" in text
    assert "# agreed verbally" in text                 # comments kept
    assert commitments.Document().to_text() == ""
