package io.cachep.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The watchdog alone, on a {@code sleep} child; {@link #closePipe} stands in for this JVM's death. */
class ChildProcessReaperIT {
    @TempDir
    Path tmp;

    private Process child;

    @AfterEach
    void killChild() throws InterruptedException {
        if (child != null) {
            child.destroyForcibly();
            child.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void shouldKillTheChildAndRemoveItsDirectoryWhenThePipeCloses() throws Exception {
        Path dir = childDirectory();
        child = new ProcessBuilder("sleep", "600").start();
        ChildProcessReaper reaper = ChildProcessReaper.arm(child.pid(), dir);

        closePipe(reaper);

        assertThat(child.waitFor(10, TimeUnit.SECONDS)).as("child killed").isTrue();
        await().atMost(Duration.ofSeconds(10)).until(() -> !Files.exists(dir));
        await().atMost(Duration.ofSeconds(10)).until(() -> !reaper.isAlive());
    }

    @Test
    void shouldLeaveChildAndDirectoryAloneWhenDisarmed() throws Exception {
        Path dir = childDirectory();
        child = new ProcessBuilder("sleep", "600").start();
        ChildProcessReaper reaper = ChildProcessReaper.arm(child.pid(), dir);

        reaper.disarm();

        assertThat(reaper.isAlive()).isFalse();
        assertThat(child.isAlive()).isTrue();
        assertThat(dir).exists();
    }

    @Test
    void shouldOnlyRemoveTheDirectoryOnceTheChildHasExited() throws Exception {
        Path dir = childDirectory();
        // Stands for an unrelated process that got the dead child's pid: it must not be signalled.
        child = new ProcessBuilder("sleep", "600").start();
        ChildProcessReaper reaper = ChildProcessReaper.arm(child.pid(), dir);

        reaper.childExited();
        closePipe(reaper);

        await().atMost(Duration.ofSeconds(10)).until(() -> !reaper.isAlive());
        assertThat(dir).doesNotExist();
        assertThat(child.isAlive()).isTrue();
    }

    private Path childDirectory() throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("child"));
        Files.writeString(dir.resolve("data"), "x");
        return dir;
    }

    private static void closePipe(ChildProcessReaper reaper) {
        reaper.closePipe();
    }
}
