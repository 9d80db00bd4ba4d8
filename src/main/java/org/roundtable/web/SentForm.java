package org.roundtable.web;

import org.roundtable.problem.DomainException;
import io.quarkus.qute.TemplateData;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A form as it was sent and refused, for the page that shows it again ({@link Forms}): which form of the page it was
 * ({@code form}, and {@code key} where the page has one per item, such as a decision per post of the review queue), the
 * values as typed, the message of each field that was wrong and the message for the person at the top. {@link #NONE}
 * when nothing was sent: every form shows its usual values.
 *
 * <p>In a template: {@code {#if sent.isFor('invite')}{sent.value('email')}{/if}}, {@code sent.invalid('email')},
 * {@code sent.error('email')}; {@code {#formNotice sent=sent form='invite' /}} shows the message.
 */
@TemplateData
public record SentForm(String form, String key, Map<String, String> values, Map<String, String> errors, String message) {

    public static final SentForm NONE = new SentForm(null, null, Map.of(), Map.of(), null);

    /**
     * The form {@code form} refused with {@code refusal}, with the values it was sent (name, value, name, value...;
     * null values are kept as empty).
     */
    public static SentForm of(String form, DomainException refusal, String... namesAndValues) {
        return keyed(form, null, refusal, namesAndValues);
    }

    /** As {@link #of}, for the form of one item of a page ({@code key}: the item's id). */
    public static SentForm keyed(String form, Object key, DomainException refusal, String... namesAndValues) {
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i + 1 < namesAndValues.length; i += 2) {
            values.put(namesAndValues[i], namesAndValues[i + 1] == null ? "" : namesAndValues[i + 1]);
        }
        return new SentForm(form, key == null ? null : String.valueOf(key), values, refusal.fieldErrors(),
                refusal.getMessage());
    }

    /** Whether this is the form {@code name} (the one to show again as it was sent). */
    public boolean isFor(String name) {
        return name != null && name.equals(form);
    }

    /** Whether this is the form {@code name} of the item {@code itemKey}. */
    public boolean isFor(String name, Object itemKey) {
        return isFor(name) && key != null && key.equals(String.valueOf(itemKey));
    }

    /** The value sent for the field, or "" when none was. */
    public String value(String field) {
        return values.getOrDefault(field, "");
    }

    public boolean invalid(String field) {
        return errors.containsKey(field);
    }

    public String error(String field) {
        return errors.get(field);
    }
}
