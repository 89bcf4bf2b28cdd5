package io.groundcontrol.ui;

import io.groundcontrol.client.ApiKeyCache.Principal;
import io.javalin.http.Context;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;

/** Signing in with an API key, and out. */
final class SignIn {
  private final Function<String, Optional<Principal>> keys;
  private final Templates templates;
  private final Predicate<Context> secure;

  /** @param secure whether the browser of a request reaches the UI over https */
  SignIn(Function<String, Optional<Principal>> keys, Templates templates, Predicate<Context> secure) {
    this.keys = keys;
    this.templates = templates;
    this.secure = secure;
  }

  void form(Context ctx) {
    render(ctx, 200, null, next(ctx.queryParam("next")));
  }

  void submit(Context ctx) {
    String key = ctx.formParam("key") == null ? "" : ctx.formParam("key").strip();
    String next = next(ctx.formParam("next"));
    if (key.isEmpty()) {
      render(ctx, 400, "Expected an API key, but the field is empty (create one with `groundcontrol apikey create`)", next);
      return;
    }
    if (keys.apply(key).isEmpty()) {
      render(ctx, 401, "Expected a valid API key, but this one is unknown or revoked", next);
      return;
    }
    Session.remember(ctx, key, secure.test(ctx));
    ctx.redirect(next);
  }

  void signOut(Context ctx) {
    Session.forget(ctx, secure.test(ctx));
    ctx.redirect("/ui/signin");
  }

  private void render(Context ctx, int status, String error, String next) {
    templates.render(ctx, status, "signin.jte", new Views.SignInPage(new Views.Chrome("Sign in", null, ""), error, next));
  }

  /** Only a path of this UI: never a redirect to another site. */
  private static String next(String wanted) {
    return wanted != null && wanted.startsWith("/ui/") && !wanted.startsWith("//") ? wanted : "/ui/missions";
  }
}
