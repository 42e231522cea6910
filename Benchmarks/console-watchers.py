#!/usr/bin/env python3
"""Console pages watching the appliance live, in a process of their own (not the benchmark's).

Signs in to the admin console once as a risk manager (who is sent everything), opens COUNT
WebSockets on /live with the session cookie, and reads every frame the console pushes, on one
thread (a selector over every socket), as fast as it comes. Prints "ready" once every socket is
upgraded, and "frames <n> bytes <n> states <n> patches <n>" when standard input closes (the
benchmark's signal to stop), then exits.

    console-watchers.py PORT COUNT USER PASSWORD [NICE]

The benchmark (EchoBenchmarks/ConsoleWatchers.swift) starts it: the pages stand in for browsers
on the desks' own machines, so on the benchmark's machine they run at the lowest priority and
outside the load generator's process: at nice NICE (default 19), set absolutely, whatever the
benchmark's own priority.
"""
import os
import selectors
import socket
import sys
import threading


def connect(port):
    sock = socket.create_connection(("127.0.0.1", port))
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return sock


def read_head(sock):
    head = b""
    while not head.endswith(b"\r\n\r\n"):
        byte = sock.recv(1)
        if not byte:
            raise SystemExit("the console closed before answering: " + head.decode(errors="replace"))
        head += byte
    return head.decode(errors="replace")


def sign_in(port, user, password):
    sock = connect(port)
    form = f"user={user}&password={password}"
    sock.sendall((f"POST /login HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
                  f"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {len(form)}\r\n"
                  f"Connection: close\r\n\r\n{form}").encode())
    head = read_head(sock)
    sock.close()
    for line in head.split("\r\n"):
        if line.lower().startswith("set-cookie:"):
            return line.split(":", 1)[1].split(";")[0].strip()
    raise SystemExit("the console's login set no cookie: " + head)


def open_live(port, cookie):
    sock = connect(port)
    sock.sendall((f"GET /live HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                  f"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                  f"Origin: http://127.0.0.1:{port}\r\nCookie: {cookie}\r\n\r\n").encode())
    head = read_head(sock)
    if not head.startswith("HTTP/1.1 101"):
        raise SystemExit("the console did not open a WebSocket: " + head)
    sock.setblocking(False)
    return sock


class Page:
    """One WebSocket's unread bytes, cut into the server's (unmasked) frames."""

    def __init__(self):
        self.pending = bytearray()

    def frames(self, data):
        self.pending += data
        while len(self.pending) >= 2:
            length = self.pending[1] & 0x7F
            start = 2
            if length == 126:
                if len(self.pending) < 4:
                    return
                length = int.from_bytes(self.pending[2:4], "big")
                start = 4
            elif length == 127:
                if len(self.pending) < 10:
                    return
                length = int.from_bytes(self.pending[2:10], "big")
                start = 10
            if len(self.pending) < start + length:
                return
            # The envelope's keys are sorted: its type comes last, `…,"type":"patch"}`.
            tail = bytes(self.pending[max(start, start + length - 16):start + length])
            del self.pending[:start + length]
            yield tail


def main():
    port, count, user, password = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4]
    os.setpriority(os.PRIO_PROCESS, 0, int(sys.argv[5]) if len(sys.argv) > 5 else 19)
    cookie = sign_in(port, user, password)
    selector = selectors.DefaultSelector()
    for _ in range(count):
        selector.register(open_live(port, cookie), selectors.EVENT_READ, Page())
    print("ready", flush=True)
    stop = threading.Event()
    threading.Thread(target=lambda: (sys.stdin.read(), stop.set()), daemon=True).start()
    frames = received = states = patches = 0
    while not stop.is_set():
        for key, _ in selector.select(timeout=0.2):
            try:
                data = key.fileobj.recv(1 << 16)
            except BlockingIOError:
                continue
            if not data:
                selector.unregister(key.fileobj)
                continue
            received += len(data)
            for tail in key.data.frames(data):
                frames += 1
                states += tail.endswith(b'"state"}')
                patches += tail.endswith(b'"patch"}')
    print(f"frames {frames} bytes {received} states {states} patches {patches}", flush=True)


if __name__ == "__main__":
    main()
