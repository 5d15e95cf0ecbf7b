#!/usr/bin/env bash
# Prints each module's line coverage (its own tests, main code) and the aggregate (every test, from e2e),
# read from the JaCoCo CSV reports that `./mvnw verify` writes. The floors the build enforces are the
# <coverage.lines.minimum> property in each module's pom.xml: re-set one to the figure printed here
# (rounded down to two decimals, e.g. 88.67 % -> 0.88).
set -euo pipefail
cd "$(dirname "$0")/.."

found=0
for csv in */target/site/jacoco/jacoco.csv e2e/target/site/jacoco-aggregate/jacoco.csv; do
  [[ -f "$csv" ]] || continue
  found=1
  if [[ "$csv" == *aggregate* ]]; then
    module="aggregate (all tests)"
    floor="not enforced"
  else
    module=${csv%%/*}
    floor=$(sed -n 's:.*<coverage.lines.minimum>\(.*\)</coverage.lines.minimum>.*:\1:p' "$module/pom.xml")
  fi
  # columns: ..., LINE_MISSED (8), LINE_COVERED (9), ...
  awk -F, -v m="$module" -v f="${floor:-parent default}" 'NR > 1 { missed += $8; covered += $9 }
    END { if (missed + covered > 0) printf "%-24s lines %5d/%-5d %6.2f %%   floor %s\n", m, covered, missed + covered, 100 * covered / (missed + covered), f }' "$csv"
done
if [[ $found -eq 0 ]]; then
  echo "no JaCoCo reports: run ./mvnw verify first" >&2
  exit 1
fi
