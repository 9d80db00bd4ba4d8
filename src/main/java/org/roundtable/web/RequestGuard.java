package org.roundtable.web;

import org.roundtable.problem.Problem;
import io.quarkus.logging.Log;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.WebApplicationException;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.roundtable.security.Viewer;

/**
 * The first look at every request, before any page or API code, for the kinds of bad input that are the same
 * everywhere:
 * <ul>
 * <li>an address or a query parameter that holds a NUL character or bytes that are not UTF-8 ({@code %00},
 * {@code %C3%28}, {@code %FF}) is refused with 400: no slug, username, id, search or filter can contain them, and
 * PostgreSQL text cannot hold a NUL. Vert.x would decode the bytes leniently and hand them on;</li>
 * <li>a refusal raised below the REST resources, where no exception mapper sees it, is answered as the refusal it is:
 * the form parser throws its 413 from the body's data handler, which reached the client as a 500.</li>
 * </ul>
 * Fields of forms and JSON bodies are checked where they are read ({@link Input}), so that the refusal names them.
 */
@ApplicationScoped
public class RequestGuard {

    /** After Quarkus's own first handlers (body, upload limits), before authentication and the REST layer. */
    static final int ORDER = -1;

    private final Template error;

    public RequestGuard(@Location("ErrorPage/error") Template error) {
        this.error = error;
    }

    void register(@Observes Router router) {
        router.route().order(ORDER).handler(this::check);
        router.route().order(ORDER).failureHandler(this::refusal);
    }

    private void check(RoutingContext ctx) {
        String uri = ctx.request().uri();
        int q = uri.indexOf('?');
        String path = q < 0 ? uri : uri.substring(0, q);
        String problem = path.contains("%") ? undecodable(path, false) : null;
        if (problem != null) {
            refuse(ctx, 400, "Bad address", "The address holds " + problem + ", which no address here can hold.");
            return;
        }
        if (q >= 0) {
            for (String pair : uri.substring(q + 1).split("&")) {
                int eq = pair.indexOf('=');
                String name = eq < 0 ? pair : pair.substring(0, eq);
                problem = undecodable(pair, true);
                if (problem != null) {
                    String shown = undecodable(name, true) == null ? decode(name, true) : "of the query";
                    refuse(ctx, 400, "Bad request", "The query parameter \"" + shown + "\" holds " + problem
                            + ", which no value here can hold.");
                    return;
                }
            }
        }
        ctx.next();
    }

    /** What is wrong with the percent-encoded text (NUL, or bytes that are not UTF-8), or null when nothing is. */
    static String undecodable(String encoded, boolean plusIsSpace) {
        byte[] bytes = bytes(encoded, plusIsSpace);
        for (byte b : bytes) {
            if (b == 0) {
                return "a NUL character (%00)";
            }
        }
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes));
            return null;
        } catch (CharacterCodingException e) {
            return "bytes that are not UTF-8 text";
        }
    }

    private static String decode(String encoded, boolean plusIsSpace) {
        return new String(bytes(encoded, plusIsSpace), StandardCharsets.UTF_8);
    }

    /** The bytes a percent-encoded text stands for; a '%' not followed by two hex digits stands for itself. */
    private static byte[] bytes(String encoded, boolean plusIsSpace) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(encoded.length());
        byte[] raw = encoded.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < raw.length; i++) {
            byte b = raw[i];
            if (b == '%' && i + 2 < raw.length && hex(raw[i + 1]) >= 0 && hex(raw[i + 2]) >= 0) {
                out.write(hex(raw[i + 1]) * 16 + hex(raw[i + 2]));
                i += 2;
            } else {
                out.write(plusIsSpace && b == '+' ? ' ' : b);
            }
        }
        return out.toByteArray();
    }

    private static int hex(byte b) {
        return Character.digit(b, 16);
    }

    /**
     * A refusal (a 4xx WebApplicationException) that failed the route outside the REST layer's exception mappers: answered
     * with its own status, not as a 500. Other failures go on to Quarkus's error handler.
     */
    private void refusal(RoutingContext ctx) {
        if (!(ctx.failure() instanceof WebApplicationException refused) || ctx.response().headWritten()) {
            ctx.next();
            return;
        }
        int status = refused.getResponse().getStatus();
        if (status < 400 || status >= 500) {
            ctx.next();
            return;
        }
        Log.debugf("Refused %s with %d: %s", ctx.request().path(), status, refused);
        switch (status) {
            case 413 -> refuse(ctx, 413, "Too long", "What you sent is larger than this address takes. Nothing was "
                    + "saved. A post takes at most 50,000 characters: go back, shorten the text and send it again.");
            case 404 -> refuse(ctx, 404, "Not found", "There is nothing at this address.");
            default -> refuse(ctx, status, "Bad request", "This request cannot be answered as it was sent. Nothing was saved.");
        }
    }

    private void refuse(RoutingContext ctx, int status, String title, String detail) {
        RefusedUri.tag(ctx);
        String path = ctx.request().path(); // as sent, still percent-encoded
        if (path.equals("/api") || path.startsWith("/api/")) {
            ctx.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                    .end(new JsonObject().put("type", "about:blank").put("title", title).put("status", status)
                            .put("detail", detail).put("instance", path).encode());
            return;
        }
        String html = error.data("viewer", Viewer.GUEST).data("status", status).data("title", title)
                .data("detail", detail).render();
        ctx.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "text/html;charset=UTF-8").end(html);
    }
}
