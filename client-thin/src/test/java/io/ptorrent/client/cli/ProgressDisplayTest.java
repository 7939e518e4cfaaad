package io.ptorrent.client.cli;

import io.ptorrent.client.cli.ProgressDisplay.Progress;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The submit command's progress display, on a clock moved by hand. */
class ProgressDisplayTest {
    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final AtomicReference<Progress> progress = new AtomicReference<>();
    private final StringWriter text = new StringWriter();

    private ProgressDisplay display(boolean terminal) {
        return new ProgressDisplay(new PrintWriter(text), terminal, "jobs.Job", now::get, progress::get);
    }

    private void advance(Duration d) {
        now.addAndGet(d.toNanos());
    }

    @Test
    void aShortTaskShowsNothing() {
        ProgressDisplay d = display(true);
        advance(Duration.ofMillis(900));
        d.tick();
        d.finish();

        assertThat(text.toString()).isEmpty();
    }

    @Test
    void onATerminalOneLineIsRedrawnInPlaceAndClearedAtTheEnd() {
        ProgressDisplay d = display(true);
        advance(Duration.ofMillis(1500));
        d.tick();
        assertThat(text.toString()).isEqualTo("\r| jobs.Job running 1.5 s");

        progress.set(new Progress(4, 8));
        advance(Duration.ofMillis(250));
        d.tick();
        assertThat(text.toString()).endsWith("\r/ jobs.Job running 1.8 s  [##########----------] 4/8 fragments");

        progress.set(null);
        advance(Duration.ofMillis(250));
        d.tick();
        String longer = "/ jobs.Job running 1.8 s  [##########----------] 4/8 fragments";
        // The shorter line is padded over the longer one, so nothing of the bar is left on screen.
        assertThat(text.toString()).endsWith("\r- jobs.Job running 2.0 s" + " ".repeat(longer.length() - "- jobs.Job running 2.0 s".length()));

        text.getBuffer().setLength(0);
        d.finish();
        assertThat(text.toString()).isEqualTo("\r" + " ".repeat(longer.length()) + "\r");
    }

    @Test
    void elsewhereAPlainLineEveryTenSeconds() {
        ProgressDisplay d = display(false);
        advance(Duration.ofSeconds(5));
        d.tick();
        assertThat(text.toString()).isEmpty();

        advance(Duration.ofSeconds(5));
        d.tick();
        advance(Duration.ofSeconds(2));
        d.tick();
        assertThat(text.toString()).isEqualTo("ptorrent: jobs.Job still running after 10.0 s" + System.lineSeparator());

        progress.set(new Progress(3, 8));
        advance(Duration.ofMillis(8300));
        d.tick();
        d.finish();
        assertThat(text.toString()).endsWith("ptorrent: jobs.Job still running after 20.3 s (3/8 fragments done)" + System.lineSeparator())
                .doesNotContain("\r");
    }

    @Test
    void progressOutOfRangeIsRefused() {
        assertThatThrownBy(() -> new Progress(9, 8)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Progress(0, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
