# The API and the seed loader, built from source. Used by docker-compose.yml.
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
# .dockerignore keeps .git, .local (Neo4j data), bin, node_modules and test output out of the context.
COPY . .
ARG VERSION=docker
RUN CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X main.version=${VERSION}" -o /out/server ./server \
 && CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o /out/seed ./seed

FROM gcr.io/distroless/static-debian12:nonroot
WORKDIR /app
COPY --from=build /out/server /out/seed /app/
COPY seed/data /app/seed/data
COPY seed/eutf /app/seed/eutf
ENV LISTEN_ADDR=0.0.0.0:8080
EXPOSE 8080
USER nonroot
# No shell or curl in this image: the server binary asks its own /healthz (server/healthcheck.go).
HEALTHCHECK --interval=10s --timeout=5s --start-period=10s --retries=3 CMD ["/app/server", "healthcheck"]
ENTRYPOINT ["/app/server"]
