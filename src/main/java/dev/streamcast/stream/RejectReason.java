package dev.streamcast.stream;

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
    FUTURE("future");

    private final String code;

    RejectReason(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }
}
