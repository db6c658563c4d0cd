# tonewall images, one Dockerfile, three targets (docs/operations.md "Running in containers"):
#   gateway  — the Node.js control plane (dist/main.js); also runs the sandbox processor
#              (`node dist/sandbox/main.js`) for a demo or staging stack
#   media    — Kamailio 5.6 and rtpengine 10.5 from Debian bookworm's own packages; the same image
#              runs either (`container-entry.sh kamailio|rtpengine`), one process per container
# Build: docker build --target gateway -t tonewall-gateway .
#        docker build --target media   -t tonewall-media .
# Not built in this project's CI (no Docker engine there); compose.yaml runs the stack.

# --- build: compile TypeScript with the dev dependencies ----------------------------------------
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

# --- gateway: production dependencies and dist/ only, as the unprivileged `node` user -----------
FROM node:20-bookworm-slim AS gateway
ENV NODE_ENV=production \
    TONEWALL_ROOT=/app \
    TONEWALL_KEYS_DIR=/keys \
    TONEWALL_RUN_NAME=prod
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
# The run folder (audit log, payment status file) is a volume; it must belong to `node`.
RUN mkdir -p /app/.run/prod && chown -R node:node /app/.run
# The DTMF report ports are privileged (999/998, below 1024: no unprivileged process can take them,
# even while the gateway restarts); the unprivileged `node` user binds them with this capability.
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

# --- media: Kamailio and rtpengine (userspace forwarding: no kernel module in a container) -----
FROM debian:bookworm-slim AS media
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      kamailio kamailio-extra-modules kamailio-utils-modules rtpengine-daemon \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --no-create-home --shell /usr/sbin/nologin tonewall \
 && mkdir -p /run/tonewall && chown tonewall:tonewall /run/tonewall
ENV TONEWALL_ROOT=/opt/tonewall
COPY sip-config /opt/tonewall/sip-config
COPY scripts/lib/stack*.sh scripts/container-entry.sh /opt/tonewall/scripts/lib/
USER tonewall
ENTRYPOINT ["/opt/tonewall/scripts/lib/container-entry.sh"]
CMD ["kamailio"]
