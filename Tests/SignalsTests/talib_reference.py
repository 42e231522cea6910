"""Reference values for the Signals tests: TA-Lib's batch functions, and numpy where TA-Lib
has no such function or where an exact windowed computation is wanted.

Usage: python3 talib_reference.py DIR

DIR holds the series as native-endian float64 files (open.f64, high.f64, low.f64, close.f64)
and requests.txt, one request a line: `NAME FUNCTION [INPUT] ARGUMENT...` (INPUT one of open,
high, low, close; close if left out; ATR and PARKINSON read the highs, lows and closes).
Each output is written to DIR/out/NAME.f64 (NAME.PART.f64 for a function with several outputs), NaN where the function
gives no value (TA-Lib's look-back). EXACT_* requests take a last argument TAIL and give only
the last TAIL outputs of the series, each computed from its own window alone (no running sums).
"""
import os
import sys

import numpy as np
import talib
from numpy.lib.stride_tricks import sliding_window_view

directory = sys.argv[1]
series = {name: np.fromfile(os.path.join(directory, name + ".f64"), dtype=np.float64)
          for name in ("open", "high", "low", "close")}
out = os.path.join(directory, "out")
os.makedirs(out, exist_ok=True)


def write(name, values):
    np.ascontiguousarray(values, dtype=np.float64).tofile(os.path.join(out, name + ".f64"))


def windows(values, period, tail):
    """The last `tail` windows of `period` values each."""
    return sliding_window_view(values[len(values) - tail - period + 1:], period)


def padded(values, first):
    """`values` given from index `first` on, NaN before it."""
    return np.concatenate([np.full(first, np.nan), values])


def log_returns(close):
    return np.log(close[1:] / close[:-1])


def realised_volatility(close, period):
    """Sample standard deviation (ddof=1) of the last `period` log returns; first at index `period`."""
    returns = log_returns(close)
    return padded(sliding_window_view(returns, period).std(axis=1, ddof=1), period)


def parkinson(high, low, period):
    """sqrt(sum(ln(H/L)^2) / (4 ln 2 * period)); first at index `period - 1`."""
    squared = np.log(high / low) ** 2
    return padded(np.sqrt(sliding_window_view(squared, period).sum(axis=1) / (4 * np.log(2) * period)), period - 1)


close, high, low = series["close"], series["high"], series["low"]
with open(os.path.join(directory, "requests.txt")) as requests:
    for line in requests:
        if not line.strip():
            continue
        name, function, *arguments = line.split()
        source = series[arguments.pop(0)] if arguments and arguments[0] in series else close
        numbers = [float(argument) for argument in arguments]
        whole = [int(number) for number in numbers]
        if function == "SMA":
            write(name, talib.SMA(source, timeperiod=whole[0]))
        elif function == "EMA":
            write(name, talib.EMA(source, timeperiod=whole[0]))
        elif function == "WMA":
            write(name, talib.WMA(source, timeperiod=whole[0]))
        elif function == "RSI":
            write(name, talib.RSI(source, timeperiod=whole[0]))
        elif function == "MACD":
            line_, signal, histogram = talib.MACD(source, fastperiod=whole[0], slowperiod=whole[1], signalperiod=whole[2])
            write(name + ".line", line_)
            write(name + ".signal", signal)
            write(name + ".histogram", histogram)
        elif function == "BBANDS":
            upper, middle, lower = talib.BBANDS(source, timeperiod=whole[0], nbdevup=numbers[1], nbdevdn=numbers[2], matype=0)
            write(name + ".upper", upper)
            write(name + ".middle", middle)
            write(name + ".lower", lower)
        elif function == "STDDEV":
            write(name, talib.STDDEV(source, timeperiod=whole[0], nbdev=numbers[1]))
        elif function == "ZSCORE":
            # (x - SMA) / STDDEV, and 0 for a flat window (STDDEV 0), as Signals defines it.
            period = whole[0]
            deviation = talib.STDDEV(source, timeperiod=period, nbdev=1)
            with np.errstate(divide="ignore", invalid="ignore"):
                z = (source - talib.SMA(source, timeperiod=period)) / deviation
            write(name, np.where(deviation == 0, 0.0, z))
        elif function == "ATR":
            write(name, talib.ATR(high, low, close, timeperiod=whole[0]))
        elif function == "MAX":
            write(name, talib.MAX(source, timeperiod=whole[0]))
        elif function == "MIN":
            write(name, talib.MIN(source, timeperiod=whole[0]))
        elif function == "ROC":
            write(name, talib.ROC(source, timeperiod=whole[0]))
        elif function == "RVOL":
            write(name, realised_volatility(source, whole[0]))
        elif function == "PARKINSON":
            write(name, parkinson(high, low, whole[0]))
        elif function == "EXACT_SMA":
            write(name, windows(source, whole[0], whole[1]).mean(axis=1))
        elif function == "EXACT_STDDEV":
            write(name, windows(source, whole[0], whole[1]).std(axis=1))
        elif function == "EXACT_ZSCORE":
            period, tail = whole
            view = windows(source, period, tail)
            deviation = view.std(axis=1)
            with np.errstate(divide="ignore", invalid="ignore"):
                z = (source[-tail:] - view.mean(axis=1)) / deviation
            write(name, np.where(deviation == 0, 0.0, z))
        elif function == "EXACT_WMA":
            period, tail = whole
            weights = np.arange(1, period + 1, dtype=np.float64)
            write(name, windows(source, period, tail) @ weights / weights.sum())
        elif function == "EXACT_RVOL":
            period, tail = whole
            write(name, windows(log_returns(source), period, tail).std(axis=1, ddof=1))
        elif function == "EXACT_PARKINSON":
            period, tail = whole
            squared = np.log(high / low) ** 2
            write(name, np.sqrt(windows(squared, period, tail).sum(axis=1) / (4 * np.log(2) * period)))
        else:
            sys.exit(f"talib_reference.py: unknown function {function} in request {line.strip()!r}")
