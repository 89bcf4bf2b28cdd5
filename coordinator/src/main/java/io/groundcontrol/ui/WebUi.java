package io.groundcontrol.ui;

import io.groundcontrol.api.UnexpectedError;

import io.groundcontrol.client.ApiKeyCache.Principal;
import io.groundcontrol.query.QueryUnavailableException;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import io.javalin.http.staticfiles.Location;
import java.net.URI;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The web UI, served under {@code /ui} by every coordinator instance next to the API it is built
 * on: server-rendered pages with htmx (vendored, pinned) for the live parts. The pages call the
 * API of their own instance with the signed-in user's key ({@link ApiCalls}), so what a user may
 * do, and every refusal, is the API's.
 */
public final class WebUi {
  private static final Logger LOG = LoggerFactory.getLogger(WebUi.class);

  private final Function<String, Optional<Principal>> keys;
  private final ApiCalls api;
  private final Templates templates = new Templates();
  private final Optional<PublicOrigin> publicOrigin;

  /** A UI that browsers reach at the address the coordinator sees ({@code Host}). */
  public WebUi(Supplier<String> apiBaseUrl, Function<String, Optional<Principal>> keys) {
    this(apiBaseUrl, keys, Optional.empty());
  }

  /**
   * @param apiBaseUrl the API of this instance, e.g. {@code http://127.0.0.1:8080/api/v1}
   * @param keys who a key belongs to, if it is known and not revoked
   * @param publicOrigin where browsers reach the UI, if not at the {@code Host} the coordinator
   *     sees (behind a reverse proxy)
   */
  public WebUi(Supplier<String> apiBaseUrl, Function<String, Optional<Principal>> keys,
      Optional<PublicOrigin> publicOrigin) {
    this.keys = keys;
    this.api = new ApiCalls(apiBaseUrl);
    this.publicOrigin = publicOrigin;
  }

  /** The UI's address beside the API at {@code apiBaseUrl}, e.g. {@code http://127.0.0.1:8080/ui}. */
  public static String urlBeside(String apiBaseUrl) {
    return apiBaseUrl.replaceFirst("/api/v1/?$", "") + "/ui";
  }

  /** Adds the UI's routes and its static assets to the server being configured. */
  public void mount(JavalinConfig config) {
    config.staticFiles.add(files -> {
      files.hostedPath = "/ui/static";
      files.directory = "/io/groundcontrol/ui/static";
      files.location = Location.CLASSPATH;
      files.headers = Map.of("Cache-Control", "public, max-age=86400");
    });
    // No other site may frame a page (clickjacking a Cancel), nor a browser guess a type.
    config.routes.before("/ui/*", ctx -> ctx.header("X-Frame-Options", "DENY")
        .header("Content-Security-Policy", "frame-ancestors 'none'").header("X-Content-Type-Options", "nosniff"));
    SignIn signIn = new SignIn(keys, templates, this::secure);
    MissionPages missions = new MissionPages(api, templates);
    PlanPages plans = new PlanPages(api, templates);
    StartPages start = new StartPages(api, templates);
    ComponentPages components = new ComponentPages(api, templates);
    SchedulePages schedules = new SchedulePages(api, templates);
    route(config, HandlerType.GET, "/ui", ctx -> ctx.redirect("/ui/missions"));
    route(config, HandlerType.GET, "/ui/signin", signIn::form);
    route(config, HandlerType.POST, "/ui/signin", ctx -> sameOrigin(ctx, signIn::submit));
    route(config, HandlerType.POST, "/ui/signout", ctx -> sameOrigin(ctx, signIn::signOut));
    get(config, "/ui/missions", missions::list);
    get(config, "/ui/missions/rows", missions::rows);
    get(config, "/ui/missions/{id}", missions::show);
    get(config, "/ui/missions/{id}/live", missions::live);
    get(config, "/ui/missions/{id}/timeline", missions::timeline);
    get(config, "/ui/missions/{id}/outputs.json", (ctx, s) -> missions.download(ctx, s, "json"));
    get(config, "/ui/missions/{id}/outputs.csv", (ctx, s) -> missions.download(ctx, s, "csv"));
    post(config, "/ui/missions/{id}/cancel", missions::cancel);
    post(config, "/ui/missions/{id}/stages/{stage}/{action}", missions::operate);
    get(config, "/ui/plans", plans::list);
    get(config, "/ui/plans/{name}", plans::show);
    get(config, "/ui/plans/{name}/start", start::form);
    post(config, "/ui/plans/{name}/start", start::submit);
    get(config, "/ui/components", components::list);
    get(config, "/ui/components/rows", components::rows);
    get(config, "/ui/schedules", schedules::list);
    post(config, "/ui/schedules/{name}/{action}", schedules::operate);
  }

