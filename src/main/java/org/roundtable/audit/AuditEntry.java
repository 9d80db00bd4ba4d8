package org.roundtable.audit;

import io.vertx.core.json.JsonObject;

/**
 * One entry for the audit log, as {@link AuditLog#record} writes it: who acted ({@code actorId}, null for the system,
 * e.g. flags reaching the threshold), the action ("post.hide", "cohort.create", ...), its target (type and id), the
 * pseudonym of an anonymous post acted on (never a member), the reason given, the state before and after, and the
 * channel it happened in (null: none; facilitators read the entries of channels they moderate).
 */
public record AuditEntry(Long actorId, String action, String targetType, String targetId, String targetPseudonym,
        String reason, JsonObject before, JsonObject after, Long channelId) {

    /** An entry without pseudonym, reason, before, after or channel; add them with the {@code with…} methods. */
    public static AuditEntry of(Long actorId, String action, String targetType, String targetId) {
        return new AuditEntry(actorId, action, targetType, targetId, null, null, null, null, null);
    }

    public AuditEntry withPseudonym(String pseudonym) {
        return new AuditEntry(actorId, action, targetType, targetId, pseudonym, reason, before, after, channelId);
    }

    public AuditEntry withReason(String reason) {
        return new AuditEntry(actorId, action, targetType, targetId, targetPseudonym, reason, before, after, channelId);
    }

    public AuditEntry withChange(JsonObject before, JsonObject after) {
        return new AuditEntry(actorId, action, targetType, targetId, targetPseudonym, reason, before, after, channelId);
    }

    public AuditEntry inChannel(Long channelId) {
        return new AuditEntry(actorId, action, targetType, targetId, targetPseudonym, reason, before, after, channelId);
    }
}
