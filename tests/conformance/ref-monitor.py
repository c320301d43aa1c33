#!/usr/bin/env python3
"""A differential test of the monitor: a reference model of SPEC §4 and
§8.4-§8.6 (0.2: continuing duties and their breaches, `breached` /
`breaches` atoms, `reciprocal ... within`, quantities in patterns, views
in which silence is not assent),
written from the spec text alone and kept naive (every condition
re-evaluated from the whole event record, full passes over every
commitment at every moment that could matter), against `cmt status
--json` on random agreements and events.

Random agreements: 2-14 commitments of every modality between two parties,
`if`/`while`/`unless` over event atoms (with and without windows), counts
(>=, ==, !=, < with 0-2, with and without windows) and state atoms (guards
only on earlier commitments: no guard cycles), `reciprocal`, `from`,
`until`, `by`, `within` (0 included), claimed, proposed and rejected commitments,
free-text ones, an agreement date or none. Events by A, B or a third actor on a 6-hour grid from two days
before 2025-01-01, several per minute, reported, denied and verified by
declared and undeclared ids; the view all, verified, A, B or the mediator
M; `--at` now and then. Compared per commitment: state, since, cause
(reason, event line, commitment) and excused_by. Where SPEC is silent the
model follows docs/monitoring.md (deadlines then `until` at one moment,
judged against the states just before it; decision 3 on `if`s that hold
from the start; decision 4 on the commitment named as cause).

0.2 (§8.4, §8.11 rules 4-7, 9, 22-25, 38, 39): a `must not` / `must
prevent` counts a breach for every matching event while active or
violated (not excused); it stays bound (a guard or reciprocity suspends
it; it returns to violated); at `until` it is fulfilled without a breach,
violated (terminal) with one; a missed deadline is a breach at the
deadline + 1 minute; `reciprocal X` suspends while X has had a breach,
`reciprocal X within N` while X had one in (t - N, t]; breaches and the
last breach are compared too.

usage: ref-monitor.py [N [FIRST_SEED]]   (env CMT: the cmt binary)
Last line: `N cases, M failed`.
"""
import datetime
import decimal
import json
import os
import random
import subprocess
import sys
import tempfile

EPOCH = datetime.datetime(1970, 1, 1)


