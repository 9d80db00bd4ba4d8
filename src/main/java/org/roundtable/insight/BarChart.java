package org.roundtable.insight;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A weekly bar chart drawn on the server as SVG (no script): the geometry is computed here, the template only writes it
 * out. The same values are in the data table the page puts beside the chart, and in the CSV download; the SVG carries a
 * title and a description (screen readers announce it as one image, the table is there to read the numbers).
 *
 * @param id unique on the page (the ids of the title and description derive from it)
 * @param title what the chart shows
 * @param description the chart in words (its range and its latest value)
 * @param bars one per week, oldest first
 * @param max the value of the top gridline, formatted
 */
public record BarChart(String id, String title, String description, List<Bar> bars, String max) {

    public static final int WIDTH = 640;
    public static final int HEIGHT = 220;
    static final int LEFT = 48;
    static final int RIGHT = 8;
    static final int TOP = 12;
    static final int BOTTOM = 180;

    /**
     * One bar.
     *
     * @param value the value as the table shows it ("–" for no data)
     * @param empty whether the week has no data (no bar is drawn)
     */
    public record Bar(double x, double y, double width, double height, double labelX, String label,
            java.time.LocalDate week, String value, boolean empty, boolean current) {

        public String fmtX() {
            return fmt(x);
        }

        public String fmtY() {
            return fmt(y);
        }

        public String fmtWidth() {
            return fmt(width);
        }

        public String fmtHeight() {
            return fmt(height);
        }

        public String fmtLabelX() {
            return fmt(labelX);
        }
    }

    public int width() {
        return WIDTH;
    }

    public int height() {
        return HEIGHT;
    }

    public int baseline() {
        return BOTTOM;
    }

    public int top() {
        return TOP;
    }

    public int left() {
        return LEFT;
    }

    public int right() {
        return WIDTH - RIGHT;
    }

    public int labelY() {
        return BOTTOM + 16;
    }

    public int axisLabelX() {
        return LEFT - 6;
    }

    public int maxLabelY() {
        return TOP + 4;
    }

    public int zeroLabelY() {
        return BOTTOM + 4;
    }

    /**
     * A chart of weekly values.
     *
     * @param values one per week of {@code weeks} (null: no data that week)
     * @param format how a value is written in the table and the description
     */
    static BarChart of(String id, String title, String unit, List<Weeks.Week> weeks, List<Double> values,
            java.util.function.DoubleFunction<String> format) {
        double top = 0;
        for (Double v : values) {
            if (v != null) {
                top = Math.max(top, v);
            }
        }
        double scaleTop = niceCeiling(top);
        int n = weeks.size();
        double slot = (double) (WIDTH - LEFT - RIGHT) / n;
        double barWidth = slot * 0.7;
        List<Bar> bars = new ArrayList<>(n);
        Double last = null;
        double min = Double.MAX_VALUE;
        double max = -Double.MAX_VALUE;
        for (int i = 0; i < n; i++) {
            Double v = values.get(i);
            double h = v == null || scaleTop == 0 ? 0 : (BOTTOM - TOP) * v / scaleTop;
            double x = LEFT + slot * i + (slot - barWidth) / 2;
            Weeks.Week w = weeks.get(i);
            bars.add(new Bar(x, BOTTOM - h, barWidth, h, LEFT + slot * i + slot / 2, w.start().getDayOfMonth() + "/"
                    + w.start().getMonthValue(), w.start(), v == null ? "–" : format.apply(v), v == null, w.current()));
            if (v != null) {
                last = v;
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
        }
        String description = last == null
                ? title + ": no data in the " + n + " weeks shown."
                : title + " per week (" + unit + "), " + n + " weeks from the week of " + weeks.get(0).label()
                        + " to this week so far: lowest " + format.apply(min) + ", highest " + format.apply(max)
                        + ", this week so far " + (values.get(n - 1) == null ? "no data" : format.apply(values.get(n - 1)))
                        + ".";
        return new BarChart(id, title, description, List.copyOf(bars), format.apply(scaleTop));
    }

    /** 1, 2, 5, 10, 20, 50 ... at or above the value (0 stays 0). */
    static double niceCeiling(double value) {
        if (value <= 0) {
            return 0;
        }
        if (value <= 1) {
            return value <= 0.5 ? (value <= 0.2 ? (value <= 0.1 ? 0.1 : 0.2) : 0.5) : 1;
        }
        double magnitude = Math.pow(10, Math.floor(Math.log10(value)));
        for (double step : new double[] { 1, 2, 5, 10 }) {
            if (value <= step * magnitude) {
                return step * magnitude;
            }
        }
        return 10 * magnitude;
    }

    static String fmt(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }
}
