package org.roundtable.search;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.pgclient.PgException;
import org.junit.jupiter.api.Test;
import org.roundtable.problem.DomainException;

/** Which failures of the search statement are the member's "too broad" refusal, and which stay faults. */
class SearchRefusalTest {

    @Test
    void shouldRefuseACancelledSearchAs422WithAdvice() {
        Throwable refusal = SearchService.refusal(new PgException("canceling statement due to statement timeout", "ERROR",
                "57014", null));
        assertThat(refusal).isInstanceOf(DomainException.class);
        assertThat(((DomainException) refusal).status()).isEqualTo(422);
        assertThat(refusal.getMessage()).isEqualTo(SearchService.TOO_BROAD)
                .contains("add a word").contains("in:channel").contains("#tag").contains("order:latest");
    }

    @Test
    void shouldLeaveOtherFailuresAsTheyAre() {
        PgException other = new PgException("deadlock detected", "ERROR", "40P01", null);
        assertThat(SearchService.refusal(other)).isSameAs(other);
        IllegalStateException bug = new IllegalStateException("bug");
        assertThat(SearchService.refusal(bug)).isSameAs(bug);
    }
}
