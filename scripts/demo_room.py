#!/usr/bin/env python3
"""Fills a groupchat server with a few people for a screenshot of its admin window.

    demo_room.py PORT [SECONDS]

Two desktop-style (JSON) clients and two plain ones connect over loopback, chat a little and
stay connected for SECONDS (default 20).
"""
import json
import socket
import sys
import time

port = int(sys.argv[1])
linger = float(sys.argv[2]) if len(sys.argv) > 2 else 20.0


def plain(nick):
    s = socket.create_connection(("127.0.0.1", port))
    s.sendall(f"/nick {nick}\n".encode())
    return s


def desktop(nick):
    s = socket.create_connection(("127.0.0.1", port))
    s.sendall((json.dumps({"type": "hello", "version": 1, "nick": nick}) + "\n").encode())
    return s


def say(sock, text, as_json=False):
    line = json.dumps({"type": "say", "text": text}) if as_json else text
    sock.sendall((line + "\n").encode())
    time.sleep(0.2)


alice, carol = desktop("alice"), desktop("carol")
bob, wei = plain("bob"), plain("张伟")
time.sleep(0.5)
say(alice, "morning all", True)
say(bob, "morning! the build is green again")
say(wei, "太好了")
say(carol, "release notes are up", True)
say(alice, "thanks carol", True)
lurker = socket.create_connection(("127.0.0.1", port))  # connected, says nothing
time.sleep(linger)
