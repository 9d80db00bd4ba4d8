package org.roundtable.web;

import java.util.Locale;

/**
 * A face beside a name (issue 19): the member's initials on a colour, drawn as a small inline SVG by the user tag
 * {@code {#face author.face /}} (templates/tags/face.html). It is decorative: the name stands beside it, so the SVG is
 * hidden from assistive technology.
 * <p>
 * Anonymity: a post under a pseudonym gets the one neutral mark that every anonymous post gets ({@link #NEUTRAL}):
 * nothing in it derives from the member behind the pseudonym, nor from the pseudonym itself. Named faces are made
 * from the name and username the page already shows, and from nothing else. A member's face may instead be the picture
 * their identity provider gives ({@link #withPicture}; the directory and profile pages), never a pseudonym's.
 */
public record Face(String initials, String colour, boolean neutral, String picture, String name) {

    /** The mark of anonymous posts, former members and anything without a member name: the same for all of them. */
    public static final Face NEUTRAL = new Face("", "#5b6575", true, null, null);

    /** Dark colours on which white initials read (contrast 4.5:1 or more), picked by the username. */
    static final String[] COLOURS = {"#1f5fa8", "#1d7a46", "#8a4b00", "#b3261e", "#6b3fa0", "#0f6b74", "#8a3b6b", "#3f4b5e"};

    /** A member's face from their username (its colour) and name (its initials); {@link #NEUTRAL} without a username. */
    public static Face of(String username, String name) {
        if (username == null || username.isBlank()) {
            return NEUTRAL;
        }
        return new Face(initials(name == null || name.isBlank() ? username : name),
                COLOURS[Math.floorMod(username.hashCode(), COLOURS.length)], false, null,
                name == null || name.isBlank() ? username : name);
    }

    /**
     * The same face with the identity provider's picture of the member (an https address that member/MemberConfig
     * allowed at login), shown in place of the initials with "Picture of name" as its text; unchanged for null and for
     * {@link #NEUTRAL}: a pseudonym never has a picture.
     */
    public Face withPicture(String url) {
        return neutral || url == null || !url.startsWith("https://") ? this : new Face(initials, colour, false, url, name);
    }

    /** The first letters of the first and last words (one for a single word), upper case; "?" when there is none. */
    static String initials(String name) {
        String[] words = name.strip().split("[\\s\\p{Z}]+");
        StringBuilder out = new StringBuilder();
        String first = firstLetter(words[0]);
        if (first != null) {
            out.append(first);
        }
        if (words.length > 1) {
            String last = firstLetter(words[words.length - 1]);
            if (last != null) {
                out.append(last);
            }
        }
        return out.isEmpty() ? "?" : out.toString().toUpperCase(Locale.ROOT);
    }

    private static String firstLetter(String word) {
        return word.codePoints().filter(Character::isLetterOrDigit).findFirst()
                .stream().mapToObj(Character::toString).findFirst().orElse(null);
    }
}
