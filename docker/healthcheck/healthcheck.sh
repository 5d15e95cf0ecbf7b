#!/bin/bash
# Container health probe: healthy only when GET /api/health on the service's own port answers 200.
# Pure bash (/dev/tcp) on purpose: JRE base images do not guarantee curl or wget, and starting a second
# JVM for every probe would cost ~40 MB inside the container's memory limit.
# Port: first argument, else the service's own port variable (each image sets one of them).
port="${1:-${FRONTEND_INTERNAL_PORT:-${BACKEND_INTERNAL_PORT:-8080}}}"
exec 3<>"/dev/tcp/127.0.0.1/$port" || { echo "unhealthy: nothing listens on port $port"; exit 1; }
printf 'GET /api/health HTTP/1.1\r\nHost: localhost\r\nUser-Agent: container-healthcheck\r\nConnection: close\r\n\r\n' >&3
IFS=$' \r' read -r -t 3 _ status _ <&3 || { echo "unhealthy: no answer on port $port"; exit 1; }
[ "$status" = 200 ] && exit 0
echo "unhealthy: /api/health answered ${status:-nothing}"
exit 1
