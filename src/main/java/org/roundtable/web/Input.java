package org.roundtable.web;

import org.roundtable.problem.DomainException;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What any field of a form or a JSON body may hold, checked where the field is read so that the refusal names the
 * field (400, {@link DomainException#invalid}). Two kinds of value can never be right, whatever the field:
 * <ul>
 * <li>text with a NUL character (U+0000): PostgreSQL text cannot hold one, and no name, address, reason or search has
 * one (post bodies are the exception: {@code PostRules.clean} turns a NUL into U+FFFD, as CommonMark would);</li>
 * <li>a date outside the years 1 to 9999: PostgreSQL keeps 4713 BC to 294276 AD, Java's dates reach a billion years,
 * and a person means a four-digit year.</li>
 * </ul>
 * Addresses and query parameters are checked once for every request by {@link RequestGuard}; the error mapper turns
 * PostgreSQL's invalid-input errors into 400 where a check was forgotten. This class is where fields are checked.
 */
public final class Input {

    public static final int FIRST_YEAR = 1;
    public static final int LAST_YEAR = 9999;

    private Input() {
    }

    /** Whether the text holds a NUL character. */
    public static boolean hasNul(String text) {
        return text != null && text.indexOf('\u0000') >= 0;
    }

    /**
     * The fields that hold a NUL character, each with its message; given as name, value, name, value... (null values
     * are fine). For a service that gathers all the errors of a form before it refuses it.
     */
    public static Map<String, String> nulErrors(String... namesAndValues) {
        Map<String, String> errors = new LinkedHashMap<>();
        for (int i = 0; i + 1 < namesAndValues.length; i += 2) {
            if (hasNul(namesAndValues[i + 1])) {
                errors.put(namesAndValues[i], nulMessage(namesAndValues[i]));
            }
        }
        return errors;
    }

    /**
     * Refuses, naming each of them, the fields that hold a NUL character; given as name, value, name, value...
     *
     * @throws DomainException 400 with one message per such field
     */
    public static void refuseNul(String... namesAndValues) {
        Map<String, String> errors = nulErrors(namesAndValues);
        if (!errors.isEmpty()) {
            throw DomainException.invalid(errors);
        }
    }

    /**
     * The value of one field, refused when it holds a NUL character.
     *
     * @return the value as given (null stays null)
     * @throws DomainException 400 naming the field
     */
    public static String noNul(String field, String value) {
        if (hasNul(value)) {
            throw DomainException.invalid(Map.of(field, nulMessage(field)));
        }
        return value;
    }

    private static String nulMessage(String field) {
        return "The " + field + " holds a NUL character (U+0000), which no text here can hold: remove it.";
    }

    /**
     * A date and time a person gave, refused outside the years {@value #FIRST_YEAR} to {@value #LAST_YEAR}.
     *
     * @return the value as given (null stays null)
     * @throws DomainException 400 naming the field
     */
    public static OffsetDateTime date(String field, OffsetDateTime value) {
        if (value != null && (value.getYear() < FIRST_YEAR || value.getYear() > LAST_YEAR)) {
            throw DomainException.invalid(Map.of(field, "Use a date between the years " + FIRST_YEAR + " and "
                    + LAST_YEAR + " (this one is in the year " + value.getYear() + ")."));
        }
        return value;
    }
}
