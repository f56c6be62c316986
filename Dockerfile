# dirconn in a container: one container per organization, configured from the environment,
# state in the /data volume. Build the npm tarball first, then the image:
#   npm run release
#   docker build -t dirconn:0.1.0 .
# Run (secrets from files mounted by Docker/Kubernetes secrets, never on the command line):
#   docker run -d --name dirconn -v dirconn-data:/data \
#     -e BW_CLIENTID=organization.<id> -e DIRCONN_CLIENT_SECRET_FILE=/run/secrets/bw_client_secret \
#     -e DIRCONN_LDAP_PASSWORD_FILE=/run/secrets/ldap_password ... dirconn:0.1.0
FROM node:22-bookworm-slim

ARG VERSION=0.1.0
COPY dist/release/dirconn-${VERSION}.tgz /tmp/dirconn.tgz
RUN npm install -g --no-audit --no-fund --loglevel=error /tmp/dirconn.tgz \
 && rm /tmp/dirconn.tgz \
 && npm cache clean --force \
 && groupadd --system --gid 10001 dirconn \
 && useradd --system --uid 10001 --gid dirconn --home-dir /data --no-create-home --shell /usr/sbin/nologin dirconn \
 && mkdir -p /data \
 && chown dirconn:dirconn /data \
 && chmod 0700 /data

# No OS keychain in a container: secrets come from BW_CLIENTSECRET / DIRCONN_*_FILE variables
# (see README "Environment"); the data file holds settings and sync state only.
ENV DIRCONN_DATA_DIR=/data \
    NO_COLOR=1
USER dirconn
WORKDIR /data
VOLUME ["/data"]

# Long-running schedule: a sync now, then every 15 minutes; SIGTERM (docker stop) ends it cleanly.
# The heartbeat file is touched after every successful run; the container turns unhealthy when no
# run has succeeded for two intervals (a failure or a safety stop that needs an admin).
ENTRYPOINT ["dirconn"]
CMD ["sync", "--interval", "15", "--heartbeat-file", "/data/heartbeat", "--metrics-file", "/data/metrics.prom", "--log-format", "json"]
HEALTHCHECK --interval=1m --timeout=10s --start-period=20m --retries=3 \
  CMD ["/bin/sh", "-c", "test -n \"$(find /data/heartbeat -mmin -31 2>/dev/null)\""]
