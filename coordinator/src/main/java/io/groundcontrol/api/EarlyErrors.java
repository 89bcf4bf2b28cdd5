package io.groundcontrol.api;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * The answer to a request Jetty refuses before Javalin routes it (a path that is not valid
 * percent-encoded UTF-8, a request line too long): the API's error shape, as {@link ApiErrors}
 * answers, instead of Jetty's HTML page.
 */
final class EarlyErrors extends ErrorHandler {
  /** The path Jetty gives a request whose URI it could not parse at all. */
  private static final String UNPARSED = "/badMessage";

  @Override
  public boolean errorPageForMethod(String method) {
    // Jetty writes a page for GET, POST and HEAD only; the API's errors have a body whatever the method.
    return true;
  }

  @Override
  protected void generateResponse(Request request, Response response, int status, String reason, Throwable cause,
      Callback callback) {
    String message = message(status, reason, cause, request.getConnectionMetaData().getHttpConfiguration()
        .getRequestHeaderSize());
    String text;
    if (onApi(request)) {
      text = Json.write(ApiErrors.shape(status, message));
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
    } else {
      text = message;
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
    }
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    // As every route's HEAD: the GET's status and headers, no body.
    response.write(true, HttpMethod.HEAD.is(request.getMethod()) ? ByteBuffer.allocate(0) : ByteBuffer.wrap(bytes),
        callback);
  }

  private static String message(int status, String reason, Throwable cause, int headerBytes) {
    if (status == HttpStatus.URI_TOO_LONG_414) {
      return "Expected a request line of at most " + headerBytes + " bytes, but this one's URI is longer";
    }
    if (status == HttpStatus.REQUEST_HEADER_FIELDS_TOO_LARGE_431) {
      return "Expected request headers of at most " + headerBytes + " bytes, but these are larger";
    }
    // Jetty's reason is often just "Bad Request"; the cause says what is wrong ("Bad URI % encoding").
    Throwable innermost = cause;
    while (innermost != null && innermost.getCause() != null) {
      innermost = innermost.getCause();
    }
    String detail = innermost instanceof IllegalArgumentException && innermost.getMessage() != null
        ? innermost.getMessage() : reason;
    return "Expected a well-formed HTTP request, but got one that is not: " + detail;
  }

  /** Whether the request is on the API's paths; a request whose path could not be read may be. */
  private static boolean onApi(Request request) {
    HttpURI uri = request.getHttpURI();
    String path = uri == null ? null : uri.getPath();
    return path == null || path.equals(UNPARSED) || path.startsWith(ApiErrors.API_PATHS);
  }
}
