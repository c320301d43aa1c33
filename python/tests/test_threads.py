"""Separate agreements from separate threads (no global state)."""

import threading

import commitments


def test_threads(istanbul_text, timeline):
    errors = []

    def work(view):
        try:
            for _ in range(100):
                [a] = commitments.parse(istanbul_text)
                assert a.check().verdict == "fails"
                s = a.status(events=timeline, view=view)
                want = "violated" if view == "AF" else "suspended"
                assert s["ceasefire"].state == want
                a.close()
        except Exception as e:  # pragma: no cover - reported below
            errors.append(e)

    threads = [threading.Thread(target=work, args=(v,))
               for v in ("all", "AF", "PK", "all")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []


def test_one_snapshot_read_from_many_threads(istanbul, timeline):
    """A Report and a Status read their parts from C on first use; many
    threads asking at once get the same objects."""
    import concurrent.futures as cf
    for _ in range(20):
        r = istanbul.check(policies=["vclt", "written-only"])
        s = istanbul.status(timeline)

        def read(_):
            return (r.requirements, r.commitments, r.below, r.to_json(),
                    dict(s), s.to_text(), r.records())
        with cf.ThreadPoolExecutor(8) as ex:
            got = list(ex.map(read, range(16)))
        first = got[0]
        for g in got[1:]:
            assert g[0] is first[0] and g[3] is first[3]
            assert g == first


def test_one_agreement_shared_by_threads(istanbul_text, timeline):
    """Calls into one tree of C objects are serialized: threads may share
    an agreement (check, status, build, read, close) without crashing."""
    import concurrent.futures as cf

    [a] = commitments.parse(istanbul_text)
    built = commitments.Agreement("b", date="2025-01-01")
    built.add_party("A", "A", "state").add_party("B", "B", "state")

    def work(k):
        out = []
        for i in range(30):
            out.append(a.check(policies=["vclt"]).verdict)
            out.append(a.status(timeline, view="AF")["ceasefire"].state)
            out.append(len(a.commitments["ceasefire"].conditions))
            built.add_commitment("c%d_%d" % (k, i), "A", "must", "go()")
            out.append(built.check().verdict)
            out.append(len(built.commitments))
        return out

    with cf.ThreadPoolExecutor(6) as ex:
        results = list(ex.map(work, range(6)))
    assert all(r[0] == "fails" and r[1] == "violated" for r in results)
    assert len(built.commitments) == 180

    def closer():
        built.close()

    def user():
        try:
            built.check()
        except commitments.ClosedError:
            return "closed"
        return "ran"

    with cf.ThreadPoolExecutor(4) as ex:
        futs = [ex.submit(user) for _ in range(20)] + [ex.submit(closer)]
        futs += [ex.submit(user) for _ in range(20)]
        got = {f.result() for f in futs[:20] + futs[21:]}
    assert got <= {"closed", "ran"} and built.closed


def test_agreements_of_one_document_with_a_shipped_policy(timeline):
    """Issue 16, finding 2, from Python: two threads, each with its own
    agreement of one parsed document, each checking against `vclt` (the
    shipped policies are loaded into the shared document on first use)."""
    import concurrent.futures as cf
    text = "".join(
        'agreement a%d {\n  party A "A" state\n  party B "B" state\n'
        '  commitment c { A must not strike(on: B) }\n}\n' % i
        for i in range(2))
    for _ in range(20):
        agreements = commitments.parse(text)
        with cf.ThreadPoolExecutor(2) as ex:
            got = list(ex.map(lambda a: a.check(policies="vclt").verdict,
                              agreements))
        assert got == ["fails", "fails"]
