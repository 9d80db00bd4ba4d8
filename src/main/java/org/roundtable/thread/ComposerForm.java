package org.roundtable.thread;

import io.quarkus.qute.TemplateData;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.roundtable.problem.DomainException;

/**
 * A composer's input as the person typed it, kept through preview and refusals so that nothing is lost, with the
 * preview and the errors to show beside it. {@code idempotencyKey} is made once, when the composer opens: a double
 * submit, or a submit after a preview, makes one post.
 */
@TemplateData
public record ComposerForm(String title, String body, String tags, Long replyTo, Integer version, String idempotencyKey,
        String previewHtml, Map<String, String> errors, String notice, List<String> unseen) {

    public ComposerForm {
        unseen = unseen == null ? List.of() : List.copyOf(unseen);
    }

    ComposerForm(String title, String body, String tags, Long replyTo, Integer version, String idempotencyKey,
            String previewHtml, Map<String, String> errors, String notice) {
        this(title, body, tags, replyTo, version, idempotencyKey, previewHtml, errors, notice, List.of());
    }

    /** The fields the composers show; an error on any other field goes to the summary only. */
    private static final List<String> FIELDS = List.of("title", "body", "tags");

    public record FieldError(String field, String message, String anchor) {
    }

    public static ComposerForm thread(String title, String body, String tags, String key) {
        return new ComposerForm(title, body, tags, null, null, keyOrNew(key), null, Map.of(), null);
    }

    public static ComposerForm reply(String body, Long replyTo, String key) {
        return new ComposerForm(null, body, null, replyTo, null, keyOrNew(key), null, Map.of(), null);
    }

    public static ComposerForm edit(String body, int version) {
        return new ComposerForm(null, body, null, null, version, null, null, Map.of(), null);
    }

    public ComposerForm withPreview(String html) {
        return new ComposerForm(title, body, tags, replyTo, version, idempotencyKey, html, Map.of(), null);
    }

    /**
     * The preview, with the members the text mentions who cannot see where it is posted ({@code unseen}, usernames):
     * the preview says that they will not be notified, and that their mention is posted as plain text.
     */
    public ComposerForm withPreview(String html, java.util.Collection<String> unseen) {
        return new ComposerForm(title, body, tags, replyTo, version, idempotencyKey, html, Map.of(), null,
                List.copyOf(unseen));
    }

    public ComposerForm withVersion(int current) {
        return new ComposerForm(title, body, tags, replyTo, current, idempotencyKey, previewHtml, errors, notice);
    }

    /** The refusal shown: each field's message beside it, and a summary at the top. */
    public ComposerForm withError(DomainException e) {
        Map<String, String> fields = new LinkedHashMap<>(e.fieldErrors());
        String summary = fields.isEmpty() ? e.getMessage() : "Please correct the marked fields. Nothing was posted yet.";
        return new ComposerForm(title, body, tags, replyTo, version, idempotencyKey, null, fields, summary);
    }

    public boolean invalid(String field) {
        return errors.containsKey(field);
    }

    public String error(String field) {
        return errors.get(field);
    }

    public List<FieldError> errorList() {
        List<FieldError> list = new ArrayList<>();
        errors.forEach((field, message) -> list.add(new FieldError(field, message, FIELDS.contains(field) ? "#" + field : null)));
        return list;
    }

    public boolean hasErrors() {
        return notice != null;
    }

    /** The key the form carries; a missing or mangled one is replaced (the form then protects from here on). */
    static String keyOrNew(String key) {
        UUID parsed = IdempotencyKeys.fromForm(key);
        return (parsed == null ? UUID.randomUUID() : parsed).toString();
    }
}
