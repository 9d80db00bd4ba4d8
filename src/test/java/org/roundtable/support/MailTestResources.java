package org.roundtable.support;

import io.quarkus.test.common.QuarkusTestResource;

/** Registers the run's SMTP server (GreenMail) for every @QuarkusTest, beside the local stack. */
@QuarkusTestResource(value = Mailbox.class, restrictToAnnotatedClass = false)
public final class MailTestResources {
    private MailTestResources() {
    }
}
