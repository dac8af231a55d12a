package dev.streamcast.ops;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.handler.ErrorHandler;

/**
 * Jetty's own error answers (a malformed request line, an illegal URI, a header too large: refused before
 * Javalin sees the request) as the API's JSON instead of Jetty's HTML page, and never with a stack trace.
 */
final class JettyJsonErrorHandler extends ErrorHandler {

    JettyJsonErrorHandler() {
        setShowStacks(false);
        setShowServlet(false);
    }

    @Override
    protected void generateAcceptableResponse(Request baseRequest, HttpServletRequest request,
                                              HttpServletResponse response, int code, String message)
            throws IOException {
        baseRequest.setHandled(true);
        response.setContentType(JsonResponses.CONTENT_TYPE);
        response.getOutputStream().write(body(code));
    }

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(new HttpField(HttpHeader.CONTENT_TYPE, JsonResponses.CONTENT_TYPE));
        return ByteBuffer.wrap(body(status));
    }

    /** The status's standard reason only: Jetty's detail may quote the request back. */
    private static byte[] body(int code) {
        String reason = HttpStatus.getMessage(code);
        return ("{\"error\":\"HTTP " + code + " " + reason.replace("\"", "") + "\"}").getBytes(StandardCharsets.UTF_8);
    }
}
