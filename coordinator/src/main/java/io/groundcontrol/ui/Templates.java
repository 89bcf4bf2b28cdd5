package io.groundcontrol.ui;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import io.javalin.http.Context;

/**
 * The UI's templates ({@code src/main/jte}), compiled to Java classes at build time by the jte
 * Maven plugin: each takes one typed view record, and escapes every value for where it lands (text,
 * attribute, URL), so a plan or stage name can never inject markup.
 */
final class Templates {
  private final TemplateEngine engine =
      TemplateEngine.createPrecompiled(null, ContentType.Html, Templates.class.getClassLoader(), "io.groundcontrol.ui.templates");

  /** Renders {@code template} (e.g. {@code missions.jte}) with {@code view} as the answer. */
  void render(Context ctx, int status, String template, Object view) {
    ctx.status(status).contentType("text/html; charset=utf-8").header("Cache-Control", "no-store")
        .result(html(template, view));
  }

  /** The HTML of {@code template} with {@code view}. */
  String html(String template, Object view) {
    StringOutput out = new StringOutput();
    engine.render(template, view, out);
    return out.toString();
  }
}
