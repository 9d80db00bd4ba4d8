package org.roundtable.text;

import io.quarkus.qute.TemplateExtension;

/**
 * User text in plain text, for templates: {@code {thread.title.isolated}} puts it between the Unicode isolates FSI and
 * PDI ({@link TextRules#isolated}). Plain-text mails and a page's {@code <title>} use it; HTML uses {@code <bdi>} or
 * {@code dir="auto"} on the element that holds the text.
 */
@TemplateExtension
public final class Isolation {

    private Isolation() {
    }

    static String isolated(String text) {
        return TextRules.isolated(text);
    }
}
