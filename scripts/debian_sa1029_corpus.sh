#!/bin/bash
# The recorded Debian Go corpus for context-key-type's comparison with staticcheck SA1029
# (see the rule's doc, "Against staticcheck SA1029"). Installs Debian's Go library packages
# with apt into /usr/share/gocode/src, plus Debian's staticcheck and Go toolchain, then prints
# the corpus size. Re-run scripts/debian_sa1029_compare.py afterwards.
#
# Debian 12 (bookworm) package versions; run as root (or prefix apt-get with sudo).
# Installing adds to the shared /usr/share/gocode tree, so other corpora built from that tree
# grow too.
set -eu

# The first ten: the corpus of the earlier comparison (session 14).
FIRST="golang-google-grpc-dev golang-github-gin-gonic-gin-dev golang-github-labstack-echo-dev
golang-github-go-chi-chi-dev golang-github-go-kit-kit-dev golang-github-gorilla-mux-dev
golang-github-grpc-ecosystem-grpc-gateway-dev golang-github-urfave-negroni-dev
golang-github-coreos-go-oidc-dev golang-github-go-openapi-runtime-dev"

# Added in session 15: widely used libraries that call context.WithValue (RPC and HTTP
# middleware, tracing and metrics, HashiCorp, containers, databases, queues, cloud SDKs, CLIs).
MORE="golang-github-prometheus-client-golang-dev golang-opentelemetry-otel-dev
golang-github-hashicorp-go-hclog-dev golang-github-hashicorp-go-plugin-dev
golang-github-hashicorp-go-retryablehttp-dev golang-github-hashicorp-memberlist-dev
golang-github-hashicorp-raft-dev golang-github-hashicorp-serf-dev golang-github-docker-docker-dev
golang-etcd-server-dev golang-github-grpc-ecosystem-go-grpc-middleware-dev
golang-github-grpc-ecosystem-go-grpc-prometheus-dev golang-github-opentracing-contrib-go-grpc-dev
golang-github-urfave-cli-dev golang-github-urfave-cli-v2-dev golang-github-spf13-cobra-dev
golang-gopkg-redis.v5-dev golang-github-go-sql-driver-mysql-dev golang-github-lib-pq-dev
golang-github-jackc-pgx-v4-dev golang-github-minio-minio-go-v7-dev
golang-github-containerd-containerd-dev golang-github-nats-io-go-nats-dev
golang-github-valyala-fasthttp-dev golang-github-julienschmidt-httprouter-dev
golang-github-gorilla-handlers-dev golang-github-gorilla-websocket-dev
golang-github-gorilla-sessions-dev golang-github-gorilla-csrf-dev golang-github-jmoiron-sqlx-dev
golang-github-jinzhu-gorm-dev golang-github-segmentio-kafka-go-dev golang-github-go-resty-resty-dev
golang-github-graph-gophers-graphql-go-dev golang-google-api-dev golang-github-containerd-ttrpc-dev
golang-github-gophercloud-gophercloud-dev golang-github-aws-aws-sdk-go-dev"

# Test and build dependencies some of the packages above import but do not pull in (without
# them staticcheck cannot type-check those packages; gotest.tools v3 is packaged without the v3
# directory GOPATH mode looks for, so docker's middleware tests still do not type-check).
DEPS="golang-github-bitly-go-simplejson-dev golang-github-go-playground-assert-v2-dev
golang-github-google-shlex-dev golang-github-gotestyourself-gotest.tools-dev
golang-github-kardianos-osext-dev"

TOOLS="golang-go go-staticcheck"

HERE=$(dirname "$0")
MANIFEST="$HERE/debian_sa1029_packages.txt"

# Every package that ships files under /usr/share/gocode/src, as name=version lines.
installed() {
    grep -l '^/usr/share/gocode/src/' /var/lib/dpkg/info/*.list | sed 's|.*/||; s|\.list$||; s|:.*||' |
        sort -u | xargs dpkg-query -W -f '${Package}=${Version}\n'
}

if [ "${1:-}" = "--record" ]; then
    # Rewrite the manifest from what is installed now.
    { head -n 2 "$MANIFEST"; installed; } > "$MANIFEST.new" && mv "$MANIFEST.new" "$MANIFEST"
    exit 0
fi

apt-get update
# shellcheck disable=SC2086 # word splitting of the package lists is intended
apt-get install -y --no-install-recommends $TOOLS $FIRST $MORE $DEPS
# The dependencies too, by name (the versions are those of the recorded run; a later Debian
# point release may ship others: the diff below shows them).
# shellcheck disable=SC2046
apt-get install -y --no-install-recommends $(grep -v '^#' "$MANIFEST" | cut -d= -f1)

echo "Differences from the recorded manifest (none expected):"
installed | diff <(grep -v '^#' "$MANIFEST") - || true

echo "Go files (regular files, symlinked trees not followed):"
find /usr/share/gocode/src -name '*.go' -type f | wc -l
