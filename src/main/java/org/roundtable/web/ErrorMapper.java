package org.roundtable.web;

import org.roundtable.problem.Problem;
import org.roundtable.problem.DomainException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import io.quarkus.logging.Log;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticator;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import io.vertx.pgclient.PgException;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.roundtable.db.Unavailable;
import org.roundtable.security.Viewer;
import org.roundtable.security.Viewers;

/** Every error, mapped once: problem+json under /api, an HTML page elsewhere. */
public class ErrorMapper {

    @CheckedTemplate(basePath = "ErrorPage")
    public static class Templates {
        public static native TemplateInstance error(Viewer viewer, int status, String title, String detail);
    }

    private final Viewers viewers;
    private final CurrentVertxRequest requests;

    public ErrorMapper(Viewers viewers, CurrentVertxRequest requests) {
        this.viewers = viewers;
        this.requests = requests;
    }

    @ServerExceptionMapper
    public Uni<Response> domain(DomainException e, UriInfo uri) {
        Uni<Response> response = respond(uri, e.status(), e.title(), e.getMessage(), e.fieldErrors());
        if (e.retryAfter() <= 0) {
            return response;
        }
        return response.map(r -> Response.fromResponse(r).header(HttpHeaders.RETRY_AFTER, e.retryAfter()).build());
    }

