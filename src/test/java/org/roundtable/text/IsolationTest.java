package org.roundtable.text;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@code isolatedHtml}: the isolated text as escaped HTML in ASCII. */
class IsolationTest {

    @Test
    void shouldWriteTheIsolatesAndEveryCharacterOutsideAsciiAsReferencesAndEscapeMarkup() {
        assertThat(Isolation.isolatedHtml("Café <b>\"budget\"</b> & 'cuts' \uD83D\uDE00").toString())
                .isEqualTo("&#x2068;Caf&#xe9; &lt;b&gt;&quot;budget&quot;&lt;/b&gt; &amp; &#39;cuts&#39; &#x1f600;&#x2069;");
        assertThat(Isolation.isolatedHtml("a\u2067b").toString()).isEqualTo("&#x2068;a&#x2067;b&#x2069;&#x2069;");
        assertThat(Isolation.isolatedHtml(null)).isNull();
    }

    @Test
    void shouldKeepPlainAsciiAsItIs() {
        assertThat(Isolation.asciiHtml("Lunch duty, grades 3-5\tand\nmore")).isEqualTo("Lunch duty, grades 3-5\tand\nmore");
    }
}
