package io.graybridge.bridge.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.graybridge.bridge.config.Secret;
import org.junit.jupiter.api.Test;

class BearerAuthTest {
    @Test
    void shouldAllowEveryRequestWhenNoTokenIsConfigured() {
        BearerAuth auth = BearerAuth.of(Secret.none());

        assertThat(auth.required()).isFalse();
        assertThat(auth.allows(null)).isTrue();
    }

    @Test
    void shouldAllowOnlyTheConfiguredBearerToken() {
        BearerAuth auth = BearerAuth.of(Secret.of("s3cr3t"));

        assertThat(auth.required()).isTrue();
        assertThat(auth.allows("Bearer s3cr3t")).isTrue();
        assertThat(auth.allows("bearer s3cr3t")).as("the scheme is case-insensitive").isTrue();
        assertThat(auth.allows(null)).isFalse();
        assertThat(auth.allows("")).isFalse();
        assertThat(auth.allows("Bearer s3cr3")).isFalse();
        assertThat(auth.allows("Bearer s3cr3t-and-more")).isFalse();
        assertThat(auth.allows("Basic s3cr3t")).isFalse();
        assertThat(auth.allows("s3cr3t")).isFalse();
    }
}
