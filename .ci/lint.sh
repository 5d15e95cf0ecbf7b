#!/usr/bin/env bash
# Lints the repository's scripts and YAML: shellcheck on every shell script (*.sh and files with a sh/bash
# shebang), yamllint with the committed .yamllint on every *.yml/*.yaml file (compose, workflow, and any
# other). Run by .ci/run and by the GitHub workflow with LINT_REQUIRE=true, where a missing tool fails;
# elsewhere a missing tool is one line naming its Debian package, and its check is skipped.
# Findings at severity "warning" and above fail; shellcheck's info and style notes are advice only.
set -euo pipefail
cd "$(dirname "$0")/.."

require=${LINT_REQUIRE:-false}
failed=0

# the repository's files: tracked and new ones, not ignored ones (no target/, no node_modules/)
repo_files() {
  if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    git ls-files -z --cached --others --exclude-standard
  else
    find . \( -name .git -o -name target -o -name node_modules \) -prune -o -type f -print0 | sed -z 's|^\./||'
  fi
}

# true when tool $1 is there; otherwise a line naming Debian package $2, and a failure when it is required
have() {
  if command -v "$1" >/dev/null 2>&1; then
    return 0
  fi
  if [[ $require == true ]]; then
    echo "lint: FAILED: $1 not found: install Debian's package $2 (apt-get install $2)"
    failed=1
  else
    echo "lint: SKIPPED: $1 checks: $1 not found: install Debian's package $2 (apt-get install $2)"
  fi
  return 1
}

scripts=() yaml=()
while IFS= read -r -d '' file; do
  [[ -f $file ]] || continue # deleted in the work tree, not yet in git
  case $file in
    *.yml | *.yaml | .yamllint) yaml+=("$file") ;;
    *.sh) scripts+=("$file") ;;
    *) if head -n1 "$file" 2>/dev/null | grep -Eq '^#!.*[/ ](ba|da|k)?sh([[:space:]]|$)'; then scripts+=("$file"); fi ;;
  esac
done < <(repo_files)

if have shellcheck shellcheck; then
  if shellcheck --external-sources --source-path=SCRIPTDIR --severity=warning --format=gcc "${scripts[@]}"; then
    echo "lint: shellcheck: ${#scripts[@]} shell scripts, no findings"
  else
    echo "lint: FAILED: shellcheck found problems in the scripts above (file:line:column)"
    failed=1
  fi
fi

if have yamllint yamllint; then
  if yamllint --strict --config-file .yamllint --format parsable "${yaml[@]}"; then
    echo "lint: yamllint: ${#yaml[@]} YAML files, no findings"
  else
    echo "lint: FAILED: yamllint found problems in the files above (file:line:column; rules in .yamllint)"
    failed=1
  fi
fi

exit "$failed"
