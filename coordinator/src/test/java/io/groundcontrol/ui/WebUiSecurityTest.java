package io.groundcontrol.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.groundcontrol.apikey.Role;
import io.groundcontrol.client.ApiKeyCache.Principal;
import io.javalin.Javalin;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The web UI's defences against other sites and forged requests, on the real {@link WebUi} in
 * front of a stub API (no broker). Requests go over a raw socket, to send the {@code Host} a
 * reverse proxy would.
 */
class WebUiSecurityTest {
  static final String PUBLIC = "https://groundcontrol.example.com";
  static final String KEY = "Cookie: groundcontrol_key=good\r\n";
  static Javalin api;
  static Javalin direct;
  static Javalin proxied;

  @BeforeAll
  static void start() {
    api = Javalin.create(c -> {
      c.routes.get("/api/v1/missions/{id}", ctx -> ctx.contentType("application/json").result(
          "{\"missionId\":\"m-1\",\"plan\":\"p\",\"planVersion\":\"v1\",\"status\":\"RUNNING\",\"stages\":[]}"));
      c.routes.get("/api/v1/plans/{n}/versions/{v}", ctx -> ctx.contentType("application/json").result(
          "{\"name\":\"p\",\"version\":\"v1\",\"versions\":[\"v1\"],\"plan\":{\"stages\":[]}}"));
      c.routes.post("/api/v1/missions/{id}/cancel", ctx -> ctx.status(409).contentType("application/json")
          .result("{\"status\":409,\"error\":\"Expected mission 'm-1' to be active, but it is FINISHED\"}"));
    }).start("127.0.0.1", 0);
    direct = ui(Optional.empty());
    proxied = ui(Optional.of(PublicOrigin.parse(PUBLIC)));
  }

  private static Javalin ui(Optional<PublicOrigin> publicOrigin) {
    WebUi web = new WebUi(() -> "http://127.0.0.1:" + api.port() + "/api/v1",
        key -> key.equals("good") ? Optional.of(new Principal("id", "alice", Role.OPERATOR)) : Optional.empty(),
        publicOrigin);
    return Javalin.create(web::mount).start("127.0.0.1", 0);
  }

  @AfterAll
  static void stop() {
    direct.stop();
    proxied.stop();
    api.stop();
  }

  /** Behind a proxy that sends its upstream's address as Host (nginx's default), with --public-url set. */
  @Test
  void signInThroughAProxyWithThePublicUrlIsAccepted() throws IOException {
    String answer = signIn(proxied, "Origin: " + PUBLIC + "\r\n");

    assertThat(answer).startsWith("HTTP/1.1 302");
  }

  @Test
  void signInStraightToTheCoordinatorStillWorksWithAPublicUrl() throws IOException {
    String answer = signIn(proxied, "Origin: http://127.0.0.1:" + proxied.port() + "\r\n");

    assertThat(answer).startsWith("HTTP/1.1 302");
  }

  @Test
  void formsFromAnotherSiteAreRefusedWhateverTheForwardedHeadersSay() throws IOException {
    String forged = "Origin: https://evil.example\r\nX-Forwarded-Host: evil.example\r\n"
        + "Forwarded: host=evil.example;proto=https\r\n";

    assertThat(signIn(direct, forged)).startsWith("HTTP/1.1 403");
    assertThat(signIn(proxied, forged)).startsWith("HTTP/1.1 403");
  }

  /**
   * A page elsewhere sends {@code Origin: null} with a referrer policy of no-referrer, or from a
   * sandboxed frame; the browser still says where the form came from in {@code Sec-Fetch-Site},
   * which no page can set. Signing the victim in with the attacker's key, or out, is refused.
   */
  @Test
  void aFormFromAnotherSiteWithANullOriginIsRefused() throws IOException {
    for (String site : new String[] {"cross-site", "same-site"}) {
      String headers = "Origin: null\r\nSec-Fetch-Site: " + site + "\r\n";

      assertThat(signIn(direct, headers)).as(site).startsWith("HTTP/1.1 403");
      assertThat(send(direct, "POST", "/ui/signout", headers, "")).as(site).startsWith("HTTP/1.1 403");
      assertThat(signIn(proxied, headers)).as(site).startsWith("HTTP/1.1 403");
    }
  }

  /** The UI's own form with {@code Origin: null}, as a browser sends it under a no-referrer policy a proxy may add. */
  @Test
  void aFormOfThisSiteWithANullOriginIsAccepted() throws IOException {
    assertThat(signIn(direct, "Origin: null\r\nSec-Fetch-Site: same-origin\r\n")).startsWith("HTTP/1.1 302");
    assertThat(signIn(direct, "Origin: null\r\n")).as("a browser without Sec-Fetch-Site").startsWith("HTTP/1.1 302");
  }

