package org.roundtable.cohort;

import com.fasterxml.jackson.annotation.JsonValue;
import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

/**
 * A member's role in a cohort ({@code cohort_member.role}, which the schema checks): a member, or one of the
 * facilitators who run it. Stored, and shown in JSON and pages, as the text of {@link #value()}.
 */
public enum CohortRole {
    MEMBER("member"),
    FACILITATOR("facilitator");

    private final String value;

    CohortRole(String value) {
        this.value = value;
    }

    /** The text stored in {@code cohort_member.role} and shown in JSON and pages. */
    @JsonValue
    public String value() {
        return value;
    }

    public boolean facilitator() {
        return this == FACILITATOR;
    }

    /** The role stored as {@code value}; null for null (no role: not in the cohort). */
    public static CohortRole of(String value) {
        if (value == null) {
            return null;
        }
        for (CohortRole role : values()) {
            if (role.value.equals(value)) {
                return role;
            }
        }
        throw new IllegalArgumentException("No cohort role \"" + value + "\"");
    }

    @Override
    public String toString() {
        return value;
    }

    /** The column's text, for the entities of Hibernate Reactive. */
    @Converter
    public static class Column implements AttributeConverter<CohortRole, String> {

        @Override
        public String convertToDatabaseColumn(CohortRole role) {
            return role == null ? null : role.value;
        }

        @Override
        public CohortRole convertToEntityAttribute(String value) {
            return of(value);
        }
    }
}
