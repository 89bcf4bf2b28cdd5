package io.groundcontrol.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.groundcontrol.apikey.ApiKeySecrets;
import io.groundcontrol.schema.ApiKey;
import io.groundcontrol.schema.ApiRole;
import io.groundcontrol.schema.wire.AvroSerde;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Keys check out only with their own secret, and what is stored never holds the secret. */
class ApiKeySecretsTest {
  private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");

  @Test
  void aKeyMatchesTheRecordIssuedForItAndNoOther() {
    ApiKeySecrets.Issued one = ApiKeySecrets.issue("ci", ApiRole.OPERATOR, NOW);
    ApiKeySecrets.Issued two = ApiKeySecrets.issue("ci", ApiRole.OPERATOR, NOW);

    assertThat(ApiKeySecrets.matches(one.key(), one.stored())).isTrue();
    assertThat(ApiKeySecrets.matches(two.key(), one.stored())).isFalse();
    assertThat(ApiKeySecrets.idOf(one.key())).contains(one.stored().getId());
  }

  @Test
  void aKeyWithOneCharacterChangedDoesNotMatch() {
    ApiKeySecrets.Issued issued = ApiKeySecrets.issue("ci", ApiRole.VIEWER, NOW);
    String key = issued.key();
    char last = key.charAt(key.length() - 1);
    String tampered = key.substring(0, key.length() - 1) + (last == 'A' ? 'B' : 'A');

    assertThat(ApiKeySecrets.matches(tampered, issued.stored())).isFalse();
    assertThat(ApiKeySecrets.matches("", issued.stored())).isFalse();
    assertThat(ApiKeySecrets.matches(null, issued.stored())).isFalse();
  }

  @Test
  void theStoredRecordHoldsNeitherTheKeyNorItsSecret() {
    ApiKeySecrets.Issued issued = ApiKeySecrets.issue("ci", ApiRole.ADMIN, NOW);
    String secret = issued.key().substring("gc_".length() + 12 + 1);
    byte[] stored = AvroSerde.of(ApiKey.class).serializer().serialize("t", issued.stored());
    String asText = new String(stored, StandardCharsets.ISO_8859_1);

    assertThat(asText).doesNotContain(secret).doesNotContain(issued.key());
    assertThat(issued.stored().toString()).doesNotContain(secret);
  }
}
