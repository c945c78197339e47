package io.graybridge.mapping.yaml;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Modifier;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The compiled fast form of expressions gives exactly JEXL's answer: the same value of the same class (a
 * {@link BigDecimal} with the same scale), or the same error, on generated values of every kind a column can
 * hold, NULL and wrong types included.
 */
class FastExpressionTest {
    /** Every node kind the fast form compiles, in combinations; each reads a, b and s. */
    private static final List<String> EXPRESSIONS = List.of(
            "fn:decimal(a) / 100",
            "fn:integer(a * 100)",
            "fn:decimal(a) / fn:decimal(b)",
            "a + b * 2 - (a % 7)",
            "a / b",
            "-a + -3 - -2.5",
            "a == b ? 'same' : s",
            "a != b && s != null",
            "a < b || a >= 10",
            "a <= b ?: s",
            "!(a > b) && true || false",
            "s + ' <' + a + '>'",
            "fn:trim(s) + fn:upper(s) + fn:lower(s)",
            "fn:length(s) + a",
            "fn:concat(a, s)",
            "fn:round(a, 2)",
            "fn:round(fn:decimal(a) / 3, 1)",
            "a == null ? 0 : a",
            "s == 'x' ? 1 : 2.5",
            "a * 1.5B + b",
            "a && s",
            "a || b");

    @Test
    void shouldCompileEveryDocumentedNodeKindAndFunction() {
        for (String text : EXPRESSIONS) {
            assertThat(SafeExpression.compile(text).compiled()).as(text).isTrue();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"s =^ 'a'", "a ?? b", "fn:missing(a)", "a =~ s"})
    void shouldLeaveOtherShapesToJexl(String text) {
        SafeExpression e = SafeExpression.compile(text);
        assertThat(e.compiled()).isFalse();
    }

    @Test
    void shouldCallEveryFnFunctionDirectly() {
        Set<String> declared = Arrays.stream(SafeExpression.Functions.class.getDeclaredMethods())
                .filter(m -> Modifier.isPublic(m.getModifiers()) && Modifier.isStatic(m.getModifiers()))
                .map(m -> m.getName() + "/" + m.getParameterCount())
                .collect(Collectors.toSet());
        assertThat(FastExpression.FUNCTIONS).isEqualTo(declared);
    }

    @Test
    void shouldKeepTheScaleOfAnExactDecimalDivision() {
        SafeExpression e = SafeExpression.compile("fn:decimal(a) / 100");
        assertThat(e.evaluate(new Object[] {1000L, null, null})).isEqualTo(new BigDecimal("10"));
        assertThat(e.evaluate(new Object[] {899L})).isEqualTo(new BigDecimal("8.99"));
        assertThat(e.fastForm().eval(new Object[] {899L})).isEqualTo(new BigDecimal("8.99"));
    }

    private static final java.util.concurrent.atomic.AtomicInteger FAST_ANSWERS = new java.util.concurrent.atomic.AtomicInteger();

    @Property(tries = 3000)
    void shouldGiveJexlsAnswerOrJexlsError(@ForAll("expressions") String text, @ForAll("values") Object a,
            @ForAll("values") Object b, @ForAll("values") Object s) {
        SafeExpression e = SafeExpression.compile(text);
        Object[] all = {a, b, s};
        Object[] values = new Object[e.variables().size()];
        List<String> names = List.copyOf(e.variables());
        for (int i = 0; i < values.length; i++) {
            values[i] = all[List.of("a", "b", "s").indexOf(names.get(i))];
        }
        Outcome fast = Outcome.of(() -> e.evaluate(values.clone()));
        Outcome slow = Outcome.of(() -> e.interpret(values.clone()));
        String what = text + " with " + Arrays.toString(values);
        if (Outcome.of(() -> e.fastForm().eval(values.clone())).error() == null) {
            FAST_ANSWERS.incrementAndGet();
        }
        if (slow.error() != null) {
            assertThat(fast.error()).as(what).isNotNull().hasMessage(slow.error().getMessage());
        } else {
            assertThat(fast.error()).as(what).isNull();
            assertThat(fast.value()).as(what).isEqualTo(slow.value());
            if (slow.value() != null) {
                assertThat(fast.value()).as(what).hasSameClassAs(slow.value());
            }
        }
    }

    @net.jqwik.api.lifecycle.AfterContainer
    static void mostRowsShouldHaveTakenTheFastForm() {
        // the comparison above means something only if the fast form answered often (not only gave up)
        assertThat(FAST_ANSWERS.get()).isGreaterThan(1000);
    }

    private record Outcome(Object value, Throwable error) {
        static Outcome of(java.util.function.Supplier<Object> evaluation) {
            try {
                return new Outcome(evaluation.get(), null);
            } catch (RuntimeException e) {
                return new Outcome(null, e);
            }
        }
    }

    @Provide
    Arbitrary<String> expressions() {
        return Arbitraries.of(EXPRESSIONS);
    }

    @Provide
    Arbitrary<Object> values() {
        return Arbitraries.oneOf(
                Arbitraries.longs().between(-1_000_000, 1_000_000).map(Object.class::cast),
                Arbitraries.of(Long.MAX_VALUE, Long.MIN_VALUE, 0L, 100L, -1L).map(Object.class::cast),
                Arbitraries.integers().between(-1000, 1000).map(Object.class::cast),
                Arbitraries.of((short) 7, (short) -3).map(Object.class::cast),
                Arbitraries.bigDecimals().between(new BigDecimal("-100000"), new BigDecimal("100000")).ofScale(2)
                        .map(Object.class::cast),
                Arbitraries.of(new BigDecimal("0.00"), new BigDecimal("1E+3"), new BigInteger("123456789012345678901234"))
                        .map(Object.class::cast),
                Arbitraries.doubles().between(-1e6, 1e6).map(Object.class::cast),
                Arbitraries.of(Double.NaN, 0.0d, -0.0d).map(Object.class::cast),
                Arbitraries.strings().ofMaxLength(6).map(Object.class::cast),
                Arbitraries.of("x", " Ab ", "", "12", "1.5", "true").map(Object.class::cast),
                Arbitraries.of(Boolean.TRUE, Boolean.FALSE).map(Object.class::cast),
                Arbitraries.just(null));
    }
}
