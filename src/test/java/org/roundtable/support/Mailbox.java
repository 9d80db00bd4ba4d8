package org.roundtable.support;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import jakarta.mail.BodyPart;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A real SMTP server for the run: GreenMail on a loopback port of its own (free, or
 * {@code -Droundtable.test.smtp-port}), which the app's mailer sends to. Tests get it with {@code @Mailbox.Inject}.
 */
public class Mailbox implements QuarkusTestResourceLifecycleManager {

    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.FIELD)
    public @interface Inject {
    }

    private GreenMail greenMail;

    @Override
    public Map<String, String> start() {
        int port = Integer.getInteger("roundtable.test.smtp-port", 0);
        if (port == 0) {
            try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
                port = socket.getLocalPort();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        greenMail = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        greenMail.start();
        return Map.of("quarkus.mailer.host", "127.0.0.1", "quarkus.mailer.port", String.valueOf(port),
                "quarkus.mailer.start-tls", "DISABLED", "quarkus.mailer.tls", "false");
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(greenMail, new TestInjector.AnnotatedAndMatchesType(Inject.class, GreenMail.class));
    }

    @Override
    public void stop() {
        if (greenMail != null) {
            greenMail.stop();
        }
    }

    /** The messages received so far for one address. */
    public static List<MimeMessage> to(GreenMail greenMail, String address) {
        List<MimeMessage> out = new ArrayList<>();
        for (MimeMessage message : greenMail.getReceivedMessages()) {
            try {
                if (message.getAllRecipients() != null && Arrays.stream(message.getAllRecipients())
                        .anyMatch(a -> a.toString().equalsIgnoreCase(address))) {
                    out.add(message);
                }
            } catch (MessagingException e) {
                throw new IllegalStateException(e);
            }
        }
        return out;
    }

    /** The text of the part with this content type ("text/plain", "text/html"), or null. */
    public static String part(Message message, String type) {
        try {
            Object content = message.getContent();
            if (content instanceof Multipart multipart) {
                return part(multipart, type);
            }
            return message.isMimeType(type) ? String.valueOf(content) : null;
        } catch (MessagingException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String part(Multipart multipart, String type) throws MessagingException, IOException {
        for (int i = 0; i < multipart.getCount(); i++) {
            BodyPart part = multipart.getBodyPart(i);
            if (part.getContent() instanceof Multipart nested) {
                String found = part(nested, type);
                if (found != null) {
                    return found;
                }
            } else if (part.isMimeType(type)) {
                return String.valueOf(part.getContent());
            }
        }
        return null;
    }
}
