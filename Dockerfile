# tonewall images, one Dockerfile, four targets (docs/operations.md "Running in containers"):
#   gateway  — the Node.js control plane (dist/main.js), as `node`; also runs the sandbox processor
#              (`node dist/sandbox/main.js`) for a demo or staging stack
#   signer   — the audit signer (dist/signer/main.js), as `tonewall-signer` (uid 10002): the only
#              process that reads the audit signing key; the gateway asks it to sign over its socket
#   media    — Kamailio 5.6 and rtpengine 10.5 from Debian bookworm's own packages; the same image
#              runs either (`container-entry.sh kamailio|rtpengine`), one process per container
# Build: docker build --target gateway -t tonewall-gateway .
#        docker build --target signer  -t tonewall-signer .
#        docker build --target media   -t tonewall-media .
# Not built in this project's CI (no Docker engine there); compose.yaml runs the stack.
# test/unit/container-files.test.ts holds the users, groups, paths and commands here to compose.yaml.

# --- node-build: Node with a C++ toolchain (better-sqlite3 builds from source when its prebuilt
#     binary cannot be fetched) and the package manifests -----------------------------------------
FROM node:20-bookworm-slim AS node-build
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./

# --- build: compile TypeScript with the dev dependencies ----------------------------------------
FROM node-build AS build
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

# --- deps: production dependencies only (native modules built for this same base image) ---------
FROM node-build AS deps
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

# --- runtime: what the gateway and the signer share: dist/, production node_modules, the group
#     of the signer's socket (gid 10003: the signer gives its socket to it, mode 0660) ------------
FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production \
    TONEWALL_ROOT=/app \
    TONEWALL_KEYS_DIR=/keys \
    TONEWALL_RUN_NAME=prod
WORKDIR /app
COPY package.json package-lock.json ./
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
RUN groupadd --system --gid 10003 tonewall-audit

# --- gateway: as the unprivileged `node` user (uid 1000), in the socket's group -----------------
FROM runtime AS gateway
# The run folder (audit log, payment status file) is a volume; it must belong to `node`.
RUN mkdir -p /app/.run/prod && chown -R node:node /app/.run \
 && usermod --append --groups tonewall-audit node
# The DTMF report ports are privileged (999/998, below 1024: no unprivileged process can take them,
# even while the gateway restarts); the unprivileged `node` user binds them with this capability.
# (On this image's node binary only: the signer's image is built from `runtime` and has none.)
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends libcap2-bin \
 && setcap cap_net_bind_service=+ep "$(readlink -f "$(command -v node)")" \
 && apt-get purge -y libcap2-bin && rm -rf /var/lib/apt/lists/*
USER node
VOLUME ["/app/.run"]
EXPOSE 8080
# /healthz is public and answers 503 while a component is down; each probe is bounded
# (TONEWALL_HEALTH_TIMEOUT_MS, 500 ms), so 3 s is ample.
HEALTHCHECK --interval=10s --timeout=3s --start-period=10s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.TONEWALL_HTTP_PORT||8080)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# the flags of scripts/lib/gateway-node-flags, as scripts/lib/services.sh starts it (~30 MiB less RSS
# under load); test/unit/gateway-node-flags.test.ts fails when they differ
CMD ["node", "--max-semi-space-size=4", "dist/main.js"]

# --- signer: the audit signer as `tonewall-signer` (uid 10002), a user of its own ----------------
# Its socket's folder is its own (0750, group tonewall-audit: the gateway may connect, not create or
# delete); it is in tonewall-audit only to give its socket to that group; its state file's folder is
# its alone (0700). Mount the signing key at /keys (readable by
# uid 10002 only) into this container and no other.
FROM runtime AS signer
RUN useradd --system --uid 10002 --user-group --groups tonewall-audit --no-create-home \
      --shell /usr/sbin/nologin tonewall-signer \
 && mkdir -p /run/tonewall-signer /var/lib/tonewall-signer \
 && chown tonewall-signer:tonewall-audit /run/tonewall-signer && chmod 0750 /run/tonewall-signer \
 && chown tonewall-signer:tonewall-signer /var/lib/tonewall-signer && chmod 0700 /var/lib/tonewall-signer
ENV TONEWALL_AUDIT_SIGNER_SOCKET=/run/tonewall-signer/signer.sock \
    TONEWALL_AUDIT_SIGNER_STATE=/var/lib/tonewall-signer/state.json \
    TONEWALL_AUDIT_SIGNER_GROUP=10003
USER tonewall-signer
VOLUME ["/var/lib/tonewall-signer"]
# ready when its socket accepts a connection
HEALTHCHECK --interval=5s --timeout=3s --start-period=5s --retries=3 \
  CMD ["node", "-e", "require('node:net').connect(process.env.TONEWALL_AUDIT_SIGNER_SOCKET).on('connect',()=>process.exit(0)).on('error',()=>process.exit(1))"]
CMD ["node", "dist/signer/main.js"]

# --- media: Kamailio and rtpengine (userspace forwarding: no kernel module in a container) -----
FROM debian:bookworm-slim AS media
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      kamailio kamailio-extra-modules kamailio-utils-modules kamailio-sqlite-modules sqlite3 rtpengine-daemon \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --no-create-home --shell /usr/sbin/nologin tonewall \
 && mkdir -p /run/tonewall && chown tonewall:tonewall /run/tonewall
ENV TONEWALL_ROOT=/opt/tonewall
COPY sip-config /opt/tonewall/sip-config
COPY scripts/lib/stack*.sh scripts/container-entry.sh /opt/tonewall/scripts/lib/
USER tonewall
ENTRYPOINT ["/opt/tonewall/scripts/lib/container-entry.sh"]
CMD ["kamailio"]
