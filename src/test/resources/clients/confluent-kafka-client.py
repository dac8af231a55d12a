"""The Python client of ThirdPartyClientsTest: confluent-kafka (librdkafka), as its documentation shows it.

It sends the readings of READINGS (one "key<TAB>value" per line, an empty key sent as none) to sensor-readings, then
reads sensor-forecasts, streamcast-accuracy and streamcast-dlq from the beginning with isolation.level=read_committed
and keeps the records whose key or value holds PREFIX, until it has the expected number of each (and a second more,
so that a surplus shows), writing them to OUT as JSON lines {topic, key, value, headers}.

usage: python3 confluent-kafka-client.py BOOTSTRAP PREFIX READINGS OUT FORECASTS ACCURACY DEAD_LETTERS TIMEOUT_S
"""
import json
import sys
import time

from confluent_kafka import Consumer, Producer


def text(raw):
    return None if raw is None else raw.decode("utf-8")


def main(bootstrap, prefix, readings_file, out_file, forecasts, accuracy, dead_letters, timeout_s):
    expected = {"sensor-forecasts": int(forecasts), "streamcast-accuracy": int(accuracy),
                "streamcast-dlq": int(dead_letters)}
    producer = Producer({"bootstrap.servers": bootstrap})
    with open(readings_file, encoding="utf-8") as lines:
        for line in lines:
            key, _, value = line.rstrip("\n").partition("\t")
            producer.produce("sensor-readings", key=key.encode("utf-8") if key else None, value=value.encode("utf-8"))
    if producer.flush(30) != 0:
        sys.exit("confluent-kafka client: readings not delivered within 30 s")

    consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": f"{prefix}-{time.time_ns()}",
                         "auto.offset.reset": "earliest", "isolation.level": "read_committed",
                         "enable.auto.commit": False})
    consumer.subscribe(list(expected))
    kept = []
    counts = dict.fromkeys(expected, 0)
    deadline = time.monotonic() + float(timeout_s)
    enough_at = None
    while time.monotonic() < deadline and (enough_at is None or time.monotonic() < enough_at + 1):
        message = consumer.poll(0.2)
        if message is None:
            continue
        if message.error():
            sys.exit(f"confluent-kafka client: {message.error()}")
        key, value = text(message.key()), text(message.value())
        if not ((key is not None and prefix in key) or (value is not None and prefix in value)):
            continue
        headers = {name: text(raw) for name, raw in (message.headers() or [])}
        kept.append({"topic": message.topic(), "key": key, "value": value, "headers": headers})
        counts[message.topic()] += 1
        if enough_at is None and all(counts[t] >= expected[t] for t in expected):
            enough_at = time.monotonic()
    consumer.close()
    with open(out_file, "w", encoding="utf-8") as out:
        out.writelines(json.dumps(r) + "\n" for r in kept)
    if enough_at is None:
        sys.exit(f"confluent-kafka client: timed out after {timeout_s} s with {counts}, expected {expected}")


if __name__ == "__main__":
    main(*sys.argv[1:])
