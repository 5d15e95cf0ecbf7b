#!/bin/sh
# collect.sh MODULE (docker/Dockerfile's build stages, from /build after `mvnw -pl MODULE package`):
# puts the module's thin jar, lib/, CycloneDX SBOM (target/bom.json) and the list of JDK modules the
# jar and the libraries it reaches use into /out/MODULE. The module list comes from jdeps -R: a
# library on the classpath that the code never reaches adds no module.
set -eu
m=$1
o=/out/$m
mkdir -p "$o"
cp -r "$m/target/lib" "$o/lib"
find "$m/target" -maxdepth 1 -name "$m-*.jar" ! -name '*-tests.jar' ! -name '*-sources.jar' -exec cp {} "$o/app.jar" \;
test -s "$o/app.jar" || { echo "collect: no $m jar in $m/target" >&2; exit 1; }
test -s "$m/target/bom.json" || { echo "collect: no SBOM $m/target/bom.json (cyclonedx-maven-plugin)" >&2; exit 1; }
cp "$m/target/bom.json" "$o/bom.json"
jdeps -J-XX:TieredStopAtLevel=1 -J-XX:+UseSerialGC --ignore-missing-deps -q --multi-release 25 -s -R --class-path "$o/lib/*" "$o/app.jar" \
  | sed -n 's/.* -> \(java\.[a-z.]*\|jdk\.[a-z.]*\)$/\1/p' | sort -u >"$o/modules"
echo "collect: $m uses JDK modules: $(tr '\n' ' ' <"$o/modules")"
