package org.roundtable.problem;

import java.util.Map;

/**
 * A refusal a person can act on. Mapped once, in {@link ErrorMapper}, to problem+json for /api and to an error
 * page (or the form shown again) for pages.
 */
public class DomainException extends RuntimeException {

    private final int status;
    private final String title;
    private final Map<String, String> fieldErrors;

    protected DomainException(int status, String title, String detail, Map<String, String> fieldErrors) {
        super(detail, null, false, false);
        this.status = status;
        this.title = title;
        this.fieldErrors = fieldErrors == null ? Map.of() : Map.copyOf(fieldErrors);
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    public Map<String, String> fieldErrors() {
        return fieldErrors;
    }

    /** Absent, or present but not for this viewer: the two look the same. */
    public static DomainException notFound(String what) {
        return new DomainException(404, "Not found", what + " was not found.", null);
    }

    public static DomainException forbidden(String detail) {
        return new DomainException(403, "Not allowed", detail, null);
    }

    public static DomainException conflict(String detail) {
        return new DomainException(409, "Conflict", detail, null);
    }

    public static DomainException invalid(Map<String, String> fieldErrors) {
        return new DomainException(400, "Please correct the marked fields",
                String.join(" ", fieldErrors.values()), fieldErrors);
    }

    /** Over a rate limit: try again after the given number of seconds (sent as Retry-After). */
    public static DomainException tooManyRequests(String detail, long retryAfterSeconds) {
        DomainException e = new DomainException(429, "Too many requests", detail, null);
        e.retryAfter = Math.max(1, retryAfterSeconds);
        return e;
    }

    /**
     * Refused for now because the service is busy, not because of the request: send it again after the given number
     * of seconds (503 Service Unavailable with Retry-After, RFC 9110 15.6.4).
     */
    public static DomainException unavailable(String detail, long retryAfterSeconds) {
        DomainException e = new DomainException(503, "Busy for a moment", detail, null);
        e.retryAfter = Math.max(1, retryAfterSeconds);
        return e;
    }

    private long retryAfter;

    /** Seconds to wait before trying again (429 and 503); 0 otherwise. */
    public long retryAfter() {
        return retryAfter;
    }

    /** Understood but refused as asked: the person can change the request (422). */
    public static DomainException unprocessable(String detail) {
        return new DomainException(422, "Cannot do this as asked", detail, null);
    }

    public static DomainException badRequest(String detail) {
        return new DomainException(400, "Bad request", detail, null);
    }
}
