package io.graybridge.bridge.audit;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * JSON text written as UTF-8 straight into one growing byte array that is reused from event to event: the relay's
 * renderer ({@link FactsRenderer}) writes the structure (braces, commas, field names it quoted once) as constant
 * bytes and only the values through here.
 *
 * <p>Every method writes exactly what Jackson's UTF-8 generator with {@link AuditEvent#UTF8}'s settings (the
 * reference rendering's) writes for the same call: strings quoted, with {@code "} and {@code \} escaped by a
 * backslash, {@code \b \t \n \f \r} by their short escapes, other characters below U+0020 as {@code \}{@code u00XX}
 * (upper-case hex), everything else, {@code /}, U+007F and all non-ASCII characters included, as its UTF-8 bytes;
 * characters outside the Basic Multilingual Plane as their four bytes (the factory combines surrogate pairs). The
 * texts written here come from UTF-8 (the stored facts) or are ASCII, so they hold no lone surrogates, which Jackson
 * would escape. Numbers as {@link Long#toString} and {@link java.math.BigDecimal#toString} write them.
 * {@code FactsRendererTest} compares the renderer's bytes with the reference's for every value type.
 *
 * <p>Not thread-safe.
 */
final class JsonBytes {
    /** Per ASCII byte: 0 written as it is, else the character after the backslash ({@code 'u'}: a {@code \}{@code u00XX}). */
    private static final byte[] ESCAPES = new byte[128];
    private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NULL = asciiBytes("null");
    private static final byte[] TRUE = asciiBytes("true");
    private static final byte[] FALSE = asciiBytes("false");

    static {
        for (int c = 0; c < 0x20; c++) {
            ESCAPES[c] = 'u';
        }
        ESCAPES['"'] = '"';
        ESCAPES['\\'] = '\\';
        ESCAPES['\b'] = 'b';
        ESCAPES['\t'] = 't';
        ESCAPES['\n'] = 'n';
        ESCAPES['\f'] = 'f';
        ESCAPES['\r'] = 'r';
    }

    byte[] buf;
    int len;

    JsonBytes(int capacity) {
        buf = new byte[capacity];
    }

    void reset() {
        len = 0;
    }

    private void ensure(int more) {
        if (more > buf.length - len) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + more));
        }
    }

    void raw(byte b) {
        ensure(1);
        buf[len++] = b;
    }

    void raw(byte[] b) {
        raw(b, 0, b.length);
    }

    void raw(byte[] b, int off, int n) {
        ensure(n);
        System.arraycopy(b, off, buf, len, n);
        len += n;
    }

    /** Text known to be ASCII and free of characters JSON escapes, unquoted (a number, a UUID). */
    void ascii(String s) {
        int n = s.length();
        ensure(n);
        for (int i = 0; i < n; i++) {
            buf[len++] = (byte) s.charAt(i);
        }
    }

    void writeNull() {
        raw(NULL);
    }

    void bool(boolean v) {
        raw(v ? TRUE : FALSE);
    }

    /** A JSON number, as {@link Long#toString}. */
    void number(long v) {
        if (v == Long.MIN_VALUE) {
            ascii(Long.toString(v));
            return;
        }
        ensure(20);
        if (v < 0) {
            buf[len++] = '-';
            v = -v;
        }
        int digits = 1;
        for (long bound = 10; digits < 19 && v >= bound; bound *= 10) {
            digits++;
        }
        int p = len + digits;
        len = p;
        while (v >= 100) {
            long q = v / 100;
            int r = (int) (v - q * 100);
            buf[--p] = (byte) ('0' + r % 10);
            buf[--p] = (byte) ('0' + r / 10);
            v = q;
        }
        if (v >= 10) {
            buf[--p] = (byte) ('0' + v % 10);
            v /= 10;
        }
        buf[--p] = (byte) ('0' + v);
    }

    /**
     * A JSON number, as {@link java.math.BigDecimal#toString} writes the decimal {@code unscaled} &times;
     * 10<sup>-{@code scale}</sup>; returns false, having written nothing, for what it leaves to
     * {@code BigDecimal} (a negative scale, an exponent below -6, whose text is in scientific notation, and
     * {@link Long#MIN_VALUE}).
     */
    boolean decimal(long unscaled, int scale) {
        if (scale < 0 || unscaled == Long.MIN_VALUE) {
            return false;
        }
        long magnitude = Math.abs(unscaled);
        int digits = 1;
        for (long bound = 10; digits < 19 && magnitude >= bound; bound *= 10) {
            digits++;
        }
        if ((long) digits - 1 - scale < -6) {
            return false;
        }
        if (scale == 0) {
            number(unscaled);
            return true;
        }
        ensure(digits + scale + 3);
        if (unscaled < 0) {
            buf[len++] = '-';
        }
        int start = len;
        number(magnitude);
        if (digits > scale) {
            // the point goes in front of the last scale digits
            int point = start + digits - scale;
            System.arraycopy(buf, point, buf, point + 1, scale);
            buf[point] = '.';
            len++;
        } else {
            // 0.00ddd: the digits move behind the point and scale - digits zeros
            int zeros = scale - digits;
            System.arraycopy(buf, start, buf, start + 2 + zeros, digits);
            buf[start] = '0';
            buf[start + 1] = '.';
            Arrays.fill(buf, start + 2, start + 2 + zeros, (byte) '0');
            len = start + 2 + zeros + digits;
        }
        return true;
    }

    /** A string value or {@code null}. */
    void string(String s) {
        if (s == null) {
            writeNull();
            return;
        }
        int n = s.length();
        ensure(n + 2);
        int p = len;
        buf[p++] = '"';
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x80 || ESCAPES[c] != 0) {
                // not plain ASCII from here on: the rest goes the way of UTF-8 bytes
                len = p;
                byte[] rest = s.substring(i).getBytes(StandardCharsets.UTF_8);
                escaped(rest, 0, rest.length);
                raw((byte) '"');
                return;
            }
            buf[p++] = (byte) c;
        }
        buf[p++] = '"';
        len = p;
    }

    /** A string value from its UTF-8 bytes. */
    void string(byte[] utf8, int off, int n) {
        raw((byte) '"');
        escaped(utf8, off, n);
        raw((byte) '"');
    }

    /** UTF-8 bytes as the inside of a JSON string: ASCII escaped where JSON needs it, the other bytes as they are. */
    void escaped(byte[] utf8, int off, int n) {
        ensure(n);
        int p = len;
        byte[] out = buf;
        for (int i = off, end = off + n; i < end; i++) {
            byte b = utf8[i];
            if (b < 0 || ESCAPES[b] == 0) {
                out[p++] = b;
                continue;
            }
            len = p;
            ensure(6 + end - i);
            out = buf;
            p = len;
            byte e = ESCAPES[b];
            out[p++] = '\\';
            out[p++] = e;
            if (e == 'u') {
                out[p++] = '0';
                out[p++] = '0';
                out[p++] = HEX[b >> 4];
                out[p++] = HEX[b & 0xF];
            }
        }
        len = p;
    }

    /** The bytes written from {@code from} on, as a new array. */
    byte[] copy(int from, int to) {
        return Arrays.copyOfRange(buf, from, to);
    }

    static byte[] asciiBytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
