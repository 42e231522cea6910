#!/bin/sh
# Makes a development CA and server and client certificates signed by it, with openssl,
# for TLS and mutual TLS between Wellhead and its counterparties on one machine.
#
#   sh certs/make-dev-certs.sh [output-folder]      # default: the certs/ folder
#
# Writes ca.pem/ca.key, server.pem/server.key (CN and SAN localhost, 127.0.0.1) and
# client.pem/client.key (CN OMS1). Keys are secrets: they are not committed.
set -eu
out="${1:-$(dirname "$0")}"
mkdir -p "$out"
cd "$out"
days=825

openssl req -x509 -newkey rsa:2048 -nodes -sha256 -days "$days" \
  -keyout ca.key -out ca.pem -subj "/CN=Wellhead Development CA" \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null

make_leaf() {
  name="$1"; subject="$2"; extensions="$3"
  openssl req -newkey rsa:2048 -nodes -sha256 -keyout "$name.key" -out "$name.csr" -subj "$subject" 2>/dev/null
  printf '%s\n' "$extensions" > "$name.ext"
  openssl x509 -req -in "$name.csr" -CA ca.pem -CAkey ca.key -CAcreateserial -days "$days" -sha256 \
    -extfile "$name.ext" -out "$name.pem" 2>/dev/null
  rm -f "$name.csr" "$name.ext"
}

make_leaf server "/CN=localhost" "subjectAltName=DNS:localhost,IP:127.0.0.1
extendedKeyUsage=serverAuth"
make_leaf client "/CN=OMS1" "extendedKeyUsage=clientAuth"
rm -f ca.srl
echo "wrote $(pwd)/ca.pem, server.pem, server.key, client.pem, client.key"
