package io.graybridge.bridge.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HttpSurfaceTest {
    @Test
    void shouldTakeStrictFromTheQueryForFlagger() {
        assertThat(HttpSurface.strict(null)).isFalse();
        assertThat(HttpSurface.strict("strict=false")).isFalse();
        assertThat(HttpSurface.strict("strict=true")).isTrue();
        assertThat(HttpSurface.strict("a=1&strict=true")).isTrue();
        assertThat(HttpSurface.strict("strict")).isTrue();
    }
}
