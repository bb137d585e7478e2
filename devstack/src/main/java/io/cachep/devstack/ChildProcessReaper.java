package io.cachep.devstack;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Kills one child process and removes its directory when this JVM dies, however it dies.
 *
 * <p>A shutdown hook covers normal exit and Ctrl-C, but not {@code kill -9} of this JVM or a JVM crash: then the
 * children would run on forever, holding ports and temp dirs. So every child gets a watchdog: a tiny {@code sh} whose
 * stdin is a pipe from this JVM, and which blocks reading it. Only this JVM holds the write end of that pipe (the JDK
 * closes every other descriptor in the processes it spawns, so no sibling inherits it), so the kernel closes it the
 * moment this JVM dies for any reason; the shell's {@code read} then sees end-of-file, and the shell sends the child
 * TERM, waits up to 3 s for it to go, sends KILL, and deletes the directory.
 *
 * <p>When this JVM stops the child itself it {@link #disarm() disarms} the watchdog first (KILL to the shell, which
 * cannot trap it), so a directory kept for a restart is not deleted. When the child dies on its own (a test's
 * {@code kill -9}), this JVM writes {@code exited} into the pipe: the shell then only removes the directory on
 * end-of-file and never signals the pid, which the kernel may by then have given to an unrelated process.
 *
 * <p>The shell ignores INT, HUP and TERM: Ctrl-C in a terminal (or a supervisor's TERM) hits the whole process group,
 * and the watchdog must keep watching until this JVM has finished its own, orderly tear-down. Only the pipe's
 * end-of-file or this JVM's KILL ends it.
 */
final class ChildProcessReaper implements AutoCloseable {

    // $1 = child pid, $2 = directory to remove. `read` is a shell builtin, so the watchdog is one process.
    private static final String SCRIPT = String.join("\n",
            "trap '' INT HUP TERM",
            "alive=1",
            "while read -r msg; do [ \"$msg\" = exited ] && alive=0; done",
            "if [ \"$alive\" = 1 ]; then",
            "  kill -TERM \"$1\" 2>/dev/null",
            "  i=0",
            "  while [ \"$i\" -lt 30 ] && kill -0 \"$1\" 2>/dev/null; do sleep 0.1; i=$((i+1)); done",
            "  kill -KILL \"$1\" 2>/dev/null",
            "fi",
            "rm -rf \"$2\"");

    private final Process shell;
    private final OutputStream pipe;
    private boolean disarmed;

    private ChildProcessReaper(Process shell) {
        this.shell = shell;
        this.pipe = shell.getOutputStream();
    }

    /** Starts the watchdog for {@code childPid}; {@code directory} is removed when this JVM dies. */
    static ChildProcessReaper arm(long childPid, Path directory) {
        try {
            Process shell = new ProcessBuilder(List.of("sh", "-c", SCRIPT, "devstack-reaper",
                            Long.toString(childPid), directory.toAbsolutePath().toString()))
                    .directory(new File("/"))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            return new ChildProcessReaper(shell);
        } catch (IOException e) {
            throw new DevStackException("could not start the watchdog shell for pid " + childPid, e);
        }
    }

    long pid() {
        return shell.pid();
    }

    boolean isAlive() {
        return shell.isAlive();
    }

    /** The child has exited by itself: from now on the watchdog only removes the directory. */
    synchronized void childExited() {
        if (disarmed) {
            return;
        }
        try {
            pipe.write("exited\n".getBytes(StandardCharsets.US_ASCII));
            pipe.flush();
        } catch (IOException ignored) {
            // The watchdog is gone already: nothing left to tell.
        }
    }

    /** Stops watching without touching the child or the directory. */
    synchronized void disarm() {
        if (disarmed) {
            return;
        }
        disarmed = true;
        // KILL first: closing the pipe first would look like this JVM's death and fire the watchdog.
        shell.destroyForcibly();
        try {
            shell.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closePipe();
    }

    /** What the kernel does when this JVM dies; package-private so a test can fire the watchdog. */
    synchronized void closePipe() {
        try {
            pipe.close();
        } catch (IOException ignored) {
            // Already closed.
        }
    }

    @Override
    public void close() {
        disarm();
    }
}
