#!/usr/bin/env python3
"""Plays a short conversation on a groupchat server, for screenshots and demos.

    demo_chat.py PORT [WINDOW_NICK] [SECONDS]

Two people (of alice, bob and 张伟, whoever WINDOW_NICK is not) connect as plain-mode
clients over loopback, exactly as nc users would, and chat; once WINDOW_NICK has joined they
talk to them too. They stay connected for SECONDS (default 30).
"""
import socket
import sys
import time

port = int(sys.argv[1])
me = sys.argv[2] if len(sys.argv) > 2 else "alice"
linger = float(sys.argv[3]) if len(sys.argv) > 3 else 30.0
first, second = [n for n in ("bob", "张伟", "alice") if n != me][:2]


def connect(nick):
    s = socket.create_connection(("127.0.0.1", port))
    s.settimeout(0.3)
    s.sendall(f"/nick {nick}\n".encode())
    return s


def say(sock, line, pause=0.3):
    sock.sendall((line + "\n").encode())
    time.sleep(pause)


def wait_for(sock, nick, seconds=20):
    """Until nick is in the room (the server's /who lists it)."""
    deadline = time.time() + seconds
    seen = b""
    while time.time() < deadline:
        sock.sendall(b"/who\n")
        try:
            while True:
                chunk = sock.recv(65536)
                if not chunk:
                    return False
                seen += chunk
        except socket.timeout:
            pass
        if f"*   {nick}, connected".encode() in seen:
            return True
        seen = seen[-4096:]
    return False


a, b = connect(first), connect(second)
time.sleep(0.3)
say(a, "morning! is the build green again?")
say(b, "yes, the flaky test was waiting with a sleep; it waits for a signal now")
say(a, "/me cheers")
say(b, "release notes: https://example.com/wiki/release-notes.")
if wait_for(a, me):
    time.sleep(1.0)
    say(a, f"welcome {me}! can you review the client window today?")
    say(b, "我下午有空，可以一起看看 😀")
    say(a, "<b>this is not bold</b> and <img src=x> loads nothing")
    say(b, f"/msg {me} lunch at 12:30?")
time.sleep(linger)
