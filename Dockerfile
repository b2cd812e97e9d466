# syntax=docker/dockerfile:1
# The iglowly image: one static binary on a distroless base with no shell,
# run as an unprivileged user. The same image runs every component:
#   iglowly edge | iglowly worker sanitiser|inference|response | iglowly provision
#   | iglowly nats-auth | iglowly security relay
# deploy/deploy_test.go builds the binary with this file's "go build" line
# and checks that the result is static.

FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod go mod download
COPY . .
RUN --mount=type=cache,target=/go/pkg/mod --mount=type=cache,target=/root/.cache/go-build \
    CGO_ENABLED=0 go build -trimpath -ldflags=-s -o /out/iglowly ./cmd/iglowly
# The folders where "iglowly nats-auth" writes the NATS nodes' secrets
# file and the security relay its positions file: compose mounts a volume
# on each, and a new volume takes its folder's owner, the unprivileged
# user.
RUN mkdir -m 0700 /out/nats-auth /out/relay

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/iglowly /iglowly
COPY --from=build --chown=65532:65532 /out/nats-auth /nats-auth
COPY --from=build --chown=65532:65532 /out/relay /relay
USER nonroot:nonroot
EXPOSE 8080
ENTRYPOINT ["/iglowly"]
