# syntax=docker/dockerfile:1
# Build stage: full dev toolchain, type-checked build (tsc fails the build on
# any type error), then dev dependencies pruned away.
FROM node:20.20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY tsconfig.json tsconfig.build.json moleculer.config.ts ./
COPY bin ./bin
COPY lib ./lib
COPY mixins ./mixins
COPY services ./services
COPY scripts/copy-build-assets.js ./scripts/copy-build-assets.js
RUN npm run build && npm prune --omit=dev

# Runtime stage: compiled JavaScript and production dependencies only; no
# sources, tests or toolchain. ffmpeg is needed by media nodes (local ingest,
# VOD transcoding).
FROM node:20.20-bookworm-slim AS runtime
RUN apt-get update \
 && apt-get install -y --no-install-recommends ffmpeg tini \
 && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production ARENA_MODE=production DATA_DIR=/var/lib/arena LOG_FORMAT=json
WORKDIR /app
COPY --from=build --chown=node:node /app/package.json ./
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
RUN mkdir -p /var/lib/arena && chown node:node /var/lib/arena
USER node
EXPOSE 3000 3001 3030 1935
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.METRICS_PORT||3030)+'/metrics').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "dist/bin/arena-node.js"]
