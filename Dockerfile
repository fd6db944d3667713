# ecslocal in a container: a static binary on distroless, running as non-root,
# state in the SQLite file /data/ecslocal.db (a volume).
#
#   docker build --build-arg VERSION=1.2.3 -t ecslocal .
#   docker run --rm -p 8790:8790 -v ecslocal-data:/data ecslocal
#
# Not built by this repository's CI (its machines have no Docker engine);
# .ci/run checks the same static CGO_ENABLED=0 build outside a container.

ARG VERSION=dev

FROM golang:1.26 AS build
ARG VERSION
WORKDIR /src
# Modules first, so that a source change does not download them again.
COPY go.mod go.sum ./
RUN go mod download
# Only what the binary is built from: no examples, node_modules or local
# ecslocal.db files in the build.
COPY cmd/ cmd/
COPY internal/ internal/
RUN CGO_ENABLED=0 go build -trimpath \
	-ldflags "-s -w -X github.com/ecslocal/ecslocal/internal/server.Version=${VERSION}" \
	-o /out/ecslocal ./cmd/ecslocal \
	&& /out/ecslocal version \
	&& mkdir /out/data

# distroless/static: CA certificates, tzdata, /etc/passwd with the nonroot
# user (65532), and nothing else: no shell, no curl.
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/ecslocal /usr/local/bin/ecslocal
COPY --from=build --chown=65532:65532 /out/data /data
USER 65532:65532
VOLUME /data
EXPOSE 8790
# The binary is its own health probe: GET /_ecslocal/health, exit 1 unless 2xx.
HEALTHCHECK --interval=10s --timeout=5s --start-period=5s --retries=3 \
	CMD ["/usr/local/bin/ecslocal", "health", "--addr", "127.0.0.1:8790"]
ENTRYPOINT ["/usr/local/bin/ecslocal"]
CMD ["serve", "--addr", "0.0.0.0:8790", "--store", "sqlite:/data/ecslocal.db"]
