#!/usr/bin/env python3
"""Null model for the rising flag: shuffles question dates at random
within each source of a store (seeded), leaving everything else as is.
usage: trends_null.py DB SEED"""
import sqlite3, random, sys
db, seed = sys.argv[1], int(sys.argv[2])
c = sqlite3.connect(db)
rnd = random.Random(seed)
for (sid,) in c.execute("select id from sources").fetchall():
    rows = c.execute("select id, created from threads where source_id=? and created is not null order by id", (sid,)).fetchall()
    dates = [r[1] for r in rows]
    rnd.shuffle(dates)
    c.executemany("update threads set created=? where id=?", [(d, r[0]) for d, r in zip(dates, rows)])
c.commit()
