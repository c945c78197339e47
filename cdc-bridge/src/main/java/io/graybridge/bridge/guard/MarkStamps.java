package io.graybridge.bridge.guard;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The versions a lane transaction wrote, as its marks carry them under {@code latest-wins} (ARCHITECTURE.md,
 * "latest-wins: the build plan"): per key, its hash ({@code apply.KeyText.hash}, 32 bytes) and the stamp of the version
 * written; the side is the lane's source. Capture of the target side reads them and knows each key's current version in
 * log order, whoever wrote it.
 *
 * <p>Text form: {@code <hash>=<stamp>} per key, joined by {@code ,}: the hash in unpadded base64url (43 characters),
 * the stamp in epoch milliseconds, about 58 bytes a key. A mark carries at most {@value #MAX_PER_MARK} of them (about
 * 29 KB, within a MariaDB {@code TEXT}); a batch that wrote more versions writes one more mark per {@value
 * #MAX_PER_MARK} (PostgreSQL: another logical message in the transaction; MariaDB and MySQL: another upsert of the
 * lane's marker row, each a row event of the transaction), so no version goes unnamed and no single mark grows with the
 * batch.
 */
public final class MarkStamps {
    /** The most versions one mark carries. */
    public static final int MAX_PER_MARK = 500;

    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    /** One version: the key's hash and the version's stamp. */
    public record Stamp(byte[] hash, Instant stamp) {}

    private MarkStamps() {}

    /** The text form of {@code stamps} (at most {@value #MAX_PER_MARK}). */
    public static String encode(List<Stamp> stamps) {
        if (stamps.size() > MAX_PER_MARK) {
            throw new IllegalArgumentException(stamps.size() + " versions in one mark; at most " + MAX_PER_MARK);
        }
        StringBuilder out = new StringBuilder(stamps.size() * 58);
        for (Stamp s : stamps) {
            if (out.length() > 0) {
                out.append(',');
            }
            out.append(ENCODER.encodeToString(s.hash())).append('=').append(s.stamp().toEpochMilli());
        }
        return out.toString();
    }

    /** The stamps of a text form; entries that cannot be read are skipped, {@code null} or empty gives none. */
    public static List<Stamp> decode(String text) {
        List<Stamp> out = new ArrayList<>();
        if (text == null || text.isEmpty()) {
            return out;
        }
        for (String entry : text.split(",")) {
            int eq = entry.indexOf('=');
            if (eq <= 0) {
                continue;
            }
            try {
                byte[] hash = DECODER.decode(entry.substring(0, eq));
                out.add(new Stamp(hash, Instant.ofEpochMilli(Long.parseLong(entry.substring(eq + 1)))));
            } catch (IllegalArgumentException e) {
                // not a stamp this bridge wrote: ignored
            }
        }
        return out;
    }

    /** {@code stamps} in marks' worth: at most {@value #MAX_PER_MARK} each, at least one (possibly empty). */
    public static List<List<Stamp>> perMark(List<Stamp> stamps) {
        List<List<Stamp>> out = new ArrayList<>();
        for (int i = 0; i < stamps.size(); i += MAX_PER_MARK) {
            out.add(stamps.subList(i, Math.min(stamps.size(), i + MAX_PER_MARK)));
        }
        if (out.isEmpty()) {
            out.add(List.of());
        }
        return out;
    }
}
