package dev.whoknows.conformance.http;

import java.util.ArrayList;
import java.util.List;

/**
 * Text sent on the wire (a request target or body) that may contain long runs of one character, so that
 * the reproducer printed for an oversized value stays short: {@code 'user='"$(printf '%*s' 70000 '' | tr ' ' x)"}.
 */
public final class Payload {
    private record Run(char c, int count) {}

    private final List<Object> parts = new ArrayList<>();
    private int length;

    private Payload() {}

    public static Payload of(String text) {
        return new Payload().append(text);
    }

    public static Payload empty() {
        return new Payload();
    }

    public Payload append(String text) {
        if (!text.isEmpty()) {
            int last = parts.size() - 1;
            if (last >= 0 && parts.get(last) instanceof String previous) {
                parts.set(last, previous + text); // one quoted word in the reproducer, not 'a''b'
            } else {
                parts.add(text);
            }
            length += text.length();
        }
        return this;
    }

    /** Appends {@code count} copies of {@code c}, an ASCII letter or digit (safe in a shell and a URL). */
    public Payload repeat(char c, int count) {
        if (!Character.isLetterOrDigit(c) || c > 127) {
            throw new IllegalArgumentException("repeat only ASCII letters or digits, not '" + c + "'");
        }
        parts.add(new Run(c, count));
        length += count;
        return this;
    }

    public Payload append(Payload other) {
        for (Object part : other.parts) {
            if (part instanceof Run run) {
                repeat(run.c(), run.count());
            } else {
                append((String) part);
            }
        }
        return this;
    }

    public int length() {
        return length;
    }

    public boolean isEmpty() {
        return length == 0;
    }

    public String text() {
        StringBuilder out = new StringBuilder(length);
        for (Object part : parts) {
            if (part instanceof Run run) {
                out.append(String.valueOf(run.c()).repeat(run.count()));
            } else {
                out.append((String) part);
            }
        }
        return out.toString();
    }

    /** A POSIX shell word that expands to {@link #text()}. */
    public String shell() {
        if (parts.isEmpty()) {
            return "''";
        }
        StringBuilder out = new StringBuilder();
        for (Object part : parts) {
            if (part instanceof Run run) {
                out.append("\"$(printf '%*s' ")
                        .append(run.count())
                        .append(" '' | tr ' ' ")
                        .append(run.c())
                        .append(")\"");
            } else {
                out.append(quote((String) part));
            }
        }
        return out.toString();
    }

    /** For messages: the text with runs written as {@code x…(70000)}. */
    public String display() {
        StringBuilder out = new StringBuilder();
        for (Object part : parts) {
            if (part instanceof Run run) {
                out.append(run.c())
                        .append("…(")
                        .append(run.count())
                        .append(" × '")
                        .append(run.c())
                        .append("')");
            } else {
                out.append((String) part);
            }
        }
        return out.toString();
    }

    public static String quote(String text) {
        return "'" + text.replace("'", "'\\''") + "'";
    }

    @Override
    public String toString() {
        return display();
    }
}
