#!/usr/bin/env bash
# Builds commit 9475919's runnable jar, the version the upgrade test starts from (faults/UpgradeFrom9475919Test),
# in a temporary git worktree outside the repository's tree, and prints the jar's path.
#
#   src/test/scripts/build-9475919.sh [OUT_DIR]        # default OUT_DIR: /tmp/streamcast-9475919
#
# The full form of the upgrade test then runs that jar, stops it and starts the version under test on its state:
#
#   mvn -B -DskipTests package
#   mvn -B verify -Dtest=UpgradeFrom9475919Test -Dsurefire.failIfNoSpecifiedTests=false \
#     -Dstreamcast.upgrade.old-jar=/tmp/streamcast-9475919/streamcast-9475919.jar
#
# Adding -Dstreamcast.upgrade.record=$PWD/src/test/resources/upgrade/9475919 records the old deployment's topics
# and consumer groups (as 9475919 left them) into the test resources the CI form restores: how they were made.
set -euo pipefail

COMMIT=9475919
out=${1:-/tmp/streamcast-$COMMIT}
repo=$(git -C "$(dirname "$0")" rev-parse --show-toplevel)
work=$(mktemp -d "${TMPDIR:-/tmp}/streamcast-$COMMIT-src.XXXXXX")
cleanup() {
    git -C "$repo" worktree remove --force "$work/src" >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT

git -C "$repo" worktree add --detach "$work/src" "$COMMIT" >/dev/null
(cd "$work/src" && mvn -B -ntp -q -DskipTests package)
mkdir -p "$out"
cp "$work/src/target/streamcast.jar" "$out/streamcast-$COMMIT.jar"
echo "$out/streamcast-$COMMIT.jar"
