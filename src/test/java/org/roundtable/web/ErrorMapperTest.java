package org.roundtable.web;

import org.roundtable.problem.Problem;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.pgclient.PgException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.lang.reflect.Proxy;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The error mapper's net under forgotten input checks (issue 13, section 3): PostgreSQL's refusals of a value are bad
 * input (400), its other errors faults (500), and PostgreSQL out of reach is 503 with Retry-After (issue 18).
 */
class ErrorMapperTest {

    private final ErrorMapper mapper = new ErrorMapper(null, null);

    @Test
    void shouldAnswer400ForEveryRefusalOfAValueByPostgres() {
        // invalid byte sequence (NUL), untranslatable character, datetime field overflow, numeric value out of range,
        // string data right truncation, invalid datetime format, invalid text representation, program limit exceeded
        for (String state : List.of("22021", "22P05", "22008", "22003", "22001", "22007", "22P02", "54000")) {
            Response response = mapper.database(new PgException("refused", "ERROR", state, null), api()).await().indefinitely();
            assertThat(response.getStatus()).as(state).isEqualTo(400);
            assertThat(((Problem) response.getEntity()).detail()).as(state).contains("Nothing was changed");
        }
    }

    @Test
    void shouldStillAnswer500ForWhatIsNotTheInputsFault() {
        for (String state : List.of("42P01", "40001", "XX000")) {
            Response response = mapper.database(new PgException("fault", "ERROR", state, null), api()).await().indefinitely();
            assertThat(response.getStatus()).as(state).isEqualTo(500);
        }
    }

    /**
     * PostgreSQL unreachable (issue 18): a connection failure, no connection slot left, shutting down, starting up, or no
     * connection at all is 503 with Retry-After, the request changed nothing and may be sent again; not a 500.
     */
    @Test
    void shouldAnswer503WithRetryAfterWhenTheDatabaseCannotBeReached() {
        for (String state : List.of("08006", "08001", "53300", "57P01", "57P02", "57P03")) {
            Response response = mapper.database(new PgException("unreachable", "FATAL", state, null), api()).await().indefinitely();
            assertThat(response.getStatus()).as(state).isEqualTo(503);
            assertThat(response.getHeaderString("Retry-After")).as(state).isEqualTo("5");
            assertThat(((Problem) response.getEntity()).detail()).as(state).contains("Nothing was saved");
        }
        for (Throwable failure : List.of(new java.net.ConnectException("Connection refused"),
                // a connection reset by PostgreSQL as it shuts down (bench/faults, fast restart: Netty's
                // AnnotatedSocketException is a SocketException with one as its cause)
                new java.net.SocketException("Connection reset by peer"),
                new RuntimeException("annotated", new java.net.SocketException("Connection reset by peer")),
                io.vertx.sqlclient.ClosedConnectionException.INSTANCE,
                new RuntimeException("wrapped", new java.net.ConnectException("Connection refused")))) {
            Response response = mapper.unexpected(failure, api()).await().indefinitely();
            assertThat(response.getStatus()).as(failure.toString()).isEqualTo(503);
            assertThat(response.getHeaderString("Retry-After")).as(failure.toString()).isEqualTo("5");
        }
        Response other = mapper.unexpected(new IllegalStateException("a bug"), api()).await().indefinitely();
        assertThat(other.getStatus()).isEqualTo(500);
    }

    private static UriInfo api() {
        return (UriInfo) Proxy.newProxyInstance(UriInfo.class.getClassLoader(), new Class<?>[] { UriInfo.class },
                (proxy, method, args) -> method.getName().equals("getPath") ? "/api/members" : null);
    }
}
