package io.graybridge.mapping.spi;

import io.graybridge.mapping.Direction;
import io.graybridge.mapping.MappingException;
import io.graybridge.mapping.Row;
import io.graybridge.mapping.RowTranslator;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.TreeMap;

/** Finds {@link TableTranslator}s through {@link ServiceLoader}. */
public final class TableTranslators {
    private TableTranslators() {}

    /** Every translator on the classpath of {@code loader}, by name. */
    public static Map<String, TableTranslator> available(ClassLoader loader) {
        Map<String, TableTranslator> byName = new TreeMap<>();
        for (TableTranslator t : ServiceLoader.load(TableTranslator.class, loader)) {
            byName.putIfAbsent(t.name(), t);
        }
        return byName;
    }

    /** The translator named {@code name}, found with the thread's context class loader (or this class's). */
    public static Optional<TableTranslator> named(String name) {
        return Optional.ofNullable(available(loader()).get(name));
    }

    /** The names found, for an error message. */
    public static java.util.Set<String> names() {
        return available(loader()).keySet();
    }

    private static ClassLoader loader() {
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        return context != null ? context : TableTranslators.class.getClassLoader();
    }

    /**
     * {@code translator} in {@code direction} as a {@link RowTranslator} that enforces the contract: a
     * {@code null} result or an {@link IllegalArgumentException} becomes a {@link MappingException} naming
     * the table and the translator.
     */
    public static RowTranslator adapt(TableTranslator translator, Direction direction, String table) {
        return new Adapter(translator, direction, table);
    }

    /** The SPI translator behind a row translator made by {@link #adapt}, if it is one. */
    public static Optional<TableTranslator> unwrap(RowTranslator translator) {
        return translator instanceof Adapter a ? Optional.of(a.translator) : Optional.empty();
    }

    private record Adapter(TableTranslator translator, Direction direction, String table) implements RowTranslator {
        @Override
        public Row translate(Row source) {
            Row out;
            try {
                out = direction == Direction.FORWARD ? translator.forward(source) : translator.backward(source);
            } catch (MappingException e) {
                throw e;
            } catch (IllegalArgumentException e) {
                throw new MappingException("table " + table + " (translator '" + translator.name() + "', "
                        + direction.laneName() + "): " + e.getMessage(), e);
            }
            if (out == null) {
                throw new MappingException("table " + table + ": translator '" + translator.name() + "' ("
                        + translator.getClass().getName() + ") returned null " + direction.laneName()
                        + "; it must return a row (Row.empty() for 'no counterpart')");
            }
            return out;
        }

        @Override
        public String toString() {
            return direction.laneName() + " translator '" + translator.name() + "' of " + table;
        }
    }
}
