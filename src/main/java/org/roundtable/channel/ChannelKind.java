package org.roundtable.channel;

import com.fasterxml.jackson.annotation.JsonValue;
import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

/**
 * What a channel is (DESIGN.md, "Domain"): the network's, one cohort's, or an undiscussables channel (anonymous
 * posting; the network's own or a cohort's). Stored as the text of {@link #value()} in {@code channel.kind}, which the
 * schema checks; JSON and pages show the same text.
 */
public enum ChannelKind {
    NETWORK("network"),
    COHORT("cohort"),
    UNDISCUSSABLES("undiscussables");

    private final String value;

    ChannelKind(String value) {
        this.value = value;
    }

    /** The text stored in {@code channel.kind} and shown in JSON and pages. */
    @JsonValue
    public String value() {
        return value;
    }

    /** The kind stored as {@code value}; an unknown value is a fault of the data, not of the request. */
    public static ChannelKind of(String value) {
        for (ChannelKind kind : values()) {
            if (kind.value.equals(value)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("No channel kind \"" + value + "\"");
    }

    @Override
    public String toString() {
        return value;
    }

    /** The column's text, for the entities of Hibernate Reactive. */
    @Converter
    public static class Column implements AttributeConverter<ChannelKind, String> {

        @Override
        public String convertToDatabaseColumn(ChannelKind kind) {
            return kind == null ? null : kind.value;
        }

        @Override
        public ChannelKind convertToEntityAttribute(String value) {
            return value == null ? null : of(value);
        }
    }
}