def tmin(y, mo, d, h=0, mi=0):
    return int((datetime.datetime(y, mo, d, h, mi) - EPOCH).total_seconds() // 60)


def tfmt(t):
    if t is None:
        return None
    return (EPOCH + datetime.timedelta(minutes=t)).strftime("%Y-%m-%dT%H:%MZ")


BASE = tmin(2025, 1, 1)
DAY = 1440
H6 = 360

TERMINAL = ("fulfilled", "violated", "expired")

# ---- random generation ------------------------------------------------


def rtime(rnd, lo_days=0, hi_days=8):
    return BASE + rnd.randint(lo_days * 4, hi_days * 4) * H6


def dtext(t):
    """A time as the language writes it, always with its minute."""
    return (EPOCH + datetime.timedelta(minutes=t)).strftime("%Y-%m-%dT%H:%M")


TYPES = ["a", "b", "c"]


CMPS = [">=", ">", "<=", "<", "==", "!="]


def rpattern(rnd, allow_by=False):
    ty = rnd.choice(TYPES)
    attrs = []
    if rnd.random() < 0.4:
        attrs.append(("on", rnd.choice(["X", "Y"])))
    if allow_by and rnd.random() < 0.15:
        attrs.append(("by", rnd.choice(["A", "B"])))
    if rnd.random() < 0.2:
        # §8.5: a comparison instead of a value
        attrs.append(("n", (rnd.choice(CMPS), rnd.choice(["1", "2.5", "-1", "0", "2.50"]))))
    return ty, attrs


def vtext(v):
    return "%s %s" % v if isinstance(v, tuple) else v


def ptext(p):
    ty, attrs = p
    return "%s(%s)" % (ty, ", ".join("%s: %s" % (k, vtext(v)) for k, v in attrs))


WINDOWS = [H6, DAY, 2 * DAY]


def wtext(w):
    return "%dh" % (w // 60) if w % DAY else "%dd" % (w // DAY)


def rcond(rnd, n, self_i, guard, depth=0):
    """A condition tree: (kind, ...). Guards refer only to earlier
    commitments (no guard cycles)."""
    r = rnd.random()
    if depth < 2 and r < 0.15:
        return ("not", rcond(rnd, n, self_i, guard, depth + 1))
    if depth < 2 and r < 0.3:
        return (rnd.choice(["and", "or"]), rcond(rnd, n, self_i, guard, depth + 1),
                rcond(rnd, n, self_i, guard, depth + 1))
    r = rnd.random()
    targets = list(range(self_i)) if guard else [j for j in range(n) if j != self_i]
    if r < 0.15 and targets:
        # §8.4: breach atoms (guard edges like state atoms)
        if rnd.random() < 0.5:
            return ("breached", rnd.choice(targets), rnd.choice([None] + WINDOWS))
        return ("breaches", rnd.choice(targets), rnd.choice(CMPS), rnd.choice([0, 1, 2]),
                rnd.choice([None] + WINDOWS))
    if r < 0.45 and targets:
        return ("state", rnd.choice(["pending", "active", "suspended", "fulfilled",
                                     "violated", "expired"]), rnd.choice(targets))
    if r < 0.6:
        return ("act", rpattern(rnd), None)
    if r < 0.8:
        return ("act", rpattern(rnd), rnd.choice(WINDOWS))
    return ("count", rpattern(rnd), rnd.choice([">=", "==", "!=", "<"]),
            rnd.choice([0, 1, 2]), rnd.choice([None] + WINDOWS))


def ctext(c):
    k = c[0]
    if k == "not":
        return "not (%s)" % ctext(c[1])
    if k in ("and", "or"):
        return "(%s) %s (%s)" % (ctext(c[1]), k, ctext(c[2]))
    if k == "state":
        return "%s(c%d)" % (c[1], c[2])
    if k == "breached":
        return "breached(c%d)" % c[1] + ("" if c[2] is None else " within " + wtext(c[2]))
    if k == "breaches":
        return ("breaches(c%d) %s %d" % (c[1], c[2], c[3]) +
                ("" if c[4] is None else " within " + wtext(c[4])))
    if k == "act":
        return ptext(c[1]) + ("" if c[2] is None else " within " + wtext(c[2]))
    s = "count(%s) %s %d" % (ptext(c[1]), c[2], c[3])
    return s + ("" if c[4] is None else " within " + wtext(c[4]))


def gen(rnd, big=False):
    n = rnd.randint(5, 14) if big else rnd.randint(2, 7)
    date = rtime(rnd, 0, 3) if rnd.random() < 0.5 else None
    cs = []
    for i in range(n):
        mod = rnd.choice(["must", "must not", "must prevent", "may"])
        debtor = rnd.choice(["A", "B"])
        c = {"id": "c%d" % i, "mod": mod, "debtor": debtor,
             "pat": rpattern(rnd, allow_by=True),
             "text": rnd.random() < 0.1,
             "by": None, "within": None, "from": None, "until": None,
             "ifs": [], "whiles": [], "unlesses": [], "recip": [],
             "rwin": [], "rwindow": None, "standing": "agreed"}
        if rnd.random() < 0.25:
            c["ifs"].append(rcond(rnd, n, i, False))
            if rnd.random() < 0.3:
                c["ifs"].append(rcond(rnd, n, i, False))
        if rnd.random() < 0.25:
            c["whiles"].append(rcond(rnd, n, i, True))
        if rnd.random() < 0.25:
            c["unlesses"].append(rcond(rnd, n, i, True))
        if rnd.random() < 0.15 and n > 1:
            c["recip"].append(rnd.choice([j for j in range(n) if j != i]))
        if rnd.random() < 0.15 and n > 1:
            # §8.4: one windowed reciprocal item, covering its refs
            c["rwin"] = rnd.sample([j for j in range(n) if j != i], min(2, n - 1) if rnd.random() < 0.3 else 1)
            c["rwindow"] = rnd.choice(WINDOWS)
        if rnd.random() < 0.25:
            c["from"] = rtime(rnd, 0, 5)
        if rnd.random() < 0.25:
            c["until"] = rtime(rnd, 1, 8) - 1
        if mod == "must":
            r = rnd.random()
            if r < 0.3:
                c["by"] = rtime(rnd, 1, 7) - rnd.choice([0, 1])
            elif r < 0.6 and (date is not None or c["from"] is not None or c["ifs"]):
                c["within"] = rnd.choice(WINDOWS + [0])
        if mod == "may" and rnd.random() < 0.3:
            c["standing"] = "claimed"
        elif rnd.random() < 0.1:
            c["standing"] = rnd.choice(["proposed", "rejected"])
        cs.append(c)
    return {"date": date, "cs": cs}


def agreement_text(ag):
    out = ["agreement r {"]
    if ag["date"] is not None:
        out.append("  date " + dtext(ag["date"]))
    out += ['  party A "A"', '  party B "B"', '  mediator M "M"']
    for c in ag["cs"]:
        cl = "%s %s %s" % (c["debtor"], c["mod"],
                           '"%s"' % ptext(c["pat"]) if c["text"] else ptext(c["pat"]))
        if c["by"] is not None:
            cl += " by " + dtext(c["by"])
        if c["within"] is not None:
            cl += " within " + wtext(c["within"]) if c["within"] else " within 0h"
        items = [cl]
        items += ["if " + ctext(x) for x in c["ifs"]]
        items += ["while " + ctext(x) for x in c["whiles"]]
        items += ["unless " + ctext(x) for x in c["unlesses"]]
        items += ["reciprocal c%d" % j for j in c["recip"]]
        if c["rwin"]:
            items.append("reciprocal %s within %s" % (", ".join("c%d" % j for j in c["rwin"]),
                                                       wtext(c["rwindow"])))
        if c["from"] is not None:
            items.append("from " + dtext(c["from"]))
        if c["until"] is not None:
            items.append("until " + dtext(c["until"]))
        if c["standing"] == "claimed":
            items.append("claimed")
        elif c["standing"] != "agreed":
            items.append(c["standing"] + " by " + c["debtor"])
        out.append("  commitment %s {\n    %s\n  }" % (c["id"], "\n    ".join(items)))
    out.append("}")
    return "\n".join(out) + "\n"


def gen_events(rnd, big=False):
    evs = []
    t = BASE - 2 * DAY
    for _ in range(rnd.randint(5, 35) if big else rnd.randint(0, 14)):
        t += rnd.choice([0, 0, H6, H6, DAY, 2 * DAY, 1])
        ty = rnd.choice(TYPES)
        attrs = [("by", rnd.choice(["A", "B", "G"]))]
        if rnd.random() < 0.6:
            attrs.append(("on", rnd.choice(["X", "Y"])))
        if rnd.random() < 0.4:
            # quantities: numbers (quoted or not), and a non-number
            attrs.append(("n", rnd.choice(["1", "2.5", "2.50", "-1", "0", "-0", "3", '"2.5"', "x1"])))
        # provenance: reported by a party, denied by another (or by an id
        # the agreement does not declare), verified by the mediator or an
        # undeclared id
        prov = {"reported": [], "denied": [], "verified": []}
        if rnd.random() < 0.3:
            prov["reported"].append(rnd.choice(["A", "B"]))
        if rnd.random() < 0.3:
            d = rnd.choice(["A", "B", "Q"])
            if d not in prov["reported"]:
                prov["denied"].append(d)
        if rnd.random() < 0.3:
            prov["verified"].append(rnd.choice(["M", "Q"]))
        evs.append((t, ty, attrs, prov))
    return evs


def events_text(evs):
    out = []
    for t, ty, attrs, prov in evs:
        line = "%s %s" % (dtext(t), ptext((ty, attrs)))
        for k in ("reported", "denied", "verified"):
            if prov[k]:
                line += " %s by %s" % (k, ", ".join(prov[k]))
        out.append(line + "\n")
    return "".join(out)


DECLARED = ("A", "B", "M")


def in_view(prov, view):
    """SPEC §4: verified keeps the events with a verified by (a mediator,
    guarantor or witness of this agreement: Q is undeclared, ignored).
    §8.6 and rule 24: undeclared ids are dropped first; a party's view
    keeps the public record (no reporter), the party's own reports and
    the verified events, except those the party denied."""
    if view == "all":
        return True
    prov = {k: [x for x in v if x in DECLARED] for k, v in prov.items()}
    if view == "verified":
        return "M" in prov["verified"]
    if view in prov["denied"]:
        return False
    return not prov["reported"] or view in prov["reported"] or bool(prov["verified"])

# ---- the reference monitor -------------------------------------------


def unquote(v):
    return v[1:-1] if v.startswith('"') else v


def num(v):
    """§2's number syntax, on the unescaped text (rule 25)."""
    import re
    v = unquote(v)
    return decimal.Decimal(v) if re.fullmatch(r"-?[0-9]+(\.[0-9]+)?", v) else None


def holds(val, cmp):
    op, bound = cmp
    x = num(val)
    if x is None:
        return False
    b = decimal.Decimal(bound)
    return {">=": x >= b, ">": x > b, "<=": x <= b, "<": x < b, "==": x == b, "!=": x != b}[op]


def matches(pat, implicit_by, ev):
    ty, attrs = pat
    if ev[1] != ty:
        return False
    ea = {k: unquote(v) for k, v in ev[2]}
    raw = dict(ev[2])
    want = list(attrs)
    if implicit_by and not any(k == "by" for k, _ in attrs):
        want.append(("by", implicit_by))
    for k, v in want:
        if k not in ea:
            return False
        if isinstance(v, tuple):
            if not holds(raw[k], v):
                return False
        elif ea[k] != v:
            return False
    return True


class Ref:
    def __init__(self, ag):
        self.ag = ag
        self.cs = ag["cs"]
        n = len(self.cs)
        self.state = ["pending"] * n
        self.latched = [False] * n
        self.in_effect = [False] * n
        self.since = [None] * n
        self.reason = [None] * n
        self.line = [None] * n
        self.blame = [None] * n
        self.excused = [[] for _ in range(n)]
        self.breaches = [[] for _ in range(n)]  # (t, line) (§8.4)
        self.final = [False] * n                 # terminal (rule 4)
        self.prevb = [[] for _ in range(n)]
        self.time_mode = False
        # free text: "their deadlines are not monitored"
        self.deadline = [c["by"] + 1 if (c["mod"] == "must" and c["by"] is not None
                                         and not c["text"]) else None
                         for c in self.cs]
        self.recorded = []  # (t, ev)
        self.initial = True
        self.now = None
        self.ev_line = None
        self.prev = list(self.state)
        self.passes(None)
        self.initial = False

    # conditions
    def ev_cond(self, c):
        k = c[0]
        if k == "not":
            return not self.ev_cond(c[1])
        if k == "and":
            return self.ev_cond(c[1]) and self.ev_cond(c[2])
        if k == "or":
            return self.ev_cond(c[1]) or self.ev_cond(c[2])
        if k == "state":
            return self.state[c[2]] == c[1]
        if k in ("breached", "breaches"):
            return self.breach_truth(c, self.bcount(c[1], c[2] if k == "breached" else c[4],
                                                    self.breaches))
        now = self.now
        if k == "act":
            w = c[2]
            for t, ev in self.recorded:
                if matches(c[1], None, ev) and (w is None or (now is not None and now - w < t <= now)):
                    return True
            return False
        w = c[4]
        cnt = 0
        for t, ev in self.recorded:
            if matches(c[1], None, ev) and (w is None or (now is not None and now - w < t <= now)):
                cnt += 1
        b = c[3]
        return {">=": cnt >= b, "==": cnt == b, "!=": cnt != b, "<": cnt < b}[c[2]]

    def bcount(self, j, w, lists, before=False):
        """X's breaches (in the window (now - w, now]); before this moment's
        changes, a breach leaving at this very minute still counts."""
        if w is None:
            return len(lists[j])
        now = self.now
        if now is None:
            return 0
        if before and self.time_mode:
            return sum(1 for t, _ in lists[j] if now - w <= t <= now)
        return sum(1 for t, _ in lists[j] if now - w < t <= now)

    @staticmethod
    def breach_truth(c, cnt):
        if c[0] == "breached":
            return cnt > 0
        b = c[3]
        return {">=": cnt >= b, ">": cnt > b, "<=": cnt <= b, "<": cnt < b,
                "==": cnt == b, "!=": cnt != b}[c[2]]

    def flipped_atoms(self, c):
        """state and breach atoms in c, in order, whose truth flipped this
        moment (rule 38: windowed atoms flip when their window opens or
        closes)"""
        k = c[0]
        if k in ("breached", "breaches"):
            w = c[2] if k == "breached" else c[4]
            b = self.breach_truth(c, self.bcount(c[1], w, self.prevb, True))
            a = self.breach_truth(c, self.bcount(c[1], w, self.breaches))
            return [c[1]] if a != b else []
        if k == "state":
            j = c[2]
            if (self.prev[j] == c[1]) != (self.state[j] == c[1]):
                return [j]
            return []
        if k == "not":
            return self.flipped_atoms(c[1])
        if k in ("and", "or"):
            return self.flipped_atoms(c[1]) + self.flipped_atoms(c[2])
        return []

    def list_blame(self, lst):
        for c in lst:
            f = self.flipped_atoms(c)
            if f:
                return f[0]
        return None

    def set_state(self, i, st, reason, blame):
        self.state[i] = st
        self.final[i] = st in ("fulfilled", "expired") or (
            st == "violated" and self.cs[i]["mod"] == "must")
        if not self.initial:
            self.since[i] = self.now
            self.reason[i] = reason
            self.blame[i] = blame
            self.line[i] = self.ev_line if reason in ("event", "condition") else None

    def links(self, i):
        """reciprocal links in source order: (target, window or None)"""
        c = self.cs[i]
        return [(j, None) for j in c["recip"]] + [(j, c["rwindow"]) for j in c["rwin"]]

    def guards(self, i):
        c = self.cs[i]
        # rule 7: suspended while X has had a breach (in the window)
        for j, w in self.links(i):
            if self.bcount(j, w, self.breaches) > 0:
                return False
        return all(self.ev_cond(x) for x in c["whiles"]) and not any(self.ev_cond(x) for x in c["unlesses"])

    def reached(self, t):
        return t is None or (self.now is not None and self.now >= t)

    def passes(self, now):
        self.now = now
        while True:
            changed = False
            for i, c in enumerate(self.cs):
                if self.final[i]:
                    continue
                latched_now = False
                if not self.latched[i] and all(self.ev_cond(x) for x in c["ifs"]):
                    self.latched[i] = latched_now = True
                eff = self.latched[i] and self.reached(self.ag["date"]) and self.reached(c["from"])
                want = ("pending" if not eff else "suspended" if not self.guards(i)
                        else "violated" if self.breaches[i] else "active")
                starting = eff and not self.in_effect[i]
                if starting:
                    self.in_effect[i] = True
                    if (not self.initial and c["mod"] == "must" and c["within"] is not None
                            and not c["text"]):
                        self.deadline[i] = now + c["within"] + 1
                if want == self.state[i]:
                    # rule 6: suspended by several things in one minute,
                    # the cause is reciprocity's rather than the guard's
                    if (want == "suspended" and not self.initial and self.since[i] == now
                            and self.reason[i] == "condition"
                            and self.blame[i] not in [j for j, _ in self.links(i)]):
                        for j, w in self.links(i):
                            if ((self.bcount(j, w, self.prevb, True) > 0) !=
                                    (self.bcount(j, w, self.breaches) > 0)):
                                self.blame[i] = j
                                self.line[i] = self.ev_line
                                break
                    continue
                if starting and not latched_now:
                    reason, blame = "start", None
                elif starting:
                    reason, blame = "condition", self.list_blame(c["ifs"])
                else:
                    reason = "condition"
                    blame = None
                    for j, w in self.links(i):
                        if ((self.bcount(j, w, self.prevb, True) > 0) !=
                                (self.bcount(j, w, self.breaches) > 0)):
                            blame = j
                            break
                    if blame is None:
                        blame = self.list_blame(c["whiles"])
                    if blame is None:
                        blame = self.list_blame(c["unlesses"])
                self.set_state(i, want, reason, blame)
                changed = True
            if not changed:
                break

    def moments(self):
        s = set()
        if self.ag["date"] is not None:
            s.add(self.ag["date"])
        for i, c in enumerate(self.cs):
            if c["from"] is not None:
                s.add(c["from"])
            if c["until"] is not None:
                s.add(c["until"] + 1)
            if self.deadline[i] is not None:
                s.add(self.deadline[i])
        for t, _ in self.recorded:
            for w in WINDOWS:
                s.add(t + w)
        for b in self.breaches:
            for t, _ in b:
                for w in WINDOWS:
                    s.add(t + w)
        return s

    def time_moment(self, T):
        self.prev = list(self.state)
        self.prevb = [list(b) for b in self.breaches]
        self.time_mode = True
        self.now = T
        self.ev_line = None
        for i, c in enumerate(self.cs):
            if self.deadline[i] == T and not self.final[i]:
                missed = self.state[i] == "active"
                self.set_state(i, "violated" if missed else "expired", "deadline", None)
                if missed:  # its one breach, at deadline + 1 (rule 39)
                    self.breaches[i].append((T, None))
        for i, c in enumerate(self.cs):
            if c["until"] is not None and c["until"] + 1 == T and not self.final[i]:
                # rule 5
                duty = c["mod"] in ("must not", "must prevent")
                to = ("expired" if self.state[i] == "pending" or not duty
                      else "violated" if self.breaches[i] else "fulfilled")
                if to != self.state[i]:
                    self.set_state(i, to, "until", None)
                self.final[i] = True
        self.passes(T)
        self.time_mode = False

    def run_due(self, upto, last):
        while True:
            ms = [m for m in self.moments() if (last is None or m > last) and m <= upto]
            if not ms:
                return last
            T = min(ms)
            self.time_moment(T)
            last = T

    def event(self, t, ev, line):
        self.prev = list(self.state)
        self.prevb = [list(b) for b in self.breaches]
        self.now = t
        self.ev_line = line
        for i, c in enumerate(self.cs):
            impl = None if c["mod"] == "must prevent" else c["debtor"]
            if c["text"] or not matches(c["pat"], impl, ev):
                continue
            if c["mod"] == "must":
                if self.state[i] in ("active", "suspended"):
                    self.set_state(i, "fulfilled", "event", None)
            elif (c["mod"] in ("must not", "must prevent") and not self.final[i]
                  and self.state[i] in ("active", "violated")):
                ex = None
                for q, r in enumerate(self.cs):
                    if (r["mod"] == "may" and r["standing"] == "agreed" and self.state[q] == "active"
                            and r["debtor"] == c["debtor"] and not r["text"]
                            and matches(r["pat"], r["debtor"], ev)):
                        ex = q
                        break
                if ex is not None:
                    if ex not in self.excused[i]:
                        self.excused[i].append(ex)
                else:
                    if self.state[i] == "active":
                        self.set_state(i, "violated", "event", None)
                    self.breaches[i].append((t, line))
        self.recorded.append((t, ev))
        self.passes(t)


def reference(ag, evs, at, view):
    r = Ref(ag)
    last = None
    for k, (t, ty, attrs, prov) in enumerate(evs):
        if at is not None and t > at:
            break
        if not in_view(prov, view):
            continue
        last = r.run_due(t, last)
        r.event(t, (t, ty, attrs), k + 1)
    # the default --at: the last event of all sources, whatever the view;
    # with no event at all, the end of the agreement's date (if dated)
    target = at if at is not None else (evs[-1][0] if evs else None)
    if target is None and ag["date"] is not None:
        target = ag["date"] + 1439
    if target is not None:
        r.run_due(target, last)
    out = []
    for i, c in enumerate(ag["cs"]):
        out.append({"id": c["id"], "state": r.state[i], "since": tfmt(r.since[i]),
                    "reason": r.reason[i], "line": r.line[i],
                    "commitment": None if r.blame[i] is None else "c%d" % r.blame[i],
                    "excused_by": ["c%d" % q for q in r.excused[i]],
                    "breaches": len(r.breaches[i]),
                    "last_breach": None if not r.breaches[i] else
                    {"at": tfmt(r.breaches[i][-1][0]), "line": r.breaches[i][-1][1]}})
    return out


def main():
    cmt = os.environ.get("CMT")
    if not cmt:
        print("CMT must name the cmt binary", file=sys.stderr)
        return 2
    cmt = os.path.abspath(cmt)
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 300
    seed0 = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    bad = 0
    with tempfile.TemporaryDirectory() as d:
        for s in range(seed0, seed0 + n):
            rnd = random.Random(s)
            ag = gen(rnd, big=(s % 3 == 0))
            evs = gen_events(rnd, big=(s % 3 == 0))
            at = None
            if rnd.random() < 0.3:
                at = BASE + rnd.randint(0, 40) * H6
            view = rnd.choice(["all", "all", "verified", "A", "B", "M"])
            a_txt, e_txt = agreement_text(ag), events_text(evs)
            with open(os.path.join(d, "a.cmt"), "w") as f:
                f.write(a_txt)
            with open(os.path.join(d, "e.events"), "w") as f:
                f.write(e_txt)
            args = [cmt, "status", "a.cmt", "--events", "e.events", "--json",
                    "--view", view]
            if at is not None:
                args += ["--at", dtext(at)]
            p = subprocess.run(args, cwd=d, capture_output=True, text=True,
                               timeout=60)
            if p.returncode == 2:
                print("FAIL seed %d: cmt error: %s" % (s, p.stderr.strip()))
                bad += 1
                continue
            got = json.loads(p.stdout)["agreements"][0]["commitments"]
            want = reference(ag, evs, at, view)
            diffs = []
            for g, w in zip(got, want):
                cause = g["cause"] or {}
                gg = {"id": g["id"], "state": g["state"], "since": g["since"],
                      "reason": cause.get("reason"),
                      "line": cause.get("event_line"),
                      "commitment": cause.get("commitment"),
                      "excused_by": g["excused_by"],
                      "breaches": g["breaches"],
                      "last_breach": None if g["last_breach"] is None else
                      {"at": g["last_breach"]["at"], "line": g["last_breach"]["event_line"]}}
                if gg != w:
                    diffs.append((gg, w))
            if diffs:
                bad += 1
                print("FAIL seed %d: %d differences" % (s, len(diffs)))
                for gg, w in diffs[:4]:
                    print("  cmt: %s\n  ref: %s" % (gg, w))
                print(a_txt + e_txt + "--view " + view +
                      (" --at " + dtext(at) if at else ""))
    print("%d cases, %d failed" % (n, bad))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
