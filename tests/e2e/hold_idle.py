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
time.sleep(1.5)
poll = select.poll()
for s in socks:
    poll.register(s, select.POLLIN | select.POLLOUT)
alive = 0
for _, ev in poll.poll(0):
    # Connected (writable) and neither closed nor reset by the server.
    if ev & select.POLLOUT and not ev & (select.POLLIN | select.POLLHUP | select.POLLERR):
        alive += 1
with open(out, "w") as f:
    f.write("%d\n" % alive)
time.sleep(120)
