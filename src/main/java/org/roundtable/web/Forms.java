package org.roundtable.web;

import org.roundtable.problem.DomainException;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.net.URI;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * How every form of every page answers, one way for all of them. Handled: 303 See Other to the page that shows the
 * result. Refused for a reason the person can act on ({@link #showsForm}: 400 invalid input, 403 with its reason
 * (suspended, silenced, not theirs to do), 409 conflicts, 413 too long, 429 rate limits with Retry-After): the page with
 * the form again, the input kept as it was sent, the wrong fields marked and the message at the top, with the refusal's
 * status. Nothing typed is lost. A 404 (gone, or not theirs to see) is the error page: there is no form to show.
 */
public final class Forms {

    private static final MediaType HTML = MediaType.TEXT_HTML_TYPE.withCharset("UTF-8");

    private Forms() {
    }

    /**
     * Runs the form's action and answers 303 to the address it gives; refused, the page {@code again} makes for the
     * refusal (the form with what was sent: {@link SentForm}, or the composer's own form).
     *
     * @param action the service call, mapped to the address of the result; a refusal it throws before returning its
     *        Uni counts as the Uni's failure
     */
    public static Uni<RestResponse<String>> submit(Supplier<Uni<String>> action,
            Function<DomainException, Uni<TemplateInstance>> again) {
        return Uni.createFrom().<String>deferred(action::get)
                .map(Forms::seeOther)
                .onFailure(Forms::showsForm)
                // Deferred: when the page cannot be shown to this person either (a 403, a 404), that refusal is the
                // answer, not a composite of the two.
                .recoverWithUni(e -> Uni.createFrom().<TemplateInstance>deferred(() -> again.apply((DomainException) e))
                        .flatMap(page -> shown(page, (DomainException) e)));
    }

    /** The refusals a page answers with its form again; others (404) are the error page. */
    public static boolean showsForm(Throwable failure) {
        return failure instanceof DomainException e && switch (e.status()) {
            case 400, 403, 409, 413, 429 -> true;
            default -> false;
        };
    }

    /** The page with the refused form, at the refusal's status (and Retry-After for a rate limit). */
    public static Uni<RestResponse<String>> shown(TemplateInstance page, DomainException refusal) {
        return page.createUni().map(html -> {
            RestResponse.ResponseBuilder<String> response = RestResponse.ResponseBuilder.<String>create(refusal.status())
                    .entity(html).type(HTML);
            if (refusal.retryAfter() > 0) {
                response.header(HttpHeaders.RETRY_AFTER, refusal.retryAfter());
            }
            return response.build();
        });
    }

    /** A page rendered with a status of its own (200 for a preview). */
    public static Uni<RestResponse<String>> shown(TemplateInstance page, int status) {
        return page.createUni().map(html -> RestResponse.ResponseBuilder.<String>create(status).entity(html).type(HTML).build());
    }

    public static RestResponse<String> seeOther(String location) {
        return RestResponse.seeOther(URI.create(location));
    }
}
