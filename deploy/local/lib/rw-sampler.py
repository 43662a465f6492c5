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


def wait(conn, deadline):
    """Drives an asynchronous connection until it is ready; a frozen server (SIGSTOP) never answers, and a blocking
    call would stop the sampling with it, so the wait is bounded by the client's own clock."""
    while True:
        state = conn.poll()
        if state == psycopg2.extensions.POLL_OK:
            return
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError("no answer within the period")
        if state == psycopg2.extensions.POLL_READ:
            select.select([conn.fileno()], [], [], left)
        elif state == psycopg2.extensions.POLL_WRITE:
            select.select([], [conn.fileno()], [], left)


conn = None
nxt = time.monotonic()
while True:
    # Stop when the harness goes away (its end of our stdin closes).
    r, _, _ = select.select([sys.stdin], [], [], 0)
    if r and not sys.stdin.read(1):
        break
    state = "down"
    at = time.monotonic_ns()
    deadline = time.monotonic() + max(period, 0.1)
    try:
        if conn is None:
            conn = psycopg2.connect(host=host, port=port, user="postgres", dbname="postgres", connect_timeout=1,
                                    application_name="pgha-rw-sampler", async_=True)
            wait(conn, time.monotonic() + 1.0)
        cur = conn.cursor()
        cur.execute("select pg_is_in_recovery()")
        wait(conn, deadline)
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
