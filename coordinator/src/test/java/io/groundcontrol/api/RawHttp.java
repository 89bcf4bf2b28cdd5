package io.groundcontrol.api;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket, the request sent as written: a target no URI class accepts
 * ({@code %}, {@code %FF}, 9 KB) reaches the server as is.
 */
final class RawHttp {
  /** A request; {@code headers} are name-value pairs, {@code body} may be null. */
  record Request(String method, String target, List<String[]> headers, byte[] body) {
    static Request of(String method, String target) {
      return new Request(method, target, List.of(), null);
    }
  }

  /** An answer; header names in lower case, the body de-chunked. */
  record Response(int status, Map<String, String> headers, String body) {
    String contentType() {
      return headers.getOrDefault("content-type", "");
    }

    String show() {
      return status + " " + headers.getOrDefault("content-type", "-") + " " + abbrev(body, 400);
    }
  }

  private RawHttp() {}

  static Response send(int port, Request req) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
      socket.setSoTimeout(15_000);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      out.write((req.method() + " " + req.target() + " HTTP/1.1\r\n").getBytes(StandardCharsets.UTF_8));
      out.write(("Host: 127.0.0.1:" + port + "\r\nConnection: close\r\n").getBytes(StandardCharsets.UTF_8));
      for (String[] h : req.headers()) {
        out.write((h[0] + ": " + h[1] + "\r\n").getBytes(StandardCharsets.UTF_8));
      }
      if (req.body() != null) {
        out.write(("Content-Length: " + req.body().length + "\r\n").getBytes(StandardCharsets.UTF_8));
      }
      out.write("\r\n".getBytes(StandardCharsets.UTF_8));
      if (req.body() != null) {
        out.write(req.body());
      }
      OutputStream os = socket.getOutputStream();
      try {
        os.write(out.toByteArray());
        os.flush();
      } catch (IOException e) {
        // The server may answer (413) and close before reading a large body: read what it said.
      }
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream raw = new ByteArrayOutputStream();
      byte[] buffer = new byte[65536];
      try {
        for (int n; (n = in.read(buffer)) > 0; ) {
          raw.write(buffer, 0, n);
        }
      } catch (SocketException e) {
        // reset after the answer
      }
      return parse(raw.toByteArray(), req.method().equals("HEAD"));
    }
  }

  private static Response parse(byte[] raw, boolean head) {
    String all = new String(raw, StandardCharsets.ISO_8859_1);
    int end = all.indexOf("\r\n\r\n");
    if (end < 0) {
      return new Response(-1, Map.of(), "no answer: " + all);
    }
    String[] lines = all.substring(0, end).split("\r\n");
    int status = Integer.parseInt(lines[0].split(" ")[1]);
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
    }
    byte[] rest = Arrays.copyOfRange(raw, end + 4, raw.length);
    if (!head && "chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
      rest = dechunk(rest);
    }
    return new Response(status, headers, new String(rest, StandardCharsets.UTF_8));
  }

  private static byte[] dechunk(byte[] data) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int i = 0;
    while (i < data.length) {
      int lineEnd = i;
      while (lineEnd + 1 < data.length && !(data[lineEnd] == '\r' && data[lineEnd + 1] == '\n')) {
        lineEnd++;
      }
      String size = new String(data, i, lineEnd - i, StandardCharsets.ISO_8859_1).split(";")[0].trim();
      int n = size.isEmpty() ? 0 : Integer.parseInt(size, 16);
      if (n == 0) {
        break;
      }
      out.write(data, lineEnd + 2, Math.min(n, data.length - lineEnd - 2));
      i = lineEnd + 2 + n + 2;
    }
    return out.toByteArray();
  }

  /** {@code s} on one line, cut at {@code max} characters. */
  static String abbrev(String s, int max) {
    String one = s.replace("\r", "\\r").replace("\n", "\\n");
    return one.length() <= max ? one : one.substring(0, max) + "...(" + one.length() + " chars)";
  }
}
