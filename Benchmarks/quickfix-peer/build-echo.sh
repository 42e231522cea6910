#!/usr/bin/env bash
# Builds the QuickFIX C++ echo acceptor the echo benchmarks (Benchmarks/EchoBenchmarks) run
# beside `wellhead serve`, against Debian's libquickfix-dev (QuickFIX 1.15.1). Its headers use
# dynamic exception specifications, hence -std=c++14.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
if [ ! -f /usr/include/quickfix/Session.h ]; then
    echo "libquickfix-dev is not installed: apt-get install -y libquickfix-dev" >&2
    exit 1
fi
version="$(dpkg-query -W -f='${Version}' libquickfix-dev 2>/dev/null || echo unknown)"
set -x
g++ -std=c++14 -O2 -DNDEBUG -Wno-deprecated -Wno-deprecated-declarations \
    -DQUICKFIX_VERSION_STRING="\"$version\"" \
    -o "$here/echo-acceptor.tmp" "$here/echo-acceptor.cpp" -lquickfix -lpthread
mv "$here/echo-acceptor.tmp" "$here/echo-acceptor"
