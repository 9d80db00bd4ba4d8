package org.roundtable.thread.markdown;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Loads the XSS corpus {@code /xss/payloads.txt} from the test classpath.
 *
 * <p>Format: entries are separated by a line that is exactly {@code ----}, so a payload may span
 * lines. Lines starting with {@code ;;} are comments. The final line break of an entry is dropped;
 * entries that are blank are skipped. {@code {{U+XXXX}}} stands for that character (for control
 * characters and other invisibles that a text file should not hold literally).
 */
public final class XssPayloads {

    public static final String RESOURCE = "/xss/payloads.txt";

    private static final Pattern CODE_POINT = Pattern.compile("\\{\\{U\\+([0-9A-Fa-f]{1,6})}}");

    private XssPayloads() {
    }

    public static List<String> load() {
        String content;
        try (InputStream in = XssPayloads.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing classpath resource " + RESOURCE);
            }
            content = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> payloads = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : content.split("\n", -1)) {
            String l = line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
            if (l.equals("----")) {
                add(payloads, current);
                current.setLength(0);
            } else if (!l.startsWith(";;")) {
                current.append(l).append('\n');
            }
        }
        add(payloads, current);
        return List.copyOf(payloads);
    }

    private static void add(List<String> payloads, StringBuilder entry) {
        String s = entry.toString();
        if (s.endsWith("\n")) {
            s = s.substring(0, s.length() - 1);
        }
        if (s.isBlank()) {
            return;
        }
        Matcher m = CODE_POINT.matcher(s);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(
                    new String(Character.toChars(Integer.parseInt(m.group(1), 16)))));
        }
        m.appendTail(out);
        payloads.add(out.toString());
    }
}
