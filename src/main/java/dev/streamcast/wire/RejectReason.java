package dev.streamcast.wire;

/** Why a reading went to the dead-letter topic; {@link #code()} is the value of the reason header. */
public enum RejectReason {
    MISSING_KEY("missing-key"),
    KEY_TOO_LONG("key-too-long"),
    BAD_KEY("bad-key"),
    MALFORMED_JSON("malformed-json"),
    NOT_A_NUMBER("not-a-number"),
    NON_FINITE("non-finite"),
    OUT_OF_RANGE("out-of-range"),
    BAD_TIMESTAMP("bad-timestamp"),
    LATE("late"),
    FUTURE("future"),
    // The mapped input formats (InputMapping): a field a pointer or a column names is absent, or is not what it
    // should be; a line of line protocol or CSV that cannot be read.
    MISSING_FIELD("missing-field"),
    BAD_FIELD("bad-field"),
    MALFORMED_LINE("malformed-line");

    private final String code;

    RejectReason(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }
}
