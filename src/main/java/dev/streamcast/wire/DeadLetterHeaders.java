package dev.streamcast.wire;

/**
 * The headers of a record on the dead-letter topic (docs/design.md, Dead letters): why it was refused and where it
 * came from. The record's key and value are the original bytes, untouched.
 */
public final class DeadLetterHeaders {

    /** Why: a reason code (RejectReason) such as {@code not-a-number} or {@code internal-error}. */
    public static final String REASON = "streamcast.error.reason";
    /** What was wrong, in one line. */
    public static final String MESSAGE = "streamcast.error.message";
    /** The topic of the refused record. */
    public static final String TOPIC = "streamcast.source.topic";
    /** Its partition. */
    public static final String PARTITION = "streamcast.source.partition";
    /** Its offset. */
    public static final String OFFSET = "streamcast.source.offset";

    private DeadLetterHeaders() {
    }
}
