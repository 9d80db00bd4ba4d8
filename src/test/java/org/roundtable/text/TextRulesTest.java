package org.roundtable.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.roundtable.thread.PostRules;
import org.roundtable.problem.DomainException;

/**
 * The shared text rules, over the whole of Unicode: not a few examples but every code point of each kind (the loops run
 * over all 1,114,112 code points, so nothing depends on chance).
 */
class TextRulesTest {

    /** Every code point the rules call invisible or a combining mark: the whole class, as Java's Unicode tables say. */
    static final List<Integer> BLANK_LIKE = IntStream.rangeClosed(0, Character.MAX_CODE_POINT)
            .filter(cp -> TextRules.invisible(cp) || TextRules.combining(cp)).boxed().toList();

    @Test
    void shouldCountTheWholeClassAsBlankLikeNamedExamplesIncluded() {
        // the examples of the issue and the kinds it names, each a member of the class
        int[] named = { 0x200B, 0x200C, 0x200D, 0x200E, 0x200F, 0x2060, 0x2061, 0x2062, 0x2063, 0x2064, 0xFEFF, 0x202A,
                0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069, 0x00A0, 0x2000, 0x2007, 0x200A, 0x202F,
                0x205F, 0x3000, 0x3164, 0x115F, 0x1160, 0xFFA0, 0x2800, 0x0300, 0x0301, 0x20DD, 0x034F, 0xFE0F, 0xE0041,
                0x2028, 0x2029, 0x0009, 0x000A, 0x000D, 0x0085, 0x180E, 0x17B4, 0x00AD };
        for (int cp : named) {
            assertThat(BLANK_LIKE).as("U+%04X", cp).contains(cp);
        }
        assertThat(BLANK_LIKE.size()).as("size of the class").isGreaterThan(2000);
    }

    @Test
    void shouldRefuseEveryBlankLikeCodePointAsATitleAloneRepeatedAndMixed() {
        List<String> accepted = new ArrayList<>();
        StringBuilder mixed = new StringBuilder();
        for (int cp : BLANK_LIKE) {
            String five = new String(Character.toChars(cp)).repeat(5);
            assertThat(TextRules.isBlank(five)).as("U+%04X x5", cp).isTrue();
            assertThat(TextRules.strip(five)).as("U+%04X stripped", cp).isEmpty();
            if (titleAccepted(five)) {
                accepted.add(String.format("U+%04X", cp));
            }
            mixed.appendCodePoint(cp);
        }
        assertThat(accepted).as("titles made of one invisible character, five times, that were accepted").isEmpty();
        assertThat(TextRules.isBlank(mixed.toString())).isTrue();
        assertThat(titleAccepted(mixed.toString())).isFalse();
    }

    @Test
    void shouldKeepEveryLetterDigitAndSymbolAsSomethingThatShows() {
        List<String> lost = new ArrayList<>();
        for (int cp = 0; cp <= Character.MAX_CODE_POINT; cp++) {
            int type = Character.getType(cp);
            boolean visibleKind = Character.isLetterOrDigit(cp) || type == Character.MATH_SYMBOL
                    || type == Character.OTHER_SYMBOL || type == Character.CURRENCY_SYMBOL
                    || type == Character.OTHER_PUNCTUATION;
            if (visibleKind && TextRules.isBlank(new String(Character.toChars(cp)))) {
                lost.add(String.format("U+%04X", cp));
            }
        }
        // the fillers and the blank braille pattern are letters and symbols that draw nothing: the only ones refused
        assertThat(lost).containsExactlyInAnyOrder("U+115F", "U+1160", "U+3164", "U+FFA0", "U+2800");
    }

    @Test
    void shouldAcceptTitlesWithVisibleTextWhateverSurroundsItAndStoreThemWithoutInvisibleEnds() {
        assertThat(titleAccepted("\u200B\u00A0Budget season\u200B\u3000")).isTrue();
        assertThat(PostRules.title("\u200B\u00A0Budget season\u200B\u3000")).isEqualTo("Budget season");
        assertThat(titleAccepted("\u05E9\u05DC\u05D5\u05DD \u05E2\u05D5\u05DC\u05DD")).isTrue(); // Hebrew
        assertThat(titleAccepted("\u202EBudget season")).isTrue(); // an override with text: isolated when shown
        assertThat(PostRules.title("e\u0301te\u0301 plans")).isEqualTo("e\u0301te\u0301 plans");
        assertThat(TextRules.strip("\u0301\u0301abc\u0301")).isEqualTo("abc\u0301"); // marks with no letter go
        assertThat(titleAccepted("\uD83D\uDC4D\uFE0F\uD83D\uDC4D\uFE0F\uD83D\uDC4D\uFE0F")).isTrue(); // emoji
    }

