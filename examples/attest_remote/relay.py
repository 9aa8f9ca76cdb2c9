#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
# A TCP relay for test_attest_remote.sh: stands where tzm-run (the untrusted shadow) or
# anyone on the path stands, between the client and the server, and records every byte
# it relays (what such a relay can read). With --swap-epub it is an active attacker: it
# replaces the server's ephemeral public key (bytes 4..35 of the server's answer,
# proto.h) with its own before passing the answer on.
#
# usage: relay.py TARGET_PORT PORT_FILE CAPTURE_FILE [--swap-epub]
# Listens on 127.0.0.1 (any port, written to PORT_FILE), serves one connection, appends
# both directions' bytes to CAPTURE_FILE and exits when both sides have closed.
import os
import socket
import sys
import threading

target_port, port_file, capture = int(sys.argv[1]), sys.argv[2], sys.argv[3]
swap = len(sys.argv) > 4 and sys.argv[4] == "--swap-epub"
lock = threading.Lock()


def pump(src, dst, tamper):
    seen = 0
    try:
        while True:
            data = src.recv(65536)
            if not data:
                break
            if tamper:
                b = bytearray(data)
                for i in range(len(b)):
                    if 4 <= seen + i < 36:
                        b[i] = 0x42  # the attacker's "public key"
                data = bytes(b)
            seen += len(data)
            with lock, open(capture, "ab") as f:
                f.write(data)
            dst.sendall(data)
    except OSError:
        pass
    for s in (dst, src):
        try:
            s.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


ls = socket.socket()
ls.bind(("127.0.0.1", 0))
ls.listen(1)
with open(port_file + ".tmp", "w") as f:
    f.write("%d\n" % ls.getsockname()[1])
os.rename(port_file + ".tmp", port_file)
client, _ = ls.accept()
server = socket.create_connection(("127.0.0.1", target_port))
t = threading.Thread(target=pump, args=(server, client, swap))
t.start()
pump(client, server, False)
t.join()
