"""The corpora the rules' precision reviews were measured on (shared text of their docs)."""

# finalizer-*, forced-gc
FINALIZER_REVIEW_CORPUS = """\
Corpus: the Go 1.19 standard library (4,929 files) and 49 public repositories (18,950 files,
among them golang/tools, golang/mobile, tailscale, grpc-go, ebiten, wazero, cilium/ebpf, git2go,
wasmtime-go, wasmer-go, go-gst, gotk3, pebble, hugo, rclone, restic, syncthing, esbuild,
nats-server, k6, caddy, go-zero); 23,879 files in all, 153 generated files skipped as the CLI
does; Go versions from each module's go.mod."""

# cancel-deferred-in-loop, context-in-loop, goroutine-ignores-context (followed in each doc by
# the file count, with what it included)
CONTEXT_REVIEW_CORPUS = """\
Scanned the Go 1.19 standard library (`/usr/lib/go-1.19/src`, 5,564 files) and stored
snapshots of 23 public Go projects (argo-cd, caddy, containerd, dapr, etcd, go-ethereum,
golang/tools, loki, grpc-go, nomad, terraform, telegraf, jaeger, minio, nats-server, nsq,
opentelemetry-go, prometheus, rclone, syncthing, temporal, thanos, traefik; 29,193 files):"""

# Every rule's doc: the review made once, after the changes of issue 16, on repositories that
# no earlier review used and that no rule was tuned on.
FRESH_REVIEW_CORPUS = """\
Made once, after the module index and the other changes of issue 16, on ten large
repositories that no earlier review here used and that no rule was tuned on (newest
snapshots): moby/moby, istio/istio, dgraph-io/dgraph, goharbor/harbor, helm/helm,
pulumi/pulumi, rancher/rancher, linkerd/linkerd2, crossplane/crossplane and
argoproj/argo-workflows; 12,998 files checked (vendor, testdata and generated files skipped
as the CLI does), every rule on, `--min-severity hint`, every finding read. A finding is
agreed when a reviewer would act on it as the message says."""


def fresh_review(result: str) -> str:
    """The doc section of the fresh review, with one rule's result."""
    return f"\n## Fresh review\n\n{FRESH_REVIEW_CORPUS}\n\n{result.strip()}\n"