    @Test
    void shouldRefuseEveryControlCharacterAndLineSeparatorInATitleWithAMessageNamingTheField() {
        List<String> accepted = new ArrayList<>();
        for (int cp = 0; cp <= Character.MAX_CODE_POINT; cp++) {
            if (TextRules.breaksLine(cp)) {
                String title = "Budget " + new String(Character.toChars(cp)) + "season";
                Map<String, String> errors = titleErrors(title);
                if (!errors.containsKey("title")) {
                    accepted.add(String.format("U+%04X", cp));
                } else if (cp == '\n') {
                    assertThat(errors.get("title")).contains("one line");
                }
            }
        }
        assertThat(accepted).isEmpty();
        assertThat(titleErrors("Budget\r\nReply-To: x@evil").get("title")).contains("one line");
    }

    @Test
    void shouldCheckOneLineAndMultiLineFieldsAlike() {
        Map<String, String> errors = new LinkedHashMap<>();
        assertThat(TextRules.oneLineField(errors, "name", "the cohort's name", "\u3164\u3164", true)).isNull();
        assertThat(errors.get("name")).startsWith("Give the cohort's name");
        errors.clear();
        TextRules.oneLineField(errors, "reason", "the reason", "spam\tspam", false);
        assertThat(errors.get("reason")).startsWith("The reason must be one line");
        errors.clear();
        assertThat(TextRules.oneLineField(errors, "reason", "the reason", "\u00A0", false)).isNull();
        assertThat(errors).isEmpty();
        assertThat(TextRules.multiLineField(errors, "description", "the description", "Line one\r\n\tLine two"))
                .isEqualTo("Line one\r\n\tLine two");
        assertThat(errors).isEmpty();
        TextRules.multiLineField(errors, "description", "the description", "bell \u0007");
        assertThat(errors).containsKey("description");
    }

    @Test
    void shouldMakeTextOneLineWhereItCannotBeRefused() {
        assertThat(TextRules.oneLine("Hi\r\nReply-To: x@evil\r\nContent-Type: text/html"))
                .isEqualTo("Hi Reply-To: x@evil Content-Type: text/html");
        assertThat(TextRules.oneLine("a\u2028b\u0085c\td")).isEqualTo("a b c d");
        for (int cp = 0; cp <= Character.MAX_CODE_POINT; cp++) {
            if (TextRules.breaksLine(cp)) {
                String line = TextRules.oneLine("x" + new String(Character.toChars(cp)) + "y");
                assertThat(TextRules.hasLineBreakOrControl(line)).as("U+%04X", cp).isFalse();
            }
        }
    }

    @Test
    void shouldShowTheUsernameWhenADisplayNameHasNothingVisible() {
        assertThat(TextRules.displayName("\u200B\u200B\u200B\u200B\u200B", "ada")).isEqualTo("ada");
        assertThat(TextRules.displayName("\u00A0\u00A0\u00A0\u00A0\u00A0", "ada")).isEqualTo("ada");
        assertThat(TextRules.displayName("\u3164 \u3164", "ada")).isEqualTo("ada");
        assertThat(TextRules.displayName(null, "ada")).isEqualTo("ada");
        assertThat(TextRules.displayName(" Ada\nLovelace\u200B", "ada")).isEqualTo("Ada Lovelace");
    }

    @Test
    void shouldIsolateTextAndCloseTheIsolatesItLeftOpen() {
        assertThat(TextRules.isolated("abc")).isEqualTo("\u2068abc\u2069");
        // an open isolate in the text would take our PDI: it is closed first
        assertThat(TextRules.isolated("a\u2067b")).isEqualTo("\u2068a\u2067b\u2069\u2069");
        assertThat(TextRules.isolated("a\u2067b\u2069")).isEqualTo("\u2068a\u2067b\u2069\u2069");
        assertThat(TextRules.isolated("a\u2069b")).isEqualTo("\u2068a\u2069b\u2069");
    }

    private static boolean titleAccepted(String title) {
        return !titleErrors(title).containsKey("title");
    }

    private static Map<String, String> titleErrors(String title) {
        try {
            PostRules.checkThread(title, "A body", List.of());
            return Map.of();
        } catch (DomainException e) {
            return e.fieldErrors();
        }
    }
}
