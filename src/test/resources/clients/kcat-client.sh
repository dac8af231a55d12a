#!/usr/bin/env bash
# The command-line client of ThirdPartyClientsTest: kcat (librdkafka). It sends the readings of READINGS (one
# "key<TAB>value" per line, an empty key sent as none) to sensor-readings, then reads sensor-forecasts,
# streamcast-accuracy and streamcast-dlq from the beginning to their end with isolation.level=read_committed, and
# keeps the records whose line holds PREFIX, again until it has the expected number of each; writes them to OUT as
# kcat's JSON envelopes (-J), one per line.
# usage: kcat-client.sh BOOTSTRAP PREFIX READINGS OUT FORECASTS ACCURACY DEAD_LETTERS TIMEOUT_S
set -euo pipefail
bootstrap=$1 prefix=$2 readings=$3 out=$4 timeout=$8
declare -A expected=([sensor-forecasts]=$5 [streamcast-accuracy]=$6 [streamcast-dlq]=$7)

kcat -P -b "$bootstrap" -t sensor-readings -K $'\t' -Z -l "$readings"

deadline=$((SECONDS + timeout))
while :; do
    : >"$out"
    enough=yes
    for topic in "${!expected[@]}"; do
        kcat -C -b "$bootstrap" -t "$topic" -o beginning -e -q -J -X isolation.level=read_committed \
            | { grep -F -- "$prefix" || true; } >"$out.$topic"
        cat "$out.$topic" >>"$out"
        if [ "$(wc -l <"$out.$topic")" -lt "${expected[$topic]}" ]; then enough=no; fi
        rm -f "$out.$topic"
    done
    if [ $enough = yes ]; then exit 0; fi
    if [ $SECONDS -ge $deadline ]; then
        echo "kcat client: timed out after $timeout s; got $(wc -l <"$out") records" >&2
        exit 1
    fi
    sleep 1
done
