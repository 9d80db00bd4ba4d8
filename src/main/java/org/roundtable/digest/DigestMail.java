package org.roundtable.digest;

import io.quarkus.mailer.Mail;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.roundtable.mail.OutgoingMail;
import org.roundtable.security.SignedLinks;

/**
 * A digest as a mail: a plain-text and an HTML part from Qute templates (no remote images, no scripts, inline styles
 * only), and the one-click unsubscribe headers of RFC 8058 with a signed link that works without a login.
 */
@ApplicationScoped
public class DigestMail {

    /** The purpose of unsubscribe tokens: a token for anything else is refused by the unsubscribe page. */
    public static final String UNSUBSCRIBE = "digest-unsubscribe";
    /** The purpose of the tokens that turn mention mails off (and nothing else). */
    public static final String MENTION_UNSUBSCRIBE = "mention-unsubscribe";

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance digestText(DigestView digest);

        static native TemplateInstance digestHtml(DigestView digest);
    }

    private final SignedLinks links;
    private final DigestConfig config;
    private final String baseUrl;

    public DigestMail(SignedLinks links, DigestConfig config, @ConfigProperty(name = "roundtable.base-url") String baseUrl) {
        this.links = links;
        this.config = config;
        this.baseUrl = baseUrl.replaceAll("/+$", "");
    }

    public String baseUrl() {
        return baseUrl;
    }

    /** The host of the base URL, the right-hand side of the Message-IDs the app makes. */
    public String mailDomain() {
        String host = java.net.URI.create(baseUrl).getHost();
        return host == null ? "roundtable" : host;
    }

    /** The signed one-click link: member id, purpose, expiry. */
    public String unsubscribeUrl(long memberId) {
        String token = links.sign(UNSUBSCRIBE, Map.of("sub", String.valueOf(memberId)), config.unsubscribeLinkTtl());
        return baseUrl + UnsubscribeRoute.PATH + "?token=" + token;
    }

    /** The signed one-click link that turns the member's mention mails off: member id, its own purpose, expiry. */
    public String mentionUnsubscribeUrl(long memberId) {
        String token = links.sign(MENTION_UNSUBSCRIBE, Map.of("sub", String.valueOf(memberId)), config.unsubscribeLinkTtl());
        return baseUrl + UnsubscribeRoute.MENTIONS_PATH + "?token=" + token;
    }

    public Uni<Mail> render(String to, DigestView digest) {
        return Templates.digestText(digest).createUni()
                .flatMap(text -> Templates.digestHtml(digest).createUni()
                        .map(html -> {
                            Mail mail = OutgoingMail.of(to, digest.title(), text, html);
                            OutgoingMail.header(mail, "List-Unsubscribe", "<" + digest.unsubscribeUrl() + ">");
                            OutgoingMail.header(mail, "List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
                            OutgoingMail.header(mail, "Auto-Submitted", "auto-generated");
                            return OutgoingMail.header(mail, "Precedence", "list");
                        }));
    }
}
