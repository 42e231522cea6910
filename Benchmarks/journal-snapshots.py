"""Fills a Wellhead journal (one `wellhead serve` made) with DAYS days of minute market-data
snapshots ending yesterday, as the gateway journals them (`marketdata.snapshot`: each
instrument's bid, ask, mark and venue; 23 hours a day), for Benchmarks/signal-history-start.sh.

Usage: python3 journal-snapshots.py JOURNAL DAYS

The instruments are CL, BZ, RB and HO for twelve months from January 2027 and fifteen
instruments that are not futures (the signals' history skips them), each walking by up to a
cent a minute from $70.
"""
import datetime
import json
import random
import sqlite3
import sys

path, days = sys.argv[1], int(sys.argv[2])
connection = sqlite3.connect(path)
codes = "FGHJKMNQUVXZ"
symbols = [f"{root}{codes[month]}7" for root in ("CL", "BZ", "RB", "HO") for month in range(12)]
symbols += [f"CLF7-CLG7-{index}" for index in range(15)]
noon = datetime.datetime.now(datetime.timezone.utc).replace(hour=12, minute=0, second=0, microsecond=0)
walk = random.Random(1)
prices = {symbol: 70.0 for symbol in symbols}
rows = []
for day in range(days, 0, -1):
    start = int((noon - datetime.timedelta(days=day)).timestamp()) * 10**9
    for minute in range(23 * 60):
        time = start + minute * 60 * 10**9
        instruments = []
        for symbol in symbols:
            prices[symbol] += walk.uniform(-0.05, 0.05)
            price = f"{prices[symbol]:.2f}"
            instruments.append({"ask": price, "bid": price, "mark": price, "symbol": symbol, "time": time, "venue": "SIM"})
        rows.append(("marketdata.snapshot", time, json.dumps({"instruments": instruments, "time": time}, separators=(",", ":"))))
    if len(rows) > 20000:
        connection.executemany("INSERT INTO events(kind, time, json) VALUES (?, ?, ?)", rows)
        connection.commit()
        rows = []
connection.executemany("INSERT INTO events(kind, time, json) VALUES (?, ?, ?)", rows)
connection.commit()
count, size = connection.execute("SELECT count(*), sum(length(json)) FROM events WHERE kind = 'marketdata.snapshot'").fetchone()
print(f"{count} snapshots, {size / 1e6:.0f} MB of JSON")
