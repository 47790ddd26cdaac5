# One image for the API and the worker; COMPONENTS chooses what a container runs.
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
# Caps each V8 heap (API/worker main thread, workflow thread): V8 collects instead of growing
# towards its default limit, so the worker's memory stays flat (docs/performance.md).
ENV NODE_OPTIONS=--max-old-space-size=512
COPY package.json package-lock.json ./
# The SDK patch (decision 030) is applied by the install's postinstall.
COPY patches ./patches
RUN npm install --omit=dev --no-audit --no-fund
COPY tsconfig.json main.ts worker.ts ./
COPY activities ./activities
COPY api ./api
COPY domain ./domain
COPY identity ./identity
COPY runtime ./runtime
COPY services ./services
COPY policies ./policies
COPY workflows ./workflows
USER node
EXPOSE 3000
CMD ["node", "--import", "tsx", "main.ts"]
