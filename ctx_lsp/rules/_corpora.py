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

# goroutine-blocked-send, timer-leak, afterfunc-not-stopped
LEAK_REVIEW_CORPUS = """\
Corpus: stored snapshots of 13 public Go repositories, 8,648 `.go` files — prometheus
(d15adb9ad7e5, go 1.25, 727 files), nomad (aa026cc99cfb, go 1.26, 2,138), nats-server
(1787eee035cf, go 1.25, 264), jaeger (8498073ff809, go 1.26, 1,169), opentelemetry-collector
(934999fbab27, go 1.26, 1,768), go-redis (216593cc01fa, go 1.24, 373), go-kit/kit
(78fbbceece7b, go 1.17, 256), nsq (3103474b6c5a, go 1.17, 116), hashicorp/raft (1837036daf50,
go 1.24, 65), IBM/sarama (bd98b3aec677, go 1.25, 338), hashicorp/memberlist (1b4c746c0e53,
go 1.25, 40), grpc-go (4793ad047466, go 1.25, 1,056) and caddy (0cf03d32f7d9, go 1.25, 338;
grpc-go and caddy were added after the rules' exclusions were designed, as a check) — plus the
Go 1.19 standard library (`/usr/lib/go-1.19/src`, 5,565 files, go 1.19). Held out until the
rules were final: segmentio/kafka-go (3ce29796ef96, go 1.23, 269 files), libp2p/go-libp2p
(0d90292576f8, go 1.25, 594) and syncthing (328d910aee82, go 1.25, 546). Run with
`ctx-lsp check --select RULE --min-severity hint DIR`; what was read is said per rule."""


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

# The second fresh review (session 15), of the two rules the first one found nothing for.
SECOND_FRESH_REVIEW_CORPUS = """\
Made in session 15 on nine repositories that no rule doc named before (newest stored
snapshots, vendor and testdata directories skipped as the CLI does): weaviate/weaviate
(adcffc5432aa, go 1.26, 5,006 files), livekit/livekit (788d4c354474, go 1.26, 388),
evcc-io/evcc (b29b49e3056e, go 1.26.3, 1,175), hashicorp/boundary (01cd5c86e860, go 1.26.5,
1,271 files: the snapshot's archive stopped at a missing object, so part of the tree is
absent), fatedier/frp (40274d8c9224, go 1.25.0, 333), cloudflare/cloudflared (d1df7985bdf1,
go 1.26, 371), drakkan/sftpgo (42f7a4d415dc, go 1.26.0, 246), navidrome/navidrome
(295886cb9a43, go 1.26, 1,043) and nektos/act (bd86152165b9, go 1.25.0, 123; its archive
also stopped early, in a testdata `node_modules`); 9,956 files. Run with
`ctx-lsp check --select RULE --min-severity hint`; the rule was not changed for this corpus."""


def fresh_review(result: str) -> str:
    """The doc section of the fresh review, with one rule's result."""
    return f"\n## Fresh review\n\n{FRESH_REVIEW_CORPUS}\n\n{result.strip()}\n"
