package org.roundtable.db;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The values of a statement's named parameters ({@code #{viewer}}, {@code #{thread}}): no call site numbers positions,
 * so a fragment of SQL (a Guardian predicate, say) binds the same names wherever it is included. A name may hold null;
 * a name the statement uses and the values lack is a programming error, found on the first run of the statement.
 */
public final class Params {

    private final Map<String, Object> values = new LinkedHashMap<>();

    private Params() {
    }

    public static Params none() {
        return new Params();
    }

    public static Params of(String name, Object value) {
        return new Params().and(name, value);
    }

    public static Params of(String name, Object value, String name2, Object value2) {
        return of(name, value).and(name2, value2);
    }

    public static Params of(String name, Object value, String name2, Object value2, String name3, Object value3) {
        return of(name, value, name2, value2).and(name3, value3);
    }

    /** This and one more value; a name given twice keeps the last value. */
    public Params and(String name, Object value) {
        values.put(name, value);
        return this;
    }

    /** This and every value of {@code other} (e.g. a viewer's binds from {@code Guardian.binds}). */
    public Params and(Params other) {
        values.putAll(other.values);
        return this;
    }

    boolean has(String name) {
        return values.containsKey(name);
    }

    Object get(String name) {
        if (!values.containsKey(name)) {
            throw new IllegalArgumentException("No value for the parameter #{" + name + "}; given: " + values.keySet());
        }
        return values.get(name);
    }

    @Override
    public String toString() {
        return values.keySet().toString();
    }
}
