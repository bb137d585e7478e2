package io.cachep.devstack;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns SIGINT and SIGTERM into an event {@code devstack up} waits for, so it can tear down and exit 0.
 *
 * <p>With the JVM's default handling a signal runs the shutdown hooks and the JVM exits 130 or 143, which scripts
 * read as a failure. Handling the signal needs {@code sun.misc.Signal} (module {@code jdk.unsupported}, exported for
 * exactly this kind of use). It is reached by reflection only because javac warns on every direct use of it with no
 * way to suppress the warning; if it is missing, {@link #install()} says so, {@link #await} never reports a signal,
 * and the JVM's default handling (shutdown hook) still tears down.
 */
final class TerminationSignals {
    private static final Logger LOG = LoggerFactory.getLogger(TerminationSignals.class);

    private final CountDownLatch received = new CountDownLatch(1);
    private final AtomicReference<String> name = new AtomicReference<>();

    private TerminationSignals() {}

    /**
     * Handles INT and TERM from now on. A signal the JVM inherited as ignored stays ignored (a background job of a
     * non-interactive shell ignores INT): the JVM silently keeps it so.
     */
    static TerminationSignals install() {
        TerminationSignals signals = new TerminationSignals();
        try {
            Class<?> signalClass = Class.forName("sun.misc.Signal");
            Class<?> handlerClass = Class.forName("sun.misc.SignalHandler");
            Method handle = signalClass.getMethod("handle", signalClass, handlerClass);
            Object handler = Proxy.newProxyInstance(handlerClass.getClassLoader(), new Class<?>[] {handlerClass},
                    (proxy, method, args) -> {
                        if (method.getName().equals("handle")) {
                            signals.fire("SIG" + signalClass.getMethod("getName").invoke(args[0]));
                            return null;
                        }
                        return switch (method.getName()) {
                            case "hashCode" -> System.identityHashCode(proxy);
                            case "equals" -> proxy == args[0];
                            default -> "devstack-signal-handler";
                        };
                    });
            for (String signal : new String[] {"INT", "TERM"}) {
                handle.invoke(null, signalClass.getConstructor(String.class).newInstance(signal), handler);
            }
            return signals;
        } catch (ReflectiveOperationException | IllegalArgumentException | SecurityException e) {
            Throwable cause = e instanceof InvocationTargetException ite ? ite.getCause() : e;
            LOG.warn("Cannot handle SIGINT/SIGTERM ({}); they will stop devstack with a non-zero exit code",
                    cause.toString());
            return signals;
        }
    }

    private void fire(String signal) {
        name.compareAndSet(null, signal);
        received.countDown();
    }

    /** Waits up to {@code timeout} for INT or TERM; returns its name ({@code SIGINT} or {@code SIGTERM}). */
    Optional<String> await(Duration timeout) throws InterruptedException {
        return received.await(timeout.toMillis(), TimeUnit.MILLISECONDS) ? Optional.of(name.get()) : Optional.empty();
    }
}
