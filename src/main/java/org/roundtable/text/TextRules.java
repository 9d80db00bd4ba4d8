package org.roundtable.text;

import java.util.Map;

/**
 * What a piece of text people type must be, for every feature alike: titles, names, tags, reasons, descriptions.
 * <p>
 * <b>Blank-like text.</b> Text a reader cannot see is refused like empty text: text made only of spaces of any kind
 * (U+0020, U+00A0, U+3000 and the rest of Zs), line and paragraph separators, control characters (Cc), format
 * characters (Cf: zero-width spaces and joiners U+200B..U+200D, marks U+200E/U+200F, bidi embeddings, overrides and
 * isolates, U+2060.., U+FEFF, tags), fillers that render as nothing (U+115F, U+1160, U+3164, U+FFA0, U+17B4, U+17B5),
 * the blank braille pattern U+2800, and combining marks (Mn, Me) that have no letter to sit on.
 * <p>
 * <b>One-line fields</b> (titles, names, tags, reasons, addresses) refuse control characters, tabs and line breaks
 * included, and the Unicode line and paragraph separators U+2028/U+2029: they would break a mail header, a log line or
 * the line a page shows. Multi-line fields (descriptions, notes) take line breaks and tabs and refuse the other control
 * characters.
 * <p>
 * Where text cannot be refused (a name in a Keycloak token, data stored before these rules, a mail header), it is made
 * fit with {@link #oneLine(String)}; where user text sits in plain text beside other text (mails), {@link #isolated}
 * keeps its direction from spilling over (pages use {@code <bdi>} and {@code dir="auto"}).
 */
public final class TextRules {

    /** First Strong Isolate and Pop Directional Isolate (Unicode 6.3): the plain-text counterpart of {@code <bdi>}. */
    public static final char FSI = '\u2068';
    public static final char PDI = '\u2069';

    private TextRules() {
    }

    /** Invisible on its own: spaces, separators, controls, format characters, fillers, the blank braille pattern. */
    public static boolean invisible(int cp) {
        switch (Character.getType(cp)) {
            case Character.SPACE_SEPARATOR, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR, Character.CONTROL,
                    Character.FORMAT:
                return true;
            default:
                break;
        }
        return switch (cp) {
            // Hangul fillers, Khmer inherent vowels, the blank braille pattern: letters or symbols that draw nothing
            case 0x115F, 0x1160, 0x3164, 0xFFA0, 0x17B4, 0x17B5, 0x2800 -> true;
            // Mongolian vowel separator (Zs in older Unicode, Cf since 6.3), shown as nothing either way
            case 0x180E -> true;
            default -> false;
        };
    }

    /** A combining mark: it draws only on the letter before it. */
    public static boolean combining(int cp) {
        int type = Character.getType(cp);
        return type == Character.NON_SPACING_MARK || type == Character.ENCLOSING_MARK;
    }

    /** Nothing a reader can see: null, empty, or only invisible characters and combining marks with no letter. */
    public static boolean isBlank(String text) {
        return text == null || text.codePoints().allMatch(cp -> invisible(cp) || combining(cp));
    }

    /**
     * The text without what is invisible at its ends: invisible characters at both ends, and combining marks at the
     * start (they have no letter to sit on). A mark at the end stays: it belongs to the letter before it.
     */
    public static String strip(String text) {
        if (text == null) {
            return null;
        }
        int start = 0;
        int end = text.length();
        while (start < end) {
            int cp = text.codePointAt(start);
            if (!invisible(cp) && !combining(cp)) {
                break;
            }
            start += Character.charCount(cp);
        }
        while (end > start) {
            int cp = text.codePointBefore(end);
            if (!invisible(cp)) {
                break;
            }
            end -= Character.charCount(cp);
        }
        return text.substring(start, end);
    }

    /** A control character (Cc: tabs and line breaks included) or a Unicode line or paragraph separator. */
    public static boolean breaksLine(int cp) {
        int type = Character.getType(cp);
        return type == Character.CONTROL || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR;
    }

    /** Whether a one-line field would be refused: it has a control character or a line or paragraph separator. */
    public static boolean hasLineBreakOrControl(String text) {
        return text != null && text.codePoints().anyMatch(TextRules::breaksLine);
    }

    /** Whether a multi-line field would be refused: a control character other than line feed, carriage return, tab. */
    public static boolean hasControl(String text) {
        return text != null && text.codePoints()
                .anyMatch(cp -> Character.getType(cp) == Character.CONTROL && cp != '\n' && cp != '\r' && cp != '\t');
    }

    /**
     * Checks a one-line field and puts its error, if any, under {@code field}: blank-like text when {@code required}
     * ("Give ..."), control characters and line breaks always. {@code what} names the field in the message ("the
     * title"). Returns the field's text {@link #strip stripped} (null when blank and not required).
     */
    public static String oneLineField(Map<String, String> errors, String field, String what, String text, boolean required) {
        if (hasLineBreakOrControl(text)) {
            errors.putIfAbsent(field, capitalized(what) + " must be one line: it has a line break, a tab or another "
                    + "control character.");
            return text;
        }
        if (isBlank(text)) {
            if (required) {
                errors.putIfAbsent(field, "Give " + what + ": it is empty or has only spaces or invisible characters.");
            }
            return null;
        }
        return strip(text);
    }

    /**
     * Checks a multi-line field (line breaks and tabs are fine) and puts its error, if any, under {@code field}.
     * Returns the text {@link #strip stripped}, null when blank-like (the caller decides whether that is allowed).
     */
    public static String multiLineField(Map<String, String> errors, String field, String what, String text) {
        if (hasControl(text)) {
            errors.putIfAbsent(field, capitalized(what) + " has a control character: remove it.");
            return text;
        }
        return isBlank(text) ? null : strip(text);
    }

    /**
     * Text made fit for one line where it cannot be refused (a name in a token, a mail header, data stored earlier):
     * every control character and line or paragraph separator becomes a space, and runs of them one space. Never null
     * for a non-null text.
     */
    public static String oneLine(String text) {
        if (text == null || !hasLineBreakOrControl(text)) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        boolean space = false;
        for (int i = 0; i < text.length();) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            if (breaksLine(cp)) {
                if (!space) {
                    out.append(' ');
                    space = true;
                }
            } else {
                out.appendCodePoint(cp);
                space = false;
            }
        }
        return out.toString();
    }

    /**
     * A name to show, from what an identity provider says: made one line and stripped; when nothing visible is left,
     * the {@code fallback} (the username).
     */
    public static String displayName(String name, String fallback) {
        String shown = name == null ? null : strip(oneLine(name));
        return isBlank(shown) ? fallback : shown;
    }

    /**
     * User text for plain text beside other text (mails, a page's {@code <title>}): between FSI and PDI, so that a
     * right-to-left override or right-to-left letters in it do not reorder what follows. Isolates the text opened and
     * left open are closed first: otherwise the closing PDI would close one of theirs instead of ours.
     */
    public static String isolated(String text) {
        if (text == null) {
            return null;
        }
        int open = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\u2066' || c == '\u2067' || c == FSI) {
                open++;
            } else if (c == PDI && open > 0) {
                open--;
            }
        }
        return FSI + text + String.valueOf(PDI).repeat(open) + PDI;
    }

    private static String capitalized(String what) {
        return what.isEmpty() ? what : Character.toUpperCase(what.charAt(0)) + what.substring(1);
    }
}
