package io.graybridge.bridge.apply;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The key lists of {@code key_write} lookups take few lengths, so Jdbi parses each statement text once. */
class StoredKnowledgePaddingTest {
    private static List<byte[]> hashes(int n) {
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new byte[] {(byte) i, (byte) (i >> 8)});
        }
        return out;
    }

    @Test
    void shouldPadToAPowerOfTwoWithTheLastKeyAndKeepEveryKey() {
        Set<Integer> lengths = new HashSet<>();
        for (int n = 1; n <= 512; n++) {
            List<byte[]> in = hashes(n);
            List<byte[]> out = StoredKnowledge.padded(in);
            lengths.add(out.size());
            assertThat(Integer.bitCount(out.size())).as("length %d for %d keys", out.size(), n).isEqualTo(1);
            assertThat(out.size()).isBetween(n, 2 * n - 1);
            assertThat(out.subList(0, n)).containsExactlyElementsOf(in);
            byte[] last = in.get(n - 1);
            assertThat(out.subList(n, out.size())).allSatisfy(h -> assertThat(h).isSameAs(last));
        }
        assertThat(lengths).as("ten statement texts for 1..512 keys").hasSize(10);
    }
}
