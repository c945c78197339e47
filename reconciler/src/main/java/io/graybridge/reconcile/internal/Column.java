package io.graybridge.reconcile.internal;

import java.util.Locale;

/**
 * A column as the catalog declares it.
 *
 * @param name its name
 * @param sqlType its type as SQL writes it ({@code numeric(12,2)}), for casts
 * @param typeName the base type's internal name ({@code int8}, {@code bpchar}, {@code timestamptz})
 * @param collatable whether the type has a collation (text-like), so key order needs {@code COLLATE "C"}
 */
public record Column(String name, String sqlType, String typeName, boolean collatable) {

    /** How a value of this column is read and written as canonical text. */
    public enum Kind {
        INTEGER, DECIMAL, FLOAT, TEXT, CHAR, BOOL, TIMESTAMP, TIMESTAMPTZ, DATE, TIME, UUID, BYTEA, OTHER
    }

    public Kind kind() {
        return switch (typeName.toLowerCase(Locale.ROOT)) {
            case "int2", "int4", "int8" -> Kind.INTEGER;
            case "numeric" -> Kind.DECIMAL;
            case "float4", "float8" -> Kind.FLOAT;
            case "text", "varchar", "name" -> Kind.TEXT;
            case "bpchar" -> Kind.CHAR;
            case "bool" -> Kind.BOOL;
            case "timestamp" -> Kind.TIMESTAMP;
            case "timestamptz" -> Kind.TIMESTAMPTZ;
            case "date" -> Kind.DATE;
            case "time" -> Kind.TIME;
            case "uuid" -> Kind.UUID;
            case "bytea" -> Kind.BYTEA;
            default -> Kind.OTHER;
        };
    }

    /**
     * Whether values of {@code this} and {@code other} have the same canonical text whenever the Java
     * comparison calls them the same: numbers with numbers, text with text, otherwise the same kind (and,
     * for floats and other types, the same type).
     */
    public boolean comparableTextWith(Column other) {
        Kind a = kind();
        Kind b = other.kind();
        if (numeric(a) && numeric(b)) {
            return true;
        }
        if (textual(a) && textual(b)) {
            return true;
        }
        if (a == Kind.FLOAT || a == Kind.OTHER) {
            return a == b && typeName.equals(other.typeName);
        }
        return a == b;
    }

    static boolean numeric(Kind k) {
        return k == Kind.INTEGER || k == Kind.DECIMAL;
    }

    static boolean textual(Kind k) {
        return k == Kind.TEXT || k == Kind.CHAR;
    }
}
