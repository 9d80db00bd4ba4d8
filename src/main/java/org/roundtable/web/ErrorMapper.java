package org.roundtable.web;

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
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
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
        int status = e.getResponse().getStatus();
        String title = switch (status) {
            case 404 -> "Not found";
            case 405 -> "Method not allowed";
            case 415 -> "Unsupported media type";
            case 406 -> "Not acceptable";
            default -> status >= 500 ? "Something went wrong" : "Bad request";
        };
        String detail = status == 404 ? "There is nothing at this address." : e.getMessage();
        return respond(uri, status, title, detail, Map.of());
    }

    @ServerExceptionMapper
    public Uni<Response> unexpected(Throwable e, UriInfo uri) {
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
