# One image for the API and the worker; COMPONENTS chooses what a container runs.
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm install --omit=dev --no-audit --no-fund
COPY tsconfig.json main.ts worker.ts ./
COPY activities ./activities
COPY api ./api
COPY domain ./domain
COPY runtime ./runtime
COPY policies ./policies
COPY workflows ./workflows
USER node
EXPOSE 3000
CMD ["node", "--import", "tsx", "main.ts"]