  @Test
  void aMalformedOriginIsAnotherSitesNotAFailure() throws IOException {
    for (Javalin ui : new Javalin[] {direct, proxied}) {
      String answer = signIn(ui, "Origin: http://a b\r\n");

      assertThat(answer).startsWith("HTTP/1.1 403")
          .endsWith("\r\n\r\nExpected a form of this site, but it came from http://a b");
    }
  }

  @Test
  void theKeysCookieIsSecureWhenThePublicUrlIsHttps() throws IOException {
    String answer = signIn(proxied, "Origin: " + PUBLIC + "\r\n");

    assertThat(cookie(answer)).contains("groundcontrol_key=good").containsIgnoringCase("; Secure");
  }

  @Test
  void theKeysCookieIsNotSecureOverPlainHttp() throws IOException {
    String answer = signIn(direct, "");

    assertThat(cookie(answer)).contains("groundcontrol_key=good").doesNotContainIgnoringCase("Secure");
  }

  @Test
  void noOtherSiteMayFrameAPageNorABrowserSniffIt() throws IOException {
    for (String path : new String[] {"/ui/signin", "/ui/missions/m-1", "/ui/static/ui.css"}) {
      String head = send(direct, "GET", path, "Cookie: groundcontrol_key=good\r\n", "").split("\r\n\r\n")[0];

      assertThat(head).as(path).startsWith("HTTP/1.1 200").containsIgnoringCase("X-Frame-Options: DENY")
          .containsIgnoringCase("Content-Security-Policy: frame-ancestors 'none'")
          .containsIgnoringCase("X-Content-Type-Options: nosniff");
    }
  }

  @Test
  void aLinkCannotPutItsTextInAPagesNotice() throws IOException {
    String page = send(direct, "GET", "/ui/missions/m-1?notice=Your%20key%20was%20revoked", KEY, "");

    assertThat(page).startsWith("HTTP/1.1 200").doesNotContain("Your key was revoked").doesNotContain("id=\"notice\"");
  }

  @Test
  void anOperationsNoticeShowsOnceOnThePageItLeadsTo() throws IOException {
    String cancel = send(direct, "POST", "/ui/missions/m-1/cancel", KEY, "");
    assertThat(cancel).startsWith("HTTP/1.1 302").containsIgnoringCase("Location: /ui/missions/m-1\r\n");
    String notice = cookie(cancel, Notice.COOKIE);

    String page = send(direct, "GET", "/ui/missions/m-1", KEY + "Cookie: " + notice + "\r\n", "");
    assertThat(page).contains("id=\"notice\">Expected mission 'm-1' to be active, but it is FINISHED</p>");
    assertThat(cookie(page, Notice.COOKIE)).isEqualTo(Notice.COOKIE + "=");

    String forged = notice.replaceFirst("=[^.]*", "=" + java.util.Base64.getUrlEncoder().withoutPadding()
        .encodeToString("Your key was revoked".getBytes(StandardCharsets.UTF_8)));
    assertThat(send(direct, "GET", "/ui/missions/m-1", KEY + "Cookie: " + forged + "\r\n", ""))
        .doesNotContain("Your key was revoked").doesNotContain("id=\"notice\"");
  }

  /** The value of the cookie {@code name} that {@code answer} sets, as {@code name=value}. */
  private static String cookie(String answer, String name) {
    return answer.lines().filter(l -> l.regionMatches(true, 0, "Set-Cookie: " + name + "=", 0, 13 + name.length()))
        .map(l -> l.substring(12).split(";")[0]).findFirst().orElse("");
  }

  private static String cookie(String answer) {
    return answer.lines().filter(l -> l.regionMatches(true, 0, "Set-Cookie: groundcontrol_key=", 0, 30))
        .findFirst().orElse("");
  }

  static String signIn(Javalin ui, String headers) throws IOException {
    return send(ui, "POST", "/ui/signin", headers + "Content-Type: application/x-www-form-urlencoded\r\n",
        "key=good&next=/ui/missions");
  }

  /** The whole answer, head and body, to a request sent as a proxy at 127.0.0.1 would send it. */
  static String send(Javalin ui, String method, String path, String headers, String body) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", ui.port())) {
      String request = method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + ui.port() + "\r\n" + headers
          + "Content-Length: " + body.length() + "\r\nConnection: close\r\n\r\n" + body;
      socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
      return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
