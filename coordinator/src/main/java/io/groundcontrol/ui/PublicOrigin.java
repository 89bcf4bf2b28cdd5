package io.groundcontrol.ui;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * The address browsers reach the UI at when it is not the one the coordinator sees, as behind a
 * reverse proxy that terminates TLS and passes its own {@code Host}: forms must come from this
 * origin, and over https the sign-in cookie is {@code Secure}.
 *
 * @param scheme {@code http} or {@code https}
 * @param host the host name, in lower case
 * @param port the port, the scheme's default filled in
 */
public record PublicOrigin(String scheme, String host, int port) {

  /**
   * The origin of {@code url}, e.g. {@code https://gc.example.com}.
   *
   * @throws IllegalArgumentException if it is not an http(s) URL with a host and nothing after
   *     the origin but {@code /}
   */
  public static PublicOrigin parse(String url) {
    URI uri;
    try {
      uri = new URI(url.strip());
    } catch (URISyntaxException e) {
      throw wrong(url);
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    boolean onlyOrigin = (uri.getRawPath() == null || uri.getRawPath().isEmpty() || uri.getRawPath().equals("/"))
        && uri.getRawQuery() == null && uri.getRawFragment() == null && uri.getRawUserInfo() == null;
    if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null || !onlyOrigin) {
      throw wrong(url);
    }
    return new PublicOrigin(scheme, uri.getHost().toLowerCase(Locale.ROOT),
        uri.getPort() >= 0 ? uri.getPort() : defaultPort(scheme));
  }

  /** Whether the browser's {@code Origin} header names this origin; an unparseable one does not. */
  public boolean matches(String origin) {
    try {
      return equals(parse(origin));
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** Whether browsers reach the UI over https. */
  public boolean secure() {
    return scheme.equals("https");
  }

  private static int defaultPort(String scheme) {
    return scheme.equals("https") ? 443 : 80;
  }

  private static IllegalArgumentException wrong(String url) {
    return new IllegalArgumentException("Expected the UI's public URL to be an origin such as "
        + "https://groundcontrol.example.com (scheme, host, optional port, no path), but got '" + url + "'");
  }
}