    @ServerExceptionMapper({ UnauthorizedException.class, AuthenticationFailedException.class })
    public Uni<Response> unauthorized(RuntimeException e, UriInfo uri) {
        if (isApi(uri)) {
            return Uni.createFrom().item(problem(uri, 401, "Not authenticated",
                    "Send a bearer token from the roundtable realm in the Authorization header.", Map.of())
                    .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"roundtable\"").build());
        }
        // A page whose session ended (logged out, expired, unknown): the login redirect, as a guest gets it.
        RoutingContext request = requests.getCurrent();
        HttpAuthenticator authenticator = request == null ? null : request.get(HttpAuthenticator.class.getName());
        if (authenticator == null) {
            return respond(uri, 401, "Please log in", "This page needs you to log in.", Map.of());
        }
        return authenticator.getChallenge(request).flatMap(challenge -> {
            if (challenge == null || challenge.status != 302) {
                return respond(uri, 401, "Please log in", "This page needs you to log in.", Map.of());
            }
            Response.ResponseBuilder redirect = Response.status(challenge.status);
            challenge.getHeaders().forEach((name, value) -> redirect.header(name.toString(), value));
            return Uni.createFrom().item(redirect.build());
        });
    }

    @ServerExceptionMapper
    public Uni<Response> forbidden(ForbiddenException e, UriInfo uri) {
        return respond(uri, 403, "Not allowed", "You do not have the role this needs.", Map.of());
    }

    @ServerExceptionMapper
    public Uni<Response> invalid(ConstraintViolationException e, UriInfo uri) {
        Map<String, String> errors = new LinkedHashMap<>();
        e.getConstraintViolations().forEach(v -> {
            String path = v.getPropertyPath().toString();
            errors.putIfAbsent(path.substring(path.lastIndexOf('.') + 1), v.getMessage());
        });
        return respond(uri, 400, "Please correct the marked fields", String.join(" ", errors.values()), errors);
    }

    @ServerExceptionMapper
    public Uni<Response> web(WebApplicationException e, UriInfo uri) {
        if (e.getCause() instanceof JsonProcessingException json) {
            return json(json, uri);
        }
        int status = e.getResponse().getStatus();
        String title = switch (status) {
            case 404 -> "Not found";
            case 405 -> "Method not allowed";
            case 413 -> "Too long";
            case 415 -> "Unsupported media type";
            case 406 -> "Not acceptable";
            default -> status >= 500 ? "Something went wrong" : "Bad request";
        };
        String detail = switch (status) {
            case 404 -> "There is nothing at this address.";
            case 413 -> "What you sent is larger than this address takes. Nothing was saved.";
            default -> e.getMessage();
        };
        return respond(uri, status, title, detail, Map.of());
    }

    /**
     * A JSON body that is not JSON, or whose fields have the wrong JSON types (a number or true where text goes, text
     * where a number goes: coercion is off, see {@link JsonInput}): 400 naming the field.
     */
    @ServerExceptionMapper(priority = jakarta.ws.rs.Priorities.USER - 100)
    public Uni<Response> json(JsonProcessingException e, UriInfo uri) {
        String field = e instanceof JsonMappingException mapping ? JsonInput.fieldOf(mapping) : null;
        if (field == null && e instanceof com.fasterxml.jackson.core.exc.InputCoercionException) {
            return respond(uri, 400, "Bad request", "A number in the body is out of range"
                    + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column "
                            + e.getLocation().getColumnNr() + ")") + ".", Map.of());
        }
        if (field == null) {
            String detail = "The body is not valid JSON"
                    + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column "
                            + e.getLocation().getColumnNr() + ")")
                    + ". Send a JSON object with the fields this address takes.";
            return respond(uri, 400, "Bad request", detail, Map.of());
        }
        String message = JsonInput.describe(e, field);
        return respond(uri, 400, "Please correct the marked fields", message, Map.of(field, message));
    }

    /**
     * The exact types Quarkus REST maps with built-in mappers of its own (a JSON body of a shape of its own, not
     * problem+json): a mapper of the same type and a higher priority is chosen over them.
     */
    @ServerExceptionMapper(priority = jakarta.ws.rs.Priorities.USER - 100)
    public Uni<Response> mismatched(com.fasterxml.jackson.databind.exc.MismatchedInputException e, UriInfo uri) {
        return json(e, uri);
    }

    @ServerExceptionMapper(priority = jakarta.ws.rs.Priorities.USER - 100)
    public Uni<Response> mapping(JsonMappingException e, UriInfo uri) {
        return json(e, uri);
    }

    @ServerExceptionMapper(priority = jakarta.ws.rs.Priorities.USER - 100)
    public Uni<Response> parse(com.fasterxml.jackson.core.JsonParseException e, UriInfo uri) {
        return json(e, uri);
    }

    /**
     * PostgreSQL's refusals of values (SQLSTATE class 22, data exceptions: text it cannot store, such as NUL; a date,
     * number or length out of its range; 54000, a value over a limit of its own) are bad input, not faults: 400. Inputs
     * are checked where they are read (names in the message); this is the net under a check that was forgotten. The
     * transaction the statement ran in is rolled back, so the refusal changed nothing.
     */
    @ServerExceptionMapper
    public Uni<Response> database(PgException e, UriInfo uri) {
        String state = e.getSqlState() == null ? "" : e.getSqlState();
        if (state.startsWith("22") || state.equals("54000")) {
            Log.infof("Refused bad input on %s: %s (%s)", uri.getPath(), e.getErrorMessage(), state);
            return respond(uri, 400, "Bad request", "A value you sent cannot be stored or compared: it holds a "
                    + "character no text here can hold (such as NUL), or it is out of range. Nothing was changed.",
                    Map.of());
        }
        return unexpected(e, uri);
    }

    /**
     * PostgreSQL unreachable (restarting, recovering, out of connections: {@link Unavailable}): 503 with Retry-After,
     * not a 500. Nothing of the request was saved; sending it again in a few seconds is the remedy.
     */
    private Uni<Response> unavailable(Throwable e, UriInfo uri) {
        Log.warnf("Database unavailable on %s: %s", uri.getPath(), e.toString());
        String title = "Unavailable for a moment";
        String detail = "Roundtable cannot reach its database just now. Nothing was saved by this request; please try "
                + "again in a few seconds.";
        // A page is shown as to a guest: finding out who the viewer is would need the database too.
        Uni<Response> response = isApi(uri) ? Uni.createFrom().item(problem(uri, 503, title, detail, Map.of()).build())
                : Uni.createFrom().deferred(() -> Templates.error(Viewer.GUEST, 503, title, detail).createUni())
                        .map(html -> Response.status(503).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8")).entity(html).build());
        return response.map(r -> Response.fromResponse(r).header(HttpHeaders.RETRY_AFTER, Unavailable.RETRY_AFTER_SECONDS).build());
    }

    @ServerExceptionMapper
    public Uni<Response> unexpected(Throwable e, UriInfo uri) {
        if (Unavailable.database(e)) {
            return unavailable(e, uri);
        }
        // Hibernate Reactive wraps PostgreSQL's refusal in exceptions of its own: the same refusal, the same answer.
        for (Throwable t = e.getCause(); t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof PgException pg) {
                return database(pg, uri);
            }
        }
        Log.errorf(e, "Unexpected error on %s", uri.getPath());
        return respond(uri, 500, "Something went wrong",
                "The server could not finish this request. Nothing was changed by it that you will not see; please try again.",
                Map.of());
    }

    private Uni<Response> respond(UriInfo uri, int status, String title, String detail, Map<String, String> errors) {
        if (isApi(uri)) {
            return Uni.createFrom().item(problem(uri, status, title, detail, errors).build());
        }
        return viewers.current()
                .onFailure().recoverWithItem(Viewer.GUEST)
                .flatMap(viewer -> Templates.error(viewer, status, title, detail).createUni())
                .map(html -> Response.status(status).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8")).entity(html).build());
    }

    private static Response.ResponseBuilder problem(UriInfo uri, int status, String title, String detail,
            Map<String, String> errors) {
        return Response.status(status).type(Problem.MEDIA_TYPE)
                .entity(Problem.of(status, title, detail, uri.getPath(), errors));
    }

    static boolean isApi(UriInfo uri) {
        String path = uri.getPath();
        return path.equals("/api") || path.startsWith("/api/");
    }
}
