/**
 * The Java SPI of the mapping language: {@link io.graybridge.mapping.spi.TableTranslator}, for a table
 * whose translation a mapping file's rules cannot say. Found through {@link java.util.ServiceLoader} by
 * the name a mapping file gives in {@code translator:}.
 */
package io.graybridge.mapping.spi;
