"""Holds N idle TCP connections to 127.0.0.1:PORT from the address SRC,
the way a hostile local page or process would, and writes to OUT how
many the server still keeps open after a moment (connected, not closed
by the server).  Then sleeps until killed.

    python3 hold_idle.py PORT N SRC OUT
"""
import resource
import select
import socket
import sys
import time

port, n, src, out = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4]
soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
if soft != resource.RLIM_INFINITY and soft < n + 64:
    want = n + 64 if hard == resource.RLIM_INFINITY else min(hard, n + 64)
    resource.setrlimit(resource.RLIMIT_NOFILE, (want, hard))
socks = []
for _ in range(n):
    s = socket.socket()
    s.setblocking(False)
    s.bind((src, 0))
    s.connect_ex(("127.0.0.1", port))
    socks.append(s)


def alive():
    """Connected (writable) and neither closed nor reset by the server."""
    poll = select.poll()
    for s in socks:
        poll.register(s, select.POLLIN | select.POLLOUT)
    bad = select.POLLIN | select.POLLHUP | select.POLLERR
    return sum(1 for _, ev in poll.poll(0) if ev & select.POLLOUT and not ev & bad)


# Until the server has dealt with every connection: the count stops
# changing (a loaded machine may take a while to accept them all).
last, n_alive, deadline = -1, alive(), time.time() + 5
while n_alive != last and time.time() < deadline:
    time.sleep(0.5)
    last, n_alive = n_alive, alive()
with open(out, "w") as f:
    f.write("%d\n" % n_alive)
time.sleep(120)
