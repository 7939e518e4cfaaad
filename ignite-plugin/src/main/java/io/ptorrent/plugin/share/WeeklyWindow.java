package io.ptorrent.plugin.share;

import java.time.DayOfWeek;
import java.time.LocalDateTime;
import java.time.format.TextStyle;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * One weekly share window in local wall time, such as {@code "Mon-Fri 22:00-07:00"}, {@code "Sat-Sun"}
 * (whole days) or {@code "Mon,Wed 12:00-13:30"}. A window whose end is not after its start runs across
 * midnight and belongs to the day it starts: {@code "Fri 22:00-07:00"} covers Saturday 03:00, and
 * {@code "Mon-Fri 22:00-07:00"} does not cover Monday 03:00.
 *
 * <p>Wall time, not elapsed time: on the night clocks go forward a {@code 01:00-04:00} window lasts two
 * real hours, on the night they go back four, which is what a person who writes "01:00 to 04:00" means.
 *
 * @param days        the days a window starts on, never empty
 * @param startMinute minute of the day it starts, 0-1439
 * @param endMinute   minute of the day it ends, 1-1440 (1440 = midnight at the end of the day); not after
 *                    {@code startMinute} means the next day
 */
public record WeeklyWindow(Set<DayOfWeek> days, int startMinute, int endMinute) {
    private static final Pattern FORM = Pattern.compile("(\\S+)(?:\\s+(\\S+?)-(\\S+))?");
    private static final Pattern TIME = Pattern.compile("([01]\\d|2[0-4]):([0-5]\\d)");
    static final String DAYS = "Mon, Tue, Wed, Thu, Fri, Sat, Sun";
    private static final int DAY_MINUTES = 24 * 60;

    public WeeklyWindow {
        days = Set.copyOf(Objects.requireNonNull(days, "days"));
        if (days.isEmpty()) {
            throw new IllegalArgumentException("a window needs at least one day");
        }
        if (startMinute < 0 || startMinute >= DAY_MINUTES || endMinute < 1 || endMinute > DAY_MINUTES || startMinute == endMinute) {
            throw new IllegalArgumentException("not a window: " + startMinute + "-" + endMinute);
        }
    }

    /**
     * Parses the form above: day names (Mon … Sun, any case), ranges ({@code Fri-Mon} wraps over the
     * weekend) and lists ({@code Mon,Wed}), then optionally {@code HH:mm-HH:mm}.
     *
     * @throws IllegalArgumentException saying what is wrong in words a user can act on
     */
    public static WeeklyWindow parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("is empty; write e.g. 'Mon-Fri 22:00-07:00' or 'Sat-Sun' (whole days)");
        }
        Matcher m = FORM.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a window; write days then an optional time range, e.g. 'Mon-Fri 22:00-07:00' or 'Sat-Sun'");
        }
        Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
        for (String part : m.group(1).split(",", -1)) {
            String[] ends = part.split("-", -1);
            if (ends.length > 2) {
                throw new IllegalArgumentException("'" + text + "': '" + part + "' is not a day or a range of days (e.g. 'Mon-Fri')");
            }
            DayOfWeek from = day(text, ends[0]);
            DayOfWeek to = ends.length == 2 ? day(text, ends[1]) : from;
            for (DayOfWeek d = from; ; d = d.plus(1)) {
                days.add(d);
                if (d == to) {
                    break;
                }
            }
        }
        if (m.group(2) == null) {
            return new WeeklyWindow(days, 0, DAY_MINUTES);
        }
        int start = minute(text, m.group(2));
        int end = minute(text, m.group(3));
        if (start == DAY_MINUTES) {
            throw new IllegalArgumentException("'" + text + "': a window cannot start at 24:00; start at 00:00 of the next day");
        }
        if (end == 0) {
            end = DAY_MINUTES; // "22:00-00:00" means until midnight
        }
        if (start == end) {
            throw new IllegalArgumentException("'" + text + "': starts and ends at " + m.group(2) + "; leave out the times for whole days");
        }
        return new WeeklyWindow(days, start, end);
    }

    private static DayOfWeek day(String text, String name) {
        for (DayOfWeek d : DayOfWeek.values()) {
            if (d.getDisplayName(TextStyle.SHORT, Locale.ROOT).equalsIgnoreCase(name)) {
                return d;
            }
        }
        if (name.matches("\\d.*")) {
            throw new IllegalArgumentException("'" + text + "': '" + name + "' is not a day (" + DAYS + "); put the days first, then the times");
        }
        throw new IllegalArgumentException("'" + text + "': '" + name + "' is not a day (" + DAYS + ")");
    }

    private static int minute(String text, String time) {
        Matcher t = TIME.matcher(time);
        int minute = t.matches() ? Integer.parseInt(t.group(1)) * 60 + Integer.parseInt(t.group(2)) : -1;
        if (minute < 0 || minute > DAY_MINUTES) {
            throw new IllegalArgumentException("'" + text + "': '" + time + "' is not a time (HH:mm, 00:00-24:00)");
        }
        return minute;
    }

    /** Whether local wall time {@code t} lies in this window (start inclusive, end exclusive). */
    public boolean covers(LocalDateTime t) {
        int minute = t.getHour() * 60 + t.getMinute();
        DayOfWeek day = t.getDayOfWeek();
        if (startMinute < endMinute) {
            return days.contains(day) && minute >= startMinute && minute < endMinute;
        }
        // Across midnight: the evening part on a listed day, the morning part on the day after one.
        return days.contains(day) && minute >= startMinute || days.contains(day.minus(1)) && minute < endMinute;
    }

    /** The canonical text, which {@link #parse} reads back to an equal window. */
    @Override
    public String toString() {
        String d = days.stream().sorted().map(x -> x.getDisplayName(TextStyle.SHORT, Locale.ROOT)).collect(Collectors.joining(","));
        return startMinute == 0 && endMinute == DAY_MINUTES ? d : d + " " + hhmm(startMinute) + "-" + hhmm(endMinute);
    }

    private static String hhmm(int minute) {
        return String.format(Locale.ROOT, "%02d:%02d", minute / 60, minute % 60);
    }
}
