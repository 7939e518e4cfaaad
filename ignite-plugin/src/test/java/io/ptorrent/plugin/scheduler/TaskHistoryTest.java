package io.ptorrent.plugin.scheduler;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TaskHistoryTest {
    @Test
    void finishedTasksAreForgottenOldestFirstPastTheCountOrTheBytes() {
        TaskHistory h = new TaskHistory(2, 100);
        TaskRun a = new TaskRun("a", null, 1);
        TaskRun b = new TaskRun("b", null, 1);
        TaskRun c = new TaskRun("c", null, 1);
        TaskRun big = new TaskRun("big", null, 1);
        big.resultBytes = 90;
        for (TaskRun t : new TaskRun[] {a, b, c}) {
            h.open(t);
        }
        assertThat(h.openTask("a")).isSameAs(a);
        h.finished(a);
        h.finished(b);
        h.finished(c);
        assertThat(h.openTask("a")).isNull();
        assertThat(h.find("a")).isNull();
        assertThat(h.find("b")).isSameAs(b);
        h.open(big);
        c.resultBytes = 0;
        h.finished(big);
        assertThat(h.find("big")).isSameAs(big); // the newest stays, even alone past the bytes
        assertThat(h.finishedCount()).isEqualTo(2);
    }
}