  /** A page or fragment for a signed-in user. */
  @FunctionalInterface
  interface Page {
    void handle(Context ctx, Session session) throws Exception;
  }

  private void get(JavalinConfig config, String path, Page page) {
    route(config, HandlerType.GET, path, ctx -> signedIn(ctx, page));
  }

  private void post(JavalinConfig config, String path, Page page) {
    route(config, HandlerType.POST, path, ctx -> sameOrigin(ctx, c -> signedIn(c, page)));
  }

  private static void route(JavalinConfig config, HandlerType method, String path, Handler handler) {
    config.routes.addHttpHandler(method, path, UnexpectedError.passedOnAsException(handler));
  }

  private void signedIn(Context ctx, Page page) {
    try {
      Optional<Session> session = Session.of(ctx, keys);
      if (session.isEmpty()) {
        toSignIn(ctx);
        return;
      }
      page.handle(ctx, session.get());
    } catch (ApiError e) {
      if (e.status() == 401) {
        Session.forget(ctx, secure(ctx));
        toSignIn(ctx);
        return;
      }
      error(ctx, e.status(), e.getMessage());
    } catch (Exception e) {
      LOG.error("{} {} failed", ctx.method(), ctx.path(), e);
      error(ctx, e instanceof QueryUnavailableException ? 503 : 500,
          "Expected to show this page, but: " + e.getMessage());
    }
  }

  private void error(Context ctx, int status, String message) {
    templates.render(ctx, status, "error.jte", new Views.ErrorPage(
        new Views.Chrome("Error " + status, Session.of(ctx, keys).orElse(null), ""), status, message));
  }

  /** Signing in again, then back here; htmx follows {@code HX-Redirect} instead of swapping a page in. */
  private static void toSignIn(Context ctx) {
    String back = ctx.method() == HandlerType.GET && !isFragment(ctx) ? ctx.path() : "/ui/missions";
    String target = "/ui/signin?next=" + ApiCalls.segment(back);
    if (isFragment(ctx)) {
      ctx.header("HX-Redirect", target).status(204);
    } else {
      ctx.redirect(target);
    }
  }

  /** Over https: the request came so, or browsers reach the UI at an https public URL. */
  private boolean secure(Context ctx) {
    return "https".equalsIgnoreCase(ctx.scheme()) || publicOrigin.map(PublicOrigin::secure).orElse(false);
  }

  static boolean isFragment(Context ctx) {
    return "true".equals(ctx.header("HX-Request"));
  }

  /**
   * Refuses a form posted from another site. The cookie is SameSite=Strict, so such a post comes
   * without a key anyway; checking the Origin as well guards older browsers. This site is the
   * public origin, if one is set, or the {@code Host} the request names; forwarded headers are
   * never read, since a client that reaches the coordinator directly could forge them. An Origin
   * that is not a URL is another site's. An Origin of {@code null} says nothing (browsers send it for
   * this site's own forms under a no-referrer policy, which a proxy may add, and for any site's from
   * a sandboxed frame or a no-referrer page), so then {@code Sec-Fetch-Site}, which no page can set,
   * tells: a form from another site, or a sibling one, is refused; else sign-in and sign-out would
   * be open to any page.
   */
  private void sameOrigin(Context ctx, Handler handler) throws Exception {
    String origin = ctx.header("Origin");
    String fetchSite = ctx.header("Sec-Fetch-Site");
    if (origin != null && !origin.equals("null") && !ours(origin, ctx)) {
      ctx.status(403).result("Expected a form of this site, but it came from " + origin);
      return;
    }
    if (fetchSite != null && !fetchSite.equals("same-origin") && !fetchSite.equals("none")) {
      ctx.status(403).result("Expected a form of this site, but the browser says it came from another (Sec-Fetch-Site: "
          + fetchSite + ")");
      return;
    }
    handler.handle(ctx);
  }

  private boolean ours(String origin, Context ctx) {
    if (publicOrigin.isPresent() && publicOrigin.get().matches(origin)) {
      return true;
    }
    try {
      String host = URI.create(origin).getAuthority();
      return host != null && host.equalsIgnoreCase(ctx.host());
    } catch (IllegalArgumentException notAUrl) {
      return false;
    }
  }
}
