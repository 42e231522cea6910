#!/usr/bin/env python3
"""Writes the benchmark messages (Benchmarks/messages/*.fix) with a correct BodyLength and CheckSum.

File format: one FIX message per file, on one line, with '|' standing for SOH (0x01), and a
trailing newline. Both the Swift benchmarks and the QuickFIX peer read a file, drop the
trailing newline and replace every '|' with SOH, so they time exactly the same bytes. BodyLength
(9) and CheckSum (10) are those of the SOH form. No value here contains '|'.

Run from anywhere: python3 Benchmarks/messages/generate.py
"""
import os

HERE = os.path.dirname(os.path.abspath(__file__))

# Header fields after 8/9/35, then the body, in wire order. The ExecutionReports list their
# header and body fields in ascending tag order with Parties in its group order: that is the
# order QuickFIX's toString() writes a built message in, so the encode benchmarks of both
# engines can check their output against these very files.
MESSAGES = {
    # A NewOrderSingle for WTI crude (CL) as an OMS sends it: 10 body fields, ~190 bytes.
    "new-order-single": ("D", [
        (34, "1042"), (49, "OMS1"), (52, "20260115-14:30:00.123"), (56, "WELLHEAD"),
        (11, "ORD-20260115-000042"), (1, "DESK-CRUDE-01"), (21, "1"), (55, "CLH6"),
        (207, "NYMEX"), (54, "1"), (60, "20260115-14:30:00.120"), (38, "25"), (40, "2"),
        (44, "75.25"), (59, "0"),
    ]),
    # A partial fill carrying the Parties group (NoPartyIDs=2).
    "execution-report-parties": ("8", [
        (34, "2051"), (49, "WELLHEAD"), (52, "20260115-14:30:00.125"), (56, "OMS1"),
        (6, "75.25"), (11, "ORD-20260115-000042"), (14, "10"), (17, "EXEC-20260115-000117"),
        (31, "75.25"), (32, "10"), (37, "WH-000000042"), (38, "25"), (39, "1"), (40, "2"),
        (44, "75.25"), (54, "1"), (55, "CLH6"), (60, "20260115-14:30:00.124"), (150, "F"),
        (151, "15"), (207, "NYMEX"),
        (453, "2"), (448, "DESK-CRUDE-01"), (447, "D"), (452, "3"),
        (448, "NYMEX-CLEARING"), (447, "D"), (452, "4"),
    ]),
    # The order acknowledgement (ExecType=New), no groups.
    "execution-report-new": ("8", [
        (34, "2050"), (49, "WELLHEAD"), (52, "20260115-14:30:00.122"), (56, "OMS1"),
        (6, "0"), (11, "ORD-20260115-000042"), (14, "0"), (17, "EXEC-20260115-000116"),
        (37, "WH-000000042"), (38, "25"), (39, "0"), (40, "2"), (44, "75.25"), (54, "1"),
        (55, "CLH6"), (60, "20260115-14:30:00.121"), (150, "0"), (151, "25"),
    ]),
    # A cancel request for the same order.
    "order-cancel-request": ("F", [
        (34, "1043"), (49, "OMS1"), (52, "20260115-14:30:01.004"), (56, "WELLHEAD"),
        (41, "ORD-20260115-000042"), (11, "ORD-20260115-000043"), (55, "CLH6"), (54, "1"),
        (60, "20260115-14:30:01.001"), (38, "25"),
    ]),
    # A Heartbeat: the smallest message on a quiet session.
    "heartbeat": ("0", [
        (34, "1044"), (49, "OMS1"), (52, "20260115-14:30:30.000"), (56, "WELLHEAD"),
    ]),
}


def encode(msg_type, fields):
    body = f"35={msg_type}\x01" + "".join(f"{tag}={value}\x01" for tag, value in fields)
    head = f"8=FIX.4.4\x019={len(body.encode())}\x01"
    message = (head + body).encode()
    return message + b"10=%03d\x01" % (sum(message) % 256)


def main():
    for name, (msg_type, fields) in MESSAGES.items():
        wire = encode(msg_type, fields)
        assert b"|" not in wire
        with open(os.path.join(HERE, name + ".fix"), "wb") as out:
            out.write(wire.replace(b"\x01", b"|") + b"\n")
        print(f"{name}.fix: {len(wire)} bytes")


if __name__ == "__main__":
    main()
