#!/usr/bin/env bash
# Builds the QuickFIX C++ peer against Debian's libquickfix-dev (QuickFIX 1.15.1).
# Its headers use dynamic exception specifications, hence -std=c++14.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
if [ ! -f /usr/include/quickfix/Message.h ]; then
    echo "libquickfix-dev is not installed: apt-get install -y libquickfix-dev" >&2
    exit 1
fi
version="$(dpkg-query -W -f='${Version}' libquickfix-dev 2>/dev/null || echo unknown)"
set -x
g++ -std=c++14 -O2 -DNDEBUG -Wno-deprecated -Wno-deprecated-declarations \
    -DPEER_QUICKFIX_VERSION="\"$version\"" \
    -o "$here/peer" "$here/peer.cpp" -lquickfix -lpthread
