package org.roundtable.db;

import io.vertx.mutiny.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A statement written with named parameters ({@code #{name}}, as the Vert.x SQL Client Templates write them), turned
 * once into PostgreSQL's positional form ({@code $1}, {@code $2}) and the order of its names. The same name is one
 * position however often it occurs. A statement that mixes names with positional parameters is refused: the point is
 * that no one numbers positions by hand. (Why not the Templates library itself: docs/architecture.md, "Named
 * parameters".)
 */
public record NamedSql(String sql, List<String> names) {

    private static final Pattern NAME = Pattern.compile("#\\{([A-Za-z][A-Za-z0-9_]*)}");
    private static final Pattern POSITIONAL = Pattern.compile("\\$[0-9]");
    private static final Map<String, NamedSql> PARSED = new ConcurrentHashMap<>();

    /** The statement, parsed (and kept: statements are constants, or built from a few constants). */
    public static NamedSql of(String named) {
        return PARSED.computeIfAbsent(named, NamedSql::parse);
    }

    static NamedSql parse(String named) {
        if (POSITIONAL.matcher(named).find()) {
            throw new IllegalArgumentException("A statement with named parameters numbers no positions ($n): " + named);
        }
        List<String> names = new ArrayList<>();
        Matcher m = NAME.matcher(named);
        StringBuilder sql = new StringBuilder();
        while (m.find()) {
            int index = names.indexOf(m.group(1));
            if (index < 0) {
                names.add(m.group(1));
                index = names.size() - 1;
            }
            m.appendReplacement(sql, Matcher.quoteReplacement("$" + (index + 1)));
        }
        m.appendTail(sql);
        return new NamedSql(sql.toString(), List.copyOf(names));
    }

    /** The values in the statement's order. */
    public Tuple bind(Params params) {
        Tuple tuple = Tuple.tuple();
        for (String name : names) {
            tuple.addValue(params.get(name));
        }
        return tuple;
    }
}
