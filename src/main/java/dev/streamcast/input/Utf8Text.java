package dev.streamcast.input;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Bytes that must be UTF-8 (keys, line protocol, CSV) as text, refusing invalid input rather than replacing it. */
final class Utf8Text {

    private Utf8Text() {
    }

    /**
     * The text of {@code bytes}: copied as it is when ASCII (nearly every key and line, without a decoder), else
     * decoded with {@code decoder}, a UTF-8 decoder of the caller's thread, reused.
     *
     * @throws CharacterCodingException when the bytes are not valid UTF-8
     */
    static String decode(byte[] bytes, CharsetDecoder decoder) throws CharacterCodingException {
        boolean ascii = true;
        for (byte b : bytes) {
            if (b < 0) {
                ascii = false;
                break;
            }
        }
        if (ascii) {
            return new String(bytes, StandardCharsets.US_ASCII);
        }
        decoder.reset();
        return decoder.onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(bytes)).toString();
    }
}
