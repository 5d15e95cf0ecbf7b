# Sourced by bench/run.sh: sections 5 (images) and 6 (dev loop). Filled in when docker/ lands.
bench_images() { para "skipped: no Dockerfile in docker/ yet"; }
bench_devloop() { para "skipped: no docker-compose.dev.yml yet"; }
