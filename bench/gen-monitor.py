#!/usr/bin/env python3
"""Generate a monitoring benchmark: one agreement with N commitments across
P parties, and an events file of M events in time order.

  gen-monitor.py [--breaches] N P M OUT.cmt OUT.events [SEED]

The mix, per party pair (a, b) drawn at random:
  30% guarded prohibitions   a must not strike(on: b)
                             unless attack(from: b, on: a) within 30d
                             reciprocal <a prevention of b's>
  20% preventions            a must prevent attack(from: a, on: b)
  20% deadlines              a must deliver(to: b, what: aidK) by DATE
                             (half of them `within 60d if request(...)`)
  15% conditional rights     a may strike(in: b, against: gK)
                             if violated(<a prevention of b's>)
  15% count triggers         a must not blockade(of: b)
                             if count(incident(on: a)) >= 3 within 7d
Events are mostly noise that matches nothing (patrols, statements), and
attacks, strikes, deliveries, requests, incidents between random parties,
a few per minute from 2025-01-01 on. Big files go under /tmp.

--breaches: the same agreement, but 80% of the events match some
prohibition or prevention (a strike on a pair that has a guarded
prohibition, or an attack from a party that owes a prevention), so that
breaches are counted all the time (SPEC 0.2 §8.4); the rest is the usual
mix.
"""
import random
import sys


def main():
    argv = [a for a in sys.argv if a != "--breaches"]
    breaches = len(argv) != len(sys.argv)
    n, p, m = int(argv[1]), int(argv[2]), int(argv[3])
    out_cmt, out_ev = argv[4], argv[5]
    rnd = random.Random(int(argv[6]) if len(argv) > 6 else 1)
    prohibited = []  # (a, b): a must not strike(on: b)
    prevents = []    # (a, b): a must prevent attack(from: a, on: b)
    parties = ["P%d" % i for i in range(p)]
    prevent_of = {}  # party -> id of a prevention it owes
    lines = ['agreement bench "monitoring benchmark" {', "  date 2025-01-01"]
    for x in parties:
        lines.append('  party %s "Party %s" state' % (x, x))
    # preventions first so that links can name them
    kinds = []
    for i in range(n):
        r = rnd.random()
        kinds.append("prevent" if r < 0.20 else "guarded" if r < 0.50
                     else "deadline" if r < 0.70 else "right" if r < 0.85
                     else "count")
    ids = []
    for i, k in enumerate(kinds):
        if k == "prevent" or not prevent_of:
            a = parties[i % p]
            b = rnd.choice(parties)
            cid = "c%d" % i
            lines.append("  commitment %s { %s must prevent attack(from: %s, on: %s) }"
                         % (cid, a, a, b))
            prevents.append((a, b))
            prevent_of.setdefault(a, cid)
            kinds[i] = "done"
    for i, k in enumerate(kinds):
        if k == "done":
            continue
        a = parties[i % p]
        b = rnd.choice(parties)
        cid = "c%d" % i
        link = prevent_of.get(b) or next(iter(prevent_of.values()))
        if k == "guarded":
            prohibited.append((a, b))
            lines.append("  commitment %s { %s must not strike(on: %s) "
                         "unless attack(from: %s, on: %s) within 30d "
                         "reciprocal %s }" % (cid, a, b, b, a, link))
        elif k == "deadline":
            if rnd.random() < 0.5:
                lines.append("  commitment %s { %s must deliver(to: %s, what: aid%d) "
                             "by 2025-%02d-28 }" % (cid, a, b, i % 50,
                                                    1 + rnd.randrange(12)))
            else:
                lines.append("  commitment %s { %s must deliver(to: %s, what: aid%d) "
                             "within 60d if request(from: %s, to: %s) }"
                             % (cid, a, b, i % 50, b, a))
        elif k == "right":
            lines.append("  commitment %s { %s may strike(in: %s, against: g%d) "
                         "if violated(%s) }" % (cid, a, b, i % 20,
                                                prevent_of.get(b, link)))
        else:
            lines.append("  commitment %s { %s must not blockade(of: %s) "
                         "if count(incident(on: %s)) >= 3 within 7d }"
                         % (cid, a, b, a))
    lines.append("}")
    with open(out_cmt, "w") as f:
        f.write("\n".join(lines) + "\n")

    t0 = 0  # minutes since 2025-01-01
    base_days = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
    with open(out_ev, "w", buffering=1 << 20) as f:
        buf = []
        for j in range(m):
            if rnd.random() < 0.3:
                t0 += 1
            day, minute = divmod(t0, 1440)
            y, d = 2025, day
            while True:
                ylen = 366 if (y % 4 == 0 and (y % 100 or y % 400 == 0)) else 365
                if d < ylen:
                    break
                d -= ylen
                y += 1
            mo = 0
            while True:
                ml = base_days[mo] + (1 if mo == 1 and ylen == 366 else 0)
                if d < ml:
                    break
                d -= ml
                mo += 1
            ts = "%04d-%02d-%02dT%02d:%02d" % (y, mo + 1, d + 1, minute // 60, minute % 60)
            a, b = rnd.choice(parties), rnd.choice(parties)
            r = rnd.random()
            if breaches and r < 0.8:
                if r < 0.5 and prohibited:
                    a, b = rnd.choice(prohibited)
                    ev = "strike(by: %s, on: %s, in: %s, against: g%d)" % (
                        a, b, b, j % 20)
                else:
                    a, b = rnd.choice(prevents)
                    ev = "attack(by: g%d, from: %s, on: %s)" % (j % 20, a, b)
            elif r < 0.55:
                ev = "patrol(by: %s, near: %s, unit: u%d)" % (a, b, j % 97)
            elif r < 0.70:
                ev = 'statement(by: %s, about: %s) "routine"' % (a, b)
            elif r < 0.78:
                ev = "incident(on: %s, kind: k%d)" % (a, j % 5)
            elif r < 0.84:
                ev = "deliver(by: %s, to: %s, what: aid%d)" % (a, b, j % 50)
            elif r < 0.90:
                ev = "request(from: %s, to: %s)" % (a, b)
            elif r < 0.95:
                ev = "strike(by: %s, on: %s, in: %s, against: g%d) reported by %s" % (
                    a, b, b, j % 20, a)
            else:
                ev = "attack(by: g%d, from: %s, on: %s) reported by %s denied by %s" % (
                    j % 20, a, b, b, a) if a != b else "attack(by: g1, from: %s, on: %s)" % (a, b)
            buf.append(ts + " " + ev + "\n")
            if len(buf) >= 10000:
                f.write("".join(buf))
                buf = []
        f.write("".join(buf))


if __name__ == "__main__":
    main()
