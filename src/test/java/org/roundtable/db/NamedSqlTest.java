package org.roundtable.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Named parameters become PostgreSQL's positions once per statement; nobody numbers them by hand. */
class NamedSqlTest {

    @Test
    void shouldGiveEachNameOnePositionInTheOrderOfFirstUse() {
        NamedSql sql = NamedSql.parse("select 1 from t where a = #{viewer} and b = #{thread} or c = #{viewer}");
        assertThat(sql.sql()).isEqualTo("select 1 from t where a = $1 and b = $2 or c = $1");
        assertThat(sql.names()).containsExactly("viewer", "thread");
        assertThat(sql.bind(Params.of("thread", 7L, "viewer", 3L, "unused", true)).size()).isEqualTo(2);
        assertThat(sql.bind(Params.of("thread", 7L, "viewer", 3L)).getValue(0)).isEqualTo(3L);
    }

    @Test
    void shouldRefuseAStatementThatMixesNamesWithNumberedPositions() {
        assertThatThrownBy(() -> NamedSql.parse("select 1 where a = #{viewer} and b = $2"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldRefuseToBindWithoutAValueForEveryNameButTakeNull() {
        NamedSql sql = NamedSql.parse("select #{a}, #{b}");
        assertThatThrownBy(() -> sql.bind(Params.of("a", 1))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("#{b}");
        assertThat(sql.bind(Params.of("a", 1, "b", null)).getValue(1)).isNull();
    }
}
