#!/usr/bin/env python3
"""Re-run a SkillArena practical draw from its published inputs.

Usage:
    curl -s https://<server>/api/v1/public/stages/<id>/draw > draw.json
    python3 draw.py draw.json

Needs only Python 3's standard library. It checks that the revealed seed
matches the commitment published before the draw, recomputes the drawn
contestant of every team (algorithm skillarena-draw-v1, see docs/DRAW.md),
prints them as JSON and says whether they match the published result.
Exit status 0 when everything matches, 1 otherwise.
"""
import hashlib
import json
import sys


def draw(seed_hex, entropy, teams):
    seed = bytes.fromhex(seed_hex)
    key = hashlib.sha256(seed + b"\x00" + entropy.encode("utf-8")).digest()
    result = []
    for team in sorted(teams, key=lambda t: t["team_id"]):
        pool = sorted(set(team["pool"]))
        n = len(pool)
        if n == 0:
            raise ValueError("team %d has an empty pool" % team["team_id"])
        limit = 2**64 - (2**64 % n)
        counter = 0
        while True:
            msg = ("team:%d:%d" % (team["team_id"], counter)).encode("ascii")
            v = int.from_bytes(hashlib.sha256(key + msg).digest()[:8], "big")
            if v < limit:
                result.append({"team_id": team["team_id"], "contestant_id": pool[v % n]})
                break
            counter += 1
    return result


def main():
    with open(sys.argv[1], encoding="utf-8") if len(sys.argv) > 1 else sys.stdin as f:
        published = json.load(f)
    if "draw" in published:  # the whole answer of /api/v1/public/stages/{id}/draw
        published = published["draw"]
    ok = True
    commitment = hashlib.sha256(bytes.fromhex(published["seed"])).hexdigest()
    if commitment != published["commitment"]:
        print("the seed does not match the commitment", file=sys.stderr)
        ok = False
    mine = draw(published["seed"], published["entropy"], published["teams"])
    print(json.dumps(mine, ensure_ascii=False))
    theirs = sorted(published.get("result", []), key=lambda r: r["team_id"])
    if [(r["team_id"], r["contestant_id"]) for r in theirs] != [(r["team_id"], r["contestant_id"]) for r in mine]:
        print("the published result differs from the recomputed one", file=sys.stderr)
        ok = False
    else:
        print("the published result matches", file=sys.stderr)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
