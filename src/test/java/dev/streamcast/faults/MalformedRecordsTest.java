package dev.streamcast.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.streamcast.input.ReadingParser;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The fuzz scenario's malformed records against the reading parser alone, in-process and fast: each one is refused
 * for a reason its family expects (or, for {@code late} and {@code future}, parses and carries the timestamp the
 * processor refuses). A record the parser accepted would make the fuzz scenario's accounting wrong, so this also
 * guards the suite itself.
 */
@Tag("unit")
class MalformedRecordsTest {

    @Test
    void everyMalformedRecordIsRefusedForTheReasonItsFamilyExpects() {
        long now = System.currentTimeMillis();
        MalformedRecords generator = new MalformedRecords(new Random(42), List.of("sensor-000001", "sensor-000002"),
                now);
        ReadingParser parser = new ReadingParser(1e12);
        List<String> wrong = new ArrayList<>();
        int checked = 0;
        for (MalformedRecords.Bad bad : generator.generate(5_000)) {
            checked++;
            boolean valid = parser.parse(bad.key(), bad.value(), now);
            String decided;
            if (!valid) {
                decided = parser.reason().code();
            } else if (parser.timestamp() > now + 3_600_000L) {
                decided = "future";
            } else if (parser.timestamp() < now - 365L * 86_400_000) {
                decided = "late";
            } else {
                decided = "ACCEPTED";
            }
            if (!bad.reasons().contains(decided)) {
                wrong.add(bad.describe() + " -> " + decided + (valid ? "" : " (" + parser.detail() + ")"));
            }
        }
        assertEquals(5_000, checked);
        assertTrue(wrong.isEmpty(), wrong.size() + " records refused otherwise than expected:\n"
                + String.join("\n", wrong.stream().distinct().limit(30).toList()));
    }
}
