package io.groundcontrol.plan;

import com.fasterxml.jackson.dataformat.yaml.util.StringQuotingChecker;
import java.util.regex.Pattern;

/**
 * Quotes more strings than Jackson's default does when writing YAML. Jackson's YAML reader takes
 * {@code 0x1F}, {@code 1_000}, {@code 1e3} and {@code .inf} as numbers (or fails on them), but its
 * writer leaves such strings bare, so a plan written out would not read back the same. Quoting
 * anything that starts like a number is more than needed, and always safe.
 */
final class YamlQuoting extends StringQuotingChecker.Default {
  private static final long serialVersionUID = 1L;

  private static final Pattern NUMBER_LIKE = Pattern.compile("(?s)[-+.]?\\.?[0-9].*|[-+]?\\.(?i:inf|nan)");

  @Override
  public boolean needToQuoteValue(String value) {
    return super.needToQuoteValue(value) || NUMBER_LIKE.matcher(value).matches();
  }
}
