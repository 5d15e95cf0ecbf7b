#!/usr/bin/env bash
# The Jib build's AOT cache (pom.xml, profile `jib`; Maven runs this in `package`, from the module's
# directory). Jib cannot run a step inside the image it builds, so this runs the same training as the
# Dockerfile (docker/aot/train.sh) in a container of the Jib base image (the same JVM bits), with the
# app laid out exactly as Jib will lay it out (containerizingMode packaged: /app/classpath/<jar>,
# /app/libs/<jars> in Maven's classpath order, every file dated 1970-01-01T00:00:01Z as Jib dates them;
# the JVM checks paths, sizes and dates), on a read-only root file system with no network. The cache
# lands in target/jib-aot/extra/, which Jib adds to the image as /app/app.aot.
#   usage: jib-train.sh MODULE PACKAGING JIB_CONTAINERIZE BASE_IMAGE JAR MAIN_CLASS CLASSPATH_FILE
#   (PACKAGING other than jar, or JIB_CONTAINERIZE naming another module: nothing to do)
set -euo pipefail
module=$1 packaging=$2 only=$3 base=$4 jar=$5 main=$6 cp_file=$7
[ "$packaging" = jar ] || exit 0
case "$only" in '${'*|'') ;; *) [[ ",$only," == *",$module,"* || ",$only," == *":$module,"* ]] || exit 0 ;; esac
here=$(cd "$(dirname "$0")" && pwd)
work=target/jib-aot
log() { echo "[jib-train $module] $*" >&2; }

image=${base#docker://}
command -v docker >/dev/null && docker info >/dev/null 2>&1 ||
  { log "needs a Docker engine to run the training in a container of $image"; exit 1; }
image_id=$(docker image inspect -f '{{.Id}}' "$image" 2>/dev/null) ||
  { log "base image $image is not in the local Docker engine: build it first with
    docker build -f docker/Dockerfile --target jre-image -t $image ."; exit 1; }
[ -s "$jar" ] || { log "no $jar: run the package phase first"; exit 1; }

rm -rf "$work" && mkdir -p "$work/app/classpath" "$work/app/libs" "$work/extra" "$work/out"
cp "$jar" "$work/app/classpath/"
classpath="/app/classpath/*" # as Jib writes it in /app/jib-classpath-file (one jar there)
IFS=: read -r -a deps <"$cp_file" || true
for dep in "${deps[@]}"; do
  [ -n "$dep" ] || continue
  cp "$dep" "$work/app/libs/"
  classpath+=:/app/libs/$(basename "$dep")
done
find "$work/app" -type f -exec touch -d @1 {} +
echo "$classpath" >"$work/classpath"
chmod 0777 "$work/out"

# train_in_base NAME WORKDIR [DOCKER_RUN_ARGS...] -- TRAIN_ARGS...: train.sh in a container of the base
# image, as the image runs (read-only root fs, the service user, the images' flags), with no network
train_in_base() {
  local name=$1 dir=$2 args=()
  shift 2
  while [ "$1" != -- ]; do args+=("$1"); shift; done
  shift
  docker run --rm --name "$name-$$" --network none --read-only --tmpfs /tmp:size=64m -u 10001:10001 \
    -w "$dir" -v "$here/../jvm.options:/app/jvm.options:ro" -v "$here/train.sh:/opt/whoknows/train.sh:ro" \
    "${args[@]}" --entrypoint /bin/bash "$image" /opt/whoknows/train.sh "$@"
}

mounts=(-v "$PWD/$work/app/classpath:/app/classpath:ro" -v "$PWD/$work/app/libs:/app/libs:ro"
  -v "$PWD/$work/out:/aot")
if [ "$module" = frontend ] || [ "$module" = conformance ]; then
  stub=
  for f in ../backend-stub/target/backend-stub-*.jar; do
    [[ -f $f && $f != *-tests.jar && $f != *-sources.jar ]] && stub=$f
  done
  [ -n "$stub" ] && [ -d ../backend-stub/target/lib ] ||
    { log "the $module's training needs the stub's jar: build it in the same run (-pl backend-stub,$module)"; exit 1; }
  stub_dir=$(cd ../backend-stub/target && pwd) stub_jar=/opt/stub/$(basename "$stub")
  mounts+=(-v "$stub_dir:/opt/stub:ro" -e "STUB_JAR=$stub_jar")
  # The stub's own AOT cache for the path it has in the training (as docker/Dockerfile's `partner`
  # stage): ~1 s less per training. Made once per stub jar, libraries, flags and base image, kept in
  # backend-stub/target/jib-aot-partner/ (mvn clean removes it).
  partner=$stub_dir/jib-aot-partner
  if [ ! -s "$partner/stub.aot" ] || [ "$(cat "$partner/image-id" 2>/dev/null)" != "$image_id" ] ||
    [ -n "$(find "$stub" ../backend-stub/target/lib "$here/../jvm.options" "$here/train.sh" \
      -newer "$partner/stub.aot" -print -quit)" ]; then
    log "training the stub's own cache for the training's stub (once per stub build and base image)"
    rm -rf "$partner" && mkdir -p "$partner/out" && chmod 0777 "$partner/out"
    train_in_base jib-train-partner /opt/stub -v "$stub_dir:/opt/stub:ro" -v "$partner/out:/aot" -- \
      backend-stub /aot/stub.aot -- -jar "$stub_jar"
    mv "$partner/out/stub.aot" "$partner/stub.aot" && echo "$image_id" >"$partner/image-id"
  fi
  mounts+=(-v "$partner/stub.aot:/opt/stub.aot:ro" -e STUB_AOT=/opt/stub.aot)
fi
if [ "$module" = frontend ]; then
  mounts+=(-v "$(cd ../static && pwd):/app/static:ro" -e STATIC_DIR=/app/static)
fi
log "training in a container of $image"
train_in_base "jib-train-$module" /app "${mounts[@]}" -- "$module" /aot/app.aot -- -cp "$classpath" "$main"
cp "$work/out/app.aot" "$work/extra/app.aot"
log "target/jib-aot/extra/app.aot ($(du -h "$work/extra/app.aot" | cut -f1)) for classpath $classpath"
