#!/usr/bin/python3
"""rw-sampler HOST PORT [PERIOD_MS]: one line per period, "<CLOCK_MONOTONIC ns> rw|ro|down", for the fault harness.

Run inside a node's network namespace (pgha-local sample-rw N), so a node cut off from the others is still sampled:
its own address stays reachable from within. The password comes from PGPASSWORD. A sample that errs or takes longer
than the period reads "down" (a hung PostgreSQL cannot be shown to take writes). Ends when stdin closes or on EOF.
"""
import os
import select
import sys
import time

import psycopg2

host, port = sys.argv[1], int(sys.argv[2])
period = (int(sys.argv[3]) if len(sys.argv) > 3 else 200) / 1000.0
conn = None
nxt = time.monotonic()
while True:
    # Stop when the harness goes away (its end of our stdin closes).
    r, _, _ = select.select([sys.stdin], [], [], 0)
    if r and not sys.stdin.read(1):
        break
    state = "down"
    at = time.monotonic_ns()
    try:
        if conn is None:
            conn = psycopg2.connect(host=host, port=port, user="postgres", dbname="postgres", connect_timeout=1,
                                    options="-c statement_timeout=%d" % max(100, int(period * 1000)),
                                    application_name="pgha-rw-sampler")
            conn.autocommit = True
        with conn.cursor() as cur:
            cur.execute("select pg_is_in_recovery()")
            state = "ro" if cur.fetchone()[0] else "rw"
    except Exception:
        try:
            if conn is not None:
                conn.close()
        except Exception:
            pass
        conn = None
    sys.stdout.write("%d %s\n" % (at, state))
    sys.stdout.flush()
    nxt += period
    delay = nxt - time.monotonic()
    if delay > 0:
        time.sleep(delay)
    else:
        nxt = time.monotonic()
